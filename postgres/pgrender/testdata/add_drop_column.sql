-- upgrade
-- DESTRUCTIVE: drops column teams.old and its data
-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP COLUMN old;

-- lock: ACCESS EXCLUSIVE on teams, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE teams ADD COLUMN active boolean DEFAULT true NOT NULL;

-- lock: ACCESS EXCLUSIVE on teams, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE teams ADD COLUMN note text;

-- downgrade
-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP COLUMN note;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP COLUMN active;

-- DESTRUCTIVE: column teams.old comes back NULL in every row: the values the upgrade dropped cannot come back
-- lock: ACCESS EXCLUSIVE on teams, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE teams ADD COLUMN old text;
