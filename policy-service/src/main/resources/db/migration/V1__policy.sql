-- One row per existing rule; body is the rule as published on mail.policy-changes
-- (password only encrypted).
CREATE TABLE policy_rule (
    rule        text        PRIMARY KEY,
    version     bigint      NOT NULL,
    body        jsonb       NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL
);

-- Who changed what and when; kept after a rule is deleted. Passwords appear only as "changed".
CREATE TABLE policy_history (
    id          bigserial   PRIMARY KEY,
    rule        text        NOT NULL,
    version     bigint      NOT NULL,
    action      text        NOT NULL,
    changes     jsonb       NOT NULL,
    changed_at  timestamptz NOT NULL,
    changed_by  text        NOT NULL
);
CREATE INDEX policy_history_by_rule ON policy_history (rule, id);

-- Transactional outbox: written in the same transaction as the change, sent in id order by the
-- publisher, marked sent only after the broker acknowledged. payload NULL = tombstone.
CREATE TABLE policy_outbox (
    id          bigserial   PRIMARY KEY,
    rule        text        NOT NULL,
    payload     text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX policy_outbox_pending ON policy_outbox (id) WHERE sent_at IS NULL;
