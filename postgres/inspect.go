package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/schema"
)

// InspectOptions says which schema Inspect reads.
type InspectOptions struct {
	// Schema is the PostgreSQL schema to read; "" means the first existing
	// schema of the connection's search_path (current_schema(), "public"
	// by default).
	Schema string
	// Skip names tables left out with everything on them: the version
	// table.
	Skip []string
}

// Inspect reads one schema of the database behind db into the schema
// model, in a read-only REPEATABLE READ transaction so that its handful of
// queries see one snapshot. The number of queries does not grow with the
// number of tables.
func Inspect(ctx context.Context, db *sql.DB, opts InspectOptions) (*schema.Schema, error) {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return InspectTx(ctx, tx, opts)
}

// InspectTx is Inspect inside the caller's transaction, which sees what the
// transaction has created. It sets search_path for the length of its
// queries (the server qualifies in its deparsed text every name the path
// does not reach, so the path decides how types and defaults read) and
// puts the caller's back.
func InspectTx(ctx context.Context, tx *sql.Tx, opts InspectOptions) (_ *schema.Schema, err error) {
	var name, oldPath string
	var found bool
	err = tx.QueryRowContext(ctx, `SELECT coalesce(nullif($1, ''), current_schema(), ''), current_setting('search_path'),
	EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = coalesce(nullif($1, ''), current_schema()))`, opts.Schema).
		Scan(&name, &oldPath, &found)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	switch {
	case name == "":
		return nil, errors.New("inspect: no schema of the search_path exists; name one or create it")
	case !found:
		return nil, fmt.Errorf("inspect: schema %q does not exist", name)
	}
	if _, err := tx.ExecContext(ctx, setPathQuery, name); err != nil {
		return nil, fmt.Errorf("inspect: set search_path: %w", err)
	}
	defer func() {
		if _, rerr := tx.ExecContext(ctx, `SELECT set_config('search_path', $1, true)`, oldPath); rerr != nil && err == nil {
			err = fmt.Errorf("inspect: restore search_path: %w", rerr)
		}
	}()
	skip, err := json.Marshal(append([]string{}, opts.Skip...))
	if err != nil {
		return nil, err
	}
	in := &inspection{tx: tx, args: []any{name, string(skip)}, s: &schema.Schema{Name: name}, tables: map[string]*schema.Table{}}
	for _, step := range []func(context.Context) error{
		in.readTables, in.readColumns, in.readSequences, in.readConstraints,
		in.readIndexes, in.readViews, in.readTriggers, in.readEnums, in.readFunctions,
	} {
		if err := step(ctx); err != nil {
			return nil, err
		}
	}
	return in.s, nil
}

// setPathQuery puts the inspected schema first on the search_path, then
// the schemas extensions live in, so that extension types (hstore, citext)
// read unqualified on both sides of a comparison.
const setPathQuery = `SELECT set_config('search_path',
	(SELECT string_agg(quote_ident(s), ', ' ORDER BY o) FROM (
		SELECT $1::text, 0 UNION ALL
		SELECT DISTINCT n.nspname, 1 FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
		WHERE n.nspname NOT IN ($1, 'pg_catalog')) AS p(s, o)), true)`

// inspection is one run of InspectTx.
type inspection struct {
	tx     *sql.Tx
	args   []any // $1 the schema name, $2 the skipped tables as a JSON array
	s      *schema.Schema
	tables map[string]*schema.Table
}

// Filters shared by the queries: relations of the schema, not members of
// an extension (PostGIS's spatial_ref_sys), not skipped.
const (
	inSchema  = `(SELECT oid FROM pg_namespace WHERE nspname = $1)`
	notMember = `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = %s::regclass AND e.objid = %s AND e.deptype = 'e')`
	ofTable   = `c.relnamespace = ` + inSchema + ` AND c.relkind IN ('r', 'p')
	AND NOT c.relname IN (SELECT json_array_elements_text($2::json))
	AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')`
	description = `coalesce((SELECT description FROM pg_description d WHERE d.classoid = %s::regclass AND d.objoid = %s AND d.objsubid = %s), '')`
)

// collationName writes collation co (of namespace cn) as pg_get_indexdef
// does: quoted, and qualified when the search_path does not reach it.
const collationName = `CASE WHEN pg_collation_is_visible(co.oid) THEN quote_ident(co.collname)
	ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END`

func member(catalog, oid string) string { return fmt.Sprintf(notMember, catalog, oid) }

func comment(catalog, oid, sub string) string { return fmt.Sprintf(description, catalog, oid, sub) }

// query runs text with the inspection's arguments and calls scan per row.
func (in *inspection) query(ctx context.Context, what, text string, scan func(*sql.Rows) error) error {
	args := in.args
	if !strings.Contains(text, "$2") { // the server refuses an unused parameter
		args = args[:1]
	}
	rows, err := in.tx.QueryContext(ctx, text, args...)
	if err != nil {
		return fmt.Errorf("inspect %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("inspect %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("inspect %s: %w", what, err)
	}
	return nil
}

func (in *inspection) table(name string) (*schema.Table, error) {
	t := in.tables[name]
	if t == nil {
		return nil, fmt.Errorf("table %q is not in the schema read a moment ago", name)
	}
	return t, nil
}

func (in *inspection) readTables(ctx context.Context) error {
	q := `SELECT c.relname, ` + comment("'pg_class'", "c.oid", "0") + `
FROM pg_class c WHERE ` + ofTable + ` ORDER BY c.relname COLLATE "C"`
	return in.query(ctx, "tables", q, func(rows *sql.Rows) error {
		t := &schema.Table{}
		if err := rows.Scan(&t.Name, &t.Comment); err != nil {
			return err
		}
		in.tables[t.Name] = t
		in.s.Tables = append(in.s.Tables, t)
		return nil
	})
}

func (in *inspection) readColumns(ctx context.Context) error {
	q := `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
	coalesce(pg_get_expr(ad.adbin, ad.adrelid), ''), a.attidentity::text, a.attgenerated::text,
	coalesce((SELECT ` + collationName + ` FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
		WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation), ''),
	` + comment("'pg_class'", "c.oid", "a.attnum") + `
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE ` + ofTable + ` ORDER BY c.relname COLLATE "C", a.attnum`
	return in.query(ctx, "columns", q, func(rows *sql.Rows) error {
		var table, identity, generated string
		c := &schema.Column{}
		if err := rows.Scan(&table, &c.Name, &c.Type, &c.NotNull, &c.Default, &identity, &generated, &c.Collation, &c.Comment); err != nil {
			return err
		}
		t, err := in.table(table)
		if err != nil {
			return err
		}
		switch identity {
		case "a":
			c.Identity = "ALWAYS"
		case "d":
			c.Identity = "BY DEFAULT"
		}
		if generated == "s" {
			c.Generated, c.Stored, c.Default = c.Default, true, ""
		}
		c.Position = len(t.Columns)
		t.Columns = append(t.Columns, c)
		return nil
	})
}

// readSequences gives each serial or identity column the sequence it owns;
// the others are the schema's own.
func (in *inspection) readSequences(ctx context.Context) error {
	q := `SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
	coalesce(t.relname, ''), coalesce(a.attname, ''), coalesce(d.deptype::text, ''),
	format('nextval(%L::regclass)', c.oid::regclass)
FROM pg_class c
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
	AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE c.relnamespace = ` + inSchema + ` AND c.relkind = 'S' AND ` + member("'pg_class'", "c.oid") + `
ORDER BY c.relname COLLATE "C"`
	return in.query(ctx, "sequences", q, func(rows *sql.Rows) error {
		sq := &schema.Sequence{}
		var table, column, deptype, nextval string
		if err := rows.Scan(&sq.Name, &sq.Type, &sq.Start, &sq.Increment, &sq.Min, &sq.Max, &sq.Cache, &sq.Cycle,
			&table, &column, &deptype, &nextval); err != nil {
			return err
		}
		// A column owns the sequence it is the identity of, or the one its
		// serial default draws from; a sequence merely OWNED BY a column
		// stays the schema's.
		if c := in.column(table, column); c != nil && c.Sequence == nil &&
			(deptype == "i" && c.Identity != "" || deptype == "a" && c.Default == nextval) {
			c.Sequence = sq
			return nil
		}
		in.s.Sequences = append(in.s.Sequences, sq)
		return nil
	})
}

// column finds a column by its exact name (PostgreSQL names are case
// sensitive), nil when there is none.
func (in *inspection) column(table, name string) *schema.Column {
	if t := in.tables[table]; t != nil {
		for _, c := range t.Columns {
			if c.Name == name {
				return c
			}
		}
	}
	return nil
}

// constraintRow is one row of the constraints query.
type constraintRow struct {
	table, name, kind            string
	deferrable, deferred, valid  bool
	noInherit, nullsNotDistinct  bool
	columns, include, refColumns string // JSON arrays
	refTable, refSchema          string
	onUpdate, onDelete, match    string
	check                        string
}

func (in *inspection) readConstraints(ctx context.Context) error {
	q := `SELECT c.relname, k.conname, k.contype::text, k.condeferrable, k.condeferred, k.convalidated, k.connoinherit,
	coalesce((to_jsonb(ix) ->> 'indnullsnotdistinct')::boolean, false),
	coalesce((SELECT json_agg(a.attname ORDER BY n.i) FROM unnest(k.conkey) WITH ORDINALITY n(num, i)
		JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = n.num), '[]')::text,
	coalesce((SELECT json_agg(a.attname ORDER BY n.i) FROM unnest(ix.indkey::int2[]) WITH ORDINALITY n(num, i)
		JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = n.num WHERE n.i > ix.indnkeyatts), '[]')::text,
	coalesce((SELECT json_agg(a.attname ORDER BY n.i) FROM unnest(k.confkey) WITH ORDINALITY n(num, i)
		JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = n.num), '[]')::text,
	coalesce(f.relname, ''), coalesce(CASE WHEN f.relnamespace <> c.relnamespace THEN fn.nspname END, ''),
	k.confupdtype::text, k.confdeltype::text, k.confmatchtype::text,
	CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) ELSE '' END
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_index ix ON ix.indexrelid = k.conindid AND k.contype IN ('p', 'u')
LEFT JOIN pg_class f ON f.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
WHERE k.contype IN ('p', 'u', 'f', 'c') AND ` + ofTable + `
ORDER BY c.relname COLLATE "C", k.conname COLLATE "C"`
	return in.query(ctx, "constraints", q, func(rows *sql.Rows) error {
		var r constraintRow
		if err := rows.Scan(&r.table, &r.name, &r.kind, &r.deferrable, &r.deferred, &r.valid, &r.noInherit,
			&r.nullsNotDistinct, &r.columns, &r.include, &r.refColumns, &r.refTable, &r.refSchema,
			&r.onUpdate, &r.onDelete, &r.match, &r.check); err != nil {
			return err
		}
		t, err := in.table(r.table)
		if err != nil {
			return err
		}
		return addConstraint(t, &r)
	})
}

func addConstraint(t *schema.Table, r *constraintRow) error {
	var cols, include, refCols []string
	for _, a := range []struct {
		text string
		dst  *[]string
	}{{r.columns, &cols}, {r.include, &include}, {r.refColumns, &refCols}} {
		if err := json.Unmarshal([]byte(a.text), a.dst); err != nil {
			return fmt.Errorf("constraint %q on %q: %w", r.name, r.table, err)
		}
	}
	if len(include) == 0 {
		include = nil
	}
	deferral := deferralClause(r.deferrable, r.deferred)
	switch r.kind {
	case "p":
		t.PrimaryKey = &schema.PrimaryKey{Name: r.name, Columns: cols, Deferrable: deferral, Include: include}
	case "u":
		t.Uniques = append(t.Uniques, &schema.Unique{Name: r.name, Columns: cols, Deferrable: deferral,
			Include: include, NullsNotDistinct: r.nullsNotDistinct})
	case "c":
		t.Checks = append(t.Checks, &schema.Check{Name: r.name, Expr: r.check, NotValid: !r.valid, NoInherit: r.noInherit})
	case "f":
		fk := &schema.ForeignKey{Name: r.name, Columns: cols, RefTable: r.refTable, RefColumns: refCols,
			OnUpdate: refAction(r.onUpdate), OnDelete: refAction(r.onDelete), Deferrable: deferral,
			RefSchema: r.refSchema, NotValid: !r.valid}
		if r.match == "f" {
			fk.Match = "FULL"
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	return nil
}

func deferralClause(deferrable, deferred bool) string {
	switch {
	case deferred:
		return "DEFERRABLE INITIALLY DEFERRED"
	case deferrable:
		return "DEFERRABLE"
	}
	return ""
}

// refAction spells pg_constraint's one-letter action codes.
func refAction(code string) string {
	switch code {
	case "r":
		return "RESTRICT"
	case "c":
		return "CASCADE"
	case "n":
		return "SET NULL"
	case "d":
		return "SET DEFAULT"
	}
	return "NO ACTION"
}

func (in *inspection) readViews(ctx context.Context) error {
	q := `SELECT c.relname, quote_ident(c.relname), c.relkind = 'm', coalesce(array_to_string(c.reloptions, ', '), ''),
	pg_get_viewdef(c.oid, true), ` + comment("'pg_class'", "c.oid", "0") + `
FROM pg_class c
WHERE c.relnamespace = ` + inSchema + ` AND c.relkind IN ('v', 'm') AND ` + member("'pg_class'", "c.oid") + `
ORDER BY c.relname COLLATE "C"`
	return in.query(ctx, "views", q, func(rows *sql.Rows) error {
		v := &schema.View{}
		var quoted, options, def string
		if err := rows.Scan(&v.Name, &quoted, &v.Materialized, &options, &def, &v.Comment); err != nil {
			return err
		}
		kind := "VIEW"
		if v.Materialized {
			kind = "MATERIALIZED VIEW"
		}
		head := "CREATE " + kind + " " + quoted
		if options != "" {
			head += " WITH (" + options + ")"
		}
		v.SQL = head + " AS\n" + strings.TrimRight(def, ";")
		in.s.Views = append(in.s.Views, v)
		return nil
	})
}

func (in *inspection) readTriggers(ctx context.Context) error {
	q := `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid, true)
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE c.relnamespace = ` + inSchema + ` AND NOT t.tgisinternal
	AND NOT c.relname IN (SELECT json_array_elements_text($2::json))
ORDER BY t.tgname COLLATE "C", c.relname COLLATE "C"`
	return in.query(ctx, "triggers", q, func(rows *sql.Rows) error {
		tr := &schema.Trigger{}
		if err := rows.Scan(&tr.Table, &tr.Name, &tr.SQL); err != nil {
			return err
		}
		in.s.Triggers = append(in.s.Triggers, tr)
		return nil
	})
}

func (in *inspection) readEnums(ctx context.Context) error {
	q := `SELECT t.typname,
	coalesce((SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '[]')::text,
	` + comment("'pg_type'", "t.oid", "0") + `
FROM pg_type t
WHERE t.typnamespace = ` + inSchema + ` AND t.typtype = 'e' AND ` + member("'pg_type'", "t.oid") + `
ORDER BY t.typname COLLATE "C"`
	return in.query(ctx, "enums", q, func(rows *sql.Rows) error {
		e := &schema.Enum{}
		var values string
		if err := rows.Scan(&e.Name, &values, &e.Comment); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(values), &e.Values); err != nil {
			return fmt.Errorf("enum %q: %w", e.Name, err)
		}
		in.s.Enums = append(in.s.Enums, e)
		return nil
	})
}

func (in *inspection) readFunctions(ctx context.Context) error {
	q := `SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid),
	quote_ident(n.nspname) || '.' || quote_ident(p.proname), quote_ident(p.proname)
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.pronamespace = ` + inSchema + ` AND p.prokind IN ('f', 'p') AND ` + member("'pg_proc'", "p.oid") + `
ORDER BY p.proname COLLATE "C", pg_get_function_identity_arguments(p.oid) COLLATE "C"`
	return in.query(ctx, "functions", q, func(rows *sql.Rows) error {
		f := &schema.Function{}
		var qualified, quoted string
		if err := rows.Scan(&f.Name, &f.Args, &f.SQL, &qualified, &quoted); err != nil {
			return err
		}
		// pg_get_functiondef always qualifies the name; the schema's name
		// is not part of what the function is.
		f.SQL = strings.Replace(f.SQL, qualified+"(", quoted+"(", 1)
		in.s.Functions = append(in.s.Functions, f)
		return nil
	})
}
