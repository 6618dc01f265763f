package autogen

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// replayRevisions writes a script directory of two revisions (tables,
// an index, a view and seed rows) and loads it.
func replayRevisions(t *testing.T, dir, secondUpgrade string) *script.Dir {
	t.Helper()
	files := map[string]string{
		"a1_first.sql": "-- first\n--\n-- Revision ID: a1\n-- Revises:\n-- Create Date: 2026-12-03 10:00:00\n\n" +
			"-- +autogen upgrade\nCREATE TABLE \"te\"\"ams\" (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'x\u00e9');\n" +
			"INSERT INTO \"te\"\"ams\" (name) VALUES ('a'), ('b');\n\n-- +autogen downgrade\nDROP TABLE \"te\"\"ams\";\n",
		"b2_second.sql": "-- second\n--\n-- Revision ID: b2\n-- Revises: a1\n-- Create Date: 2026-12-03 10:01:00\n\n" +
			"-- +autogen upgrade\n" + secondUpgrade + "\n\n-- +autogen downgrade\nDROP VIEW v;\nDROP TABLE members;\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, "versions", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := script.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// replayedState is what a caller of Replay can see: the schema and every
// row of the seeded table and the version table.
func replayedState(t *testing.T, db *sql.DB) (*schema.Schema, []string) {
	t.Helper()
	ctx := context.Background()
	s, err := schema.Inspect(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, q := range []string{`SELECT id || ':' || name FROM "te""ams" ORDER BY id`, "SELECT version_num FROM alembic_version"} {
		r, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var v string
			if err := r.Scan(&v); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, v)
		}
		r.Close()
	}
	return s, rows
}

// TestCachedReplay: a history replayed once is read back from the cache
// as the database the replay built (schema, rows, version table); an edit
// of any revision, another version table or a damaged entry replays again;
// a failing replay stores nothing.
func TestCachedReplay(t *testing.T) {
	ctx := context.Background()
	cache := t.TempDir()
	const second = "CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES \"te\"\"ams\"(id));\nCREATE INDEX members_team ON members (team_id);\nCREATE VIEW v AS SELECT * FROM members;"
	d := replayRevisions(t, t.TempDir(), second)
	replays := 0
	counting := func(ctx context.Context, d *script.Dir, versionTable string) (*sql.DB, error) {
		replays++
		return replay(ctx, d, versionTable)
	}
	open := func(d *script.Dir, versionTable string) *sql.DB {
		t.Helper()
		db, err := cachedReplay(ctx, cache, d, versionTable, counting)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	wantSchema, wantRows := replayedState(t, open(d, runner.DefaultVersionTable))
	if len(wantRows) != 3 || len(wantSchema.Tables) != 3 { // the version table too
		t.Fatalf("the replay built %d tables and rows %q", len(wantSchema.Tables), wantRows)
	}
	gotSchema, gotRows := replayedState(t, open(d, runner.DefaultVersionTable))
	if replays != 1 {
		t.Fatalf("%d replays for one history, want the cache to serve the second", replays)
	}
	if !reflect.DeepEqual(gotSchema, wantSchema) || !reflect.DeepEqual(gotRows, wantRows) {
		t.Errorf("the cached replay differs:\n%+v %q\nwant\n%+v %q", gotSchema, gotRows, wantSchema, wantRows)
	}

	edited := replayRevisions(t, t.TempDir(), strings.Replace(second, "team_id INTEGER", "team_id BIGINT", 1))
	if s, _ := replayedState(t, open(edited, runner.DefaultVersionTable)); replays != 2 || reflect.DeepEqual(s, wantSchema) {
		t.Errorf("an edited revision: %d replays, schema unchanged %v; want a new replay", replays, reflect.DeepEqual(s, wantSchema))
	}
	other := open(d, "other_version")
	if replays != 3 {
		t.Errorf("another version table: %d replays, want 3", replays)
	}
	other.Close()

	entries, err := filepath.Glob(filepath.Join(cache, "replay-*.sqlite.gz"))
	if err != nil || len(entries) != 3 {
		t.Fatalf("want three cache entries, have %v (%v)", entries, err)
	}
	data, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), data...)
	flipped[len(flipped)/2] ^= 0xff
	for _, damage := range [][]byte{nil, []byte("not gzip"), data[:len(data)/2], flipped} {
		for _, e := range entries {
			if err := os.WriteFile(e, damage, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		n := replays
		if s, rows := replayedState(t, open(d, runner.DefaultVersionTable)); replays != n+1 || !reflect.DeepEqual(s, wantSchema) || !reflect.DeepEqual(rows, wantRows) {
			t.Errorf("a damaged entry (%d bytes): %d replays, or the database differs", len(damage), replays-n)
		}
	}

	failing := replayRevisions(t, t.TempDir(), "CREATE TABLE members (id INTEGER PRIMARY KEY);\nCREATE TABLE members (id INTEGER);")
	for range 2 {
		if _, err := cachedReplay(ctx, cache, failing, runner.DefaultVersionTable, counting); err == nil {
			t.Fatal("a failing replay returned no error")
		}
	}
	if after, _ := filepath.Glob(filepath.Join(cache, "replay-*.sqlite.gz")); len(after) != 3 {
		t.Errorf("a failing replay was stored: %v", after)
	}
}
