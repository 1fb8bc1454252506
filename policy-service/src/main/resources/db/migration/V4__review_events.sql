-- The outbox of mail.policy-reviews (extension): one row per "this override can go" finding,
-- written in the transaction that stores the review's note, sent by PolicyReviewPublisher with
-- acks=all and marked sent after the broker's acknowledgement. event_id (the CloudEvent id, from
-- domain and probe id) is unique, so one finding is queued once whatever re-delivers the probe's answer.
CREATE TABLE policy_review_outbox (
    id          bigserial   PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    rule        text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX policy_review_outbox_pending ON policy_review_outbox (id) WHERE sent_at IS NULL;
