-- Script versions (see the PostgreSQL migration of the same number).
CREATE TABLE scripts (
    script_id  text NOT NULL,
    version    integer NOT NULL,
    digest     text NOT NULL,
    source     blob NOT NULL,
    created_by text NOT NULL DEFAULT '',
    created_at timestamp NOT NULL,
    PRIMARY KEY (script_id, version)
);
