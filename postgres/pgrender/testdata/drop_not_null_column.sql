-- upgrade
-- DESTRUCTIVE: drops column teams.code and its data
-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP COLUMN code;

-- downgrade
-- DESTRUCTIVE: column teams.code comes back with 0 in every row: the values the upgrade dropped cannot come back
-- lock: ACCESS EXCLUSIVE on teams, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE teams ADD COLUMN code integer DEFAULT 0 NOT NULL;
ALTER TABLE teams ALTER COLUMN code DROP DEFAULT;
