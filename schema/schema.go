// Package schema is one model of a SQLite schema: tables with their columns
// and constraints, indexes, views and triggers. A Schema is built by Inspect
// from a live database; the target schema of a set of bun models is built by
// running bun's DDL into an empty database and inspecting that, so both sides
// of a comparison come from the same code.
//
// The same model holds a PostgreSQL schema (package postgres inspects one);
// the fields marked "PostgreSQL" are zero on SQLite. On PostgreSQL types,
// defaults and expressions are the server's own deparsed text
// (format_type, pg_get_expr), so two schemas inspected on the same server
// compare exactly.
package schema

import "github.com/autogen-dev/autogen/internal/sqltext"

// Schema is everything a database defines, sorted by name.
type Schema struct {
	Tables   []*Table
	Views    []*View
	Triggers []*Trigger

	// Name is the PostgreSQL schema inspected ("public"); "" on SQLite.
	Name string
	// Enums are PostgreSQL's enum types, Sequences the sequences no column
	// owns (a serial or identity column's is its Column.Sequence), and
	// Functions the functions written in SQL or a procedural language,
	// those of extensions left out.
	Enums     []*Enum
	Sequences []*Sequence
	Functions []*Function
}

// Table is one table. SQL is the exact CREATE TABLE text SQLite stored; the
// other fields are what that text and the pragmas mean.
type Table struct {
	Name         string
	SQL          string
	Columns      []*Column // in declaration order
	PrimaryKey   *PrimaryKey
	Uniques      []*Unique     // table- and column-level UNIQUE constraints
	Indexes      []*Index      // CREATE INDEX indexes, sorted by name (not sqlite_autoindex_*)
	ForeignKeys  []*ForeignKey // in declaration order
	Checks       []*Check      // in declaration order
	WithoutRowID bool
	Strict       bool
	Comment      string // PostgreSQL: COMMENT ON TABLE
}

// Column is one column of a table.
type Column struct {
	Name string
	// Type is the declared type as written ("VARCHAR(100)"), "" when none.
	Type    string
	NotNull bool
	// Default is the DEFAULT expression as written, "" when there is none.
	Default   string
	Collation string
	// Generated is the expression of a generated column, "" for an ordinary one.
	Generated string
	Stored    bool // a STORED generated column (VIRTUAL otherwise)
	Position  int  // 0-based position in the CREATE TABLE
	// Identity is "ALWAYS" or "BY DEFAULT" for a PostgreSQL identity column.
	Identity string
	// Sequence is the PostgreSQL sequence the column owns: an identity
	// column's, or a serial column's (whose Default calls nextval on it).
	Sequence *Sequence
	Comment  string // PostgreSQL: COMMENT ON COLUMN
}

// PrimaryKey is the table's PRIMARY KEY, column-level or table-level.
type PrimaryKey struct {
	Name          string
	Columns       []string // in key order
	Desc          bool     // a column-level PRIMARY KEY DESC
	Autoincrement bool
	// Deferrable is "", "DEFERRABLE" or "DEFERRABLE INITIALLY DEFERRED"
	// (PostgreSQL).
	Deferrable string
	Include    []string // PostgreSQL: INCLUDE columns of the key's index
}

// Unique is a UNIQUE constraint (not a CREATE UNIQUE INDEX).
type Unique struct {
	Name    string // "" when unnamed
	Columns []string
	// Deferrable, Include and NullsNotDistinct are PostgreSQL's: as for
	// PrimaryKey, and UNIQUE NULLS NOT DISTINCT.
	Deferrable       string
	Include          []string
	NullsNotDistinct bool
}

// Index is an index made by CREATE INDEX.
type Index struct {
	Name    string
	Table   string
	Unique  bool
	Columns []IndexColumn
	Where   string // the partial-index condition, "" when none
	SQL     string // exact CREATE INDEX text (PostgreSQL: pg_get_indexdef)
	// Method is the PostgreSQL access method (gin, gist, hash, brin...),
	// "" for the default btree.
	Method           string
	Include          []string // PostgreSQL: INCLUDE columns
	NullsNotDistinct bool     // PostgreSQL: NULLS NOT DISTINCT
	Comment          string   // PostgreSQL: COMMENT ON INDEX
}

// IndexColumn is one indexed term: a column name or an expression.
type IndexColumn struct {
	Name      string // the column, "" for an expression
	Expr      string // the expression, "" for a plain column
	Collation string
	Desc      bool
	// Nulls is "FIRST" or "LAST" where it differs from PostgreSQL's default
	// for the direction (LAST ascending, FIRST descending), else "".
	Nulls string
	// OpClass is a PostgreSQL operator class other than the type's default.
	OpClass string
}

// ForeignKey is a REFERENCES clause or FOREIGN KEY constraint.
type ForeignKey struct {
	Name       string // "" when unnamed
	Columns    []string
	RefTable   string
	RefColumns []string // empty when the parent's primary key is meant
	OnDelete   string   // NO ACTION, CASCADE, SET NULL, SET DEFAULT, RESTRICT
	OnUpdate   string
	// Deferrable is the deferral clause as SQLite means it: "" (not deferrable,
	// or deferrable initially immediate) or "DEFERRABLE INITIALLY DEFERRED".
	// PostgreSQL tells a third apart: "DEFERRABLE" (initially immediate).
	Deferrable string
	// RefSchema is the PostgreSQL schema of RefTable when it is not the
	// inspected one, else "".
	RefSchema string
	Match     string // PostgreSQL: "FULL" for MATCH FULL, else ""
	NotValid  bool   // PostgreSQL: added NOT VALID and not validated since
}

// Check is a CHECK constraint, column- or table-level.
type Check struct {
	Name      string // "" when unnamed
	Expr      string
	NotValid  bool // PostgreSQL: added NOT VALID and not validated since
	NoInherit bool // PostgreSQL: NO INHERIT
}

// View is a CREATE VIEW.
type View struct {
	Name string
	SQL  string
	// Managed is set when SQL carries ManagedMarker: autogen created the
	// view for the models, so it is dropped once the models lose it.
	Managed      bool
	Materialized bool   // PostgreSQL: a MATERIALIZED VIEW
	Comment      string // PostgreSQL: COMMENT ON VIEW
}

// Enum is a PostgreSQL enum type.
type Enum struct {
	Name    string
	Values  []string // in sort order
	Comment string
}

// Sequence is a PostgreSQL sequence with its parameters.
type Sequence struct {
	Name      string
	Type      string // smallint, integer or bigint
	Start     int64
	Increment int64
	Min, Max  int64
	Cache     int64
	Cycle     bool
}

// Function is a PostgreSQL function or procedure (trigger functions
// among them).
type Function struct {
	Name string
	Args string // the identity arguments, "" for none: f(integer, text) has "integer, text"
	SQL  string // pg_get_functiondef: CREATE OR REPLACE FUNCTION ...
}

// Trigger is a CREATE TRIGGER on a table or view.
type Trigger struct {
	Name  string
	Table string
	SQL   string
	// Managed is set when SQL carries ManagedMarker, as for View.
	Managed bool
}

// Table returns the table with the given name (compared as SQLite compares
// identifiers: ASCII case-insensitively), or nil.
func (s *Schema) Table(name string) *Table {
	for _, t := range s.Tables {
		if sqltext.EqualIdent(t.Name, name) {
			return t
		}
	}
	return nil
}

// Column returns the named column of t, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if sqltext.EqualIdent(c.Name, name) {
			return c
		}
	}
	return nil
}
