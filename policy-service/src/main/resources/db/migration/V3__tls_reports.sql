-- TLS-RPT (RFC 8460): what each delivery attempt contributes to its policy domain's daily report,
-- recorded from mail.delivery-events; event_id makes a replayed event count once.
-- result_type null = a successful TLS session; policy_strings/mx_host are JSON arrays of strings.
CREATE TABLE tlsrpt_attempt (
    event_id        text        PRIMARY KEY,
    day             date        NOT NULL,
    policy_domain   text        NOT NULL,
    message_id      text        NOT NULL,
    attempt         int         NOT NULL,
    policy_type     text        NOT NULL,
    policy_strings  jsonb       NOT NULL,
    mx_host         jsonb       NOT NULL,
    result_type     text,
    receiving_mx    text,
    receiving_ip    text,
    reason          text,
    at              timestamptz NOT NULL
);
CREATE INDEX tlsrpt_attempt_by_day ON tlsrpt_attempt (day, policy_domain);

-- One report per policy domain and UTC day, built once; rua is the list of URIs found in DNS.
CREATE TABLE tlsrpt_report (
    report_id      text        PRIMARY KEY,
    policy_domain  text        NOT NULL,
    day            date        NOT NULL,
    created_at     timestamptz NOT NULL,
    rua            jsonb       NOT NULL,
    rua_problem    text,
    report         jsonb       NOT NULL,
    UNIQUE (policy_domain, day)
);

-- Each rua destination of a report: PENDING until acknowledged (SENT) or given up (FAILED).
CREATE TABLE tlsrpt_destination (
    report_id        text        NOT NULL REFERENCES tlsrpt_report,
    uri              text        NOT NULL,
    status           text        NOT NULL,
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    sent_at          timestamptz,
    last_error       text,
    PRIMARY KEY (report_id, uri)
);
CREATE INDEX tlsrpt_destination_due ON tlsrpt_destination (next_attempt_at) WHERE status = 'PENDING';

-- Every send attempt, successful or not, with what happened.
CREATE TABLE tlsrpt_send (
    id         bigserial   PRIMARY KEY,
    report_id  text        NOT NULL,
    uri        text        NOT NULL,
    at         timestamptz NOT NULL,
    ok         boolean     NOT NULL,
    detail     text        NOT NULL
);
CREATE INDEX tlsrpt_send_by_report ON tlsrpt_send (report_id, at);
