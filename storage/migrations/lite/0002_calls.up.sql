CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    name        text NOT NULL,
    state       integer NOT NULL,
    priority    integer NOT NULL DEFAULT 0,
    script_id   text NOT NULL DEFAULT '',
    trunk       text NOT NULL DEFAULT '',
    target_kind integer NOT NULL DEFAULT 0,
    target_ref  text NOT NULL DEFAULT '',
    config      blob NOT NULL,
    created_at  integer NOT NULL
);

-- One row per scheduler lock name: the highest fence seen.
CREATE TABLE fences (
    name  text PRIMARY KEY,
    fence integer NOT NULL
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    campaign_id integer NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    occurrence  integer NOT NULL,
    fence       integer NOT NULL,
    created_at  integer NOT NULL,
    UNIQUE (campaign_id, occurrence)
);

CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    campaign_id integer NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    run_id      integer NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    resident_id integer NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    state       integer NOT NULL,
    due         integer NOT NULL,
    token       text NOT NULL DEFAULT '',
    outcomes    text NOT NULL DEFAULT '',
    reason      text NOT NULL DEFAULT '',
    UNIQUE (run_id, resident_id)
);
CREATE INDEX tasks_state_due ON tasks (state, due);
CREATE INDEX tasks_resident ON tasks (resident_id);

-- One row per INVITE.
CREATE TABLE attempts (
    id             INTEGER PRIMARY KEY,
    task_id        integer NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    campaign_id    integer NOT NULL,
    resident_id    integer NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    phone_hash     blob NOT NULL,
    token          text NOT NULL DEFAULT '',
    worker         text NOT NULL DEFAULT '',
    state          integer NOT NULL,
    outcome        integer NOT NULL DEFAULT 0,
    sip_status     integer NOT NULL DEFAULT 0,
    reason         text NOT NULL DEFAULT '',
    answered       integer NOT NULL DEFAULT false,
    counted        integer NOT NULL DEFAULT true,
    hangup_by      text NOT NULL DEFAULT '',
    recording_path text NOT NULL DEFAULT '',
    invite_at      integer NOT NULL,
    answer_at      integer,
    end_at         integer
);
CREATE INDEX attempts_task ON attempts (task_id);
CREATE INDEX attempts_phone ON attempts (phone_hash, invite_at);
CREATE INDEX attempts_resident ON attempts (resident_id, campaign_id, end_at);

CREATE TABLE answers (
    id          INTEGER PRIMARY KEY,
    attempt_id  integer NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    resident_id integer NOT NULL, -- removed with its attempt (cascade); no FK: bulk writes
    node        text NOT NULL DEFAULT '',
    key         text NOT NULL,
    kind        integer NOT NULL,
    value_num   real,
    value_enc   blob,
    raw_enc     blob,
    method      integer NOT NULL,
    confidence  real NOT NULL DEFAULT 0,
    at          integer NOT NULL
);
CREATE INDEX answers_attempt ON answers (attempt_id);
