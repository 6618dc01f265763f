-- upgrade
-- lock: ACCESS EXCLUSIVE on teams; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE teams ALTER COLUMN name TYPE character varying(200);

-- DESTRUCTIVE: narrows the type of teams.n from text to integer; values that do not fit make the upgrade fail, values the cast rounds are changed
-- lock: ACCESS EXCLUSIVE on teams; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE teams ALTER COLUMN n TYPE integer USING n::integer;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams ALTER COLUMN d SET DEFAULT 'y'::text;

-- lock: ACCESS EXCLUSIVE on teams; scans every row (on a large table, add CHECK (col IS NOT NULL) NOT VALID and VALIDATE it in earlier revisions: the scan is then skipped)
ALTER TABLE teams ALTER COLUMN d SET NOT NULL;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams ALTER COLUMN m DROP DEFAULT;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams ALTER COLUMN m DROP NOT NULL;

-- downgrade
-- fails when teams.m holds NULLs by then
-- lock: ACCESS EXCLUSIVE on teams; scans every row (on a large table, add CHECK (col IS NOT NULL) NOT VALID and VALIDATE it in earlier revisions: the scan is then skipped)
ALTER TABLE teams ALTER COLUMN m SET NOT NULL;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams ALTER COLUMN m SET DEFAULT ''::text;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams ALTER COLUMN d DROP NOT NULL;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams ALTER COLUMN d SET DEFAULT 'x'::text;

-- lock: ACCESS EXCLUSIVE on teams; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE teams ALTER COLUMN n TYPE text;

-- lock: ACCESS EXCLUSIVE on teams; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE teams ALTER COLUMN name TYPE character varying(100);
