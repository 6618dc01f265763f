-- upgrade
-- +autogen no-transaction
-- postgresql_safe_forms: each statement below commits on its own, so each lock is held only while its statement runs; a failed statement leaves those before it applied, and every statement is written to be run again, so fix the cause and rerun
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people ALTER COLUMN email DROP NOT NULL;

-- SET NOT NULL on people.age without its scan under ACCESS EXCLUSIVE: a CHECK (age IS NOT NULL) is validated first, then dropped
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS autogen_not_null_cf6378326082;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan): rows written from now on are checked
ALTER TABLE people ADD CONSTRAINT autogen_not_null_cf6378326082 CHECK (age IS NOT NULL) NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while it scans every row
ALTER TABLE people VALIDATE CONSTRAINT autogen_not_null_cf6378326082;
-- lock: ACCESS EXCLUSIVE on people, brief: the validated CHECK proves there is no NULL, so PostgreSQL 12 and later skip the scan
ALTER TABLE people ALTER COLUMN age SET NOT NULL;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS autogen_not_null_cf6378326082;

-- downgrade
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people ALTER COLUMN age DROP NOT NULL;

-- SET NOT NULL on people.email without its scan under ACCESS EXCLUSIVE: a CHECK (email IS NOT NULL) is validated first, then dropped
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS autogen_not_null_ac086391ebb0;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan): rows written from now on are checked
ALTER TABLE people ADD CONSTRAINT autogen_not_null_ac086391ebb0 CHECK (email IS NOT NULL) NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while it scans every row
ALTER TABLE people VALIDATE CONSTRAINT autogen_not_null_ac086391ebb0;
-- lock: ACCESS EXCLUSIVE on people, brief: the validated CHECK proves there is no NULL, so PostgreSQL 12 and later skip the scan
ALTER TABLE people ALTER COLUMN email SET NOT NULL;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS autogen_not_null_ac086391ebb0;
