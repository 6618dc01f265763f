package sqlitetest

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// SameSchema is schema.Equal with columns compared by name, not place, as
// autogen compares them: an upgrade appends a column the models place
// elsewhere.
func SameSchema(got, want *schema.Schema) bool {
	w := *want
	w.Tables = nil
	for _, t := range want.Tables {
		w.Tables = append(w.Tables, t.InOrderOf(got.Table(t.Name)))
	}
	return schema.Equal(got, &w)
}

// WithUnmanaged is the schema an upgrade to tgt gives: tgt plus the views and
// triggers of cur that Compare leaves alone, in the text SQLite's renames
// (those of opts) give them.
func WithUnmanaged(tgt, cur *schema.Schema, opts diff.Options) *schema.Schema {
	if opts.DropUnmanaged {
		return tgt
	}
	renamed := renamedBySQLite(cur, opts)
	out := *tgt
	for _, v := range renamed.Views {
		if !v.Managed && !slices.ContainsFunc(tgt.Views, func(w *schema.View) bool { return sqltext.EqualIdent(v.Name, w.Name) }) {
			out.Views = append(slices.Clip(out.Views), v)
		}
	}
	for _, tr := range renamed.Triggers {
		if !tr.Managed && !slices.ContainsFunc(tgt.Triggers, func(w *schema.Trigger) bool { return sqltext.EqualIdent(tr.Name, w.Name) }) {
			if tgt.Table(tr.Table) != nil {
				out.Triggers = append(slices.Clip(out.Triggers), tr)
			}
		}
	}
	return &out
}

// renamedBySQLite is cur after SQLite runs the renames of opts on an empty
// copy of it; nil when SQLite refuses them.
func renamedBySQLite(cur *schema.Schema, opts diff.Options) *schema.Schema {
	ctx := context.Background()
	conn, closeDB, err := schema.OpenMemory(ctx)
	if err != nil {
		return nil
	}
	defer closeDB()
	script := cur.CreateScript()
	for _, old := range slices.Sorted(maps.Keys(opts.TableRenames)) {
		script += fmt.Sprintf("ALTER TABLE %s RENAME TO %s;\n", sqltext.QuoteIdent(old), sqltext.QuoteIdent(opts.TableRenames[old]))
	}
	for _, table := range slices.Sorted(maps.Keys(opts.ColumnRenames)) {
		for _, old := range slices.Sorted(maps.Keys(opts.ColumnRenames[table])) {
			script += fmt.Sprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;\n", sqltext.QuoteIdent(table), sqltext.QuoteIdent(old), sqltext.QuoteIdent(opts.ColumnRenames[table][old]))
		}
	}
	if err := schema.ExecScript(ctx, conn, script); err != nil {
		return nil
	}
	s, err := schema.Inspect(ctx, conn)
	if err != nil {
		return nil
	}
	return s
}

// EqualSnap reports whether two snapshots hold the same rows.
func EqualSnap(a, b Snapshot) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}
