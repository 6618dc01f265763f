-- upgrade
-- DESTRUCTIVE: drops table Odd "name" and its rows
-- lock: ACCESS EXCLUSIVE on Odd "name" (blocks reads and writes) until COMMIT
DROP TABLE "Odd ""name""";

-- downgrade
-- DESTRUCTIVE: table Odd "name" comes back empty: the rows the upgrade dropped cannot come back
CREATE TABLE "Odd ""name""" (
    id integer NOT NULL,
    team_id bigint,
    CONSTRAINT "Odd ""name""_pkey" PRIMARY KEY (id),
    CONSTRAINT "Odd ""name""_team_id_fkey" FOREIGN KEY (team_id) REFERENCES teams (id)
);
