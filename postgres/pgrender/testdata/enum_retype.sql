-- upgrade
-- lock: none on any table (a new type)
CREATE TYPE feeling AS ENUM ('happy', 'sad');

-- the default of people.mood is set with its type change

-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE feeling USING mood::text::feeling, ALTER COLUMN mood SET DEFAULT 'sad'::feeling;

-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE people ALTER COLUMN moods TYPE feeling[] USING moods::text[]::feeling[];

-- the default of people.word is set with its type change

-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE people ALTER COLUMN word DROP DEFAULT, ALTER COLUMN word TYPE feeling USING word::feeling, ALTER COLUMN word SET DEFAULT 'happy'::feeling;

-- lock: ACCESS EXCLUSIVE on type mood only, brief (no table uses it by then)
DROP TYPE mood;

-- downgrade
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');

-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE people ALTER COLUMN word DROP DEFAULT, ALTER COLUMN word TYPE text USING word::text, ALTER COLUMN word SET DEFAULT 'happy'::text;

-- the default of people.word is set back with its type change

-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE people ALTER COLUMN moods TYPE mood[] USING moods::text[]::mood[];

-- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes unless the old type converts binary-compatibly (varchar widened, varchar to text)
ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;

-- the default of people.mood is set back with its type change

-- lock: ACCESS EXCLUSIVE on type feeling only, brief (no table uses it by then)
DROP TYPE feeling;
