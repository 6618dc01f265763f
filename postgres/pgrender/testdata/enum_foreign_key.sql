-- upgrade
-- DESTRUCTIVE: enum type mood loses 'gone'; the statements below fail while a row holds one
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT people_mood_fkey;
-- lock: ACCESS EXCLUSIVE on moods; rewrites the table and its indexes (each value converted through text)
ALTER TABLE moods ALTER COLUMN m TYPE mood USING m::text::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood TYPE mood USING mood::text::mood;
-- lock: SHARE ROW EXCLUSIVE on people and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE people ADD CONSTRAINT people_mood_fkey FOREIGN KEY (mood) REFERENCES moods (m) ON DELETE CASCADE;
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;

-- downgrade
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad');
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP CONSTRAINT people_mood_fkey;
-- lock: ACCESS EXCLUSIVE on moods; rewrites the table and its indexes (each value converted through text)
ALTER TABLE moods ALTER COLUMN m TYPE mood USING m::text::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood TYPE mood USING mood::text::mood;
-- lock: SHARE ROW EXCLUSIVE on people and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE people ADD CONSTRAINT people_mood_fkey FOREIGN KEY (mood) REFERENCES moods (m) ON DELETE CASCADE;
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;
