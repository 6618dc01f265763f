-- teams and members
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises:
-- Create Date: 2026-12-03 10:00:00

-- +autogen upgrade
CREATE TABLE teams (id BIGSERIAL NOT NULL, name VARCHAR NOT NULL, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE members (id BIGSERIAL NOT NULL, name VARCHAR NOT NULL, team_id BIGINT NOT NULL, age BIGINT,
    PRIMARY KEY (id), FOREIGN KEY (team_id) REFERENCES teams (id));

-- +autogen downgrade
DROP TABLE members;
DROP TABLE teams;
