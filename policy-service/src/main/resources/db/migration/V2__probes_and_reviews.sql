-- Domain probes (POST /v1/probes): asked of delivery over mail.probe-requests, answered on
-- mail.probe-results. policy is the effective policy sent with the request; result is the
-- contract's ProbeResult as delivery wrote it (null while RUNNING).
CREATE TABLE probe (
    id            uuid        PRIMARY KEY,
    domain        text        NOT NULL,
    status        text        NOT NULL,
    reason        text        NOT NULL,
    requested_at  timestamptz NOT NULL,
    finished_at   timestamptz,
    failure       text,
    policy        jsonb       NOT NULL,
    result        jsonb
);
CREATE INDEX probe_by_domain ON probe (domain, requested_at DESC);
CREATE INDEX probe_running ON probe (requested_at) WHERE status = 'RUNNING';

-- Rules that weaken TLS below default carry a review date; the re-probe of their domain records
-- here whether the remote now takes mail under default alone ("this override can go").
CREATE TABLE policy_review (
    rule           text        PRIMARY KEY,
    due_at         timestamptz NOT NULL,
    weakens        jsonb       NOT NULL,
    last_probe_id  uuid,
    last_probe_at  timestamptz,
    fixed_at       timestamptz,
    fixed_note     text
);
