package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Defaults converge whatever they hold (issue 13, item 7): a default with
// CR LF, a lone CR or other line breaks, added with a column or set on an
// existing one: after the revision is applied, check finds nothing, the
// next revision is empty, the rows get the default byte for byte, and a
// round trip through base gives the same.
func TestDefaultWithLineBreaksConverges(t *testing.T) {
	tests := []struct {
		name, escaped, hex string // the default as a Go escape in the tag, and its bytes
	}{
		{"CR LF", `line1\r\nline2`, "6C696E65310D0A6C696E6532"},
		{"lone CR", `a\rb`, "610D62"},
		{"CR CR LF", `a\r\r\nb`, "610D0D0A62"},
		{"line separator", `a\u2028b`, "61E280A862"},
		{"CR LF outside quotes", `'a' ||\r\n'b'`, "6162"},
	}
	for _, tt := range tests {
		for _, existing := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s existing=%v", tt.name, existing), func(t *testing.T) {
				t.Parallel()
				tag := func(def string) string {
					if !strings.Contains(def, "'") {
						def = "'" + def + "'"
					}
					return rvMemberName + "\n\tNote   string `bun:\"note,notnull,default:(" + def + ")\"`"
				}
				a := rvTutorial(t)
				if existing {
					a.write("models/models.go", rvModelsWith(t, rvMemberName, tag("x")))
					a.ok("revision", "-m", "note", "--rev-id", "000000000002")
					a.ok("upgrade", "head")
				}
				a.write("models/models.go", rvModelsWith(t, rvMemberName, tag(tt.escaped)))
				a.ok("revision", "-m", "default", "--rev-id", "000000000003")
				a.ok("upgrade", "head")
				a.exec("INSERT INTO members (id, name, team_id) VALUES (9, 'new', 1)")
				want := "9|" + tt.hex
				if got := a.rows("SELECT id, hex(note) FROM members WHERE id = 9"); len(got) != 1 || got[0] != want {
					t.Errorf("a new row holds %v, want %s", got, want)
				}
				a.exec("DELETE FROM members WHERE id = 9")
				converged := func(when string) {
					t.Helper()
					for _, args := range [][]string{{"check"}, {"check", "--migrations"}} {
						if o, e, code := a.run(args...); code != 0 {
							t.Fatalf("%s %s: exit %d\n%s%s", strings.Join(args, " "), when, code, o, e)
						}
					}
					before := len(a.versions())
					out, _ := a.ok("revision", "-m", "again")
					if n := len(a.versions()); n != before {
						t.Fatalf("%s, a new revision was written: the default is reported again\n%s", when, out)
					}
				}
				converged("after the upgrade")
				a.ok("downgrade", "base")
				a.ok("upgrade", "head")
				converged("after downgrade base and upgrade head")

				// The same database made offline by the sqlite3 shell
				// (without -bail, as users run it), which drops the CR
				// before each LF it reads.
				shell, err := exec.LookPath("sqlite3")
				if err != nil {
					t.Fatal("the sqlite3 command-line shell is needed (Debian package sqlite3; .ci/run installs it)")
				}
				script, _ := a.ok("upgrade", "head", "--sql")
				fresh := filepath.Join(t.TempDir(), "fresh.db")
				cmd := exec.Command(shell, fresh)
				cmd.Stdin = strings.NewReader(script)
				if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
					t.Fatalf("sqlite3: %v\n%s", err, out)
				}
				if o, e, code := a.run("check", "--url", "sqlite:///"+fresh); code != 0 {
					t.Fatalf("check on the database the offline script made: exit %d\n%s%s", code, o, e)
				}
			})
		}
	}
}
