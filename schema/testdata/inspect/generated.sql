CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    price REAL NOT NULL,
    qty INTEGER NOT NULL DEFAULT 0,
    total REAL GENERATED ALWAYS AS (price * qty) STORED,
    label TEXT AS (upper(substr('item-' || id, 1, 20))),
    taxed REAL AS (total * 1.2) VIRTUAL
) STRICT;
CREATE TABLE kv (
    k TEXT NOT NULL COLLATE BINARY,
    v BLOB DEFAULT x'00ff',
    PRIMARY KEY (k)
) WITHOUT ROWID, STRICT;
CREATE TABLE settings (key TEXT PRIMARY KEY ON CONFLICT REPLACE, value ANY) WITHOUT ROWID;
INSERT INTO items (id, price, qty) VALUES (1, 2.5, 4);
INSERT INTO kv VALUES ('a', x'01');
INSERT INTO settings VALUES ('theme', 'dark');
