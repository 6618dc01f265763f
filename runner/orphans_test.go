package runner

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeclaredOrphans drops a referenced table and takes the revision
// back down: the downgrade creates the parent again, empty, and the
// foreign key check lets the child rows that now point nowhere through
// only where the downgrade section declares that pair, warning with the
// count; every other case is refused as before and changes nothing.
func TestDeclaredOrphans(t *testing.T) {
	const (
		idBase = "aaaaaaaaaaaa"
		idDrop = "bbbbbbbbbbbb"
	)
	base := rev(idBase, "tables", nil,
		`CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));`,
		`DROP TABLE c; DROP TABLE p;`)
	up := `CREATE TABLE new_c (id INTEGER PRIMARY KEY, p_id INTEGER);
INSERT INTO new_c SELECT * FROM c;
DROP TABLE c;
ALTER TABLE new_c RENAME TO c;
DROP TABLE p;`
	down := `CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE new_c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p (id));
INSERT INTO new_c SELECT * FROM c;
DROP TABLE c;
ALTER TABLE new_c RENAME TO c;`
	tests := []struct {
		name     string
		up, down string // directives added to each section
		refused  bool
	}{
		{"declared", "", `-- +autogen orphans "c" -> "p"`, false},
		{"declared bare and in another case", "", `-- +autogen orphans C -> P`, false},
		{"not declared", "", "", true},
		{"declared in the upgrade only", `-- +autogen orphans c -> p`, "", true},
		{"another pair declared", "", `-- +autogen orphans c -> q`, true},
		{"the pair reversed", "", `-- +autogen orphans p -> c`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "app.db")
			db := rawDB(t, path)
			var log, slogged strings.Builder
			r, err := New(db, mapFS(base, rev(idDrop, "drop p", []string{idBase}, tt.up+"\n"+up, tt.down+"\n"+down)),
				WithLog(&log), WithName(path), WithLogger(slog.New(slog.NewTextHandler(&slogged, nil))))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.Upgrade(ctx, idBase); err != nil {
				t.Fatal(err)
			}
			mustExec(t, db, `INSERT INTO p VALUES (1), (2)`, `INSERT INTO c VALUES (1, 1), (2, 1), (3, 2), (4, NULL)`)
			if _, err := r.Upgrade(ctx, "head"); err != nil {
				t.Fatal(err)
			}
			before := dump(t, path)
			_, err = r.Downgrade(ctx, idBase)
			if tt.refused {
				if err == nil || !strings.Contains(err.Error(), `leaves 3 row(s) of table "c" whose foreign key to "p" matches no row`) {
					t.Fatalf("downgrade: %v, want the foreign key check's refusal", err)
				}
				if after := dump(t, path); after != before {
					t.Errorf("the refused downgrade changed the database:\n%s\nwant\n%s", after, before)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := warnPrefix + `The downgrade of bbbbbbbbbbbb leaves 3 row(s) of table "c" whose foreign key to "p" matches no row (0 before it), as the revision declares: it gives back table "p", not the rows it held`
			if !strings.Contains(log.String(), want+"\n") {
				t.Errorf("the log lacks %q:\n%s", want, log.String())
			}
			if !strings.Contains(slogged.String(), `level=WARN msg="The downgrade of bbbbbbbbbbbb leaves 3 row(s)`) {
				t.Errorf("the slog logger got no warning:\n%s", slogged.String())
			}
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM c`).Scan(&n); err != nil || n != 4 {
				t.Errorf("c holds %d rows after the downgrade (%v), want 4", n, err)
			}
		})
	}
}
