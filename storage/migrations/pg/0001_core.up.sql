-- Organisation tree: 1 district → 2 street → 3 community → 4 grid.
CREATE TABLE org_units (
    id        bigserial PRIMARY KEY,
    parent_id bigint REFERENCES org_units(id) ON DELETE RESTRICT,
    level     smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
    name      text NOT NULL
);
CREATE UNIQUE INDEX org_units_name ON org_units (level, COALESCE(parent_id, 0), name);

CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    username      text NOT NULL UNIQUE,
    display_name  text NOT NULL DEFAULT '',
    role          smallint NOT NULL,
    org_unit_id   bigint REFERENCES org_units(id) ON DELETE SET NULL,
    password_hash bytea,
    disabled      boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL
);

CREATE TABLE api_tokens (
    id           bigserial PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         text NOT NULL DEFAULT '',
    token_hash   bytea NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz,
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- Personal fields are sealed (AES-256-GCM, *_enc); phone_hash is the keyed HMAC index.
CREATE TABLE residents (
    id            bigserial PRIMARY KEY,
    name          text NOT NULL DEFAULT '',
    phone_enc     bytea NOT NULL,
    phone_hash    bytea NOT NULL UNIQUE,
    phones_enc    bytea,
    id_enc        bytea,
    address_enc   bytea,
    community_id  bigint REFERENCES org_units(id) ON DELETE SET NULL,
    grid_id       bigint REFERENCES org_units(id) ON DELETE SET NULL,
    household     text NOT NULL DEFAULT '',
    tags          text NOT NULL DEFAULT '',
    language      text NOT NULL DEFAULT '',
    notes_enc     bytea,
    created_at    timestamptz NOT NULL
);
CREATE INDEX residents_community ON residents (community_id);
CREATE INDEX residents_grid ON residents (grid_id);

CREATE TABLE observations (
    id           bigserial PRIMARY KEY,
    resident_id  bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    reason       text NOT NULL DEFAULT '',
    start_date   date NOT NULL,
    release_date date,
    call_times   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL
);
CREATE INDEX observations_resident ON observations (resident_id);
CREATE INDEX observations_dates ON observations (start_date, release_date);

CREATE TABLE do_not_call (
    phone_hash bytea PRIMARY KEY,
    reason     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL
);

CREATE TABLE audit_log (
    id      bigserial PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text NOT NULL,
    action  text NOT NULL,
    subject text NOT NULL DEFAULT '',
    detail  text NOT NULL DEFAULT ''
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
