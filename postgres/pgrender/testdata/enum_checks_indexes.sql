-- upgrade
-- DESTRUCTIVE: enum type mood loses 'gone'; the statements below fail while a row holds one
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT not_sad;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
DROP INDEX people_happy;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
DROP INDEX people_sadness;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];
-- lock: ACCESS EXCLUSIVE on people; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE people ADD CONSTRAINT not_sad CHECK (((mood <> 'sad'::mood) OR (moods = '{sad}'::mood[])));
-- lock: SHARE on people (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE INDEX people_happy ON people USING btree (name) WHERE (mood = 'happy'::mood);
-- lock: SHARE on people (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE INDEX people_sadness ON people USING btree (((mood = 'sad'::mood)));
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;

-- downgrade
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad');
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT not_sad;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
DROP INDEX people_happy;
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
DROP INDEX people_sadness;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];
-- lock: ACCESS EXCLUSIVE on people; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE people ADD CONSTRAINT not_sad CHECK (((mood <> 'sad'::mood) OR (moods = '{sad}'::mood[])));
-- lock: SHARE on people (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE INDEX people_happy ON people USING btree (name) WHERE (mood = 'happy'::mood);
-- lock: SHARE on people (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE INDEX people_sadness ON people USING btree (((mood = 'sad'::mood)));
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;
