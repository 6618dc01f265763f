package main

import (
	"strings"
	"testing"
)

// udRoundTrip applies the whole chain to a fresh database (rows added
// after each revision would be the app's) and takes it all the way down
// and up again: every chain autogen writes must run both ways there.
// It returns what the downgrade printed on stderr.
func udRoundTrip(t *testing.T, a *app, name string) string {
	t.Helper()
	url := "sqlite:///" + name
	a.ok("--url", url, "upgrade", "head")
	_, e := a.ok("--url", url, "downgrade", "base")
	a.ok("--url", url, "upgrade", "head")
	return e
}

func TestHandMadeTriggerKeepsChainReversible(t *testing.T) {
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, "Name   string `bun:\"name,notnull,type:varchar(50)\"`"))
	a.ok("revision", "-m", "name fifty", "--rev-id", "000000000002")
	a.ok("upgrade", "head")
	a.exec(`CREATE TRIGGER members_name_check BEFORE INSERT ON members
		BEGIN SELECT RAISE(ABORT, 'empty name') WHERE NEW.name = ''; END`)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, "Name   string `bun:\"name,notnull,type:varchar(60)\"`"))
	a.ok("revision", "-m", "name sixty", "--rev-id", "000000000003")
	a.ok("upgrade", "head")
	e := udRoundTrip(t, a, "fresh.db")
	if want := "The downgrade of 000000000002 removes trigger members_name_check on members, which revision 000000000003 creates"; !strings.Contains(e, want) {
		t.Errorf("the downgrade does not say %q:\n%s", want, e)
	}
	if strings.Contains(e, "made by hand") {
		t.Errorf("the downgrade of a database built from the revisions says something was made by hand on it:\n%s", e)
	}

	// The development database keeps its trigger both ways.
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("downgrade", "000000000002")
	if got := a.rows(`SELECT name FROM sqlite_master WHERE type = 'trigger'`); strings.Join(got, ",") != "members_name_check" {
		t.Errorf("triggers after the downgrade: %v", got)
	}
}

// udDowngradeSection is the part of a revision file after its downgrade
// marker.
func udDowngradeSection(t *testing.T, src string) string {
	t.Helper()
	_, down, ok := strings.Cut(src, "-- +autogen downgrade\n")
	if !ok {
		t.Fatalf("revision file lacks its downgrade marker:\n%s", src)
	}
	return down
}

// After a column was appended out of the models' order, later changes to
// the table are undone with ALTER TABLE: column order is not meaning.
func TestNoRebuildForColumnOrder(t *testing.T) {
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge)) // age before team_id
	a.ok("revision", "-m", "age", "--rev-id", "000000000002")
	a.ok("upgrade", "head")
	before := a.rows(`SELECT sql FROM sqlite_master WHERE name = 'members'`)

	a.write("models/models.go", rvModelsWith(t, rvMemberName, rvWithAge, rvMemberTeam, rvMemberTeam+"\n\tEmail  string `bun:\"email\"`"))
	a.ok("revision", "-m", "email", "--rev-id", "000000000003")
	down := udDowngradeSection(t, rvReadVersion(t, a, "000000000003"))
	if want := `ALTER TABLE "members" DROP COLUMN "email";`; !strings.Contains(down, want) || strings.Contains(down, "rebuild") {
		t.Errorf("the downgrade of an ADD COLUMN is not a DROP COLUMN:\n%s", down)
	}
	a.ok("upgrade", "head")
	a.ok("downgrade", "000000000002")
	if after := a.rows(`SELECT sql FROM sqlite_master WHERE name = 'members'`); strings.Join(after, "") != strings.Join(before, "") {
		t.Errorf("the downgrade did not give back the table's definition:\n%s\nwant\n%s", after, before)
	}
	if got := a.rows(`SELECT count(*) FROM members`); got[0] != "4" {
		t.Errorf("members holds %s rows after the downgrade, want 4", got[0])
	}

	// The downgrade of DROP NOT NULL is SET NOT NULL, not a rebuild.
	a.ok("upgrade", "head")
	a.write("models/models.go", rvModelsWith(t, rvMemberName, "Name   string `bun:\"name\"`\n\tAge    int64  `bun:\"age\"`", rvMemberTeam, rvMemberTeam+"\n\tEmail  string `bun:\"email\"`"))
	a.ok("revision", "-m", "name null", "--rev-id", "000000000004")
	down = udDowngradeSection(t, rvReadVersion(t, a, "000000000004"))
	if strings.Contains(down, "rebuild") {
		t.Errorf("the downgrade of DROP NOT NULL is a rebuild:\n%s", down)
	}
	udRoundTrip(t, a, "fresh.db")
}

// Dropping a table other rows reference: the downgrade brings the table
// and the foreign key back, not the rows; the revision says so when it is
// written and the downgrade when it runs.
func TestDropReferencedTableDowngrades(t *testing.T) {
	a := rvTutorial(t)
	before := a.rows(`SELECT type, name, sql FROM sqlite_master ORDER BY name`)
	src := rvModelsWith(t, "\tTeam   *Team  `bun:\"rel:belongs-to,join:team_id=id\"`\n", "")
	start := strings.Index(src, "// Team is")
	end := strings.Index(src, "// Member belongs")
	if start < 0 || end < start {
		t.Fatalf("models.go has no Team struct to remove:\n%s", src)
	}
	a.write("models/models.go", src[:start]+src[end:])
	a.ok("revision", "-m", "no teams", "--rev-id", "000000000002")
	body := rvReadVersion(t, a, "000000000002")
	report := "--   the downgrade creates table teams again, empty: 4 rows of members will point to no row of it"
	if !strings.Contains(rvUpgradeSection(t, body), report) {
		t.Errorf("the safety report does not say %q:\n%s", report, body)
	}
	if !strings.Contains(udDowngradeSection(t, body), "-- +autogen orphans \"members\" -> \"teams\"\n") {
		t.Errorf("the downgrade does not declare the orphans:\n%s", body)
	}
	a.ok("upgrade", "head")
	_, e := a.ok("downgrade", "000000000001")
	warn := `WARNI [alembic.runtime.migration] The downgrade of 000000000002 leaves 4 row(s) of table "members" whose foreign key to "teams" matches no row (0 before it), as the revision declares: it gives back table "teams", not the rows it held`
	if !strings.Contains(e, warn) {
		t.Errorf("the downgrade does not warn %q:\n%s", warn, e)
	}
	if after := a.rows(`SELECT type, name, sql FROM sqlite_master ORDER BY name`); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("the downgrade did not give the schema back:\n%s\nwant\n%s", strings.Join(after, "\n"), strings.Join(before, "\n"))
	}
	if got := a.rows(`SELECT count(*) FROM members`); got[0] != "4" {
		t.Errorf("members holds %s rows, want 4", got[0])
	}
	a.ok("upgrade", "head")
	udRoundTrip(t, a, "fresh.db")
}
