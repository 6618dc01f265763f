-- upgrade
-- lock: ACCESS EXCLUSIVE on tags, brief (no scan, no rewrite)
ALTER TABLE tags DROP CONSTRAINT tags_pkey;
-- lock: ACCESS EXCLUSIVE on tags while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY (code, lang);

-- downgrade
-- lock: ACCESS EXCLUSIVE on tags, brief (no scan, no rewrite)
ALTER TABLE tags DROP CONSTRAINT tags_pkey;
-- lock: ACCESS EXCLUSIVE on tags while its unique index builds (scans every row); on a large table build the index CONCURRENTLY first (no-transaction revision), then ADD CONSTRAINT ... USING INDEX
ALTER TABLE tags ADD CONSTRAINT tags_pkey PRIMARY KEY (code);
