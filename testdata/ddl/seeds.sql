-- CREATE TABLE statements that seed the fuzz tests of schema and
-- internal/sqltext: quoting, constraints, generated columns, comments.
CREATE TABLE t (a INTEGER PRIMARY KEY AUTOINCREMENT, "b c" TEXT NOT NULL DEFAULT 'x''y' COLLATE NOCASE);
CREATE TABLE "order" (id INT, [x"y] varchar (100), `z``w` DECIMAL(10,2) CHECK (z > 0), PRIMARY KEY (id, [x"y]));
CREATE TEMP TABLE IF NOT EXISTS t (a AS (1 + 2) STORED, b GENERATED ALWAYS AS (a * 2) VIRTUAL);
CREATE TABLE c (p REFERENCES par (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, CONSTRAINT u UNIQUE (p) CONSTRAINT k CHECK (p <> 0));
CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) WITHOUT ROWID, STRICT;
CREATE TABLE t (a DEFAULT -1, b DEFAULT x'00', c DEFAULT CURRENT_TIMESTAMP, d DEFAULT (abs(-2)), e DEFAULT +1.5e3);
CREATE TABLE t -- c
(a /* ) */ INT, b, FOREIGN KEY (a, b) REFERENCES p MATCH FULL);
CREATE TABLE t (key, action, "primary", 'str', [end], rowid);
CREATE TABLE t (a INT CONSTRAINT x, b INT NOT NULL ON CONFLICT REPLACE);
CREATE TABLE t AS SELECT 1 AS a, 'x' AS "b c";
CREATE TABLE t (a "double quoted type" (5, -3));
