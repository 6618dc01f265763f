-- upgrade
-- lock: brief, on type mood only (no table is locked or scanned); the new value can be used once the revision has committed; needs PostgreSQL 12 or later inside a transaction
ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
-- lock: brief, on type mood only (no table is locked or scanned); the new value can be used once the revision has committed; needs PostgreSQL 12 or later inside a transaction
ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy';
-- lock: brief, on type mood only (no table is locked or scanned); the new value can be used once the revision has committed; needs PostgreSQL 12 or later inside a transaction
ALTER TYPE mood ADD VALUE 'great';

-- downgrade
-- DESTRUCTIVE: enum type mood loses 'ok', 'meh', 'great'; the statements below fail while a row holds one
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
