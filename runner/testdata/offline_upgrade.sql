PRAGMA foreign_keys=OFF;

-- Each revision is one block from BEGIN to COMMIT, its statements joined by /* */, so
-- that the sqlite3 shell reads it as one unit: a failed statement stops the unit, and
-- the rest of the revision, its version row and COMMIT do not run, with or without -bail.

BEGIN; /*
*/ CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); /*

-- Running upgrade  -> 1a2b3c4d5e6f
*/ CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL); /*
*/ CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT,
  team_id INTEGER REFERENCES teams (id) ON DELETE CASCADE); /*
*/ CREATE INDEX members_team ON members (team_id); /*
*/ INSERT INTO teams VALUES (1, 'red'), (2, 'blue'); /*
*/ INSERT INTO alembic_version (version_num) VALUES ('1a2b3c4d5e6f'); /*
*/ COMMIT;

BEGIN; /*

-- Running upgrade 1a2b3c4d5e6f -> 3c4d5e6f7a8b
*/ ALTER TABLE members ADD COLUMN age INTEGER; /*
*/ UPDATE alembic_version SET version_num='3c4d5e6f7a8b' WHERE alembic_version.version_num = '1a2b3c4d5e6f'; /*
*/ COMMIT;

BEGIN; /*

-- Running upgrade 3c4d5e6f7a8b -> 5e6f7a8b9c0d
*/ CREATE TABLE new_teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT NOT NULL DEFAULT 'x'); /*
*/ INSERT INTO new_teams (id, name) SELECT id, name FROM teams; /*
*/ DROP TABLE teams; /*
*/ ALTER TABLE new_teams RENAME TO teams; /*
*/ UPDATE alembic_version SET version_num='5e6f7a8b9c0d' WHERE alembic_version.version_num = '3c4d5e6f7a8b'; /*
*/ COMMIT;

BEGIN; /*

-- Running upgrade 1a2b3c4d5e6f -> bbbbbbbbbbb1
*/ CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'it''s; fine'); /*
*/ CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  UPDATE notes SET body = body || ';' WHERE id = new.id;
END; /*
*/ INSERT INTO notes (id) VALUES (1); /*
*/ INSERT INTO alembic_version (version_num) VALUES ('bbbbbbbbbbb1'); /*
*/ COMMIT;

BEGIN; /*

-- Running upgrade 5e6f7a8b9c0d, bbbbbbbbbbb1 -> eeeeeeeeeee4
*/ DELETE FROM alembic_version WHERE alembic_version.version_num = '5e6f7a8b9c0d'; /*
*/ UPDATE alembic_version SET version_num='eeeeeeeeeee4' WHERE alembic_version.version_num = 'bbbbbbbbbbb1'; /*
*/ COMMIT;

