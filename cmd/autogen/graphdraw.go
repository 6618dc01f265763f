package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/script"
)

// drawGraph writes revs (newest first, children before parents) as
// `git log --graph` does: one line per revision with `*` in its lane, and
// connector lines of `|`, `/` and `\` where lanes fork (a merge's
// parents) or join (a branch point's children meeting their parent).
// Parents outside revs end their lane.
func drawGraph(w io.Writer, revs []*script.Revision, label func(*script.Revision) string) error {
	in := make(map[string]bool, len(revs))
	for _, r := range revs {
		in[r.ID] = true
	}
	var lanes []string // the revision each lane is waiting for
	for _, r := range revs {
		col := slices.Index(lanes, r.ID)
		if col < 0 {
			lanes = append(lanes, r.ID)
			col = len(lanes) - 1
		}
		var parents []string
		for _, p := range r.Parents {
			if in[p] {
				parents = append(parents, p)
			}
		}
		edges, next := advance(lanes, col, parents)
		width := max(len(lanes), len(next))
		if _, err := fmt.Fprintf(w, "%s %s\n", nodeRow(lanes, col, width), label(r)); err != nil {
			return err
		}
		for _, row := range connectorRows(edges) {
			if _, err := fmt.Fprintln(w, row); err != nil {
				return err
			}
		}
		lanes = next
	}
	return nil
}

// edge is a line from lane position pos to lane position to.
type edge struct{ pos, to int }

// advance replaces the lane at col by the revision's parents and merges
// lanes waiting for the same revision into the leftmost one. It returns
// the edges from the old positions to the new ones and the new lanes.
func advance(lanes []string, col int, parents []string) ([]edge, []string) {
	type src struct {
		id  string
		pos int
	}
	var seq []src
	for i, id := range lanes {
		if i == col {
			for _, p := range parents {
				seq = append(seq, src{p, col})
			}
			continue
		}
		seq = append(seq, src{id, i})
	}
	var next []string
	edges := make([]edge, 0, len(seq))
	for _, s := range seq {
		to := slices.Index(next, s.id)
		if to < 0 {
			next = append(next, s.id)
			to = len(next) - 1
		}
		edges = append(edges, edge{s.pos, to})
	}
	return edges, next
}

// nodeRow is the revision's line: `*` in its lane, `|` in the others,
// padded to width lanes so that labels line up with the rows below.
func nodeRow(lanes []string, col, width int) string {
	cells := make([]string, width)
	for i := range cells {
		switch {
		case i == col:
			cells[i] = "*"
		case i < len(lanes):
			cells[i] = "|"
		default:
			cells[i] = " "
		}
	}
	return strings.Join(cells, " ")
}

// connectorRows moves every edge one lane per row towards its target until
// all have arrived; edges already in place give no row at all.
func connectorRows(edges []edge) []string {
	moving := slices.ContainsFunc(edges, func(e edge) bool { return e.pos != e.to })
	var rows []string
	for moving {
		width := 0
		for _, e := range edges {
			width = max(width, 2*max(e.pos, e.to)+2)
		}
		row := []byte(strings.Repeat(" ", width))
		moving = false
		for i := range edges {
			e := &edges[i]
			switch {
			case e.to < e.pos:
				row[2*e.pos-1] = '/'
				e.pos--
			case e.to > e.pos:
				row[2*e.pos+1] = '\\'
				e.pos++
			default:
				if row[2*e.pos] == ' ' {
					row[2*e.pos] = '|'
				}
			}
			moving = moving || e.pos != e.to
		}
		rows = append(rows, strings.TrimRight(string(row), " "))
	}
	return rows
}

// writeDot writes the graph in Graphviz dot: parents point to children,
// newest at the top, heads and the current revision drawn bold.
func writeDot(w io.Writer, revs []*script.Revision, g *graphView) error {
	var b strings.Builder
	b.WriteString("digraph revisions {\n  rankdir=BT;\n  node [shape=box, fontname=\"monospace\"];\n")
	in := ids(revs)
	for _, r := range oldestFirst(revs) {
		attrs := fmt.Sprintf(`label="%s\n%s"`, dotEscape(r.ID+g.indicators(r, false)), dotEscape(summary(r)))
		if g.current[r.ID] {
			attrs += `, style="bold,filled", fillcolor="lightblue"`
		} else if g.heads[r.ID] {
			attrs += ", style=bold"
		}
		fmt.Fprintf(&b, "  %s [%s];\n", dotQuote(r.ID), attrs)
	}
	for _, r := range oldestFirst(revs) {
		for _, p := range r.Parents {
			if in[p] {
				fmt.Fprintf(&b, "  %s -> %s;\n", dotQuote(p), dotQuote(r.ID))
			}
		}
		for _, p := range r.DependsOn {
			if in[p] {
				fmt.Fprintf(&b, "  %s -> %s [style=dashed];\n", dotQuote(p), dotQuote(r.ID))
			}
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeMermaid writes the graph as a Mermaid flowchart, for Markdown
// (pull request comments, docs).
func writeMermaid(w io.Writer, revs []*script.Revision, g *graphView) error {
	var b strings.Builder
	b.WriteString("flowchart BT\n")
	in := ids(revs)
	for _, r := range oldestFirst(revs) {
		label := r.ID + g.indicators(r, false) + ": " + summary(r)
		fmt.Fprintf(&b, "    r_%s[\"%s\"]\n", r.ID, mermaidEscape(label))
	}
	for _, r := range oldestFirst(revs) {
		for _, p := range r.Parents {
			if in[p] {
				fmt.Fprintf(&b, "    r_%s --> r_%s\n", p, r.ID)
			}
		}
		for _, p := range r.DependsOn {
			if in[p] {
				fmt.Fprintf(&b, "    r_%s -.-> r_%s\n", p, r.ID)
			}
		}
	}
	for _, r := range oldestFirst(revs) {
		if g.current[r.ID] {
			fmt.Fprintf(&b, "    style r_%s stroke-width:3px\n", r.ID)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func ids(revs []*script.Revision) map[string]bool {
	m := make(map[string]bool, len(revs))
	for _, r := range revs {
		m[r.ID] = true
	}
	return m
}

// oldestFirst reverses history's newest-first order, so that the text
// reads in the order revisions were made.
func oldestFirst(revs []*script.Revision) []*script.Revision {
	out := slices.Clone(revs)
	slices.Reverse(out)
	return out
}

// dotQuote is a dot string literal.
func dotQuote(s string) string {
	return `"` + dotEscape(s) + `"`
}

// dotEscape keeps s literal inside a dot string, where a backslash starts
// an escape.
func dotEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", " ")
	return r.Replace(s)
}

// mermaidEscape keeps a label inside its quotes: Mermaid takes HTML
// entities there but no backslash escapes.
func mermaidEscape(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ")
	return r.Replace(s)
}
