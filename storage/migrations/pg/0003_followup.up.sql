-- One record per resident and day. data_enc is followup's whole record
-- (answers included), sealed; the other columns are projections for reports.
CREATE TABLE health_records (
    id           bigserial PRIMARY KEY,
    resident_id  bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    community_id bigint REFERENCES org_units(id) ON DELETE SET NULL,
    day          date NOT NULL,
    attempt_id   bigint REFERENCES attempts(id) ON DELETE SET NULL,
    status       smallint NOT NULL,
    temperature  double precision,
    symptoms     boolean NOT NULL DEFAULT false,
    travel       boolean NOT NULL DEFAULT false,
    notes_enc    bytea,
    data_enc     bytea,
    updated_at   timestamptz NOT NULL,
    UNIQUE (resident_id, day)
);
CREATE INDEX health_records_day ON health_records (day);

-- At most one alert per dedupe key (resident, kind, day); data_enc is
-- followup's alert with its notes, sealed.
CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    key             text UNIQUE,
    resident_id     bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    community_id    bigint REFERENCES org_units(id) ON DELETE SET NULL,
    kind            text NOT NULL,
    day             date,
    priority        smallint NOT NULL DEFAULT 0,
    status          smallint NOT NULL,
    attempt_id      bigint REFERENCES attempts(id) ON DELETE SET NULL,
    assignee_id     bigint REFERENCES users(id) ON DELETE SET NULL,
    notes_enc       bytea,
    data_enc        bytea,
    created_at      timestamptz NOT NULL,
    acknowledged_at timestamptz,
    resolved_at     timestamptz
);
CREATE INDEX alerts_status ON alerts (status, created_at);
CREATE INDEX alerts_resident ON alerts (resident_id);
CREATE INDEX alerts_day ON alerts (day);

-- Transactional outbox of alert events (webhook deliveries).
CREATE TABLE alert_events (
    seq          bigserial PRIMARY KEY,
    id           text NOT NULL UNIQUE,
    alert_id     bigint NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    alert_key    text NOT NULL,
    payload_enc  bytea NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    next_at      timestamptz NOT NULL,
    delivered_at timestamptz,
    given_up     boolean NOT NULL DEFAULT false,
    reason       text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX alert_events_pending ON alert_events (alert_key, seq) WHERE delivered_at IS NULL AND NOT given_up;
