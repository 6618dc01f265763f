-- upgrade
-- the foreign keys below rest on a key this revision changes: dropped here, added back at the end
-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT members_team;

-- lock: ACCESS EXCLUSIVE on teams, brief (no scan, no rewrite)
ALTER TABLE teams DROP CONSTRAINT "parent ""team""";

ALTER TABLE teams RENAME TO squads;

ALTER SEQUENCE teams_id_seq RENAME TO squads_id_seq;

-- lock: ACCESS EXCLUSIVE on squads, brief (no scan, no rewrite)
ALTER TABLE squads DROP CONSTRAINT teams_pkey;
-- lock: ACCESS EXCLUSIVE on squads while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE squads ADD CONSTRAINT teams_pkey PRIMARY KEY (id, name);

-- lock: ACCESS EXCLUSIVE on squads while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE squads ADD CONSTRAINT squads_id_key UNIQUE (id);

-- the foreign keys dropped at the start, added back as they were; each checks every row again
-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES squads (id) ON DELETE CASCADE;

-- lock: SHARE ROW EXCLUSIVE on squads and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE squads ADD CONSTRAINT "parent ""team""" FOREIGN KEY (parent) REFERENCES squads (id) ON DELETE SET NULL;

-- downgrade
-- the foreign keys below rest on a key the downgrade changes: dropped here, added back at its end
-- lock: ACCESS EXCLUSIVE on squads, brief (no scan, no rewrite)
ALTER TABLE squads DROP CONSTRAINT "parent ""team""";

-- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
ALTER TABLE members DROP CONSTRAINT members_team;

-- lock: ACCESS EXCLUSIVE on squads, brief (no scan, no rewrite)
ALTER TABLE squads DROP CONSTRAINT squads_id_key;

-- lock: ACCESS EXCLUSIVE on squads, brief (no scan, no rewrite)
ALTER TABLE squads DROP CONSTRAINT teams_pkey;
-- lock: ACCESS EXCLUSIVE on squads while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE squads ADD CONSTRAINT teams_pkey PRIMARY KEY (id);

ALTER SEQUENCE squads_id_seq RENAME TO teams_id_seq;

ALTER TABLE squads RENAME TO teams;

-- lock: SHARE ROW EXCLUSIVE on teams and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE teams ADD CONSTRAINT "parent ""team""" FOREIGN KEY (parent) REFERENCES teams (id) ON DELETE SET NULL;

-- lock: SHARE ROW EXCLUSIVE on members and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE members ADD CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE;
