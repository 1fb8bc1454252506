-- The deferred queue: recipients of one domain of one message, waiting for their next attempt.
-- Content is kept per entry (inline base64, as on the topics) so that a retry needs nothing else.
CREATE TABLE deferred_entry (
    id              uuid PRIMARY KEY,          -- deterministic from the deferred record: replays insert nothing
    message_id      text        NOT NULL,
    domain          text        NOT NULL,      -- lower-case A-label
    sender          text        NOT NULL,
    recipients      text[]      NOT NULL,
    attempt         integer     NOT NULL,      -- last attempt made; 0 = held back before any attempt
    submitted_at    timestamptz NOT NULL,      -- first acceptance: expiry counts from here
    deferred_at     timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_diagnosis  text        NOT NULL,
    policy_rule     text,
    policy_version  bigint,
    content         text        NOT NULL,
    queued_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deferred_entry_due ON deferred_entry (next_attempt_at);
CREATE INDEX deferred_entry_domain ON deferred_entry (domain);
CREATE INDEX deferred_entry_message ON deferred_entry (message_id);
