package verify

import (
	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqlitetest"
)

// Views and triggers around rebuilt and renamed tables: each keeps working
// and keeps its meaning as SQLite's own renames give it, and the revision
// also runs on a database that lacks them (bare).
func init() {
	const assignments = `CREATE TABLE "assignments" ("id" INTEGER NOT NULL, "team_id" INTEGER NOT NULL, PRIMARY KEY ("id"));`
	const teamMembers = `CREATE TABLE "members" ("id" INTEGER NOT NULL, "name" VARCHAR NOT NULL, "team_id" INTEGER NOT NULL, PRIMARY KEY ("id"));`
	const squadMembers = `CREATE TABLE "members" ("id" INTEGER NOT NULL, "name" VARCHAR(50) NOT NULL, "squad_id" INTEGER NOT NULL, PRIMARY KEY ("id"));`
	squadRename := map[string]map[string]string{"members": {"team_id": "squad_id"}}
	renderCases = append(renderCases,
		// The trigger's own table renames team_id; assignments.team_id,
		// which it updates, keeps its name.
		renderCase{name: "trigger_rename_rebuild",
			current: assignments + teamMembers + `
CREATE TRIGGER "trg" AFTER INSERT ON "members" BEGIN UPDATE assignments SET team_id = NEW.team_id WHERE team_id = 0; END;`,
			rows:    `INSERT INTO members VALUES (1, 'ann', 1), (2, 'bob', 2); INSERT INTO assignments VALUES (1, 1), (2, 0);`,
			target:  assignments + `CREATE TABLE "members" ("id" INTEGER NOT NULL, "name" VARCHAR NOT NULL, "squad_id" INTEGER NOT NULL, PRIMARY KEY ("id"), UNIQUE ("name"));`,
			opts:    diff.Options{ColumnRenames: squadRename},
			rebuild: []string{"members"},
			bare:    true,
			check: func(d *sqlitetest.DB) string {
				d.Exec(`INSERT INTO members (id, name, squad_id) VALUES (9, 'dan', 7)`)
				return wantRows("SELECT team_id FROM assignments ORDER BY id", "1", "7")(d)
			},
			checkDown: func(d *sqlitetest.DB) string {
				d.Exec(`INSERT INTO assignments VALUES (3, 0)`)
				d.Exec(`INSERT INTO members (id, name, team_id) VALUES (10, 'eve', 8)`)
				return wantRows("SELECT team_id FROM assignments ORDER BY id", "1", "7", "8")(d)
			}},
		// The view's alias and string keep the old name: the view's
		// columns stay what they were.
		renderCase{name: "view_alias_rename",
			current: teamMembers + `
CREATE VIEW "v" AS SELECT m.name, m.team_id AS team_id, 'team_id' AS label FROM members m;`,
			rows:    `INSERT INTO members VALUES (1, 'ann', 1), (2, 'bob', 2);`,
			target:  squadMembers,
			opts:    diff.Options{ColumnRenames: squadRename},
			rebuild: []string{"members"},
			bare:    true,
			check:   wantRows("SELECT name, team_id, label FROM v ORDER BY name", "ann|1|team_id", "bob|2|team_id")},
		// One view and one trigger name two tables that are both renamed
		// (a table, a column) and rebuilt, and a third table with a
		// same-named column that stays.
		renderCase{name: "view_two_renamed_tables",
			current: `CREATE TABLE "teams" ("id" INTEGER NOT NULL, "name" VARCHAR NOT NULL, PRIMARY KEY ("id"));` + teamMembers + assignments + `
CREATE VIEW "v" AS SELECT m.name, t.name AS tn, a.id AS aid FROM members m JOIN teams t ON t.id = m.team_id LEFT JOIN assignments a ON a.team_id = m.team_id;
CREATE TRIGGER "trg" AFTER INSERT ON "teams" BEGIN UPDATE members SET team_id = NEW.id WHERE team_id = 0; END;`,
			rows: `INSERT INTO teams VALUES (1, 'red'), (2, 'blue'); INSERT INTO members VALUES (1, 'ann', 1), (2, 'bob', 2);
INSERT INTO assignments VALUES (1, 1), (2, 2);`,
			target:  `CREATE TABLE "squads" ("id" INTEGER NOT NULL, "name" VARCHAR NOT NULL, PRIMARY KEY ("id"), UNIQUE ("name"));` + squadMembers + assignments,
			opts:    diff.Options{ColumnRenames: squadRename, TableRenames: map[string]string{"teams": "squads"}},
			rebuild: []string{"members", "squads"},
			bare:    true,
			check: func(d *sqlitetest.DB) string {
				if msg := wantRows("SELECT name, tn, aid FROM v ORDER BY name", "ann|red|1", "bob|blue|2")(d); msg != "" {
					return msg
				}
				d.Exec(`INSERT INTO members VALUES (3, 'cid', 0)`)
				d.Exec(`INSERT INTO squads VALUES (3, 'green')`)
				return wantRows("SELECT name, tn FROM v WHERE name = 'cid'", "cid|green")(d)
			},
			checkDown: wantRows("SELECT name, tn FROM v ORDER BY name", "ann|red", "bob|blue", "cid|green")},
		// Hand-made objects stay byte for byte where they are, and the
		// revision runs where they are not.
		renderCase{name: "unmanaged_view_rebuild",
			current: sqlitetest.TeamsDDL + sqlitetest.MembersDDL + `CREATE VIEW "v" AS SELECT name FROM members;
CREATE TRIGGER "tr_teams" AFTER DELETE ON "teams" BEGIN DELETE FROM members WHERE team_id = old.id; END;`,
			target:  sqlitetest.Members(`"name" VARCHAR(100), "nick" VARCHAR, CONSTRAINT "uq_name" UNIQUE ("name")`),
			rebuild: []string{"members"},
			bare:    true,
			check: wantRows("SELECT sql FROM sqlite_master WHERE name IN ('v', 'tr_teams') ORDER BY name",
				`CREATE TRIGGER "tr_teams" AFTER DELETE ON "teams" BEGIN DELETE FROM members WHERE team_id = old.id; END`,
				`CREATE VIEW "v" AS SELECT name FROM members`)},
		// The downgrade gives dropped NOT NULL columns back filled with the
		// value bun writes for a zero Go value, so it runs on rows.
		renderCase{name: "drop_not_null_columns",
			current: `CREATE TABLE "members" ("id" INTEGER NOT NULL, "name" TEXT NOT NULL, "age" INTEGER NOT NULL, "avatar" BLOB NOT NULL, "seen" TIMESTAMP NOT NULL, "nick" VARCHAR, PRIMARY KEY ("id"));`,
			rows:    `INSERT INTO members VALUES (1, 'ann', 30, x'01', '2024-01-01', NULL), (2, 'bob', 40, x'02', '2024-01-02', 'b');`,
			target:  `CREATE TABLE "members" ("id" INTEGER NOT NULL, "nick" VARCHAR, PRIMARY KEY ("id"));`,
			checkDown: wantRows("SELECT id, name, age, quote(avatar), seen || '', nick FROM members ORDER BY id",
				"1||0|X''|0001-01-01 00:00:00+00:00|<nil>", "2||0|X''|0001-01-01 00:00:00+00:00|b")},
	)
}
