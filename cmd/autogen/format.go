package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/script"
)

// graphView answers the questions Alembic's output shapes ask of a
// revision: is it a head, a branch point, a merge point, the current one.
type graphView struct {
	dir        *script.Dir
	heads      map[string]bool
	dependedOn map[string]bool // revisions another revision depends on
	current    map[string]bool
}

func newGraphView(d *script.Dir, current []string) *graphView {
	g := &graphView{dir: d, heads: map[string]bool{}, dependedOn: map[string]bool{}, current: map[string]bool{}}
	for _, r := range d.Revisions() {
		for _, dep := range d.DependsOn(r.ID) {
			g.dependedOn[dep] = true
		}
	}
	for _, h := range d.Heads() {
		g.heads[h] = true
	}
	for _, c := range current {
		g.current[c] = true
	}
	return g
}

func (g *graphView) down(r *script.Revision) string {
	if len(r.Parents) == 0 {
		return "<base>"
	}
	return strings.Join(r.Parents, ", ")
}

// line is Alembic's one-line form; parents and doc add history's parts.
func (g *graphView) line(r *script.Revision, parents, doc, tree bool) string {
	var b strings.Builder
	if parents {
		b.WriteString(g.down(r))
		if len(r.DependsOn) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(r.DependsOn, ", "))
		}
		b.WriteString(" -> ")
	}
	b.WriteString(r.ID)
	if len(r.BranchLabels) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(r.BranchLabels, ", "))
	}
	b.WriteString(g.indicators(r, tree))
	if doc {
		fmt.Fprintf(&b, ", %s", summary(r))
	}
	return b.String()
}

// currentLine is `current`'s form: Alembic shows no branch labels there.
func (g *graphView) currentLine(r *script.Revision) string {
	return r.ID + g.indicators(r, true)
}

// realHead reports whether nothing revises id or depends on it; a head
// that another revision depends on is only Alembic's "effective head".
func (g *graphView) realHead(id string) bool {
	return g.heads[id] && !g.dependedOn[id]
}

func (g *graphView) indicators(r *script.Revision, tree bool) string {
	var s string
	switch {
	case g.realHead(r.ID):
		s += " (head)"
	case g.heads[r.ID]:
		s += " (effective head)"
	}
	if g.current[r.ID] {
		s += " (current)"
	}
	if tree {
		if len(g.dir.Children(r.ID)) > 1 {
			s += " (branchpoint)"
		}
		if len(r.Parents) > 1 {
			s += " (mergepoint)"
		}
	}
	return s
}

// logIndicators are those of Alembic's log entry, which differ from the
// one-line form's: a head is a head by Revises alone, and current comes last.
func (g *graphView) logIndicators(r *script.Revision) string {
	var s string
	if g.heads[r.ID] {
		s += " (head)"
	}
	if len(g.dir.Children(r.ID)) > 1 {
		s += " (branchpoint)"
	}
	if len(r.Parents) > 1 {
		s += " (mergepoint)"
	}
	if g.current[r.ID] {
		s += " (current)"
	}
	return s
}

// verbose is Alembic's log entry (history --verbose, show).
func (g *graphView) verbose(r *script.Revision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Rev: %s%s\n", r.ID, g.logIndicators(r))
	if len(r.Parents) > 1 {
		fmt.Fprintf(&b, "Merges: %s\n", g.down(r))
	} else {
		fmt.Fprintf(&b, "Parent: %s\n", g.down(r))
	}
	if len(r.DependsOn) > 0 {
		fmt.Fprintf(&b, "Also depends on: %s\n", strings.Join(r.DependsOn, ", "))
	}
	if kids := g.dir.Children(r.ID); len(kids) > 1 {
		fmt.Fprintf(&b, "Branches into: %s\n", strings.Join(sorted(kids), ", "))
	}
	if len(r.BranchLabels) > 0 {
		fmt.Fprintf(&b, "Branch names: %s\n", strings.Join(r.BranchLabels, ", "))
	}
	fmt.Fprintf(&b, "Path: %s\n\n", printable.Escape(r.Path))
	for _, l := range strings.Split(longDoc(r), "\n") {
		if l == "" {
			b.WriteString("\n")
			continue
		}
		fmt.Fprintf(&b, "    %s\n", printable.Escape(l))
	}
	return b.String()
}

// summary is the first line of r's message as printed: a hand-edited
// header may hold escape sequences, which -m never writes.
func summary(r *script.Revision) string {
	first, _, _ := strings.Cut(r.Message, "\n")
	return printable.Escape(first)
}

// longDoc is the header as Alembic's docstring shows it.
func longDoc(r *script.Revision) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nRevision ID: %s\nRevises: %s\nCreate Date: %s\n", r.Message, r.ID, strings.Join(r.Parents, ", "), r.CreateDate)
	return b.String()
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
