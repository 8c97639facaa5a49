-- Campaign owner: the organisation unit whose staff see and run the
-- campaign (0 = organisation-wide: admins only). A run selects residents
-- inside the owner's subtree only.
ALTER TABLE campaigns ADD COLUMN unit_id bigint NOT NULL DEFAULT 0;
CREATE INDEX campaigns_unit ON campaigns (unit_id);
-- Campaigns that target a community (kind 1, level 3) or a grid (kind 2,
-- level 4) by a name only one unit bears are owned by that unit; the rest
-- stay organisation-wide.
UPDATE campaigns SET unit_id = (SELECT MIN(u.id) FROM org_units u
        WHERE u.level = campaigns.target_kind + 2 AND u.name = campaigns.target_ref)
    WHERE target_kind IN (1, 2) AND (SELECT COUNT(*) FROM org_units u
        WHERE u.level = campaigns.target_kind + 2 AND u.name = campaigns.target_ref) = 1;
