CREATE TABLE campaigns (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL,
    state       smallint NOT NULL,
    priority    smallint NOT NULL DEFAULT 0,
    script_id   text NOT NULL DEFAULT '',
    trunk       text NOT NULL DEFAULT '',
    target_kind smallint NOT NULL DEFAULT 0,
    target_ref  text NOT NULL DEFAULT '',
    config      bytea NOT NULL,
    created_at  timestamptz NOT NULL
);

-- One row per scheduler lock name: the highest fence seen.
CREATE TABLE fences (
    name  text PRIMARY KEY,
    fence bigint NOT NULL
);

CREATE TABLE runs (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    occurrence  timestamptz NOT NULL,
    fence       bigint NOT NULL,
    created_at  timestamptz NOT NULL,
    UNIQUE (campaign_id, occurrence)
);

CREATE TABLE tasks (
    id          bigserial PRIMARY KEY,
    campaign_id bigint NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    run_id      bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    resident_id bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    state       smallint NOT NULL,
    due         timestamptz NOT NULL,
    token       text NOT NULL DEFAULT '',
    outcomes    text NOT NULL DEFAULT '',
    reason      text NOT NULL DEFAULT '',
    UNIQUE (run_id, resident_id)
);
CREATE INDEX tasks_state_due ON tasks (state, due);
CREATE INDEX tasks_resident ON tasks (resident_id);

-- One row per INVITE.
CREATE TABLE attempts (
    id             bigserial PRIMARY KEY,
    task_id        bigint NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    campaign_id    bigint NOT NULL,
    resident_id    bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    phone_hash     bytea NOT NULL,
    token          text NOT NULL DEFAULT '',
    worker         text NOT NULL DEFAULT '',
    state          smallint NOT NULL,
    outcome        smallint NOT NULL DEFAULT 0,
    sip_status     integer NOT NULL DEFAULT 0,
    reason         text NOT NULL DEFAULT '',
    answered       boolean NOT NULL DEFAULT false,
    counted        boolean NOT NULL DEFAULT true,
    hangup_by      text NOT NULL DEFAULT '',
    recording_path text NOT NULL DEFAULT '',
    invite_at      timestamptz NOT NULL,
    answer_at      timestamptz,
    end_at         timestamptz
);
CREATE INDEX attempts_task ON attempts (task_id);
CREATE INDEX attempts_phone ON attempts (phone_hash, invite_at);
CREATE INDEX attempts_resident ON attempts (resident_id, campaign_id, end_at);

CREATE TABLE answers (
    id          bigserial PRIMARY KEY,
    attempt_id  bigint NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    resident_id bigint NOT NULL, -- removed with its attempt (cascade); no FK: bulk writes
    node        text NOT NULL DEFAULT '',
    key         text NOT NULL,
    kind        smallint NOT NULL,
    value_num   double precision,
    value_enc   bytea,
    raw_enc     bytea,
    method      smallint NOT NULL,
    confidence  real NOT NULL DEFAULT 0,
    at          timestamptz NOT NULL
);
CREATE INDEX answers_attempt ON answers (attempt_id);
