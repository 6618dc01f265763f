CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT,
    at INTEGER NOT NULL,
    deleted_at INTEGER
);
CREATE INDEX events_kind_at ON events (kind COLLATE NOCASE, at DESC);
CREATE UNIQUE INDEX IF NOT EXISTS "events live kind" ON events (kind) WHERE deleted_at IS NULL;
CREATE INDEX events_lower_payload ON events (lower(payload), json_extract(payload, '$.a') DESC) WHERE at > 0 AND (kind = 'x' OR kind = 'y');
CREATE INDEX events_paren ON "events" (("at"), (at + 1));
INSERT INTO events (kind, payload, at) VALUES ('x', '{"a": 1}', 10), ('y', NULL, 20);
