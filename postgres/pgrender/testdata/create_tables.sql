-- upgrade
CREATE TABLE teams (
    id bigserial NOT NULL,
    name character varying(100) NOT NULL,
    CONSTRAINT teams_pkey PRIMARY KEY (id)
);

CREATE TABLE members (
    id bigserial NOT NULL,
    team_id bigint NOT NULL,
    email text NOT NULL,
    score numeric(10,2) DEFAULT 0,
    "Select" integer,
    CONSTRAINT members_pkey PRIMARY KEY (id),
    CONSTRAINT members_email_key UNIQUE (email),
    CONSTRAINT "members_Select_check" CHECK (("Select" > 0)),
    CONSTRAINT members_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
);
CREATE INDEX members_lower_email ON members USING hash (lower(email));
CREATE INDEX members_team_idx ON members USING btree (team_id) WHERE (score > (0)::numeric);

-- downgrade
-- lock: ACCESS EXCLUSIVE on members (blocks reads and writes) until COMMIT
DROP TABLE members;

-- lock: ACCESS EXCLUSIVE on teams (blocks reads and writes) until COMMIT
DROP TABLE teams;
