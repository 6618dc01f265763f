package sqlitetest

// The example schema most render, verify and assess tests start from:
// teams, and members whose foreign key to teams cascades, with rows.
const (
	TeamsDDL   = `CREATE TABLE "teams" ("id" INTEGER NOT NULL, "name" VARCHAR(100) NOT NULL, PRIMARY KEY ("id"));`
	MembersDDL = `CREATE TABLE "members" ("id" INTEGER NOT NULL, "team_id" INTEGER, "name" VARCHAR(100), "nick" VARCHAR, PRIMARY KEY ("id"), FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);`
	BaseRows   = `INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
INSERT INTO members VALUES (1, 1, 'ann', 'a'), (2, 1, NULL, 'b'), (3, 2, 'cid', NULL);`
)

// Members is TeamsDDL and a members table whose columns after id and
// team_id are cols.
func Members(cols string) string {
	return TeamsDDL + `CREATE TABLE "members" ("id" INTEGER NOT NULL, "team_id" INTEGER, ` + cols + `, PRIMARY KEY ("id"), FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE);`
}
