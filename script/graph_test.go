package script

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/filemode"
)

func ids(revs []*Revision) []string {
	out := make([]string, len(revs))
	for i, r := range revs {
		out[i] = r.ID
	}
	return out
}

func TestLoadGraph(t *testing.T) {
	dir := writeDir(t,
		rev{id: "r1"},
		rev{id: "r2", parents: []string{"r1"}},
		rev{id: "r3", parents: []string{"r1"}, labels: []string{"side"}},
		rev{id: "m4", parents: []string{"r2", "r3"}},
		rev{id: "o1", deps: []string{"side"}},
	)
	v := filepath.Join(dir, "versions")
	for name, body := range map[string]string{"README": "not sql", "notes.txt": "x", ".hidden.sql": "junk"} {
		if err := os.WriteFile(filepath.Join(v, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(v, "sub.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want []string
	}{
		{"Revisions", ids(d.Revisions()), []string{"r1", "r2", "r3", "m4", "o1"}},
		{"Heads", d.Heads(), []string{"m4", "o1"}},
		{"Bases", d.Bases(), []string{"o1", "r1"}},
		{"Children r1", d.Children("r1"), []string{"r2", "r3"}},
		{"DependsOn o1", d.DependsOn("o1"), []string{"r3"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r := d.Get("m4"); r == nil || !strings.HasSuffix(r.Path, "03_m4.sql") || r.Upgrade != "CREATE TABLE t_m4 (x INTEGER);" {
		t.Errorf("Get(m4) = %+v", r)
	}
	if d.Get("m") != nil {
		t.Error("Get takes full ids only")
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		revs []rev
		want error
		msg  []string
	}{
		{"duplicate id", []rev{{id: "a1"}, {id: "a1"}}, ErrDuplicateID, []string{"a1", "00_a1.sql", "01_a1.sql"}},
		{"missing parent", []rev{{id: "a1"}, {id: "b2", parents: []string{"zz9"}}}, ErrMissingParent, []string{"b2", "01_b2.sql", "zz9"}},
		{"missing depends", []rev{{id: "a1", deps: []string{"nope"}}}, ErrMissingDepends, []string{"a1", "00_a1.sql", "nope"}},
		{"cycle", []rev{{id: "a1", parents: []string{"c3"}}, {id: "b2", parents: []string{"a1"}}, {id: "c3", parents: []string{"b2"}}, {id: "d4"}},
			ErrCycle, []string{"a1 (", "b2 (", "c3 (", "01_b2.sql"}},
		{"self cycle", []rev{{id: "a1", parents: []string{"a1"}}}, ErrCycle, []string{"a1 (", "00_a1.sql"}},
		{"cycle through depends", []rev{{id: "a1", deps: []string{"b2"}}, {id: "b2", parents: []string{"a1"}}}, ErrCycle, []string{"a1", "b2"}},
		{"duplicate label", []rev{{id: "a1", labels: []string{"x"}}, {id: "b2", labels: []string{"x"}}}, ErrDuplicateLabel, []string{"x", "a1", "b2", "00_a1.sql", "01_b2.sql"}},
		{"reserved label", []rev{{id: "a1", labels: []string{"head"}}}, ErrDuplicateLabel, []string{"reserved", "head"}},
		{"reserved id", []rev{{id: "base"}}, ErrDuplicateID, []string{"reserved", "base"}},
		{"label is an id", []rev{{id: "a1", labels: []string{"b2"}}, {id: "b2"}}, ErrDuplicateLabel, []string{"b2", "also a revision id"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(writeDir(t, tt.revs...))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, s := range tt.msg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q lacks %q", err, s)
				}
			}
		})
	}
}

func TestLoadBadDirAndFile(t *testing.T) {
	if _, err := Load(t.TempDir()); !errors.Is(err, ErrNoVersions) {
		t.Errorf("no versions folder: err = %v", err)
	}
	dir := writeDir(t, rev{id: "a1"})
	bad := filepath.Join(dir, "versions", "zz_bad.sql")
	if err := os.WriteFile(bad, []byte("SELECT 1;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if !errors.Is(err, ErrParse) || !strings.Contains(err.Error(), bad) {
		t.Errorf("bad file: err = %v, want a parse error naming %s", err, bad)
	}
}

// A *.sql entry of versions/ that is not a regular file is refused before
// it is read (a FIFO would block for ever); a symlink to a revision file and
// a directory named *.sql are fine.
func TestLoadNonRegular(t *testing.T) {
	tests := []struct {
		name string
		make func(t *testing.T, v string)
		msg  string // empty: loads
	}{
		{"fifo", func(t *testing.T, v string) {
			if err := filemode.MakeFIFO(filepath.Join(v, "zz_fifo.sql")); err != nil {
				t.Skip("no FIFOs here:", err)
			}
		}, "zz_fifo.sql: is not a regular file (a named pipe)"},
		{"symlink to a device", func(t *testing.T, v string) {
			if err := os.Symlink("/dev/zero", filepath.Join(v, "zz_zero.sql")); err != nil {
				t.Skip(err)
			}
		}, "zz_zero.sql: is not a regular file (a character device)"},
		{"symlink to a revision", func(t *testing.T, v string) {
			src := filepath.Join(t.TempDir(), "x.sql")
			if err := os.WriteFile(src, []byte(rev{id: "r9", parents: []string{"r1"}}.text()), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(src, filepath.Join(v, "zz_link.sql")); err != nil {
				t.Skip(err)
			}
		}, ""},
		{"directory", func(t *testing.T, v string) {
			if err := os.Mkdir(filepath.Join(v, "zz_dir.sql"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, rev{id: "r1"})
			tt.make(t, filepath.Join(dir, "versions"))
			_, err := Load(dir)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want a *ParseError with %q", err, tt.msg)
			}
		})
	}
}
