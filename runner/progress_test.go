package runner

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// event is a Progress report reduced to what the test compares.
func event(p Progress) string {
	s := fmt.Sprintf("%s %s %s", p.Event, p.Step.Direction, p.Step.Revision)
	if p.Statement != "" {
		s += fmt.Sprintf(" %d/%d %s", p.Index, p.Count, firstWord(p.Statement))
	}
	if p.Err != nil {
		s += " failed"
	}
	return s
}

// TestProgress: WithProgress reports each revision and each statement as
// it starts and ends, on a file holding rows, with elapsed times that add
// up, the statement that failed and the revision rolled back; the steps
// Upgrade returns carry the durations reported.
func TestProgress(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "app.db")
	mustExec(t, rawDB(t, path),
		"CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
		"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20000) INSERT INTO items SELECT i, 'item ' || i FROM n")
	a := rev("aaaaaaaaaaaa", "index and copy", nil,
		"CREATE INDEX items_name ON items (name);\nCREATE TABLE copy AS SELECT * FROM items;\nUPDATE copy SET name = upper(name);",
		"DROP TABLE copy;\nDROP INDEX items_name;")
	b := rev("bbbbbbbbbbbb", "breaks", []string{a.ID},
		"DELETE FROM copy WHERE id > 10;\nINSERT INTO items (id, name) VALUES (1, 'duplicate');",
		"SELECT 1;")
	var got []Progress
	r := open(t, path, newGraph(a, b).dir(), WithProgress(func(p Progress) { got = append(got, p) }))

	steps, err := r.Upgrade(ctx, "head")
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("Upgrade: %v, want the UNIQUE failure", err)
	}
	var events []string
	for _, p := range got {
		events = append(events, event(p))
	}
	want := []string{
		"revision start upgrade aaaaaaaaaaaa",
		"statement start upgrade aaaaaaaaaaaa 1/3 CREATE", "statement end upgrade aaaaaaaaaaaa 1/3 CREATE",
		"statement start upgrade aaaaaaaaaaaa 2/3 CREATE", "statement end upgrade aaaaaaaaaaaa 2/3 CREATE",
		"statement start upgrade aaaaaaaaaaaa 3/3 UPDATE", "statement end upgrade aaaaaaaaaaaa 3/3 UPDATE",
		"revision end upgrade aaaaaaaaaaaa",
		"revision start upgrade bbbbbbbbbbbb",
		"statement start upgrade bbbbbbbbbbbb 1/2 DELETE", "statement end upgrade bbbbbbbbbbbb 1/2 DELETE",
		"statement start upgrade bbbbbbbbbbbb 2/2 INSERT", "statement end upgrade bbbbbbbbbbbb 2/2 INSERT failed",
		"revision end upgrade bbbbbbbbbbbb failed",
	}
	if !slices.Equal(events, want) {
		t.Fatalf("events:\n%s\nwant:\n%s", strings.Join(events, "\n"), strings.Join(want, "\n"))
	}

	// The revision's time covers its statements', and is the step's.
	var statements int64
	for _, p := range got[:8] {
		if p.Event == StatementEnd {
			statements += int64(p.Elapsed)
		}
		if p.Event == StatementEnd && p.Elapsed <= 0 {
			t.Errorf("%s: elapsed %v", event(p), p.Elapsed)
		}
	}
	if end := got[7]; end.Elapsed < 0 || int64(end.Elapsed) < statements || end.Step.Duration != end.Elapsed {
		t.Errorf("revision end: elapsed %v, step duration %v, statements took %v", end.Elapsed, end.Step.Duration, statements)
	}
	if len(steps) != 1 || steps[0].Duration != got[7].Elapsed {
		t.Errorf("steps = %+v, want one of %v", steps, got[7].Elapsed)
	}
	if got[12].Err == nil || got[13].Err == nil || !strings.Contains(got[13].Err.Error(), got[12].Err.Error()) {
		t.Errorf("the failure: statement %v, revision %v", got[12].Err, got[13].Err)
	}
	db := rawDB(t, path)
	if n := count(t, db, "SELECT count(*) FROM copy WHERE name LIKE 'ITEM %'"); n != 20000 {
		t.Errorf("copy holds %d rows, want 20000 (the failed revision rolled back)", n)
	}

	// A downgrade reports its direction.
	got = nil
	if _, err := r.Downgrade(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || event(got[0]) != "revision start downgrade aaaaaaaaaaaa" || event(got[4]) != "statement end downgrade aaaaaaaaaaaa 2/2 DROP" {
		t.Errorf("downgrade events: %v", got)
	}
}
