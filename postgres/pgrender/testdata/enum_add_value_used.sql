-- upgrade
-- enum type mood is made anew rather than given its values by ALTER TYPE ... ADD VALUE: this revision uses a new value, which PostgreSQL allows only for a type made in the same transaction
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad');
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;

-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people ALTER COLUMN mood SET DEFAULT 'meh'::mood;

-- downgrade
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people ALTER COLUMN mood SET DEFAULT 'sad'::mood;

-- DESTRUCTIVE: enum type mood loses 'meh'; the statements below fail while a row holds one
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;
