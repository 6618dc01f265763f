-- upgrade
ALTER TABLE people RENAME TO members;

ALTER TABLE members RENAME COLUMN nick TO "Nick Name";

ALTER SEQUENCE people_id_seq RENAME TO members_id_seq;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members RENAME CONSTRAINT people_pkey TO members_pkey;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT people_team_fkey;
-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT members_team_fkey FOREIGN KEY (team) REFERENCES teams (id) ON DELETE RESTRICT;

CREATE VIEW member_names AS
 SELECT members."Nick Name"
   FROM members;

-- downgrade
DROP VIEW member_names;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT members_team_fkey;
-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT people_team_fkey FOREIGN KEY (team) REFERENCES teams (id) ON DELETE CASCADE;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members RENAME CONSTRAINT members_pkey TO people_pkey;

ALTER SEQUENCE members_id_seq RENAME TO people_id_seq;

ALTER TABLE members RENAME COLUMN "Nick Name" TO nick;

ALTER TABLE members RENAME TO people;
