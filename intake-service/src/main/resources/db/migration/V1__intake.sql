-- who submitted which message: GET /v1/messages/{id} shows a message only to its client
CREATE TABLE submitted_message (
    message_id   text PRIMARY KEY,
    client       text        NOT NULL,
    submitted_at timestamptz NOT NULL,
    sender       text        NOT NULL,
    size_bytes   bigint      NOT NULL
);

-- the projection of mail.delivery-events: latest event per recipient
CREATE TABLE recipient_status (
    message_id text    NOT NULL,
    recipient  text    NOT NULL,
    status     text    NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    event_at   timestamptz,
    last_event jsonb,
    PRIMARY KEY (message_id, recipient)
);

-- Idempotency-Key answers per client, kept 24 h (a NULL status is a request in progress)
CREATE TABLE idempotency_key (
    client     text        NOT NULL,
    idem_key   text        NOT NULL,
    created_at timestamptz NOT NULL,
    status     integer,
    location   text,
    body       text,
    PRIMARY KEY (client, idem_key)
);
CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at);
