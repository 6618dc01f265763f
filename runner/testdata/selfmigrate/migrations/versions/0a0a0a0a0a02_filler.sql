-- Filler rows, so that the revision takes a while and the instances overlap
--
-- Revision ID: 0a0a0a0a0a02
-- Revises: 0a0a0a0a0a01
-- Create Date: 2026-11-25 09:41:08.512344

-- +autogen upgrade
INSERT INTO applied VALUES ('0a0a0a0a0a02');
CREATE TABLE filler (id INTEGER PRIMARY KEY, v TEXT);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
INSERT INTO filler (v) SELECT hex(randomblob(16)) FROM n;
CREATE INDEX filler_v ON filler (v);

-- +autogen downgrade
DROP TABLE filler;
DELETE FROM applied WHERE rev = '0a0a0a0a0a02';
