-- upgrade
-- +autogen no-transaction
-- postgresql_safe_forms: each statement below commits on its own, so each lock is held only while its statement runs; a failed statement leaves those before it applied, and every statement is written to be run again, so fix the cause and rerun
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS people_old;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS "people email";
-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index people email behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS "people email";
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE UNIQUE INDEX CONCURRENTLY "people email" ON people (email) INCLUDE (age);
-- lock: ACCESS EXCLUSIVE on people, brief: the index built above becomes the constraint, without a scan
ALTER TABLE people ADD CONSTRAINT "people email" UNIQUE USING INDEX "people email" DEFERRABLE INITIALLY DEFERRED;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP CONSTRAINT IF EXISTS teams_name;
-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index teams_name behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on teams (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS teams_name;
-- lock: SHARE UPDATE EXCLUSIVE on teams (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE UNIQUE INDEX CONCURRENTLY teams_name ON teams (name) NULLS NOT DISTINCT;
-- lock: ACCESS EXCLUSIVE on teams, brief: the index built above becomes the constraint, without a scan
ALTER TABLE teams ADD CONSTRAINT teams_name UNIQUE USING INDEX teams_name;

-- downgrade
-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP CONSTRAINT IF EXISTS teams_name;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS "people email";

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT IF EXISTS people_old;
-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index people_old behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS people_old;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE UNIQUE INDEX CONCURRENTLY people_old ON people (team_id, age);
-- lock: ACCESS EXCLUSIVE on people, brief: the index built above becomes the constraint, without a scan
ALTER TABLE people ADD CONSTRAINT people_old UNIQUE USING INDEX people_old;
