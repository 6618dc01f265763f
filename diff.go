package autogen

import (
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// Diff is one difference between the models and a database, as data. The
// JSON output of check and revision --dry-run lists these (docs/json.md).
type Diff struct {
	// Kind names the operation: create_table, drop_table, rename_table,
	// add_column, drop_column, rename_column, alter_column, add_index,
	// drop_index, add_unique, drop_unique, add_foreign_key,
	// drop_foreign_key, alter_foreign_key, add_check, drop_check, alter_primary_key,
	// alter_table_options, create_view, drop_view, create_trigger,
	// drop_trigger, and on PostgreSQL create_enum, drop_enum,
	// add_enum_values, rename_enum_value, change_enum_values.
	Kind string `json:"kind"`
	// Table is the table it belongs to: for a renamed table its new name,
	// for a view the view, for a trigger the table it is on.
	Table   string `json:"table"`
	Column  string `json:"column,omitempty"`
	OldName string `json:"old_name,omitempty"` // a renamed table or column
	// Attribute is what alter_column changes (type, nullable, default,
	// collation, generated); From and To are its values as SQL writes
	// them, and a table's options for alter_table_options.
	Attribute  string   `json:"attribute,omitempty"`
	From       *string  `json:"from,omitempty"`
	To         *string  `json:"to,omitempty"`
	Index      string   `json:"index,omitempty"`
	Constraint string   `json:"constraint,omitempty"`
	Columns    []string `json:"columns,omitempty"` // of an index, key or constraint
	View       string   `json:"view,omitempty"`
	Trigger    string   `json:"trigger,omitempty"`
	// Enum is the PostgreSQL enum type of an enum operation; Values are
	// the labels it adds or removes (From and To a renamed one's).
	Enum   string   `json:"enum,omitempty"`
	Values []string `json:"values,omitempty"`
	// Description says it in Alembic's words: "added column
	// 'members.age'".
	Description string `json:"description"`
	// Destructive is set when applying it can remove data.
	Destructive bool `json:"destructive"`
}

// String is the description, which names the table and the column.
func (d Diff) String() string { return d.Description }

// diffOf describes an operation as data.
func diffOf(op diff.Op) Diff {
	j := Diff{Table: op.Table(), Description: op.Describe(), Destructive: op.Destructive()}
	switch o := op.(type) {
	case *diff.CreateTable:
		j.Kind = "create_table"
	case *diff.DropTable:
		j.Kind = "drop_table"
	case *diff.RenameTable:
		j.Kind, j.OldName = "rename_table", o.Old.Name
	case *diff.AddColumn:
		j.Kind, j.Column = "add_column", o.Column.Name
	case *diff.DropColumn:
		j.Kind, j.Column = "drop_column", o.Column.Name
	case *diff.RenameColumn:
		j.Kind, j.Column, j.OldName = "rename_column", o.New.Name, o.Old.Name
	case *diff.AlterColumn:
		j.Kind, j.Column, j.Attribute = "alter_column", o.New.Name, o.Attr.String()
		from, to := attrValue(o.Attr, o.Old), attrValue(o.Attr, o.New)
		j.From, j.To = &from, &to
	case *diff.AddIndex:
		j.Kind, j.Index, j.Columns = "add_index", o.Index.Name, indexTerms(o.Index.Columns)
	case *diff.DropIndex:
		j.Kind, j.Index, j.Columns = "drop_index", o.Index.Name, indexTerms(o.Index.Columns)
	case *diff.AddUnique:
		j.Kind, j.Constraint, j.Columns = "add_unique", o.Unique.Name, o.Unique.Columns
	case *diff.DropUnique:
		j.Kind, j.Constraint, j.Columns = "drop_unique", o.Unique.Name, o.Unique.Columns
	case *diff.AddForeignKey:
		j.Kind, j.Constraint, j.Columns = "add_foreign_key", o.ForeignKey.Name, o.ForeignKey.Columns
	case *diff.DropForeignKey:
		j.Kind, j.Constraint, j.Columns = "drop_foreign_key", o.ForeignKey.Name, o.ForeignKey.Columns
	case *diff.AlterForeignKey:
		j.Kind, j.Constraint, j.Columns = "alter_foreign_key", o.New.Name, o.New.Columns
	case *diff.AddCheck:
		j.Kind, j.Constraint = "add_check", o.Check.Name
	case *diff.DropCheck:
		j.Kind, j.Constraint = "drop_check", o.Check.Name
	case *diff.AlterPrimaryKey:
		j.Kind = "alter_primary_key"
		if o.New != nil {
			j.Columns = o.New.Columns
		}
	case *diff.AlterOptions:
		j.Kind = "alter_table_options"
		from, to := tableOptions(o.Old), tableOptions(o.New)
		j.From, j.To = &from, &to
	case *diff.CreateView:
		j.Kind, j.View = "create_view", o.View.Name
	case *diff.DropView:
		j.Kind, j.View = "drop_view", o.View.Name
	case *diff.CreateTrigger:
		j.Kind, j.Trigger = "create_trigger", o.Trigger.Name
	case *diff.DropTrigger:
		j.Kind, j.Trigger = "drop_trigger", o.Trigger.Name
	default:
		enumDiff(&j, op)
	}
	return j
}

// enumDiff describes a PostgreSQL enum type operation as data.
func enumDiff(j *Diff, op diff.Op) {
	switch o := op.(type) {
	case *diff.CreateEnum:
		j.Kind, j.Enum, j.Values = "create_enum", o.Enum.Name, o.Enum.Values
	case *diff.DropEnum:
		j.Kind, j.Enum, j.Values = "drop_enum", o.Enum.Name, o.Enum.Values
	case *diff.AddEnumValues:
		j.Kind, j.Enum = "add_enum_values", o.New.Name
		for _, v := range o.Added() {
			j.Values = append(j.Values, v.Label)
		}
	case *diff.RenameEnumValue:
		j.Kind, j.Enum, j.From, j.To = "rename_enum_value", o.New.Name, &o.From, &o.To
	case *diff.ChangeEnumValues:
		j.Kind, j.Enum, j.Values = "change_enum_values", o.New.Name, o.Removed()
	default:
		j.Kind = "unknown"
	}
}

// tableOptions writes a table's options as CREATE TABLE ends with them.
func tableOptions(t *schema.Table) string {
	var opts []string
	if t.WithoutRowID {
		opts = append(opts, "WITHOUT ROWID")
	}
	if t.Strict {
		opts = append(opts, "STRICT")
	}
	return strings.Join(opts, ", ")
}

// attrValue is the value of one column attribute as SQL would write it.
func attrValue(a diff.Attr, c *schema.Column) string {
	switch a {
	case diff.AttrType:
		return c.Type
	case diff.AttrNotNull:
		if c.NotNull {
			return "NOT NULL"
		}
		return "NULL"
	case diff.AttrDefault:
		return c.Default
	case diff.AttrCollation:
		return c.Collation
	case diff.AttrGenerated:
		return c.Generated
	}
	return ""
}

func indexTerms(cols []schema.IndexColumn) []string {
	out := make([]string, 0, len(cols))
	for _, c := range cols {
		if c.Name != "" {
			out = append(out, c.Name)
		} else {
			out = append(out, strings.TrimSpace(c.Expr))
		}
	}
	return out
}
