-- Console sessions and Idempotency-Key records, shared by every API
-- process. A session's id is the SHA-256 (hex) of its cookie, never the
-- cookie itself. Expired rows are never returned and are deleted by the
-- api role's periodic purge.
CREATE TABLE sessions (
    id         text PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A key is scoped by the user who sent it. done is false while the first
-- request runs (the reservation); then status, content_type and body hold
-- the response that is replayed.
CREATE TABLE idempotency_keys (
    user_id      bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key          text NOT NULL,
    fingerprint  text NOT NULL,
    done         boolean NOT NULL DEFAULT false,
    status       integer NOT NULL DEFAULT 0,
    content_type text NOT NULL DEFAULT '',
    body         bytea,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
