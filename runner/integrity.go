package runner

import (
	"context"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// SQLite notices a damaged page only when it reads it, which a revision may
// do halfway, after it has written into other damaged pages or allocated
// pages from a damaged freelist. So before a revision writes, the runner
// checks with PRAGMA quick_check what it may write: sqlite_schema and the
// freelist (quick_check(sqlite_schema) walks the freelist too) at the start
// of a connection's first transaction and of any after another connection
// committed (PRAGMA data_version), the version table before it is written,
// and each
// existing table, with its indexes, before the first statement that names
// it, directly or through a trigger it fires.
// Checking the whole file instead costs a read of every page (about 0.5 s
// of CPU for 150 MB) before a change that may touch none of them. A table
// is checked once per run: the runner's own writes go through SQLite.

// objectInfo is a row of sqlite_schema.
type objectInfo struct {
	kind, name, table, sql string
}

// liveSchema is sqlite_schema by folded name, and the triggers by the
// folded name of the table or view they are on.
type liveSchema struct {
	byName    map[string]objectInfo
	triggerOn map[string][]objectInfo
}

func (r *Runner) readLiveSchema(ctx context.Context) (*liveSchema, error) {
	rows, err := r.conn.QueryContext(ctx, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema")
	if err != nil {
		return nil, fmt.Errorf("database %s: reading sqlite_schema: %w", r.path, err)
	}
	defer rows.Close()
	s := &liveSchema{byName: map[string]objectInfo{}, triggerOn: map[string][]objectInfo{}}
	for rows.Next() {
		var o objectInfo
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			return nil, fmt.Errorf("database %s: reading sqlite_schema: %w", r.path, err)
		}
		s.byName[sqltext.FoldIdent(o.name)] = o
		if o.kind == "trigger" {
			k := sqltext.FoldIdent(o.table)
			s.triggerOn[k] = append(s.triggerOn[k], o)
		}
	}
	return s, rows.Err()
}

// checkBeforeWrite checks sqlite_schema and the freelist, and SQLite's own
// tables that statements write without naming them (AUTOINCREMENT's
// counters, ANALYZE's statistics), at the start of each transaction.
//
// Once they passed on this connection, they are not checked again until
// another connection commits (known): what the runner wrote since went
// through SQLite.
func (r *Runner) checkBeforeWrite(ctx context.Context) error {
	if r.known.schemaOK && r.known.conn == r.conn {
		return nil
	}
	if err := r.quickCheck(ctx, "sqlite_schema", "the schema or the list of free pages"); err != nil {
		return err
	}
	names, err := queryStrings(ctx, r.conn, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('sqlite_sequence', 'sqlite_stat1', 'sqlite_stat4')")
	if err != nil {
		return fmt.Errorf("database %s: reading sqlite_schema: %w", r.path, err)
	}
	for _, t := range names {
		if err := r.checkTable(ctx, t); err != nil {
			return err
		}
	}
	r.known.schemaOK = r.known.conn == r.conn
	return nil
}

// checkVersionWrite is checkBeforeWrite and the version table.
func (r *Runner) checkVersionWrite(ctx context.Context) error {
	if err := r.checkBeforeWrite(ctx); err != nil {
		return err
	}
	return r.checkTable(ctx, r.table)
}

// checkTouched checks the existing tables stmt may write: the tables it
// names, the tables of the indexes it names, and, through the triggers on
// any of them (or on a view it names), the tables those triggers name.
func (r *Runner) checkTouched(ctx context.Context, live *liveSchema, stmt string) error {
	toks, err := sqltext.Tokenize(stmt)
	if err != nil {
		// Not readable here (SQLite will say why): check every table.
		for _, o := range live.byName {
			if o.kind == "table" {
				if err := r.checkTable(ctx, o.name); err != nil {
					return err
				}
			}
		}
		return nil
	}
	seen := map[string]bool{}
	var work []string
	add := func(name string) {
		if k := sqltext.FoldIdent(name); !seen[k] {
			seen[k] = true
			work = append(work, k)
		}
	}
	for _, t := range toks {
		if t.Kind == sqltext.TokenIdent || t.Kind == sqltext.TokenQuotedIdent || t.Kind == sqltext.TokenString {
			add(t.Value)
		}
	}
	for ; len(work) > 0; work = work[1:] {
		o, ok := live.byName[work[0]]
		if !ok {
			continue
		}
		switch o.kind {
		case "table":
			if err := r.checkTable(ctx, o.name); err != nil {
				return err
			}
		case "index":
			add(o.table)
		}
		for _, tr := range live.triggerOn[work[0]] {
			add(tr.name)
			if body, err := sqltext.Tokenize(tr.sql); err == nil {
				for _, t := range body {
					if t.Kind == sqltext.TokenIdent || t.Kind == sqltext.TokenQuotedIdent || t.Kind == sqltext.TokenString {
						add(t.Value)
					}
				}
			}
		}
	}
	return nil
}

// checkTable checks table and its indexes, once per run.
func (r *Runner) checkTable(ctx context.Context, table string) error {
	k := sqltext.FoldIdent(table)
	if r.checked[k] {
		return nil
	}
	if err := r.quickCheck(ctx, table, "table "+table+" or its indexes"); err != nil {
		return err
	}
	if r.checked == nil {
		r.checked = map[string]bool{}
	}
	r.checked[k] = true
	return nil
}

// quickCheck runs PRAGMA quick_check on one table; what names it in the
// error.
func (r *Runner) quickCheck(ctx context.Context, table, what string) error {
	problems, err := queryStrings(ctx, r.conn, "PRAGMA quick_check("+sqltext.QuoteString(table)+")")
	if code(err) == codeCorrupt || code(err) == codeNotADB {
		problems, err = []string{err.Error()}, nil
	}
	if err != nil {
		return fmt.Errorf("database %s: checking %s: %w", r.path, what, err)
	}
	var found []string
	for _, p := range problems {
		for _, line := range strings.Split(p, "\n") {
			// quick_check heads its report with the database it is about.
			if line != "ok" && !strings.HasPrefix(line, "*** in database") {
				found = append(found, line)
			}
		}
	}
	if len(found) > 0 {
		return fmt.Errorf("database %s is corrupt in %s (%s), which the revision would write", r.path, what, sqltext.FirstLine(strings.Join(found, "; ")))
	}
	return nil
}
