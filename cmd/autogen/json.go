package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// jsonVersion is the version of the JSON schema that docs/json.md
// describes; it changes only when a field changes meaning or goes away.
const jsonVersion = 1

// Output formats of check and revision --dry-run.
const (
	formatText = "text"
	formatJSON = "json"
)

// jsonReport is the document check --format json and revision --dry-run
// --format json print; docs/json.md is its reference.
type jsonReport struct {
	Version    int           `json:"version"`
	Command    string        `json:"command"`
	Source     string        `json:"source"`
	Changed    bool          `json:"changed"`
	Operations []jsonOp      `json:"operations"`
	Findings   []jsonFinding `json:"findings"`
	Upgrade    string        `json:"upgrade"`
	Downgrade  string        `json:"downgrade"`
}

// jsonOp is one schema operation.
type jsonOp struct {
	Kind        string   `json:"kind"`
	Table       string   `json:"table"`
	Column      string   `json:"column,omitempty"`
	OldName     string   `json:"old_name,omitempty"`
	Attribute   string   `json:"attribute,omitempty"`
	From        *string  `json:"from,omitempty"`
	To          *string  `json:"to,omitempty"`
	Index       string   `json:"index,omitempty"`
	Constraint  string   `json:"constraint,omitempty"`
	Columns     []string `json:"columns,omitempty"`
	View        string   `json:"view,omitempty"`
	Trigger     string   `json:"trigger,omitempty"`
	Description string   `json:"description"`
	Destructive bool     `json:"destructive"`
}

// jsonFinding is one entry of the safety report.
type jsonFinding struct {
	Table   string `json:"table"`
	Column  string `json:"column"`
	Kind    string `json:"kind"`
	Rows    int64  `json:"rows"`
	Fatal   bool   `json:"fatal"`
	Message string `json:"message"`
}

// checkFormat rejects formats other than text and json.
func checkFormat(f string) error {
	if f != formatText && f != formatJSON {
		return fmt.Errorf("--format %q is not a format of this command; use text or json", f)
	}
	return nil
}

// writeJSON prints the report of a plan as indented JSON.
func writeJSON(w io.Writer, command, source string, pl *plan) error {
	rep := jsonReport{
		Version:    jsonVersion,
		Command:    command,
		Source:     source,
		Changed:    len(pl.ops) > 0,
		Operations: make([]jsonOp, 0, len(pl.ops)),
		Findings:   make([]jsonFinding, 0, len(pl.findings)),
		Upgrade:    pl.up,
		Downgrade:  pl.down,
	}
	for _, op := range pl.ops {
		rep.Operations = append(rep.Operations, opJSON(op))
	}
	for _, f := range pl.findings {
		rep.Findings = append(rep.Findings, jsonFinding{
			Table: f.Table, Column: f.Column, Kind: string(f.Kind), Rows: f.Rows, Fatal: f.Fatal, Message: f.Message,
		})
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding the JSON report: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// opJSON names an operation's kind and the objects it touches.
func opJSON(op diff.Op) jsonOp {
	j := jsonOp{Table: op.Table(), Description: op.Describe(), Destructive: op.Destructive()}
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
		j.Kind = "unknown"
	}
	return j
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
