-- upgrade
-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
DROP INDEX members_email_idx;

-- lock: ACCESS EXCLUSIVE on members; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT adult CHECK ((age >= 0));

-- lock: ACCESS EXCLUSIVE on members while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE members ADD CONSTRAINT one_email UNIQUE (team_id, email);

-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT members_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;

-- lock: SHARE on members (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE UNIQUE INDEX members_lower_email ON members USING btree (lower(email) DESC NULLS LAST) WHERE (age > 1);

-- downgrade
-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
DROP INDEX members_lower_email;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT members_team_id_fkey;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT one_email;

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT adult;

-- lock: SHARE on members (blocks writes, not reads) while the index builds; on a large table use CREATE INDEX CONCURRENTLY in a revision of its own marked -- +autogen no-transaction (postgresql_safe_forms = true writes it)
CREATE INDEX members_email_idx ON members USING btree (email);
