package pgassess

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/assess"
	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/schema"
)

// enumOp counts the rows holding a value an enum type loses (the
// conversion to the new type fails on each) or a value renamed, and
// refuses a type that something autogen does not convert still uses.
func (a *assessor) enumOp(op diff.Op) error {
	switch o := op.(type) {
	case *diff.CreateEnum:
		a.noteLabels(o.Enum)
	case *diff.AddEnumValues:
		a.noteLabels(o.New)
	case *diff.ChangeEnumValues:
		a.noteLabels(o.New)
		if err := a.outsideUsers(o.Old.Name); err != nil {
			return err
		}
		removed := o.Removed()
		if len(removed) == 0 {
			return nil
		}
		return a.holding(o.Old.Name, removed, func(n int64, at string) assess.Finding {
			return assess.Finding{Kind: assess.KindEnumValue, Rows: n, Fatal: n > 0,
				Message: fmt.Sprintf("%s of %s %s %s, which enum type %s loses; the upgrade fails on them",
					printable.Count(n, "row", "rows"), at, printable.Agree(n, "holds", "hold"), labelList(removed), o.New.Name)}
		})
	case *diff.RenameEnumValue:
		a.noteLabels(o.New)
		return a.holding(o.Old.Name, []string{o.From}, func(n int64, at string) assess.Finding {
			return assess.Finding{Kind: assess.KindEnumValue, Rows: n,
				Message: fmt.Sprintf("%s of %s %s '%s', which reads '%s' after the upgrade (enum type %s renames it)",
					printable.Count(n, "row", "rows"), at, printable.Agree(n, "holds", "hold"), o.From, o.To, o.New.Name)}
		})
	case *diff.DropEnum:
		return a.outsideUsers(o.Enum.Name)
	}
	return nil
}

// holding adds, for each live column of enum type typ (or an array of
// it), the finding made of the rows holding one of values.
func (a *assessor) holding(typ string, values []string, finding func(n int64, at string) assess.Finding) error {
	for _, ec := range pgrender.EnumColumns(a.current, typ) {
		col := q(ec.Column.Name)
		cond := col + "::text = ANY ($1::text[])"
		if ec.Array {
			cond = col + "::text[] && $1::text[]"
		}
		n, err := a.countArgs(fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", q(ec.Table), cond), values)
		if err != nil {
			return err
		}
		f := finding(n, ec.Table+"."+ec.Column.Name)
		f.Table, f.Column = ec.Table, ec.Column.Name
		a.add(f)
	}
	return nil
}

// countArgs is count with the labels as one text[] parameter, so no label
// is ever written into the query.
func (a *assessor) countArgs(query string, labels []string) (int64, error) {
	var n int64
	err := a.tx.QueryRowContext(a.ctx, query, "{"+arrayElems(labels)+"}").Scan(&n)
	return n, err
}

// arrayElems writes labels as the elements of a text[] literal, each
// double-quoted with backslashes and quotes escaped.
func arrayElems(labels []string) string {
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(l) + `"`
	}
	return strings.Join(out, ",")
}

func labelList(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = "'" + v + "'"
	}
	if len(out) == 1 {
		return "value " + out[0]
	}
	return "one of the values " + strings.Join(out, ", ")
}

// outsideUsers refuses an enum type of the inspected schema that an
// object outside the schema's tables and views depends on (a column of
// another schema's table, a function, a domain): making the type anew, or
// dropping it, would fail there. What the schema's own tables and views
// hold is converted, or checked by pgrender.Verify on a copy.
func (a *assessor) outsideUsers(typ string) error {
	const query = `SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
FROM pg_type t
JOIN pg_depend d ON d.refclassid = 'pg_type'::regclass AND d.refobjid IN (t.oid, t.typarray) AND d.deptype = 'n'
LEFT JOIN pg_class r ON r.oid = CASE d.classid
	WHEN 'pg_class'::regclass THEN d.objid
	WHEN 'pg_attrdef'::regclass THEN (SELECT adrelid FROM pg_attrdef WHERE oid = d.objid)
	WHEN 'pg_constraint'::regclass THEN (SELECT conrelid FROM pg_constraint WHERE oid = d.objid)
	WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid)
	WHEN 'pg_trigger'::regclass THEN (SELECT tgrelid FROM pg_trigger WHERE oid = d.objid) END
WHERE t.typname = $1 AND t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = $2)
	AND r.relnamespace IS DISTINCT FROM t.typnamespace
ORDER BY 1 LIMIT 1`
	var what string
	err := a.tx.QueryRowContext(a.ctx, query, typ, a.current.Name).Scan(&what)
	switch {
	case err == sql.ErrNoRows:
		return nil
	case err != nil:
		return err
	}
	return fmt.Errorf("enum type %s is used by %s, which autogen does not convert; change that in a hand-written revision first", typ, printable.Escape(what))
}

// enumLabels gives the values typ (a column type as the server writes it)
// has after the revision's enum operations, when it is an enum type or an
// array of one.
func (a *assessor) enumLabels(typ string) (labels []string, array, ok bool) {
	if a.labels == nil {
		a.labels = map[string][]string{}
		for _, e := range a.current.Enums {
			a.labels[e.Name] = e.Values
		}
	}
	for name, values := range a.labels {
		switch typ {
		case pgrender.Ident(name):
			return values, false, true
		case pgrender.Ident(name) + "[]":
			return values, true, true
		}
	}
	return nil, false, false
}

// noteLabels records the values an enum operation leaves its type with.
func (a *assessor) noteLabels(e *schema.Enum) {
	a.enumLabels("") // fills the map from the live types first
	a.labels[e.Name] = e.Values
}

// notLabels counts the values a change to an enum type rejects: those
// that are none of its labels. The type may not exist yet, or not with
// its new values, so the cast is not tried on the server.
func (a *assessor) notLabels(o *diff.AlterColumn, col, change string, labels []string, array bool) error {
	cond := col + pgrender.EnumCast(a.current, o.Old.Type) + "::text <> ALL ($1::text[])"
	if array {
		cond = "NOT (" + col + "::text[] <@ $1::text[])"
	}
	n, err := a.countArgs(fmt.Sprintf("SELECT count(*) FROM %s WHERE %s", q(a.table(o.TableName)), cond), labels)
	a.add(assess.Finding{Table: o.TableName, Column: o.New.Name, Kind: assess.KindNarrowing, Rows: n, Fatal: n > 0,
		Message: fmt.Sprintf("%s fails: %s none of the type's values", change, printable.Count(n, "value is", "values are"))})
	return err
}
