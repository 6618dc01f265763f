package script

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseRevision(f *testing.F) {
	f.Add([]byte(rev{id: "abc123", parents: []string{"p1", "p2"}, labels: []string{"l"}, deps: []string{"d"}}.text()))
	f.Add([]byte("-- m\n--\n-- Revision ID: x\n-- +autogen upgrade\n-- +autogen downgrade\n"))
	f.Add([]byte("-- +autogen upgrade\n-- +autogen downgrade"))
	f.Add([]byte("--\n--\n-- Revision ID:\r\n-- +autogen upgrade\r\n"))
	f.Add([]byte("-- m\n--\n-- Revision ID: x\n-- Revises:\n-- +autogen upgrade\n-- +autogen downgrade\n-- +autogen orphans \"a\"\"b\" -> [c]\n"))
	f.Add([]byte("-- m\n-- +autogen no-transaction\n--\n-- Revision ID: x\n-- Revises:\n-- +autogen upgrade\n-- +autogen no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);\n-- +autogen downgrade\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("f.sql", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Path != "f.sql" || !strings.HasPrefix(err.Error(), "f.sql") {
				t.Fatalf("error %v is not a *ParseError naming the file", err)
			}
			return
		}
		if !ValidID(r.ID) {
			t.Fatalf("accepted invalid id %q", r.ID)
		}
		for _, list := range [][]string{r.Parents, r.BranchLabels, r.DependsOn} {
			for _, id := range list {
				if !ValidID(id) {
					t.Fatalf("accepted invalid list entry %q", id)
				}
			}
		}
		for _, sec := range []string{r.Upgrade, r.Downgrade} {
			for line := range strings.SplitSeq(sec, "\n") {
				l := strings.TrimSpace(line)
				if strings.HasPrefix(l, markerPrefix) && !strings.HasPrefix(l, OrphansDirective+" ") && l != NoTransactionMarker {
					t.Fatalf("section holds marker line %q", line)
				}
			}
		}
		// What parsed once parses the same from a clean rendering.
		again, err := Parse("g.sql", []byte(rev{id: r.ID, parents: r.Parents, labels: r.BranchLabels, deps: r.DependsOn}.text()))
		if err != nil || again.ID != r.ID || strings.Join(again.Parents, ",") != strings.Join(r.Parents, ",") {
			t.Fatalf("re-rendered header does not parse back: %v", err)
		}
	})
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"head", "heads", "base", "current", "+1", "-2", "head-1", "aaa111+2", "feature@head", "other@base", "a", "ab", "eee555-4", "base+3", ":", "+", "x@y@z", "feature@head-1"} {
		f.Add(s, uint8(3))
	}
	d := branchy(f)
	f.Fuzz(func(t *testing.T, spec string, cur uint8) {
		revs := d.Revisions()
		var current []string
		if int(cur) < len(revs) {
			current = d.Rows([]string{revs[cur].ID})
		}
		ids, err := d.Resolve(spec, current)
		if err != nil {
			var se *SpecError
			if !errors.As(err, &se) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q is not a one-line *SpecError", err)
			}
			return
		}
		for _, id := range ids {
			if d.Get(id) == nil {
				t.Fatalf("Resolve(%q) gave unknown id %q", spec, id)
			}
		}
		if _, err := d.Plan(current, ids, true); err != nil {
			t.Fatalf("Plan up to resolved %q: %v", ids, err)
		}
		lo, hi, err := d.resolveRange(spec+":"+spec, current)
		if err == nil && len(d.between(lo, hi)) != 0 {
			t.Fatalf("range %q:%q is not empty", spec, spec)
		}
	})
}
