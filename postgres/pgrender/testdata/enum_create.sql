-- upgrade
-- lock: none on any table (a new type)
CREATE TYPE mood AS ENUM ('happy', 'sad');

CREATE TABLE moods (
    id integer NOT NULL,
    seen mood[] DEFAULT '{}'::mood[] NOT NULL,
    CONSTRAINT moods_pkey PRIMARY KEY (id)
);

-- lock: ACCESS EXCLUSIVE on teams, brief: no rewrite unless the default is volatile (such as random())
ALTER TABLE teams ADD COLUMN mood mood DEFAULT 'happy'::mood NOT NULL;

-- downgrade
-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP COLUMN mood;

-- lock: ACCESS EXCLUSIVE on moods (blocks reads and writes) until COMMIT
DROP TABLE moods;

-- lock: ACCESS EXCLUSIVE on type mood only, brief (no table uses it by then)
DROP TYPE mood;
