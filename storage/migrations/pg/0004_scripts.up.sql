-- Script versions: every upload is a new version of its script id; a
-- campaign pins "id@version", so a run always uses the text it was
-- launched with, and the digest proves which.
CREATE TABLE scripts (
    script_id  text NOT NULL,
    version    integer NOT NULL,
    digest     text NOT NULL,
    source     bytea NOT NULL,
    created_by text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    PRIMARY KEY (script_id, version)
);
