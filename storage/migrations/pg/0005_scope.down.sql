DROP INDEX campaigns_unit;
ALTER TABLE campaigns DROP COLUMN unit_id;
