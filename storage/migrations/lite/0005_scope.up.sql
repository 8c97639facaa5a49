-- Campaign owner (see the PostgreSQL migration of the same number): the
-- organisation unit whose staff see and run the campaign (0 =
-- organisation-wide: admins only).
ALTER TABLE campaigns ADD COLUMN unit_id integer NOT NULL DEFAULT 0;
CREATE INDEX campaigns_unit ON campaigns (unit_id);
UPDATE campaigns SET unit_id = (SELECT MIN(u.id) FROM org_units u
        WHERE u.level = campaigns.target_kind + 2 AND u.name = campaigns.target_ref)
    WHERE target_kind IN (1, 2) AND (SELECT COUNT(*) FROM org_units u
        WHERE u.level = campaigns.target_kind + 2 AND u.name = campaigns.target_ref) = 1;
