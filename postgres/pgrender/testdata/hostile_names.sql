-- upgrade
CREATE TABLE "x""; DROP TABLE teams; --" (
    "select" integer NOT NULL,
    CONSTRAINT "x""; DROP TABLE teams; --_pkey" PRIMARY KEY ("select")
);

-- DESTRUCTIVE: drops column teams.line\nbreak -- */ ; and its data
-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP COLUMN "line
break -- */ ;";

-- downgrade
-- DESTRUCTIVE: column teams.line\nbreak -- */ ; comes back NULL in every row: the values the upgrade dropped cannot come back
-- lock: ACCESS EXCLUSIVE on teams, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE teams ADD COLUMN "line
break -- */ ;" text;

-- lock: ACCESS EXCLUSIVE on x"; DROP TABLE teams; -- (blocks reads and writes) until COMMIT
DROP TABLE "x""; DROP TABLE teams; --";
