package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/autogen-dev/autogen/schema"
)

// indexTerm is one key column of an index.
type indexTerm struct {
	Term   string // the column's name as pg_get_indexdef writes it (quote_ident), or the expression
	Column string // the column's name, "" for an expression
	Option int    // indoption bits: 1 DESC, 2 NULLS FIRST
}

// indexRow is one row of the indexes query.
type indexRow struct {
	table, def                string
	head, qualified, quoted   string // what pg_get_indexdef writes before the key list, in parts
	using                     string
	key, options              string // indkey ("1 0 2": 0 for an expression), indoption ("0 3 0")
	keyCount                  int    // indnkeyatts
	exprs                     string // the expressions' texts in key order, a JSON array; "" when none
	unique, nullsNotDistinct  bool
	name, method, where, note string
}

// The indexes that back a PRIMARY KEY, UNIQUE or EXCLUDE constraint are the
// constraint's, not the table's. pg_get_indexdef is asked for the text of
// expression columns only: column names need no deparsing.
func (in *inspection) indexesQuery() string {
	return `SELECT c.relname, ic.relname, i.indisunique, am.amname, pg_get_indexdef(i.indexrelid),
	'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX ' || quote_ident(ic.relname) || ' ON '
		|| CASE WHEN ic.relkind = 'I' THEN 'ONLY ' ELSE '' END,
	quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(c.relname),
	' USING ' || quote_ident(am.amname) || ' (',
	coalesce(pg_get_expr(i.indpred, i.indrelid), ''), ` + in.nullsNotDistinct("i") + `,
	i.indkey::text, i.indoption::text, i.indnkeyatts,
	CASE WHEN i.indexprs IS NOT NULL THEN
		(SELECT json_agg(pg_get_indexdef(i.indexrelid, k, false) ORDER BY k) FROM generate_series(1, i.indnkeyatts) AS k
		WHERE i.indkey[k - 1] = 0)::text
	ELSE '' END,
	` + comment("'pg_class'", "ic.oid", "0") + `
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
WHERE c.relnamespace = ` + inSchema + ` AND i.indrelid ` + ofTables + `
	AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))
ORDER BY c.relname COLLATE "C", ic.relname COLLATE "C"`
}

func (in *inspection) readIndexes(ctx context.Context) error {
	return in.query(ctx, "indexes", in.indexesQuery(), func(rows *sql.Rows) error {
		var r indexRow
		if err := rows.Scan(&r.table, &r.name, &r.unique, &r.method, &r.def, &r.head, &r.qualified, &r.quoted,
			&r.using, &r.where, &r.nullsNotDistinct, &r.key, &r.options, &r.keyCount, &r.exprs, &r.note); err != nil {
			return err
		}
		t, err := in.table(r.table)
		if err != nil {
			return err
		}
		ix, err := r.index(t)
		if err != nil {
			return fmt.Errorf("index %q on %q: %w", r.name, r.table, err)
		}
		t.Indexes = append(t.Indexes, ix)
		return nil
	})
}

// terms lists the key columns of the index.
func (r *indexRow) terms(t *table) ([]indexTerm, error) {
	var exprs []string
	if r.exprs != "" {
		if err := json.Unmarshal([]byte(r.exprs), &exprs); err != nil {
			return nil, err
		}
	}
	nums, options := strings.Fields(r.key), strings.Fields(r.options)
	if len(nums) < r.keyCount || len(options) < r.keyCount {
		return nil, fmt.Errorf("indkey %q and indoption %q hold fewer than %d columns", r.key, r.options, r.keyCount)
	}
	terms := make([]indexTerm, r.keyCount)
	for i := range terms {
		num, err1 := strconv.Atoi(nums[i])
		opt, err2 := strconv.Atoi(options[i])
		if err := errors.Join(err1, err2); err != nil {
			return nil, err
		}
		terms[i].Option = opt
		if num == 0 {
			if len(exprs) == 0 {
				return nil, fmt.Errorf("key column %d is an expression the server did not give", i+1)
			}
			terms[i].Term, exprs = exprs[0], exprs[1:]
			continue
		}
		c := t.byNum[num]
		if c == nil {
			return nil, fmt.Errorf("table has no column %d", num)
		}
		terms[i].Term, terms[i].Column = t.quoted[num], c.Name
	}
	return terms, nil
}

// index builds the model of the index. The collation and operator class
// of each key column are read from pg_get_indexdef's text, which writes
// them only where they differ from the column's or expression's own: the
// catalogs hold the values, but not the defaults they differ from.
func (r *indexRow) index(t *table) (*schema.Index, error) {
	ix := &schema.Index{Name: r.name, Table: r.table, Unique: r.unique, Where: r.where,
		NullsNotDistinct: r.nullsNotDistinct, Comment: r.note}
	if r.method != "btree" {
		ix.Method = r.method
	}
	terms, err := r.terms(t)
	if err != nil {
		return nil, err
	}
	if ix.Include, err = t.include(r.key, r.keyCount); err != nil {
		return nil, err
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
