-- upgrade
-- DESTRUCTIVE: enum type mood loses 'gone'; the statements below fail while a row holds one
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');
COMMENT ON TYPE mood IS 'how one feels';
-- lock: ACCESS EXCLUSIVE on view happy_people_names, brief; made again below
DROP VIEW happy_people_names;
-- lock: ACCESS EXCLUSIVE on view happy_people, brief; made again below
DROP VIEW happy_people;
-- lock: ACCESS EXCLUSIVE on view constant, brief; made again below
DROP VIEW constant;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];
CREATE VIEW constant AS
 SELECT 'sad'::mood AS m;
CREATE VIEW happy_people AS
 SELECT people.name,
    people.mood
   FROM people
  WHERE people.mood = 'happy'::mood;
COMMENT ON VIEW happy_people IS 'the happy ones';
CREATE VIEW happy_people_names AS
 SELECT happy_people.name
   FROM happy_people;
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;

-- downgrade
-- lock: brief, on type mood only
ALTER TYPE mood RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad');
COMMENT ON TYPE mood IS 'how one feels';
-- lock: ACCESS EXCLUSIVE on view happy_people_names, brief; made again below
DROP VIEW happy_people_names;
-- lock: ACCESS EXCLUSIVE on view happy_people, brief; made again below
DROP VIEW happy_people;
-- lock: ACCESS EXCLUSIVE on view constant, brief; made again below
DROP VIEW constant;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];
CREATE VIEW constant AS
 SELECT 'sad'::mood AS m;
CREATE VIEW happy_people AS
 SELECT people.name,
    people.mood
   FROM people
  WHERE people.mood = 'happy'::mood;
COMMENT ON VIEW happy_people IS 'the happy ones';
CREATE VIEW happy_people_names AS
 SELECT happy_people.name
   FROM happy_people;
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;
