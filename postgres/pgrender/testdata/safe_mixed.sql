-- upgrade
-- postgresql_safe_forms: this revision holds changes without a safe form besides its index or constraint changes, so it keeps the plain forms in one transaction; generate those in a revision of their own for the lighter locks
-- lock: ACCESS EXCLUSIVE on people, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE people ADD COLUMN note text;

-- lock: SHARE on people (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE INDEX people_email ON people USING btree (email);

-- downgrade
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
DROP INDEX people_email;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP COLUMN note;
