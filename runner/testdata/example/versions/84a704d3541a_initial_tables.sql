-- Initial Tables
--
-- Revision ID: 84a704d3541a
-- Revises:
-- Create Date: 2026-11-25 10:06:01.016298
-- Branch Labels:
-- Depends On:

-- +autogen upgrade
CREATE TABLE "teams" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" VARCHAR NOT NULL,
    UNIQUE ("name")
);

CREATE TABLE "members" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" VARCHAR NOT NULL,
    "team_id" INTEGER NOT NULL,
    FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE NO ACTION
);

-- +autogen downgrade
DROP TABLE "members";

DROP TABLE "teams";
