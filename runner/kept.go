package runner

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// object is a table, index, trigger or view of sqlite_master.
type object struct {
	kind, name, table string
}

func (o object) key() string { return o.kind + " " + strings.ToLower(o.name) }

// objects lists the database's tables, indexes (not SQLite's own),
// triggers and views, by key.
func (r *Runner) objects(ctx context.Context) (map[string]object, error) {
	rows, err := r.conn.QueryContext(ctx, "SELECT type, name, tbl_name FROM sqlite_master WHERE sql IS NOT NULL")
	if err != nil {
		return nil, fmt.Errorf("database %s: listing indexes, triggers and views: %w", r.path, err)
	}
	defer rows.Close()
	out := map[string]object{}
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.kind, &o.name, &o.table); err != nil {
			return nil, fmt.Errorf("database %s: listing indexes, triggers and views: %w", r.path, err)
		}
		out[o.key()] = o
	}
	return out, rows.Err()
}

// namedIn is every identifier and string of a revision, both sections,
// lower-cased: the objects the revision knows of.
func namedIn(rev *script.Revision) map[string]bool {
	out := map[string]bool{}
	for _, body := range []string{rev.Upgrade, rev.Downgrade} {
		toks, err := schema.Tokenize(body)
		if err != nil {
			continue // the runner reports it when it splits the section
		}
		for _, t := range toks {
			switch t.Kind {
			case schema.TokenIdent, schema.TokenQuotedIdent, schema.TokenString:
				out[strings.ToLower(t.Value)] = true
			}
		}
	}
	return out
}

// checkKept refuses a step that made an index or trigger vanish from a
// table that is still there, when the revision never names it. A rebuild's
// DROP TABLE takes the table's indexes and triggers with it and the
// revision creates again those it knows of; one made by hand on this
// database only would be lost in silence.
func checkKept(rev *script.Revision, verb string, before, after map[string]object, known map[string]bool) error {
	var lost []string
	for k, o := range before {
		if o.kind == "table" || known[strings.ToLower(o.name)] {
			continue
		}
		if _, ok := after[k]; ok {
			continue
		}
		_, table := after["table "+strings.ToLower(o.table)]
		_, view := after["view "+strings.ToLower(o.table)]
		if o.kind != "view" && !table && !view {
			continue // its table went, and everything on it
		}
		lost = append(lost, fmt.Sprintf("%s %s on %s", o.kind, o.name, o.table))
	}
	if len(lost) == 0 {
		return nil
	}
	sort.Strings(lost)
	return fmt.Errorf("revision %s (%s) %s would remove %s, which the revision never names (rebuilding a table drops its indexes and triggers, and these were made by hand on this database): add their CREATE statements after the rebuild, or drop them first", rev.ID, rev.Path, verb, strings.Join(lost, ", "))
}
