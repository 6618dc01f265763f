-- upgrade
-- +autogen no-transaction
-- postgresql_safe_forms: each statement below commits on its own, so each lock is held only while its statement runs; a failed statement leaves those before it applied, and every statement is written to be run again, so fix the cause and rerun
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS old_age;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS adult;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan): rows written from now on are checked
ALTER TABLE people ADD CONSTRAINT adult CHECK ((age >= 0)) NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while it scans every row
ALTER TABLE people VALIDATE CONSTRAINT adult;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS people_team_id_fkey;
-- lock: SHARE ROW EXCLUSIVE on people and its parent, brief (no scan): rows written from now on are checked
ALTER TABLE people ADD CONSTRAINT people_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) and ROW SHARE on its parent while it scans every row
ALTER TABLE people VALIDATE CONSTRAINT people_team_id_fkey;

-- downgrade
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS people_team_id_fkey;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS adult;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS old_age;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan): rows written from now on are checked
ALTER TABLE people ADD CONSTRAINT old_age CHECK ((age < 200)) NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while it scans every row
ALTER TABLE people VALIDATE CONSTRAINT old_age;
