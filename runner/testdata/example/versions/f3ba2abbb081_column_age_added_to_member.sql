-- Column age added to Member
--
-- Revision ID: f3ba2abbb081
-- Revises: 84a704d3541a
-- Create Date: 2026-11-25 10:06:01.663568
-- Branch Labels:
-- Depends On:

-- +autogen upgrade
ALTER TABLE "members" ADD COLUMN "age" INTEGER;

-- +autogen downgrade
ALTER TABLE "members" DROP COLUMN "age";
