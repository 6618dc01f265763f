-- Identifiers that need quoting, a keyword-named table, a view and a trigger.
CREATE TABLE "order" (
    "id" INTEGER PRIMARY KEY,
    "my column" TEXT NOT NULL DEFAULT 'it''s',  -- a space and a quote in the default
    [weird "name"] varchar (100),
    `back``tick` INT,
    "select" REAL DEFAULT -1.5
);
CREATE TABLE "line ""items""" (
    "order" INTEGER NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    'qty' INTEGER DEFAULT (1 + 1) CHECK (qty > 0)
);
/* the version table is skipped */
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
CREATE VIEW "big orders" AS SELECT "id", "my column" FROM "order" WHERE "select" > 100;
CREATE TRIGGER "order_touch" AFTER UPDATE ON "order" BEGIN
    UPDATE "line ""items""" SET qty = qty WHERE "order" = NEW.id;
    SELECT CASE WHEN NEW."select" < 0 THEN RAISE(ABORT, 'negative; no') END;
END;
INSERT INTO "order" ("id", "my column", "select") VALUES (1, 'a', 200), (2, 'b', 5);
INSERT INTO "line ""items""" VALUES (1, 3);
INSERT INTO alembic_version VALUES ('abc123');
