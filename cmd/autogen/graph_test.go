package main

import (
	"strings"
	"testing"
)

// graphApp is a module whose history branches twice and merges once:
//
//	aaa -> bbb -> ddd -> eee (merge of ccc, ddd) -> fff
//	   \-> ccc -------/   \-> 111 (a second head, spliced from ccc)
//
// with the database upgraded to ddd when current is set.
func graphApp(t *testing.T, current bool) *app {
	t.Helper()
	a := newApp(t, map[string]string{"models/models.go": rvBaseModels(t)})
	a.ok("init", "migrations")
	steps := [][]string{
		{"revision", "--empty", "-m", "base", "--rev-id", "aaaaaaaaaaaa"},
		{"revision", "--empty", "-m", "left one", "--rev-id", "bbbbbbbbbbbb"},
		{"revision", "--empty", "-m", "right \"one\"", "--rev-id", "cccccccccccc", "--head", "aaaaaaaaaaaa", "--splice"},
		{"revision", "--empty", "-m", "left two", "--rev-id", "dddddddddddd", "--head", "bbbbbbbbbbbb"},
		{"merge", "heads", "-m", "merge it", "--rev-id", "eeeeeeeeeeee"},
		{"revision", "--empty", "-m", "top", "--rev-id", "ffffffffffff"},
		{"revision", "--empty", "-m", "side", "--rev-id", "111111111111", "--head", "cccccccccccc", "--splice"},
	}
	for _, s := range steps {
		a.ok(s...)
	}
	if current {
		a.ok("upgrade", "dddddddddddd")
	}
	return a
}

func TestHistoryGraph(t *testing.T) {
	tests := []struct {
		name    string
		current bool // the database exists, at dddddddddddd
		marked  bool // dddddddddddd is drawn, marked current
		args    []string
	}{
		{"graph.txt", true, true, []string{"history", "--graph"}},
		{"graph_no_db.txt", false, false, []string{"history", "--graph"}},
		{"graph_range.txt", true, false, []string{"history", "--graph", "-r", "cccccccccccc:"}},
		{"graph.dot", true, true, []string{"history", "--format", "dot"}},
		{"graph.mmd", true, true, []string{"history", "--format", "mermaid"}},
	}
	apps := map[bool]*app{true: graphApp(t, true), false: graphApp(t, false)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _ := apps[tt.current].ok(tt.args...)
			rvGolden(t, "graph/"+tt.name, out)
			if strings.Contains(out, "(current)") != tt.marked {
				t.Errorf("current marked %v, want %v:\n%s", !tt.marked, tt.marked, out)
			}
		})
	}
	a := apps[true]
	a.fails(exitUsage, "--format \"svg\"", "history", "--format", "svg")
	a.fails(exitUsage, "leave out --graph", "history", "--format", "dot", "--graph")
}

// Every revision is one node line, every parent edge reaches its parent:
// the drawing is checked against the graph, not only against a golden file.
func TestDrawGraphLanes(t *testing.T) {
	a := graphApp(t, false)
	out, _ := a.ok("history", "--graph")
	var nodes []string
	for _, line := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if i := strings.IndexByte(line, '*'); i >= 0 {
			if strings.Count(line, "*") != 1 || i%2 != 0 {
				t.Errorf("node line %q has not exactly one * in a lane", line)
			}
			for _, f := range strings.Fields(line[i+1:]) {
				if f != "|" {
					nodes = append(nodes, strings.TrimSuffix(f, ","))
					break
				}
			}
			continue
		}
		if strings.Trim(line, "|/\\ ") != "" {
			t.Errorf("connector line %q holds other characters", line)
		}
	}
	want := "ffffffffffff eeeeeeeeeeee dddddddddddd 111111111111 cccccccccccc bbbbbbbbbbbb aaaaaaaaaaaa"
	if strings.Join(nodes, " ") != want {
		t.Errorf("node order %v, want children before parents: %s", nodes, want)
	}
}
