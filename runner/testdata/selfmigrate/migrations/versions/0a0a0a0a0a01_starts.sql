-- Starts
--
-- Revision ID: 0a0a0a0a0a01
-- Revises:
-- Create Date: 2026-11-25 09:41:07.512344

-- +autogen upgrade
CREATE TABLE applied (rev TEXT NOT NULL);
INSERT INTO applied VALUES ('0a0a0a0a0a01');
CREATE TABLE starts (instance TEXT NOT NULL);

-- +autogen downgrade
DROP TABLE starts;
DROP TABLE applied;
