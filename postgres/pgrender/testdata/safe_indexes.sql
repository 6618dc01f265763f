-- upgrade
-- +autogen no-transaction
-- postgresql_safe_forms: each statement below commits on its own, so each lock is held only while its statement runs; a failed statement leaves those before it applied, and every statement is written to be run again, so fix the cause and rerun
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS people_age_idx;

-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index People team behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS "People team";
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE INDEX CONCURRENTLY "People team" ON people USING hash (team_id);

-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index people_lower_email behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS people_lower_email;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE UNIQUE INDEX CONCURRENTLY people_lower_email ON people USING btree (lower(email)) WHERE (age > 1);

-- downgrade
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS people_lower_email;

-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS "People team";

-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index people_age_idx behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS people_age_idx;
-- lock: SHARE UPDATE EXCLUSIVE on people (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE INDEX CONCURRENTLY people_age_idx ON people USING btree (age);
