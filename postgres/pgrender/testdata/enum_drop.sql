-- upgrade
-- DESTRUCTIVE: drops column people.mood and its data
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP COLUMN mood;

-- DESTRUCTIVE: drops column people.moods and its data
-- lock: ACCESS EXCLUSIVE on people, brief (no scan, no rewrite)
ALTER TABLE people DROP COLUMN moods;

-- lock: ACCESS EXCLUSIVE on type mood only, brief (no table uses it by then)
DROP TYPE mood;

-- downgrade
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');

-- DESTRUCTIVE: column people.moods comes back NULL in every row: the values the upgrade dropped cannot come back
-- lock: ACCESS EXCLUSIVE on people, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE people ADD COLUMN moods mood[];

-- DESTRUCTIVE: column people.mood comes back with its default 'sad'::mood in every row: the values the upgrade dropped cannot come back
-- lock: ACCESS EXCLUSIVE on people, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE people ADD COLUMN mood mood DEFAULT 'sad'::mood;
