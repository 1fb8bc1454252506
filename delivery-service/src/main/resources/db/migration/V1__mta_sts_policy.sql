-- MTA-STS policies (RFC 8461 5.1) as fetched, shared by all delivery workers; one row per domain.
CREATE TABLE mta_sts_policy (
    domain     TEXT PRIMARY KEY,
    policy_id  TEXT        NOT NULL,
    policy     TEXT        NOT NULL,
    fetched_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
