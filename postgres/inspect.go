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
// model, in a read-only REPEATABLE READ transaction so that its queries
// see one snapshot. It runs ten queries whatever the number of tables.
// Names are compared exactly (PostgreSQL keeps their case); types,
// defaults and expressions are the server's deparsed text; collations and
// operator classes are written as SQL (quoted where need be).
//
// Extension members (PostGIS's spatial_ref_sys) are left out, and so are
// what the model does not hold yet: exclusion constraints, partitioning,
// row-level security policies, rules, grants.
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
	var version int
	err = tx.QueryRowContext(ctx, `SELECT coalesce(nullif($1, ''), current_schema(), ''), current_setting('search_path'),
	EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = coalesce(nullif($1, ''), current_schema())),
	current_setting('server_version_num')::int`, opts.Schema).Scan(&name, &oldPath, &found, &version)
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
	in := &inspection{tx: tx, schemaName: name, version: version, s: &schema.Schema{Name: name},
		tables: map[string]*table{}}
	if err := in.readTables(ctx, opts.Skip); err != nil {
		return nil, err
	}
	for _, step := range []func(context.Context) error{
		in.readColumns, in.readSequences, in.readConstraints, in.readIndexes,
		in.readViews, in.readTriggers, in.readEnums, in.readFunctions,
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
	tx         *sql.Tx
	schemaName string
	version    int    // server_version_num
	oids       string // the inspected tables' oids, a JSON array: the $2 of the queries after the first
	s          *schema.Schema
	tables     map[string]*table
}

// table is a table being read, with what the later queries need to turn
// column numbers into names.
type table struct {
	*schema.Table
	byNum  map[int]*schema.Column
	quoted map[int]string // quote_ident of each column's name
}

// Filters shared by the queries.
const (
	inSchema  = `(SELECT oid FROM pg_namespace WHERE nspname = $1)`
	ofTables  = `IN (SELECT json_array_elements_text($2::json)::oid)` // with inSchema beside it, so that $1 is used too
	notMember = `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = %s::regclass AND e.objid = %s AND e.deptype = 'e')`
)

// member is the filter leaving out the objects an extension owns.
func member(catalog, oid string) string { return fmt.Sprintf(notMember, catalog, oid) }

// comment is the COMMENT ON text of an object, ” when none.
func comment(catalog, oid, sub string) string {
	return fmt.Sprintf(`coalesce((SELECT description FROM pg_description d WHERE d.classoid = %s::regclass AND d.objoid = %s AND d.objsubid = %s), '')`,
		catalog, oid, sub)
}

// query runs text and calls scan per row. Its arguments are the schema's
// name and the tables' oids, whichever the text uses: the server refuses
// an unused parameter.
func (in *inspection) query(ctx context.Context, what, text string, scan func(*sql.Rows) error, args ...any) error {
	if args == nil {
		args = []any{in.schemaName, in.oids}
		if !strings.Contains(text, "$2") {
			args = args[:1]
		}
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

func (in *inspection) table(name string) (*table, error) {
	t := in.tables[name]
	if t == nil {
		return nil, fmt.Errorf("table %q is not in the schema read a moment ago", name)
	}
	return t, nil
}

// columnNames maps PostgreSQL's column numbers ("{1,2}" or "1 2") to t's
// column names.
func (t *table) columnNames(nums string) ([]string, error) {
	var names []string
	for _, f := range strings.FieldsFunc(nums, func(r rune) bool { return r == '{' || r == '}' || r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("column number %q: %w", f, err)
		}
		c := t.byNum[n]
		if c == nil {
			return nil, fmt.Errorf("table %q has no column %d", t.Name, n)
		}
		names = append(names, c.Name)
	}
	return names, nil
}

func (in *inspection) readTables(ctx context.Context, skip []string) error {
	skipped, err := json.Marshal(append([]string{}, skip...))
	if err != nil {
		return err
	}
	q := `SELECT c.oid::int8, c.relname, ` + comment("'pg_class'", "c.oid", "0") + `
FROM pg_class c
WHERE c.relnamespace = ` + inSchema + ` AND c.relkind IN ('r', 'p')
	AND NOT c.relname IN (SELECT json_array_elements_text($2::json)) AND ` + member("'pg_class'", "c.oid") + `
ORDER BY c.relname COLLATE "C"`
	oids := []int64{}
	err = in.query(ctx, "tables", q, func(rows *sql.Rows) error {
		t := &table{Table: &schema.Table{}, byNum: map[int]*schema.Column{}, quoted: map[int]string{}}
		var oid int64
		if err := rows.Scan(&oid, &t.Name, &t.Comment); err != nil {
			return err
		}
		oids = append(oids, oid)
		in.tables[t.Name] = t
		in.s.Tables = append(in.s.Tables, t.Table)
		return nil
	}, in.schemaName, string(skipped))
	if err != nil {
		return err
	}
	list, err := json.Marshal(oids)
	in.oids = string(list)
	return err
}

// readColumns reads every column. A default is deparsed without its
// table (it cannot name a column), which spares the server opening each
// table; a generated column's expression names columns and needs it.
func (in *inspection) readColumns(ctx context.Context) error {
	q := `SELECT c.relname, a.attnum, a.attname, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), a.attnotnull,
	coalesce(pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END), ''),
	a.attidentity::text, a.attgenerated::text,
	coalesce((SELECT ` + collationName + ` FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
		WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation), ''),
	` + comment("'pg_class'", "c.oid", "a.attnum") + `
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE c.relnamespace = ` + inSchema + ` AND c.oid ` + ofTables + `
ORDER BY c.relname COLLATE "C", a.attnum`
	return in.query(ctx, "columns", q, func(rows *sql.Rows) error {
		var tableName, quoted, identity, generated string
		var num int
		c := &schema.Column{}
		if err := rows.Scan(&tableName, &num, &c.Name, &quoted, &c.Type, &c.NotNull, &c.Default, &identity, &generated,
			&c.Collation, &c.Comment); err != nil {
			return err
		}
		t, err := in.table(tableName)
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
		t.byNum[num], t.quoted[num] = c, quoted
		return nil
	})
}

// collationName writes collation co (of namespace cn) as pg_get_indexdef
// does: quoted, and qualified when the search_path does not reach it.
const collationName = `CASE WHEN pg_collation_is_visible(co.oid) THEN quote_ident(co.collname)
	ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END`

// readSequences gives each serial or identity column the sequence it owns;
// the others are the schema's own.
func (in *inspection) readSequences(ctx context.Context) error {
	q := `SELECT c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
	coalesce(t.relname, ''), coalesce(d.refobjsubid, 0), coalesce(d.deptype::text, ''),
	format('nextval(%L::regclass)', c.oid::regclass)
FROM pg_class c
JOIN pg_sequence s ON s.seqrelid = c.oid
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
	AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid AND t.relnamespace = c.relnamespace
WHERE c.relnamespace = ` + inSchema + ` AND c.relkind = 'S' AND ` + member("'pg_class'", "c.oid") + `
ORDER BY c.relname COLLATE "C"`
	return in.query(ctx, "sequences", q, func(rows *sql.Rows) error {
		sq := &schema.Sequence{}
		var tableName, deptype, nextval string
		var num int
		if err := rows.Scan(&sq.Name, &sq.Type, &sq.Start, &sq.Increment, &sq.Min, &sq.Max, &sq.Cache, &sq.Cycle,
			&tableName, &num, &deptype, &nextval); err != nil {
			return err
		}
		// A column owns the sequence it is the identity of, or the one its
		// serial default draws from; a sequence merely OWNED BY a column
		// stays the schema's.
		if t := in.tables[tableName]; t != nil {
			if c := t.byNum[num]; c != nil && c.Sequence == nil &&
				(deptype == "i" && c.Identity != "" || deptype == "a" && c.Default == nextval) {
				c.Sequence = sq
				return nil
			}
		}
		in.s.Sequences = append(in.s.Sequences, sq)
		return nil
	})
}

// constraintRow is one row of the constraints query.
type constraintRow struct {
	table, name, kind           string
	deferrable, deferred, valid bool
	noInherit, nullsNotDistinct bool
	columns, indexKey           string // conkey ("{1,2}"), the backing index's indkey ("1 2 3")
	keyCount                    int    // the backing index's indnkeyatts
	refTable, refSchema         string
	refColumns                  string // confkey, or the names as a JSON array when the table is another schema's
	onUpdate, onDelete, match   string
	check                       string
}

func (in *inspection) readConstraints(ctx context.Context) error {
	q := `SELECT c.relname, k.conname, k.contype::text, k.condeferrable, k.condeferred, k.convalidated, k.connoinherit,
	` + in.nullsNotDistinct("ix") + `, k.conkey::text, coalesce(ix.indkey::text, ''), coalesce(ix.indnkeyatts, 0),
	coalesce(f.relname, ''), coalesce(CASE WHEN f.relnamespace <> c.relnamespace THEN fn.nspname END, ''),
	CASE WHEN f.relnamespace <> c.relnamespace THEN
		(SELECT json_agg(a.attname ORDER BY n.i) FROM unnest(k.confkey) WITH ORDINALITY n(num, i)
		JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = n.num)::text
	ELSE coalesce(k.confkey::text, '') END,
	k.confupdtype::text, k.confdeltype::text, k.confmatchtype::text,
	CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) ELSE '' END
FROM pg_constraint k
JOIN pg_class c ON c.oid = k.conrelid
LEFT JOIN pg_index ix ON ix.indexrelid = k.conindid AND k.contype IN ('p', 'u')
LEFT JOIN pg_class f ON f.oid = k.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = f.relnamespace
WHERE k.contype IN ('p', 'u', 'f', 'c') AND c.relnamespace = ` + inSchema + ` AND k.conrelid ` + ofTables + `
ORDER BY c.relname COLLATE "C", k.conname COLLATE "C"`
	return in.query(ctx, "constraints", q, func(rows *sql.Rows) error {
		var r constraintRow
		if err := rows.Scan(&r.table, &r.name, &r.kind, &r.deferrable, &r.deferred, &r.valid, &r.noInherit,
			&r.nullsNotDistinct, &r.columns, &r.indexKey, &r.keyCount, &r.refTable, &r.refSchema, &r.refColumns,
			&r.onUpdate, &r.onDelete, &r.match, &r.check); err != nil {
			return err
		}
		t, err := in.table(r.table)
		if err != nil {
			return err
		}
		if err := in.addConstraint(t, &r); err != nil {
			return fmt.Errorf("constraint %q on %q: %w", r.name, r.table, err)
		}
		return nil
	})
}

// nullsNotDistinct reads pg_index.indnullsnotdistinct (of the index alias
// names), which PostgreSQL 15 added; before it every index is false.
func (in *inspection) nullsNotDistinct(alias string) string {
	if in.version < 150000 {
		return "false"
	}
	return "coalesce(" + alias + ".indnullsnotdistinct, false)"
}

// include is the INCLUDE columns of an index: its key past the first n.
func (t *table) include(indexKey string, n int) ([]string, error) {
	nums := strings.Fields(indexKey)
	if len(nums) <= n {
		return nil, nil
	}
	return t.columnNames(strings.Join(nums[n:], " "))
}

func (in *inspection) addConstraint(t *table, r *constraintRow) error {
	cols, err := t.columnNames(r.columns)
	if err != nil {
		return err
	}
	include, err := t.include(r.indexKey, r.keyCount)
	if err != nil {
		return err
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
		refCols, err := in.refColumns(r)
		if err != nil {
			return err
		}
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

// refColumns names a foreign key's parent columns: from the parent read
// here, or from the names the query gave for another schema's table.
func (in *inspection) refColumns(r *constraintRow) ([]string, error) {
	if r.refSchema != "" {
		var names []string
		err := json.Unmarshal([]byte(r.refColumns), &names)
		return names, err
	}
	parent := in.tables[r.refTable]
	if parent == nil { // a skipped table
		return nil, fmt.Errorf("references table %q, which is left out of the inspection", r.refTable)
	}
	return parent.columnNames(r.refColumns)
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

// readTriggers reads the triggers of the inspected tables and of the
// schema's views (INSTEAD OF triggers).
func (in *inspection) readTriggers(ctx context.Context) error {
	q := `SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid, true)
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal AND (c.oid ` + ofTables + `
	OR c.relnamespace = ` + inSchema + ` AND c.relkind IN ('v', 'm') AND ` + member("'pg_class'", "c.oid") + `)
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
