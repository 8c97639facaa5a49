-- One record per resident and day. data_enc is followup's whole record
-- (answers included), sealed; the other columns are projections for reports.
CREATE TABLE health_records (
    id           INTEGER PRIMARY KEY,
    resident_id  integer NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    community_id integer REFERENCES org_units(id) ON DELETE SET NULL,
    day          integer NOT NULL,
    attempt_id   integer REFERENCES attempts(id) ON DELETE SET NULL,
    status       integer NOT NULL,
    temperature  real,
    symptoms     integer NOT NULL DEFAULT false,
    travel       integer NOT NULL DEFAULT false,
    notes_enc    blob,
    data_enc     blob,
    updated_at   integer NOT NULL,
    UNIQUE (resident_id, day)
);
CREATE INDEX health_records_day ON health_records (day);

-- At most one alert per dedupe key (resident, kind, day); data_enc is
-- followup's alert with its notes, sealed.
CREATE TABLE alerts (
    id              INTEGER PRIMARY KEY,
    key             text UNIQUE,
    resident_id     integer NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    community_id    integer REFERENCES org_units(id) ON DELETE SET NULL,
    kind            text NOT NULL,
    day             integer,
    priority        integer NOT NULL DEFAULT 0,
    status          integer NOT NULL,
    attempt_id      integer REFERENCES attempts(id) ON DELETE SET NULL,
    assignee_id     integer REFERENCES users(id) ON DELETE SET NULL,
    notes_enc       blob,
    data_enc        blob,
    created_at      integer NOT NULL,
    acknowledged_at integer,
    resolved_at     integer
);
CREATE INDEX alerts_status ON alerts (status, created_at);
CREATE INDEX alerts_resident ON alerts (resident_id);
CREATE INDEX alerts_day ON alerts (day);

-- Transactional outbox of alert events (webhook deliveries).
CREATE TABLE alert_events (
    seq          INTEGER PRIMARY KEY,
    id           text NOT NULL UNIQUE,
    alert_id     integer NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    alert_key    text NOT NULL,
    payload_enc  blob NOT NULL,
    attempts     integer NOT NULL DEFAULT 0,
    next_at      integer NOT NULL,
    delivered_at integer,
    given_up     integer NOT NULL DEFAULT false,
    reason       text NOT NULL DEFAULT '',
    created_at   integer NOT NULL
);
CREATE INDEX alert_events_pending ON alert_events (alert_key, seq) WHERE delivered_at IS NULL AND given_up = 0;
