package script

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// stepString writes a step as "+id -del +ins" / "-id ...", for compact tables.
func stepString(s Step) string {
	dir := "+"
	if !s.Up {
		dir = "-"
	}
	return fmt.Sprintf("%s%s del%v ins%v", dir, s.Revision.ID, s.Delete, s.Insert)
}

func planStrings(steps []Step) []string {
	out := []string{}
	for _, s := range steps {
		out = append(out, stepString(s))
	}
	return out
}

func merged(t testing.TB) *Dir {
	return build(t,
		rev{id: "r"},
		rev{id: "a", parents: []string{"r"}},
		rev{id: "b", parents: []string{"r"}},
		rev{id: "m", parents: []string{"a", "b"}},
	)
}

// deps: x1 -> x2 and y1 -> y2, where y2 depends on x1.
func deps(t testing.TB) *Dir {
	return build(t,
		rev{id: "x1"},
		rev{id: "x2", parents: []string{"x1"}},
		rev{id: "y1"},
		rev{id: "y2", parents: []string{"y1"}, deps: []string{"x1"}},
	)
}

func TestPlan(t *testing.T) {
	l, m, dp := linear(t), merged(t), deps(t)
	branched := build(t, rev{id: "r"}, rev{id: "a", parents: []string{"r"}}, rev{id: "b", parents: []string{"r"}})
	tests := []struct {
		name            string
		d               *Dir
		current, target []string
		up              bool
		want            []string
	}{
		{"linear up from empty", l, nil, []string{"l3"}, true, []string{"+l1 del[] ins[l1]", "+l2 del[l1] ins[l2]", "+l3 del[l2] ins[l3]"}},
		{"linear up from middle", l, []string{"l2"}, []string{"l3"}, true, []string{"+l3 del[l2] ins[l3]"}},
		{"linear up to applied", l, []string{"l3"}, []string{"l1"}, true, []string{}},
		{"linear down to base", l, []string{"l3"}, nil, false, []string{"-l3 del[l3] ins[l2]", "-l2 del[l2] ins[l1]", "-l1 del[l1] ins[]"}},
		{"linear down one", l, []string{"l3"}, []string{"l2"}, false, []string{"-l3 del[l3] ins[l2]"}},
		{"linear down to current", l, []string{"l2"}, []string{"l2"}, false, []string{}},
		{"branched up heads", branched, nil, []string{"a", "b"}, true, []string{"+r del[] ins[r]", "+a del[r] ins[a]", "+b del[] ins[b]"}},
		{"branched up other branch inserts", branched, []string{"a"}, []string{"b"}, true, []string{"+b del[] ins[b]"}},
		{"branched down restores parent last", branched, []string{"a", "b"}, []string{"r"}, false, []string{"-b del[b] ins[]", "-a del[a] ins[r]"}},
		{"branched down one branch", branched, []string{"a", "b"}, nil, false, []string{"-b del[b] ins[]", "-a del[a] ins[r]", "-r del[r] ins[]"}},
		{"merge up deletes both parents", m, []string{"a", "b"}, []string{"m"}, true, []string{"+m del[a b] ins[m]"}},
		{"merge up from one side", m, []string{"a"}, []string{"m"}, true, []string{"+b del[] ins[b]", "+m del[a b] ins[m]"}},
		{"merge down to one parent restores both", m, []string{"m"}, []string{"a"}, false, []string{"-m del[m] ins[a b]"}},
		{"merge down to base", m, []string{"m"}, []string{"r"}, false, []string{"-m del[m] ins[a b]", "-b del[b] ins[]", "-a del[a] ins[r]"}},
		{"depends up pulls dependency first, folds its row", dp, nil, []string{"y2"}, true, []string{"+x1 del[] ins[x1]", "+y1 del[] ins[y1]", "+y2 del[x1 y1] ins[y2]"}},
		{"depends up with dependency applied", dp, []string{"x2", "y1"}, []string{"y2"}, true, []string{"+y2 del[y1] ins[y2]"}},
		{"depends down dependency takes dependant", dp, []string{"x1", "y2"}, nil, false, []string{"-y2 del[y2] ins[y1]", "-y1 del[y1] ins[]", "-x1 del[x1] ins[]"}},
		{"depends down other branch keeps dependency", dp, []string{"x2", "y2"}, []string{"x1"}, false, []string{"-x2 del[x2] ins[]"}},
		{"older autogen row for a dependency is accepted", dp, []string{"x1", "y2"}, []string{"x2"}, true, []string{"+x2 del[x1] ins[x2]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := tt.d.Plan(tt.current, tt.target, tt.up)
			if err != nil {
				t.Fatal(err)
			}
			if got := planStrings(steps); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestPlanOneStepAtATime replays every plan as the runner does (plan, apply
// the first step, plan again) from every reachable state of every graph and
// checks the rows it reaches are the full plan's and the target's.
func TestPlanOneStepAtATime(t *testing.T) {
	graphs := map[string]*Dir{"linear": linear(t), "merged": merged(t), "deps": deps(t), "branchy": branchy(t), "docs": docs(t), "cross": cross(t)}
	for name, d := range graphs {
		var targets [][]string
		targets = append(targets, nil, d.Heads())
		for _, r := range d.Revisions() {
			targets = append(targets, []string{r.ID})
			for _, l := range r.BranchLabels {
				target, err := d.Target(l+"@base", nil)
				if err != nil {
					t.Fatal(err)
				}
				targets = append(targets, target)
			}
		}
		for _, from := range targets {
			start := d.Rows(from)
			for _, to := range targets {
				for _, up := range []bool{true, false} {
					full, err := d.Plan(start, to, up)
					if err != nil {
						if !errors.Is(err, ErrNotApplied) || up {
							t.Fatalf("%s: Plan(%q, %q, %v): %v", name, start, to, up, err)
						}
						continue
					}
					rows := replay(t, d, start, to, up, len(full))
					want := applyAll(start, full)
					if !sameIDs(rows, want) {
						t.Errorf("%s %q->%q up=%v: stepwise rows %q, full plan rows %q", name, start, to, up, rows, want)
					}
					if exp := d.Rows(rows); !sameIDs(rows, exp) {
						t.Errorf("%s %q->%q up=%v: rows %q are not the heads %q", name, start, to, up, rows, exp)
					}
					checkReached(t, d, rows, to, up)
				}
			}
		}
	}
}

func sameIDs(a, b []string) bool { return len(a) == len(b) && (len(a) == 0 || reflect.DeepEqual(a, b)) }

func replay(t *testing.T, d *Dir, rows, to []string, up bool, n int) []string {
	t.Helper()
	for i := 0; ; i++ {
		steps, err := d.Plan(rows, to, up)
		if err != nil {
			t.Fatal(err)
		}
		if len(steps) == 0 {
			if i != n {
				t.Errorf("stepwise took %d steps, full plan %d", i, n)
			}
			return rows
		}
		rows = applyAll(rows, steps[:1])
	}
}

func applyAll(rows []string, steps []Step) []string {
	set := map[string]bool{}
	for _, r := range rows {
		set[r] = true
	}
	for _, s := range steps {
		for _, id := range s.Delete {
			delete(set, id)
		}
		for _, id := range s.Insert {
			set[id] = true
		}
	}
	out := []string{}
	for id := range set {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

func checkReached(t *testing.T, d *Dir, rows, to []string, up bool) {
	t.Helper()
	applied := d.closure(rows)
	for id := range d.closure(to) {
		if !applied[id] {
			t.Errorf("rows %q do not cover target %q (missing %s)", rows, to, id)
		}
	}
	if !up {
		_, firsts, err := d.splitTarget(to)
		if err != nil {
			t.Fatal(err)
		}
		for _, first := range firsts {
			for _, id := range d.descendants(first) {
				if applied[id] {
					t.Errorf("after downgrade to %q, %s of that branch is still applied", to, id)
				}
			}
		}
		for _, target := range to {
			for _, id := range d.descendants(target)[1:] {
				if applied[id] {
					t.Errorf("after downgrade to %q, %s above it is still applied", to, id)
				}
			}
		}
		if len(to) == 0 && len(rows) != 0 {
			t.Errorf("downgrade to base left %q", rows)
		}
	}
}

func TestPlanErrors(t *testing.T) {
	l := linear(t)
	if _, err := l.Plan([]string{"zz"}, []string{"l3"}, true); !errors.Is(err, ErrNotApplied) || !strings.Contains(err.Error(), "zz") {
		t.Errorf("unknown row: %v", err)
	}
	if _, err := l.Plan([]string{"l1"}, []string{"l3"}, false); !errors.Is(err, ErrNotApplied) || !strings.Contains(err.Error(), "l3") {
		t.Errorf("downgrade to unapplied: %v", err)
	}
}

// Rows where one revision revises another are refused, as Alembic refuses
// them ("overlaps with other requested revisions"); a row for a revision
// another only depends on is an older autogen's and stays accepted.
func TestCheckRows(t *testing.T) {
	l, m, dp := linear(t), merged(t), deps(t)
	tests := []struct {
		name string
		d    *Dir
		rows []string
		err  error
		msg  string
	}{
		{"consistent", l, []string{"l2"}, nil, ""},
		{"empty", l, nil, nil, ""},
		{"two branches", m, []string{"a", "b"}, nil, ""},
		{"dependency row kept by older autogen", dp, []string{"x1", "y2"}, nil, ""},
		{"parent and child", l, []string{"l1", "l2"}, ErrOverlap, "holds both l1 and l2, which revises it"},
		{"grandparent and grandchild, unsorted", l, []string{"l3", "l1"}, ErrOverlap, "holds both l1 and l3"},
		{"merge parent and merge", m, []string{"b", "m"}, ErrOverlap, "holds both b and m"},
		{"root under a merge", m, []string{"m", "r"}, ErrOverlap, "`autogen stamp --purge m`"},
		{"unknown row", l, []string{"zz"}, ErrNotApplied, "revision zz is not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.CheckRows(tt.rows)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("message %q lacks %q", err, tt.msg)
			}
			// Plan and UpToDate refuse what CheckRows refuses.
			if _, perr := tt.d.Plan(tt.rows, tt.d.Heads(), true); (perr == nil) != (err == nil) {
				t.Errorf("Plan err = %v, CheckRows err = %v", perr, err)
			}
			if err != nil && tt.d.UpToDate(tt.rows) {
				t.Errorf("UpToDate(%q) = true for refused rows", tt.rows)
			}
		})
	}
	if err := l.CheckRows([]string{"l1", "l2"}); !strings.Contains(err.Error(), "autogen stamp --purge") {
		t.Errorf("message %q does not say how to fix it", err)
	}
}
