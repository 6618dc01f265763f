package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// rvReadVersion returns the one revision file whose name starts with id.
func rvReadVersion(t *testing.T, a *app, id string) string {
	t.Helper()
	for _, path := range a.versions() {
		if strings.Contains(path, "/"+id+"_") {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no revision file %s_*.sql in %v", id, a.versions())
	return ""
}

// rvUpgradeSection is the part of a revision file between its two markers.
func rvUpgradeSection(t *testing.T, src string) string {
	t.Helper()
	_, rest, ok := strings.Cut(src, "-- +autogen upgrade\n")
	up, _, ok2 := strings.Cut(rest, "-- +autogen downgrade")
	if !ok || !ok2 {
		t.Fatalf("revision file lacks its section markers:\n%s", src)
	}
	return up
}

// The rvTutorial's rows: teams red and blue; members ann (red), bob (red),
// cid (blue), bob (blue). Each case edits the models and names the lines
// the safety report must hold, counted on those rows.
func TestSafetyReport(t *testing.T) {
	tests := []struct {
		name   string
		edits  []string
		prep   func(a *app) // data changes after the rvTutorial
		report []string     // lines of the report, in order
		fatal  string       // the refusal's words, "" when it writes
	}{
		{
			name:   "drop column",
			edits:  []string{rvMemberName + "\n", ""},
			report: []string{"--   dropping column members.name deletes 4 non-NULL values; the downgrade cannot bring them back and fills members.name with '' for 4 rows"},
		},
		{
			name:   "drop table",
			edits:  []string{"bun:\"table:members\"", "bun:\"table:people\""},
			report: []string{"--   dropping table members deletes its 4 rows"},
		},
		{
			name:  "narrowing type and rebuild",
			edits: []string{rvMemberName, "Name   string `bun:\"name,notnull,type:varchar(2)\"`"},
			report: []string{
				"--   rebuilding table members copies its 4 rows",
				"--   narrowing members.name from VARCHAR to varchar(2): 4 values are longer than 2 characters (SQLite keeps them whole; it does not enforce sizes)",
			},
		},
		{
			name:  "not null on NULLs",
			edits: []string{rvMemberName, rvMemberName + "\n\tAge    int64  `bun:\"age,notnull\"`"},
			prep: func(a *app) {
				a.exec(`ALTER TABLE members ADD COLUMN age INTEGER; UPDATE members SET age = 30 WHERE id = 1`)
			},
			report: []string{
				"--   FAILS: column members.age becomes NOT NULL and 3 rows hold NULL there, with no default to fill them",
			},
			fatal: "column members.age becomes NOT NULL and 3 rows hold NULL there",
		},
		{
			name:  "new unique over duplicates",
			edits: []string{rvMemberName, "Name   string `bun:\"name,notnull,unique\"`"},
			report: []string{
				"--   FAILS: 2 rows of table members hold duplicated values of (name), which the new unique rule forbids",
				"--   rebuilding table members copies its 4 rows",
			},
			fatal: "2 rows of table members hold duplicated values of (name)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := rvTutorial(t)
			if tt.prep != nil {
				tt.prep(a)
				// The hand-made change becomes part of the history, as it
				// would be in a real project, so the database is at head.
				a.write("models/models.go", rvModelsWith(t, rvMemberName, rvMemberName+"\n\tAge    int64  `bun:\"age\"`"))
				a.ok("revision", "-m", "age", "--rev-id", "000000000002", "--empty")
				a.ok("stamp", "head")
			}
			a.write("models/models.go", rvModelsWith(t, tt.edits...))
			before := len(a.versions())
			if tt.fatal != "" {
				a.fails(exitUsage, tt.fatal, "revision", "-m", "risky", "--rev-id", "0000000000ff")
				if n := len(a.versions()); n != before {
					t.Fatalf("a refused revision wrote a file: %d files, had %d", n, before)
				}
				a.fails(exitUsage, tt.fatal, "revision", "-m", "risky", "--dry-run")
				a.ok("revision", "-m", "risky", "--rev-id", "0000000000ff", "--allow-failing")
			} else {
				a.ok("revision", "-m", "risky", "--rev-id", "0000000000ff")
			}
			up := rvUpgradeSection(t, rvReadVersion(t, a, "0000000000ff"))
			want := "-- Safety report (rows of the live database, measured at generation):\n" + strings.Join(tt.report, "\n") + "\n\n"
			if !strings.HasPrefix(up, want) {
				t.Errorf("upgrade section does not open with the report\n%s\n--- got\n%s", want, up)
			}
		})
	}
}

// The safety report's counts come from the live rows: changing the rows
// changes the count.
func TestSafetyReportCountsLiveRows(t *testing.T) {
	a := rvTutorial(t)
	a.exec(`INSERT INTO members (id, name, team_id) VALUES (5, 'ann', 2), (6, 'ann', 1)`)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, "Name   string `bun:\"name,notnull,unique\"`"))
	e := a.fails(exitUsage, "5 rows of table members hold duplicated values of (name)", "revision", "-m", "u")
	if !strings.Contains(e, "--allow-failing") {
		t.Errorf("the refusal does not say how to write anyway: %s", e)
	}
}

func TestRevisionDryRunJSON(t *testing.T) {
	a := rvTutorial(t)
	out, _ := a.ok("revision", "-m", "none", "--dry-run", "--format", "json")
	rvGolden(t, "json/revision_nothing.json", out)

	a.write("models/models.go", rvModelsWith(t,
		rvMemberName, "Name   string `bun:\"name,notnull,type:varchar(2)\"`\n\tAge    int64  `bun:\"age\"`",
		rvTeamName, "Name string `bun:\"name,notnull\"`"))
	out, _ = a.ok("revision", "-m", "many", "--dry-run", "--format", "json")
	rvGolden(t, "json/revision_dry_run.json", out)
	if n := len(a.versions()); n != 1 {
		t.Fatalf("--dry-run wrote a file: %d revision files", n)
	}
	var doc jsonReport
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	if doc.Version != 1 || !doc.Changed || len(doc.Operations) == 0 || len(doc.Findings) == 0 || doc.Upgrade == "" {
		t.Errorf("dry-run report lacks parts: %+v", doc)
	}

	text, _ := a.ok("revision", "-m", "many", "--dry-run")
	if !strings.Contains(text, "-- +autogen upgrade\n-- Safety report") || !strings.Contains(text, doc.Upgrade) {
		t.Errorf("text dry-run is not the report and the JSON's upgrade SQL:\n%s", text)
	}
	a.fails(exitUsage, "only for --dry-run", "revision", "-m", "many", "--format", "json")
}
