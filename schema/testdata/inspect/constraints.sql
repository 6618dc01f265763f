CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL COLLATE NOCASE UNIQUE,
    code TEXT CONSTRAINT teams_code_key UNIQUE,
    budget NUMERIC(10, 2) CHECK (budget >= 0),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT teams_name_len CHECK (length(name) BETWEEN 1 AND 100)
);
CREATE TABLE memberships (
    team_id INTEGER NOT NULL,
    user_id INTEGER NOT NULL,
    role TEXT NOT NULL DEFAULT 'member' COLLATE RTRIM,
    since DATE,
    CONSTRAINT memberships_pk PRIMARY KEY (team_id, user_id),
    UNIQUE (user_id, role),
    CONSTRAINT memberships_team_fk FOREIGN KEY (team_id) REFERENCES teams (id)
        ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (user_id) REFERENCES users ON DELETE RESTRICT,
    CHECK (role IN ('member', 'owner'))
);
CREATE TABLE users (
    id INTEGER NOT NULL,
    email TEXT NOT NULL,
    manager_id INTEGER REFERENCES users (id) ON DELETE SET DEFAULT NOT DEFERRABLE,
    PRIMARY KEY (id DESC)
);
CREATE TABLE pairs (a INT, b INT, c INT, FOREIGN KEY (a, b) REFERENCES memberships (team_id, user_id) DEFERRABLE INITIALLY IMMEDIATE);
INSERT INTO teams (name, code, budget) VALUES ('Red', 'r', 10), ('Blue', NULL, 0);
INSERT INTO users VALUES (1, 'a@x', NULL), (2, 'b@x', 1);
INSERT INTO memberships VALUES (1, 1, 'owner', NULL), (1, 2, 'member', '2026-01-01');
