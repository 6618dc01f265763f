-- A column
--
-- Revision ID: 0a0a0a0a0a03
-- Revises: 0a0a0a0a0a02
-- Create Date: 2026-11-25 09:41:09.512344

-- +autogen upgrade
INSERT INTO applied VALUES ('0a0a0a0a0a03');
ALTER TABLE starts ADD COLUMN at TEXT NOT NULL DEFAULT (datetime('now'));

-- +autogen downgrade
ALTER TABLE starts DROP COLUMN at;
DELETE FROM applied WHERE rev = '0a0a0a0a0a03';
