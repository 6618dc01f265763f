package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/runner"
)

// formatMarkdown is the output meant for a pull request comment.
const formatMarkdown = "markdown"

// compared says what the models were compared with, for the reader of a
// preview: the live database, or what the revisions build from an empty
// database or on a scratch copy of one.
type compared struct {
	migrations bool
	database   string        // the database compared or copied; "" for none
	applied    []runner.Step // the revisions applied to the scratch copy
	// live says the database itself was compared, read only, rather than
	// a scratch copy of it: a PostgreSQL database at the heads.
	live bool
	// behind is a PostgreSQL database not at the heads, whose rows are
	// therefore not counted, and at is where it stands.
	behind, at string
}

// measured reports whether the plan's findings count live rows.
func (c compared) measured() bool { return c.database != "" }

// sentence is the preview's first line.
func (c compared) sentence() string {
	switch {
	case !c.migrations && !c.measured():
		return "Models compared with an empty database: there is none at the URL yet."
	case !c.migrations:
		return fmt.Sprintf("Models compared with the database %s; row counts are its rows.", mdCode(c.database))
	case c.behind != "":
		return fmt.Sprintf("Models compared with the schema the revisions build on an empty database; %s is at %s, behind the heads, so no row counts (a PostgreSQL database is not copied: upgrade a copy of it and preview against that).", mdCode(c.behind), mdCode(c.at))
	case !c.measured():
		return "Models compared with the schema the revisions build on an empty database; no database, so no row counts (give `--url` to a copy of production for them)."
	case c.live:
		return fmt.Sprintf("Models compared with the database %s, which is at the heads (read only: a PostgreSQL database is not copied); row counts are its rows.", mdCode(c.database))
	case len(c.applied) == 0:
		return fmt.Sprintf("Models compared with a scratch copy of %s, which is at the heads; row counts are its rows.", mdCode(c.database))
	}
	ids := make([]string, len(c.applied))
	for i, st := range c.applied {
		ids[i] = mdCode(st.Revision)
	}
	return fmt.Sprintf("Models compared with a scratch copy of %s brought to the heads by %s (%s); row counts are its rows after them.",
		mdCode(c.database), printable.Count(len(c.applied), "revision", "revisions"), strings.Join(ids, ", "))
}

// writeMarkdown prints the plan as a Markdown document for a pull request
// comment: a summary, the tables touched, each operation, the destructive
// steps and rebuilds with the rows they touch, the safety report, and the
// SQL of both directions folded away.
func writeMarkdown(w io.Writer, title string, src compared, pl *autogen.Plan) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### autogen: %s\n\n%s\n\n", title, src.sentence())
	if pl.Empty() {
		b.WriteString("**No changes**: the models and the schema agree; no revision is needed.\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	mdSummary(&b, pl)
	mdTables(&b, pl)
	mdOperations(&b, pl)
	mdDestructive(&b, src, pl)
	mdRebuilds(&b, src, pl)
	mdFindings(&b, pl)
	mdWarnings(&b, pl)
	up, down := pl.SQL()
	mdSQL(&b, "Upgrade SQL", up)
	mdSQL(&b, "Downgrade SQL", down)
	_, err := io.WriteString(w, strings.TrimRight(b.String(), "\n")+"\n")
	return err
}

func mdSummary(b *strings.Builder, pl *autogen.Plan) {
	destructive, rebuilt := 0, 0
	for _, df := range pl.Diffs {
		if df.Destructive {
			destructive++
		}
	}
	for _, ch := range pl.Changes {
		if ch.Rebuild {
			rebuilt++
		}
	}
	fmt.Fprintf(b, "**%s on %s**: %d destructive, %s rebuilt.\n\n",
		printable.Count(len(pl.Diffs), "operation", "operations"), printable.Count(len(touched(pl)), "table", "tables"),
		destructive, printable.Count(rebuilt, "table", "tables"))
	if n := len(pl.Fatal()); n > 0 {
		fmt.Fprintf(b, "**The upgrade fails on the data as it stands**: %s marked FAILS in the safety report.\n\n", printable.Count(n, "finding", "findings"))
	}
}

// tableTouch is what the plan does to one table.
type tableTouch struct {
	name        string
	ops         int
	destructive bool
	rebuilt     bool
}

// touched lists the tables the operations touch, in the order they first
// appear.
func touched(pl *autogen.Plan) []*tableTouch {
	var out []*tableTouch
	find := func(name string) *tableTouch {
		for _, t := range out {
			if sqltext.EqualIdent(t.name, name) {
				return t
			}
		}
		t := &tableTouch{name: name}
		out = append(out, t)
		return t
	}
	for _, ch := range pl.Changes {
		for _, df := range ch.Diffs {
			if df.Table == "" {
				continue // an enum type: no table
			}
			t := find(df.Table)
			t.ops++
			t.destructive = t.destructive || df.Destructive
			t.rebuilt = t.rebuilt || ch.Rebuild
		}
	}
	return out
}

func mdTables(b *strings.Builder, pl *autogen.Plan) {
	b.WriteString("#### Tables touched\n\n| table | operations | destructive | rebuilt |\n| --- | ---: | --- | --- |\n")
	for _, t := range touched(pl) {
		fmt.Fprintf(b, "| %s | %d | %s | %s |\n", mdCode(t.name), t.ops, yes(t.destructive), yes(t.rebuilt))
	}
	b.WriteString("\n")
}

func mdOperations(b *strings.Builder, pl *autogen.Plan) {
	b.WriteString("#### Operations\n\n| # | table | operation | detail | destructive |\n| ---: | --- | --- | --- | --- |\n")
	for i, df := range pl.Diffs {
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s |\n", i+1, mdCode(df.Table), strings.ReplaceAll(df.Kind, "_", " "), opDetail(df), yes(df.Destructive))
	}
	b.WriteString("\n")
}

// opDetail is what an operation names besides its table, each name a code
// span.
func opDetail(df autogen.Diff) string {
	var parts []string
	add := func(label, name string) {
		if name != "" {
			parts = append(parts, label+mdCode(name))
		}
	}
	list := func(label string, names []string) {
		if len(names) == 0 {
			return
		}
		codes := make([]string, len(names))
		for i, n := range names {
			codes[i] = mdCode(n)
		}
		parts = append(parts, label+strings.Join(codes, ", "))
	}
	add("enum type ", df.Enum)
	list("values ", df.Values)
	add("view ", df.View)
	add("trigger ", df.Trigger)
	add("index ", df.Index)
	add("constraint ", df.Constraint)
	add("column ", df.Column)
	add("was ", df.OldName)
	list("on ", df.Columns)
	if df.From != nil && df.To != nil {
		attr := df.Attribute
		if attr == "" {
			attr = "options"
		}
		parts = append(parts, fmt.Sprintf("%s %s → %s", attr, mdCodeOrNone(*df.From), mdCodeOrNone(*df.To)))
	}
	return strings.Join(parts, ", ")
}

// rowsKinds are the findings that count what a destructive operation
// removes or changes.
var rowsKinds = map[string][]string{
	"drop_table":   {"drop table"},
	"drop_column":  {"drop column"},
	"alter_column": {"narrowing"},
	// The rows holding the values an enum type loses, in every column.
	"change_enum_values": {"enum value"},
}

func mdDestructive(b *strings.Builder, src compared, pl *autogen.Plan) {
	var rows []string
	for _, df := range pl.Diffs {
		if !df.Destructive {
			continue
		}
		n := src.rows(pl, df.Table, df.Column, rowsKinds[df.Kind]...)
		rows = append(rows, fmt.Sprintf("| %s | %s | %s | %s |", mdCode(df.Table), strings.ReplaceAll(df.Kind, "_", " "), opDetail(df), n))
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("#### Destructive steps\n\n| table | operation | detail | rows or values it removes or changes |\n| --- | --- | --- | ---: |\n")
	b.WriteString(strings.Join(rows, "\n") + "\n\n")
}

func mdRebuilds(b *strings.Builder, src compared, pl *autogen.Plan) {
	var rows []string
	for _, t := range touched(pl) {
		if t.rebuilt {
			rows = append(rows, fmt.Sprintf("| %s | %s |", mdCode(t.name), src.rows(pl, t.name, "", "rebuild")))
		}
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("#### Rebuilds\n\nSQLite's documented rebuild: create a new table, copy the rows, drop the old one, rename.\n\n| table | rows copied |\n| --- | ---: |\n")
	b.WriteString(strings.Join(rows, "\n") + "\n\n")
}

// rows is the count the findings of kinds give for table and column ("" for
// a table-wide finding): 0 when the database was measured and none
// touched a row, and "not measured" without a database.
func (c compared) rows(pl *autogen.Plan, table, column string, kinds ...string) string {
	if !c.measured() {
		return "not measured"
	}
	var n int64
	for _, f := range pl.Findings {
		for _, k := range kinds {
			if string(f.Kind) == k && (table == "" && f.Fatal || sqltext.EqualIdent(f.Table, table) && sqltext.EqualIdent(f.Column, column)) {
				n += f.Rows
			}
		}
	}
	return fmt.Sprint(n)
}

func mdFindings(b *strings.Builder, pl *autogen.Plan) {
	if len(pl.Findings) == 0 {
		return
	}
	b.WriteString("#### Safety report\n\n| | table | column | finding | rows |\n| --- | --- | --- | --- | ---: |\n")
	// Fatal findings first: they are what a reviewer must act on.
	for _, fatal := range []bool{true, false} {
		for _, f := range pl.Findings {
			if f.Fatal != fatal {
				continue
			}
			mark := ""
			if f.Fatal {
				mark = "**FAILS**"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %s | %d |\n", mark, mdCode(f.Table), mdCode(f.Column), f.Kind, f.Rows)
		}
	}
	b.WriteString("\n")
}

func mdWarnings(b *strings.Builder, pl *autogen.Plan) {
	if len(pl.Warnings) == 0 {
		return
	}
	b.WriteString("#### Warnings\n\n")
	for _, w := range pl.Warnings {
		fmt.Fprintf(b, "- %s\n", mdSpan(w))
	}
	b.WriteString("\n")
}

// mdSQL folds SQL into a details block, fenced so that no backticks in it
// can close the fence.
func mdSQL(b *strings.Builder, summary, sql string) {
	fence := strings.Repeat("`", max(3, longestRun(sql, '`')+1))
	fmt.Fprintf(b, "<details><summary>%s</summary>\n\n%ssql\n%s\n%s\n\n</details>\n\n", summary, fence, strings.TrimRight(printable.Lines(sql), "\n"), fence)
}

// mdCode is s as a Markdown code span that is safe in a table cell: no
// backtick, pipe, HTML, mention or line break in a name is read as markup.
func mdCode(s string) string {
	return strings.ReplaceAll(mdSpan(s), "|", `\|`)
}

// mdSpan is s as a Markdown code span, outside a table.
func mdSpan(s string) string {
	if s == "" {
		return ""
	}
	s = printable.Escape(s)
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

// mdCodeOrNone is mdCode, with "none" for an empty value.
func mdCodeOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return mdCode(s)
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			run = 0
			continue
		}
		run++
		best = max(best, run)
	}
	return best
}

func yes(v bool) string {
	if v {
		return "yes"
	}
	return ""
}
