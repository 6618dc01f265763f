package runner

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/script"
)

// object is a table, index, trigger or view of sqlite_master.
type object struct {
	kind, name, table string
}

func (o object) key() string { return o.kind + " " + sqltext.FoldIdent(o.name) }

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

// namedIn is the indexes, triggers and views a revision creates or drops
// by name, in either section, lower-cased: the objects it knows of. Only
// CREATE and DROP statements count; a column or string of the same name
// does not.
func namedIn(rev *script.Revision) map[string]bool {
	out := map[string]bool{}
	for _, body := range []string{rev.Upgrade, rev.Downgrade} {
		stmts, err := sqltext.SplitStatements(body)
		if err != nil {
			continue // the runner reports it when it splits the section
		}
		for _, s := range stmts {
			if name := objectNamed(s); name != "" {
				out[sqltext.FoldIdent(name)] = true
			}
		}
	}
	return out
}

// objectNamed is the index, trigger or view a CREATE or DROP statement
// names ("CREATE UNIQUE INDEX IF NOT EXISTS main.x ..."), or "".
func objectNamed(stmt string) string {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return ""
	}
	var w []sqltext.Token
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			w = append(w, t)
		}
	}
	is := func(i int, words ...string) bool {
		return i < len(w) && slices.ContainsFunc(words, func(s string) bool { return sqltext.EqualIdent(w[i].Value, s) })
	}
	if !is(0, "CREATE", "DROP") {
		return ""
	}
	i := 1
	for is(i, "UNIQUE", "TEMP", "TEMPORARY") {
		i++
	}
	if !is(i, "INDEX", "TRIGGER", "VIEW") {
		return ""
	}
	i++
	if is(i, "IF") {
		i += 2 // IF [NOT] EXISTS
		if is(i-1, "NOT") {
			i++
		}
	}
	if i+2 < len(w) && w[i+1].Value == "." {
		i += 2 // schema-qualified
	}
	if i < len(w) {
		return w[i].Value
	}
	return ""
}

// checkKept refuses a step that made an index or trigger vanish from a
// table that is still there, when no revision of the chain names it. A
// rebuild's DROP TABLE takes the table's indexes and triggers with it and
// the revision creates again those it knows of; one made by hand on this
// database only would be lost in silence. One that another revision of the
// chain creates is the chain's: a rebuild autogen wrote after it was made
// by hand on the development database carries it from there on, so every
// database built from the revisions has it at that point, and a downgrade
// below that revision takes it away as the upgrade gives it back. Those
// are returned as notes for the log.
func checkKept(rev *script.Revision, verb string, before, after map[string]object, known map[string]bool, chain func() map[string]string) (notes []string, err error) {
	var lost []string
	for k, o := range before {
		if o.kind == "table" || known[sqltext.FoldIdent(o.name)] {
			continue
		}
		if _, ok := after[k]; ok {
			continue
		}
		_, table := after["table "+sqltext.FoldIdent(o.table)]
		_, view := after["view "+sqltext.FoldIdent(o.table)]
		if o.kind != "view" && !table && !view {
			continue // its table went, and everything on it
		}
		what := fmt.Sprintf("%s %s on %s", o.kind, o.name, o.table)
		if id := chain()[sqltext.FoldIdent(o.name)]; id != "" {
			notes = append(notes, fmt.Sprintf("The %s of %s removes %s, which revision %s creates", verb, rev.ID, what, id))
			continue
		}
		lost = append(lost, what)
	}
	sort.Strings(notes)
	if len(lost) == 0 {
		return notes, nil
	}
	sort.Strings(lost)
	return nil, fmt.Errorf("revision %s (%s) %s would remove %s, which no revision names (rebuilding a table drops its indexes and triggers, and these were made by hand on this database): add their CREATE statements after the rebuild, or drop them first", rev.ID, rev.Path, verb, strings.Join(lost, ", "))
}

// createdIn maps the indexes, triggers and views that a CREATE statement
// of the chain's revisions other than rev names (folded) to the first
// revision, base first, whose upgrade creates it, else whose downgrade does.
func createdIn(dir *script.Dir, rev *script.Revision) map[string]string {
	out := map[string]string{}
	for _, up := range []bool{true, false} {
		for _, r := range dir.Revisions() {
			if r.ID == rev.ID {
				continue
			}
			body := r.Downgrade
			if up {
				body = r.Upgrade
			}
			stmts, err := sqltext.SplitStatements(body)
			if err != nil {
				continue // the runner reports it when it runs that revision
			}
			for _, s := range stmts {
				name := objectNamed(s)
				k := sqltext.FoldIdent(name)
				if name != "" && out[k] == "" && startsWith(s, "CREATE") {
					out[k] = r.ID
				}
			}
		}
	}
	return out
}

// startsWith reports whether stmt's first word, comments aside, is word.
func startsWith(stmt, word string) bool {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		return false
	}
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			return sqltext.EqualIdent(t.Value, word)
		}
	}
	return false
}
