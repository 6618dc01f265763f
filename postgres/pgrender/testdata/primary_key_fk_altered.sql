-- upgrade
-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT members_team;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP CONSTRAINT teams_pkey;
-- lock: ACCESS EXCLUSIVE on teams while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id, name);

-- lock: ACCESS EXCLUSIVE on teams while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE teams ADD CONSTRAINT teams_id_key UNIQUE (id);

-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE DEFERRABLE;

-- downgrade
-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT members_team;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP CONSTRAINT teams_id_key;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP CONSTRAINT teams_pkey;
-- lock: ACCESS EXCLUSIVE on teams while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE teams ADD CONSTRAINT teams_pkey PRIMARY KEY (id);

-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL;
