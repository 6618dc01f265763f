-- upgrade
-- lock: brief, on type Mood "x" -- */ only
ALTER TYPE "Mood ""x"" -- */" RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE "Mood ""x"" -- */" AS ENUM ('line
break', 'it''s', 'ééééééééééééééééééééééééééééééé''', 'back\slash', '; DROP TABLE "T"; --');
-- lock: ACCESS EXCLUSIVE on T; rewrites the table and its indexes (each value converted through text)
ALTER TABLE "T" ALTER COLUMN "Mood" DROP DEFAULT, ALTER COLUMN "Mood" TYPE "Mood ""x"" -- */" USING "Mood"::text::"Mood ""x"" -- */", ALTER COLUMN "Mood" SET DEFAULT 'line
break'::"Mood ""x"" -- */";
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;

-- downgrade
-- DESTRUCTIVE: enum type Mood "x" -- */ loses 'ééééééééééééééééééééééééééééééé''', '; DROP TABLE "T"; --'; the statements below fail while a row holds one
-- lock: brief, on type Mood "x" -- */ only
ALTER TYPE "Mood ""x"" -- */" RENAME TO autogen_enum_old;
-- lock: none on any table (a new type)
CREATE TYPE "Mood ""x"" -- */" AS ENUM ('it''s', 'line
break', 'back\slash');
-- lock: ACCESS EXCLUSIVE on T; rewrites the table and its indexes (each value converted through text)
ALTER TABLE "T" ALTER COLUMN "Mood" DROP DEFAULT, ALTER COLUMN "Mood" TYPE "Mood ""x"" -- */" USING "Mood"::text::"Mood ""x"" -- */", ALTER COLUMN "Mood" SET DEFAULT 'line
break'::"Mood ""x"" -- */";
-- lock: brief, on the old type only (no column uses it any more)
DROP TYPE autogen_enum_old;
