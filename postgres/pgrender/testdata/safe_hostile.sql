-- upgrade
-- +autogen no-transaction
-- postgresql_safe_forms: each statement below commits on its own, so each lock is held only while its statement runs; a failed statement leaves those before it applied, and every statement is written to be run again, so fix the cause and rerun
-- SET NOT NULL on x"; DROP TABLE teams; --.line\nbreak -- */ ; without its scan under ACCESS EXCLUSIVE: a CHECK (line\nbreak -- */ ; IS NOT NULL) is validated first, then dropped
-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan, no rewrite)
ALTER TABLE "x""; DROP TABLE teams; --" DROP CONSTRAINT IF EXISTS autogen_not_null_1ffe7c941603;
-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan): rows written from now on are checked
ALTER TABLE "x""; DROP TABLE teams; --" ADD CONSTRAINT autogen_not_null_1ffe7c941603 CHECK ("line
break -- */ ;" IS NOT NULL) NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on x"; DROP TABLE teams; -- (reads and writes go on) while it scans every row
ALTER TABLE "x""; DROP TABLE teams; --" VALIDATE CONSTRAINT autogen_not_null_1ffe7c941603;
-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief: the validated CHECK proves there is no NULL, so PostgreSQL 12 and later skip the scan
ALTER TABLE "x""; DROP TABLE teams; --" ALTER COLUMN "line
break -- */ ;" SET NOT NULL;
-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan, no rewrite)
ALTER TABLE "x""; DROP TABLE teams; --" DROP CONSTRAINT IF EXISTS autogen_not_null_1ffe7c941603;

-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan, no rewrite)
ALTER TABLE "x""; DROP TABLE teams; --" DROP CONSTRAINT IF EXISTS "c */ ;";
-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan): rows written from now on are checked
ALTER TABLE "x""; DROP TABLE teams; --" ADD CONSTRAINT "c */ ;" CHECK (("line
break -- */ ;" <> ''::text)) NOT VALID;
-- lock: SHARE UPDATE EXCLUSIVE on x"; DROP TABLE teams; -- (reads and writes go on) while it scans every row
ALTER TABLE "x""; DROP TABLE teams; --" VALIDATE CONSTRAINT "c */ ;";

-- a CREATE INDEX CONCURRENTLY that fails leaves an INVALID index ix\n-- +autogen downgrade behind: dropping it first lets a rerun start over
-- lock: SHARE UPDATE EXCLUSIVE on x"; DROP TABLE teams; -- (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS "ix
-- +autogen downgrade";
-- lock: SHARE UPDATE EXCLUSIVE on x"; DROP TABLE teams; -- (reads and writes go on) while the index builds in two scans; waits for the transactions using the table to end
CREATE INDEX CONCURRENTLY "ix
-- +autogen downgrade" ON "x""; DROP TABLE teams; --" USING btree ("line
break -- */ ;");

-- downgrade
-- lock: SHARE UPDATE EXCLUSIVE on x"; DROP TABLE teams; -- (reads and writes go on); waits for the transactions using the index to end
DROP INDEX CONCURRENTLY IF EXISTS "ix
-- +autogen downgrade";

-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan, no rewrite)
ALTER TABLE "x""; DROP TABLE teams; --" DROP CONSTRAINT IF EXISTS "c */ ;";

-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; --, brief (no scan, no rewrite)
ALTER TABLE "x""; DROP TABLE teams; --" ALTER COLUMN "line
break -- */ ;" DROP NOT NULL;
