package pgrender

import (
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// oldEnum is the name an enum type being made anew takes while its
// columns are converted: a revision recreates its types one at a time and
// drops this one before the next, so one name serves them all.
const oldEnum = "autogen_enum_old"

// EnumColumn is a column whose type is an enum type, or an array of one.
type EnumColumn struct {
	Table  string
	Column *schema.Column
	Array  bool
}

// EnumColumns lists the columns of s whose type is the enum type name or
// an array of it, by table and position: those a change of the type's
// values converts.
func EnumColumns(s *schema.Schema, name string) []EnumColumn {
	typ := ident(name)
	var out []EnumColumn
	for _, t := range s.Tables {
		for _, c := range t.Columns {
			if c.Generated != "" {
				continue
			}
			switch c.Type {
			case typ:
				out = append(out, EnumColumn{Table: t.Name, Column: c})
			case typ + "[]":
				out = append(out, EnumColumn{Table: t.Name, Column: c, Array: true})
			}
		}
	}
	return out
}

// Literal is s as a PostgreSQL string constant: quotes doubled, every
// other character as is (standard_conforming_strings, on by default since
// 9.1, reads a backslash as itself).
func Literal(s string) string { return sqltext.QuoteString(s) }

func labels(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = Literal(v)
	}
	return strings.Join(out, ", ")
}

func createEnum(b *sqlBuf, e *schema.Enum) {
	b.comment("lock: none on any table (a new type)")
	b.stmt("CREATE TYPE " + ident(e.Name) + " AS ENUM (" + labels(e.Values) + ")")
}

func dropEnum(b *sqlBuf, e *schema.Enum) {
	b.comment("lock: ACCESS EXCLUSIVE on type " + e.Name + " only, brief (no table uses it by then)")
	b.stmt("DROP TYPE " + ident(e.Name))
}

// enumOp renders the enum type operations; false for any other.
func (r *renderer) enumOp(c *change, op diff.Op) bool {
	switch o := op.(type) {
	case *diff.CreateEnum:
		createEnum(&c.up, o.Enum)
		dropEnum(&c.down, o.Enum)
	case *diff.DropEnum:
		dropEnum(&c.up, o.Enum)
		createEnum(&c.down, o.Enum)
	case *diff.RenameEnumValue:
		renameValue(&c.up, o.New.Name, o.From, o.To)
		renameValue(&c.down, o.New.Name, o.To, o.From)
	case *diff.AddEnumValues:
		for _, v := range o.Added() {
			addValue(&c.up, o.New.Name, v)
		}
		r.recreate(&c.down, o.New, o.Old)
	case *diff.ChangeEnumValues:
		r.recreate(&c.up, o.Old, o.New)
		r.recreate(&c.down, o.New, o.Old)
	default:
		return false
	}
	return true
}

func renameValue(b *sqlBuf, typ, from, to string) {
	b.comment(fmt.Sprintf("rows holding %s read %s from now on (if the value was replaced rather than renamed, write a removal and an addition instead)", Literal(from), Literal(to)))
	b.comment("lock: brief, on type " + typ + " only (catalog only: no table is locked or scanned)")
	b.stmt("ALTER TYPE " + ident(typ) + " RENAME VALUE " + Literal(from) + " TO " + Literal(to))
}

func addValue(b *sqlBuf, typ string, v diff.EnumValue) {
	b.comment("lock: brief, on type " + typ + " only (no table is locked or scanned); the new value can be used once the revision has committed; needs PostgreSQL 12 or later inside a transaction")
	s := "ALTER TYPE " + ident(typ) + " ADD VALUE " + Literal(v.Label)
	switch {
	case v.After != "":
		s += " AFTER " + Literal(v.After)
	case v.Before != "":
		s += " BEFORE " + Literal(v.Before)
	}
	b.stmt(s)
}

// recreate writes PostgreSQL's way to give an enum type values ALTER TYPE
// cannot (removed or reordered ones): rename the type away, create it with
// to's values, convert every column using it through text, drop the old
// one. The columns are current's: in the upgrade the change runs before
// the tables change, in the downgrade after they are undone. A default
// naming a value to lacks is left off; the column's own default change
// sets the new one.
func (r *renderer) recreate(b *sqlBuf, from, to *schema.Enum) {
	name := ident(to.Name)
	cols := EnumColumns(r.current, to.Name)
	if gone := missingValues(from.Values, to.Values); len(gone) > 0 {
		b.comment(fmt.Sprintf("DESTRUCTIVE: enum type %s loses %s; the statements below fail while a row holds one", to.Name, labels(gone)))
	}
	b.comment("lock: brief, on type " + to.Name + " only")
	b.stmt("ALTER TYPE " + name + " RENAME TO " + oldEnum)
	b.comment("lock: none on any table (a new type)")
	b.stmt("CREATE TYPE " + name + " AS ENUM (" + labels(to.Values) + ")")
	if live := findEnum(r.current.Enums, to.Name); live != nil && live.Comment != "" {
		b.stmt("COMMENT ON TYPE " + name + " IS " + Literal(live.Comment))
	}
	views := r.viewsOn(cols, name)
	for i := len(views) - 1; i >= 0; i-- {
		b.comment("lock: ACCESS EXCLUSIVE on view " + views[i].Name + ", brief; made again below")
		b.stmt(dropView(views[i]))
	}
	deps := r.typeDependents(cols, name)
	for _, d := range deps {
		d.drop(b)
	}
	for _, ec := range cols {
		b.comment(fmt.Sprintf("lock: ACCESS EXCLUSIVE on %s; rewrites the table and its indexes (each value converted through text)", ec.Table))
		b.stmt(convert(ec, name, to))
	}
	for _, d := range deps {
		d.create(b)
	}
	for _, v := range views {
		b.stmt(v.SQL)
		if v.Comment != "" {
			b.stmt("COMMENT ON " + strings.ToUpper(viewKind(v)) + " " + ident(v.Name) + " IS " + Literal(v.Comment))
		}
		for _, tr := range r.current.Triggers {
			if tr.Table == v.Name && !r.dropped[[2]string{"trigger", tr.Name + "\x00" + tr.Table}] {
				b.stmt(tr.SQL)
			}
		}
	}
	b.comment("lock: brief, on the old type only (no column uses it any more)")
	b.stmt("DROP TYPE " + oldEnum)
}

// convert is the ALTER TABLE giving column ec the new type name: its
// default dropped first (it names the old type and would not convert)
// and set again after, when it names no value the type lacks.
func convert(ec EnumColumn, name string, to *schema.Enum) string {
	col := ident(ec.Column.Name)
	typ, via := name, "::text::"
	if ec.Array {
		typ, via = name+"[]", "::text[]::"
	}
	s := alter(ec.Table) + " ALTER COLUMN " + col + " TYPE " + typ + " USING " + col + via + typ
	def := ec.Column.Default
	if def == "" {
		return s
	}
	s = alter(ec.Table) + " ALTER COLUMN " + col + " DROP DEFAULT, ALTER COLUMN " + col + " TYPE " + typ + " USING " + col + via + typ
	if l, ok := defaultLabel(def, name); ok && !slices.Contains(to.Values, l) {
		return s
	}
	return s + ", ALTER COLUMN " + col + " SET DEFAULT " + def
}

// defaultLabel reads a default written 'label'::typ, as the server
// deparses an enum constant.
func defaultLabel(def, typ string) (string, bool) {
	lit, ok := strings.CutSuffix(def, "::"+typ)
	if !ok || len(lit) < 2 || lit[0] != '\'' || lit[len(lit)-1] != '\'' {
		return "", false
	}
	body := lit[1 : len(lit)-1]
	if strings.Contains(strings.ReplaceAll(body, "''", ""), "'") {
		return "", false
	}
	return strings.ReplaceAll(body, "''", "'"), true
}

func missingValues(from, in []string) []string {
	var out []string
	for _, v := range from {
		if !slices.Contains(in, v) {
			out = append(out, v)
		}
	}
	return out
}

// removedDefault renders a default change whose old default names a value
// the revision removes from its enum type: the downgrade cannot set it
// back before the type has its old values again, so it only drops the
// default, and the type's own downgrade, which runs after, sets it.
func (r *renderer) removedDefault(c *change, o *diff.AlterColumn) bool {
	if o.Attr != diff.AttrDefault {
		return false
	}
	l, ok := defaultLabel(o.Old.Default, o.Old.Type)
	if !ok || !r.removed[o.Old.Type][l] {
		return false
	}
	col := alter(o.TableName) + " ALTER COLUMN " + ident(o.New.Name)
	c.up.comment(lockNote("DEFAULT", o.TableName))
	c.up.stmt(col + setDefault(o.New.Default))
	c.down.comment(fmt.Sprintf("the old default %s comes back with the values of enum type %s, below", o.Old.Default, o.Old.Type))
	c.down.comment(lockNote("DEFAULT", o.TableName))
	c.down.stmt(col + " DROP DEFAULT")
	return true
}

// survey records, before rendering, what the enum changes need to know
// of the other operations: the values each enum type loses (by the type
// as a column's Type names it), and the views and triggers the revision
// drops itself.
func (r *renderer) survey(ops []diff.Op) {
	r.removed = map[string]map[string]bool{}
	r.dropped = map[[2]string]bool{}
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.DropView:
			r.dropped[[2]string{"view", o.View.Name}] = true
		case *diff.DropTrigger:
			r.dropped[[2]string{"trigger", o.Trigger.Name + "\x00" + o.Trigger.Table}] = true
		case *diff.ChangeEnumValues:
			m := map[string]bool{}
			for _, v := range o.Removed() {
				m[v] = true
			}
			r.removed[ident(o.New.Name)] = m
		}
	}
}

// unsafeAdditions turns an ADD VALUE into the recreate form when a later
// statement of the upgrade names an added value: PostgreSQL refuses to use
// a value added in the same transaction before COMMIT, while a type made
// in the transaction can be used at once.
func (r *renderer) unsafeAdditions(changes []render.Change) {
	for i := range changes {
		o, ok := changes[i].Ops[0].(*diff.AddEnumValues)
		if !ok || !usedLater(o, changes[i+1:]) {
			continue
		}
		var c change
		c.up.comment(fmt.Sprintf("enum type %s is made anew rather than given its values by ALTER TYPE ... ADD VALUE: this revision uses a new value, which PostgreSQL allows only for a type made in the same transaction", o.New.Name))
		r.recreate(&c.up, o.Old, o.New)
		changes[i].Up, changes[i].UpStatements = c.up.text.String(), c.up.stmts
	}
}

// usedLater reports whether a statement of later may use a value o adds:
// one converting a column to the type (a row may hold the value's text),
// one naming it as the server writes a constant of the type
// ('label'::typ), or one holding an array constant of the type that has
// the label anywhere (elements are written bare or double-quoted).
func usedLater(o *diff.AddEnumValues, later []render.Change) bool {
	typ := ident(o.New.Name)
	for _, c := range later {
		for _, s := range c.UpStatements {
			if strings.Contains(s, " TYPE "+typ+" USING ") || strings.Contains(s, " TYPE "+typ+"[] USING ") {
				return true
			}
			for _, v := range o.Added() {
				if strings.Contains(s, Literal(v.Label)+"::"+typ) ||
					strings.Contains(s, "::"+typ+"[]") && strings.Contains(s, v.Label) {
					return true
				}
			}
		}
	}
	return false
}

// keepEnumTables adds to keep the tables whose columns use an enum type
// op changes: Verify must convert them as the revision does.
func keepEnumTables(keep map[string]bool, op diff.Op, current, target *schema.Schema) {
	var name string
	switch o := op.(type) {
	case *diff.AddEnumValues:
		name = o.New.Name
	case *diff.RenameEnumValue:
		name = o.New.Name
	case *diff.ChangeEnumValues:
		name = o.New.Name
	default:
		return
	}
	for _, s := range []*schema.Schema{current, target} {
		for _, ec := range EnumColumns(s, name) {
			keep[ec.Table] = true
		}
	}
}

// typeDependent is a CHECK constraint or an index whose expression holds
// a constant of the type being made anew (PostgreSQL would rebuild it
// from its text, which by then names the renamed old type), or a foreign
// key between two columns of the type (one converted before the other
// leaves it joining two types): dropped before the columns are converted
// and made again after.
type typeDependent struct {
	table string
	check *schema.Check
	index *schema.Index
	fk    *schema.ForeignKey
}

func (r *renderer) typeDependents(cols []EnumColumn, typ string) []typeDependent {
	var out []typeDependent
	seen := map[string]bool{}
	for _, ec := range cols {
		t := r.current.Table(ec.Table)
		if t == nil || seen[t.Name] {
			continue
		}
		seen[t.Name] = true
		for _, ck := range t.Checks {
			if strings.Contains(ck.Expr, "::"+typ) {
				out = append(out, typeDependent{table: t.Name, check: ck})
			}
		}
		for _, ix := range t.Indexes {
			if strings.Contains(ix.SQL, "::"+typ) {
				out = append(out, typeDependent{table: t.Name, index: ix})
			}
		}
	}
	converted := map[[2]string]bool{}
	for _, ec := range cols {
		converted[[2]string{ec.Table, ec.Column.Name}] = true
	}
	for _, t := range r.current.Tables {
		for _, fk := range t.ForeignKeys {
			if fk.RefSchema == "" && slices.ContainsFunc(fk.Columns, func(c string) bool { return converted[[2]string{t.Name, c}] }) {
				out = append(out, typeDependent{table: t.Name, fk: fk})
			}
		}
	}
	return out
}

func (d typeDependent) drop(b *sqlBuf) {
	switch {
	case d.check != nil:
		dropConstraint(b, d.table, d.check.Name)
		return
	case d.fk != nil:
		dropConstraint(b, d.table, d.fk.Name)
		return
	}
	b.comment(lockNote("DROP INDEX", d.table))
	b.stmt("DROP INDEX " + ident(d.index.Name))
}

func (d typeDependent) create(b *sqlBuf) {
	switch {
	case d.check != nil:
		addConstraint(b, d.table, d.check.Name, checkDef(d.check, true), "CHECK")
		return
	case d.fk != nil:
		addConstraint(b, d.table, d.fk.Name, fkDef(d.fk, true), "FOREIGN KEY")
		return
	}
	createIndex(b, d.index)
}

// enumType reports whether typ (a column's type as the server writes it)
// is an enum type of s, or an array of one, and which.
func enumType(s *schema.Schema, typ string) (array, ok bool) {
	for _, e := range s.Enums {
		switch typ {
		case ident(e.Name):
			return false, true
		case ident(e.Name) + "[]":
			return true, true
		}
	}
	return false, false
}

// enumRetype notes the columns whose type changes from or to an enum
// type: PostgreSQL converts neither their values between two enum types
// nor their default, so the type change is one statement that drops the
// default, converts through text and sets the new default, and the
// default's own change writes nothing.
func (r *renderer) noteRetypes(ops []diff.Op) {
	r.retyped = map[[2]string]bool{}
	for _, op := range ops {
		if o, ok := op.(*diff.AlterColumn); ok && o.Attr == diff.AttrType && r.enumSide(o) {
			r.retyped[[2]string{o.TableName, o.New.Name}] = true
		}
	}
}

func (r *renderer) enumSide(o *diff.AlterColumn) bool {
	_, from := enumType(r.current, o.Old.Type)
	_, to := enumType(r.target, o.New.Type)
	return from || to
}

// enumRetype renders a type or default change of a column noted by
// noteRetypes; false for any other change.
func (r *renderer) enumRetype(c *change, o *diff.AlterColumn) bool {
	if !r.retyped[[2]string{o.TableName, o.New.Name}] {
		return false
	}
	switch o.Attr {
	case diff.AttrDefault:
		c.up.comment(fmt.Sprintf("the default of %s.%s is set with its type change", o.TableName, o.New.Name))
		c.down.comment(fmt.Sprintf("the default of %s.%s is set back with its type change", o.TableName, o.New.Name))
		return true
	case diff.AttrType:
		fromArray, _ := enumType(r.current, o.Old.Type)
		toArray, _ := enumType(r.target, o.New.Type)
		c.up.comment(lockNote("ALTER TYPE", o.TableName))
		c.up.stmt(retypeVia(o.TableName, o.Old, o.New, enumOld(r.current, o.Old.Type, fromArray)))
		c.down.comment(lockNote("ALTER TYPE", o.TableName))
		c.down.stmt(retypeVia(o.TableName, o.New, o.Old, enumOld(r.target, o.New.Type, toArray)))
		return true
	}
	return false
}

// EnumCast is the cast a value of column type typ (of schema s) takes
// before converting to another type: through text (or text[]) when typ is
// an enum type or an array of one, as no cast joins two enum types; ""
// for any other type.
func EnumCast(s *schema.Schema, typ string) string {
	array, _ := enumType(s, typ)
	return enumOld(s, typ, array)
}

// enumOld is EnumCast with the array flag known.
func enumOld(s *schema.Schema, typ string, array bool) string {
	if _, ok := enumType(s, typ); !ok {
		return ""
	}
	if array {
		return "::text[]"
	}
	return "::text"
}

func retypeVia(table string, from, to *schema.Column, via string) string {
	col := ident(to.Name)
	s := alter(table) + " ALTER COLUMN " + col
	var parts []string
	if from.Default != "" {
		parts = append(parts, s+" DROP DEFAULT")
		s = "ALTER COLUMN " + col
	}
	using := col + via + "::" + to.Type
	if via != "" && stringType(to.Type) {
		using = col + via // assigned, so an over-long value is refused, not cut
	}
	parts = append(parts, s+" TYPE "+to.Type+" USING "+using)
	if to.Default != "" {
		parts = append(parts, "ALTER COLUMN "+col+" SET DEFAULT "+to.Default)
	}
	return strings.Join(parts, ", ")
}

// viewsOn lists, in an order they can be created in, the views of the
// current schema that name a table holding one of cols, or the type, and
// those naming such a view: PostgreSQL does not change the type of a
// column a view reads, so they are dropped before the conversion (last
// first) and made again after, with their triggers. Views the revision
// drops itself are left to it.
func (r *renderer) viewsOn(cols []EnumColumn, typ string) []*schema.View {
	names := []string{"::" + typ}
	for _, ec := range cols {
		names = append(names, ec.Table)
	}
	in := map[*schema.View]bool{}
	for grown := true; grown; {
		grown = false
		for _, v := range r.current.Views {
			if !in[v] && !r.dropped[[2]string{"view", v.Name}] && slices.ContainsFunc(names, func(n string) bool { return mentions(v.SQL, n) }) {
				in[v], grown = true, true
				names = append(names, v.Name)
			}
		}
	}
	var out []*schema.View
	for len(out) < len(in) {
		progress := false
		for _, v := range r.current.Views {
			if in[v] && !slices.Contains(out, v) && !slices.ContainsFunc(r.current.Views, func(w *schema.View) bool {
				return w != v && in[w] && !slices.Contains(out, w) && mentions(v.SQL, w.Name)
			}) {
				out = append(out, v)
				progress = true
			}
		}
		if !progress { // views naming each other: by name, as Verify will say if it fails
			for _, v := range r.current.Views {
				if in[v] && !slices.Contains(out, v) {
					out = append(out, v)
				}
			}
		}
	}
	return out
}

// mentions reports whether text names name (a table or view, written as
// PostgreSQL quotes it; or a "::type" cast) as a whole word.
func mentions(text, name string) bool {
	word := name
	if !strings.HasPrefix(name, "::") {
		word = ident(name)
	}
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(word)
		if !identByte(text, start-1) && !identByte(text, end) {
			return true
		}
		i = start + 1
	}
}

func identByte(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func findEnum(enums []*schema.Enum, name string) *schema.Enum {
	for _, e := range enums {
		if e.Name == name {
			return e
		}
	}
	return nil
}

func viewKind(v *schema.View) string {
	if v.Materialized {
		return "materialized view"
	}
	return "view"
}
