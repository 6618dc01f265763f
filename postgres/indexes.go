package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/schema"
)

// indexTerm is one key column of an index, as the indexes query gives it.
type indexTerm struct {
	Term   string `json:"term"`   // pg_get_indexdef's text of the column alone: its name or expression
	Column string `json:"column"` // the column's name, "" for an expression
	Option int    `json:"option"` // indoption bits: 1 DESC, 2 NULLS FIRST
}

// indexRow is one row of the indexes query.
type indexRow struct {
	table, def                string
	head, qualified, quoted   string // what pg_get_indexdef writes before the key list, in parts
	using                     string
	terms, include            string // JSON
	unique, nullsNotDistinct  bool
	name, method, where, note string
}

// The indexes that back a PRIMARY KEY, UNIQUE or EXCLUDE constraint are the
// constraint's, not the table's.
const indexesQuery = `SELECT c.relname, ic.relname, i.indisunique, am.amname, pg_get_indexdef(i.indexrelid),
	'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(ic.relname) || ' ON '
		|| CASE WHEN ic.relkind = 'I' THEN 'ONLY ' ELSE '' END,
	quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(c.relname),
	' USING ' || quote_ident(am.amname) || ' (',
	coalesce(pg_get_expr(i.indpred, i.indrelid), ''), ` + nullsNotDistinctColumn + `,
	(SELECT json_agg(json_build_object(
		'term', pg_get_indexdef(i.indexrelid, k.i, false),
		'column', coalesce(ta.attname, ''),
		'option', i.indoption[k.i - 1]) ORDER BY k.i)
	FROM generate_series(1, i.indnkeyatts) AS k(i)
	LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.i - 1] AND i.indkey[k.i - 1] > 0)::text,
	coalesce((SELECT json_agg(a.attname ORDER BY k.i) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, i)
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num WHERE k.i > i.indnkeyatts), '[]')::text,
	coalesce((SELECT description FROM pg_description d WHERE d.classoid = 'pg_class'::regclass AND d.objoid = ic.oid AND d.objsubid = 0), '')
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE ` + ofTable + `
	AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
ORDER BY c.relname COLLATE "C", ic.relname COLLATE "C"`

// nullsNotDistinctColumn reads pg_index.indnullsnotdistinct, which
// PostgreSQL 15 added, through to_jsonb so that older servers read false.
const nullsNotDistinctColumn = `coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false)`

func (in *inspection) readIndexes(ctx context.Context) error {
	return in.query(ctx, "indexes", indexesQuery, func(rows *sql.Rows) error {
		var r indexRow
		if err := rows.Scan(&r.table, &r.name, &r.unique, &r.method, &r.def, &r.head, &r.qualified, &r.quoted,
			&r.using, &r.where, &r.nullsNotDistinct, &r.terms, &r.include, &r.note); err != nil {
			return err
		}
		t, err := in.table(r.table)
		if err != nil {
			return err
		}
		ix, err := r.index()
		if err != nil {
			return fmt.Errorf("index %q on %q: %w", r.name, r.table, err)
		}
		t.Indexes = append(t.Indexes, ix)
		return nil
	})
}

// index builds the model of the index. The collation and operator class
// of each key column are read from pg_get_indexdef's text, which writes
// them only where they differ from the column's or expression's own: the
// catalogs hold the values, but not the defaults they differ from.
func (r *indexRow) index() (*schema.Index, error) {
	ix := &schema.Index{Name: r.name, Table: r.table, Unique: r.unique, Where: r.where,
		NullsNotDistinct: r.nullsNotDistinct, Comment: r.note}
	if r.method != "btree" {
		ix.Method = r.method
	}
	var terms []indexTerm
	if err := json.Unmarshal([]byte(r.terms), &terms); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(r.include), &ix.Include); err != nil {
		return nil, err
	}
	if len(ix.Include) == 0 {
		ix.Include = nil
	}
	prefix := r.head + r.qualified + r.using
	rest, ok := strings.CutPrefix(r.def, prefix)
	if !ok {
		return nil, fmt.Errorf("pg_get_indexdef gives %q, which does not start %q", r.def, prefix)
	}
	// pg_get_indexdef names the table with its schema; the schema's name is
	// not part of the index (a scratch schema's index is the same index).
	ix.SQL = r.head + r.quoted + r.using + rest
	for i, term := range terms {
		after, ok := strings.CutPrefix(rest, term.Term)
		if !ok {
			return nil, fmt.Errorf("pg_get_indexdef gives %q where key column %d, %q, is expected", rest, i+1, term.Term)
		}
		end := termEnd(after)
		c, err := term.column(after[:end])
		if err != nil {
			return nil, fmt.Errorf("key column %d: %w", i+1, err)
		}
		ix.Columns = append(ix.Columns, c)
		rest = strings.TrimPrefix(after[end:], ", ")
	}
	return ix, nil
}

// termEnd is where the options after a key column end: at the comma or
// closing parenthesis outside parentheses and quoted names.
func termEnd(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
				i += j + 1 // a doubled quote inside reads as two quoted runs
			}
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		case ',':
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

// column reads the options pg_get_indexdef wrote after the term:
// [COLLATE name] [opclass [(options)]] [DESC] [NULLS FIRST|LAST]. The
// order bits come from indoption; NULLS is kept only where it is not the
// default for the direction.
func (term indexTerm) column(options string) (schema.IndexColumn, error) {
	c := schema.IndexColumn{Desc: term.Option&1 != 0}
	if term.Column != "" {
		c.Name = term.Column
	} else {
		c.Expr = term.Term
	}
	if nullsFirst := term.Option&2 != 0; nullsFirst != c.Desc {
		c.Nulls = map[bool]string{true: "FIRST", false: "LAST"}[nullsFirst]
	}
	rest := options
	for _, word := range []string{" NULLS FIRST", " NULLS LAST", " DESC"} {
		rest = strings.TrimSuffix(rest, word)
	}
	if after, ok := strings.CutPrefix(rest, " COLLATE "); ok {
		n := qualifiedNameLen(after)
		if n == 0 {
			return c, fmt.Errorf("no collation name in %q", options)
		}
		c.Collation, rest = after[:n], after[n:]
	}
	c.OpClass = strings.TrimSpace(rest)
	return c, nil
}

// qualifiedNameLen is the length of the name (quoted or not, maybe
// schema-qualified) that s starts with.
func qualifiedNameLen(s string) int {
	i := 0
	for {
		if i < len(s) && s[i] == '"' {
			j := i + 1
			for {
				k := strings.IndexByte(s[j:], '"')
				if k < 0 {
					return 0
				}
				j += k + 1
				if j >= len(s) || s[j] != '"' { // "" inside is a quote
					break
				}
				j++
			}
			i = j
		} else {
			start := i
			for i < len(s) && s[i] != ' ' && s[i] != '.' && s[i] != '"' {
				i++
			}
			if i == start {
				return 0
			}
		}
		if i >= len(s) || s[i] != '.' {
			return i
		}
		i++
	}
}
