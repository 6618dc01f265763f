-- upgrade
-- the foreign keys below rest on a key this revision changes: dropped here, added back at the end
-- lock: ACCESS EXCLUSIVE on posts, brief (no scan, no rewrite)
ALTER TABLE posts DROP CONSTRAINT posts_tag;

-- lock: ACCESS EXCLUSIVE on tags, brief (no scan, no rewrite)
ALTER TABLE tags DROP CONSTRAINT tags_code;

-- lock: ACCESS EXCLUSIVE on tags, brief (no scan, no rewrite)
ALTER TABLE tags DROP CONSTRAINT tags_pkey;
-- lock: ACCESS EXCLUSIVE on tags while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY (code);

-- the foreign keys dropped at the start, added back as they were; each checks every row again
-- lock: SHARE ROW EXCLUSIVE on posts and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE posts ADD CONSTRAINT posts_tag FOREIGN KEY (tag) REFERENCES tags (code) ON UPDATE CASCADE;

-- downgrade
-- the foreign keys below rest on a key the downgrade changes: dropped here, added back at its end
-- lock: ACCESS EXCLUSIVE on posts, brief (no scan, no rewrite)
ALTER TABLE posts DROP CONSTRAINT posts_tag;

-- lock: ACCESS EXCLUSIVE on tags, brief (no scan, no rewrite)
ALTER TABLE tags DROP CONSTRAINT tags_pkey;
-- lock: ACCESS EXCLUSIVE on tags while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY (id);

-- lock: ACCESS EXCLUSIVE on tags while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE tags ADD CONSTRAINT tags_code UNIQUE (code);

-- lock: SHARE ROW EXCLUSIVE on posts and its parent; scans every row to validate (on a large table add it NOT VALID, then VALIDATE CONSTRAINT outside a transaction; postgresql_safe_forms = true writes it)
ALTER TABLE posts ADD CONSTRAINT posts_tag FOREIGN KEY (tag) REFERENCES tags (code) ON UPDATE CASCADE;
