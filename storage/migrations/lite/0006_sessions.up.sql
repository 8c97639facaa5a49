-- Console sessions and Idempotency-Key records (see the PostgreSQL
-- migration of the same number).
CREATE TABLE sessions (
    id         text PRIMARY KEY,
    user_id    integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       text NOT NULL,
    created_at integer NOT NULL,
    expires_at integer NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE idempotency_keys (
    user_id      integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key          text NOT NULL,
    fingerprint  text NOT NULL,
    done         integer NOT NULL DEFAULT false,
    status       integer NOT NULL DEFAULT 0,
    content_type text NOT NULL DEFAULT '',
    body         blob,
    expires_at   integer NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
