-- Organisation tree: 1 district → 2 street → 3 community → 4 grid.
CREATE TABLE org_units (
    id        INTEGER PRIMARY KEY,
    parent_id integer REFERENCES org_units(id) ON DELETE RESTRICT,
    level     integer NOT NULL CHECK (level BETWEEN 1 AND 4),
    name      text NOT NULL
);
CREATE UNIQUE INDEX org_units_name ON org_units (level, COALESCE(parent_id, 0), name);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    display_name  text NOT NULL DEFAULT '',
    role          integer NOT NULL,
    org_unit_id   integer REFERENCES org_units(id) ON DELETE SET NULL,
    password_hash blob,
    disabled      integer NOT NULL DEFAULT false,
    created_at    integer NOT NULL
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    token_hash   blob NOT NULL UNIQUE,
    created_at   integer NOT NULL,
    expires_at   integer,
    last_used_at integer,
    revoked_at   integer
);

-- Personal fields are sealed (AES-256-GCM, *_enc); phone_hash is the keyed HMAC index.
CREATE TABLE residents (
    id            INTEGER PRIMARY KEY,
    name          text NOT NULL DEFAULT '',
    phone_enc     blob NOT NULL,
    phone_hash    blob NOT NULL UNIQUE,
    phones_enc    blob,
    id_enc        blob,
    address_enc   blob,
    community_id  integer REFERENCES org_units(id) ON DELETE SET NULL,
    grid_id       integer REFERENCES org_units(id) ON DELETE SET NULL,
    household     text NOT NULL DEFAULT '',
    tags          text NOT NULL DEFAULT '',
    language      text NOT NULL DEFAULT '',
    notes_enc     blob,
    created_at    integer NOT NULL
);
CREATE INDEX residents_community ON residents (community_id);
CREATE INDEX residents_grid ON residents (grid_id);

CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    resident_id  integer NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    reason       text NOT NULL DEFAULT '',
    start_date   integer NOT NULL,
    release_date integer,
    call_times   text NOT NULL DEFAULT '',
    created_at   integer NOT NULL
);
CREATE INDEX observations_resident ON observations (resident_id);
CREATE INDEX observations_dates ON observations (start_date, release_date);

CREATE TABLE do_not_call (
    phone_hash blob PRIMARY KEY,
    reason     text NOT NULL DEFAULT '',
    created_at integer NOT NULL
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      integer NOT NULL,
    actor   text NOT NULL,
    action  text NOT NULL,
    subject text NOT NULL DEFAULT '',
    detail  text NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
