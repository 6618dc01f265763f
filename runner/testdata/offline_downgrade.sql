PRAGMA foreign_keys=OFF;

-- Each revision is one block from BEGIN to COMMIT, its statements joined by /* */, so
-- that the sqlite3 shell reads it as one unit: a failed statement stops the unit, and
-- the rest of the revision, its version row and COMMIT do not run, with or without -bail.

BEGIN; /*

-- Running downgrade eeeeeeeeeee4 -> 5e6f7a8b9c0d, bbbbbbbbbbb1
*/ UPDATE alembic_version SET version_num='5e6f7a8b9c0d' WHERE alembic_version.version_num = 'eeeeeeeeeee4'; /*
*/ INSERT INTO alembic_version (version_num) VALUES ('bbbbbbbbbbb1'); /*
*/ COMMIT;

BEGIN; /*

-- Running downgrade bbbbbbbbbbb1 -> 1a2b3c4d5e6f
*/ DROP TABLE notes; /*
*/ DELETE FROM alembic_version WHERE alembic_version.version_num = 'bbbbbbbbbbb1'; /*
*/ COMMIT;

BEGIN; /*

-- Running downgrade 5e6f7a8b9c0d -> 3c4d5e6f7a8b
*/ CREATE TABLE new_teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL); /*
*/ INSERT INTO new_teams (id, name) SELECT id, name FROM teams; /*
*/ DROP TABLE teams; /*
*/ ALTER TABLE new_teams RENAME TO teams; /*
*/ UPDATE alembic_version SET version_num='3c4d5e6f7a8b' WHERE alembic_version.version_num = '5e6f7a8b9c0d'; /*
*/ COMMIT;

BEGIN; /*

-- Running downgrade 3c4d5e6f7a8b -> 1a2b3c4d5e6f
*/ ALTER TABLE members DROP COLUMN age; /*
*/ UPDATE alembic_version SET version_num='1a2b3c4d5e6f' WHERE alembic_version.version_num = '3c4d5e6f7a8b'; /*
*/ COMMIT;

