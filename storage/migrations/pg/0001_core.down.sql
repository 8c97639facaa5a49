DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE do_not_call;
DROP TABLE observations;
DROP TABLE residents;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE org_units;
