package main

import (
	"slices"
	"strings"
	"testing"
)

// A type change whose conversion changes stored values is refused at
// generation with the count (issue 13, item 3): Zip string -> int turned
// '00001' into 1, and the downgrade gave back '1'. A conversion every
// value survives is written without a word, and its round trip gives the
// values back exactly.
func TestConversionRefusedUnlessLossless(t *testing.T) {
	const zipText = rvMemberName + "\n\tZip    string `bun:\"zip\"`"
	const zipInt = rvMemberName + "\n\tZip    int64  `bun:\"zip\"`"
	a := rvTutorial(t)
	a.write("models/models.go", rvModelsWith(t, rvMemberName, zipText))
	a.ok("revision", "-m", "zip", "--rev-id", "000000000002")
	a.ok("upgrade", "head")
	a.exec(`UPDATE members SET zip = '00001' WHERE id = 1; UPDATE members SET zip = 'n/a' WHERE id = 2;
		UPDATE members SET zip = '12345' WHERE id IN (3, 4)`)

	a.write("models/models.go", rvModelsWith(t, rvMemberName, zipInt))
	before := len(a.versions())
	for _, args := range [][]string{{"revision", "-m", "zip int", "--rev-id", "000000000003"}, {"revision", "-m", "zip int", "--dry-run"}} {
		e := a.fails(exitUsage, "converting members.zip from VARCHAR to INTEGER changes 2 stored values", args...)
		for _, want := range []string{"refusing to write a revision that would change the live data", "1 value reads back as VARCHAR differs", "1 value is not a number", "--allow-failing"} {
			if !strings.Contains(e, want) {
				t.Errorf("autogen %s: the refusal does not say %q:\n%s", strings.Join(args, " "), want, e)
			}
		}
	}
	if n := len(a.versions()); n != before {
		t.Fatalf("a refused revision wrote a file: %d files, had %d", n, before)
	}
	out, _ := a.ok("revision", "-m", "zip int", "--dry-run", "--allow-failing")
	if !strings.Contains(out, "--   CHANGES DATA: converting members.zip from VARCHAR to INTEGER changes 2 stored values") {
		t.Errorf("the safety report does not say what the conversion changes:\n%s", out)
	}

	// Values every one of which converts and comes back exactly.
	a.exec(`UPDATE members SET zip = '1' WHERE id = 1; UPDATE members SET zip = NULL WHERE id = 2`)
	want := a.rows("SELECT id, quote(zip) FROM members ORDER BY id")
	o, e := a.ok("revision", "-m", "zip int", "--rev-id", "000000000003")
	if strings.Contains(o+e, "converting") {
		t.Errorf("a lossless conversion is reported:\n%s%s", o, e)
	}
	if up := rvUpgradeSection(t, rvReadVersion(t, a, "000000000003")); strings.Contains(up, "converting") {
		t.Errorf("a lossless conversion is in the safety report:\n%s", up)
	}
	a.ok("upgrade", "head")
	if got := a.rows("SELECT id, quote(zip) FROM members ORDER BY id"); !slices.Equal(got, []string{"1|1", "2|NULL", "3|12345", "4|12345"}) {
		t.Errorf("after the upgrade: %v", got)
	}
	a.ok("downgrade", "-1")
	if got := a.rows("SELECT id, quote(zip) FROM members ORDER BY id"); !slices.Equal(got, want) {
		t.Errorf("the downgrade gives %v, the values were %v", got, want)
	}
}
