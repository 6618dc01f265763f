package autogen

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/runner"
	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// Options configure Compare.
type Options struct {
	// VersionTable is the table the database records its revisions in,
	// which is not part of its schema (default alembic_version).
	VersionTable string
	// Name is how errors name the database, such as its file.
	Name string
	// Scripts, when set, must have brought the database to its heads: a
	// revision is generated against an up-to-date database, as in Alembic.
	Scripts *script.Dir
	// Renames make a dropped and an added table or column one rename.
	Renames Renames
	// SkipAssess leaves the rows out of the plan: for a database that holds
	// none of its own, such as one Replay made.
	SkipAssess bool
	// DevDB is, for PostgreSQL models, the database whose scratch schema
	// the models' target schema is built in (dev_url); nil means the
	// compared database itself.
	DevDB *sql.DB
	// SafeForms writes PostgreSQL index and constraint changes in the
	// forms that hold lighter locks, outside a transaction
	// (pgrender.Options.SafeForms).
	SafeForms bool
	// Guess, when set, is asked about every drop and add that look like one
	// rename; a yes makes it one and the comparison is made again. It is
	// not asked twice about the same guess. Its error ends Compare.
	Guess func(RenameGuess) (bool, error)
}

// Renames name tables and columns that the models renamed: without them a
// rename reads as a drop (and its data lost) and an add.
type Renames struct {
	Columns map[string]map[string]string // table -> old column name -> new name
	Tables  map[string]string            // old table name -> new name
}

// RenameGuess is a drop and an add that look like one rename: a column of
// Table (its current name) when Column is set, else a table.
type RenameGuess struct {
	Column   bool
	Table    string
	Old, New string
}

// Comparison is the difference between the models and a database.
type Comparison struct {
	current, target *schema.Schema
	ops             []diff.Op
	db              *sql.DB // the database to assess; nil for none
	d               dialect
}

// Compare compares the schema models describe with the one of db, a
// database autogen may read (nil for an empty one, such as a file that
// does not exist yet).
func Compare(ctx context.Context, models *Models, db *sql.DB, opts Options) (*Comparison, error) {
	var d dialect = sqlite{}
	if models.PostgreSQL {
		var err error
		if d, err = newPG(db, opts.DevDB, opts.SafeForms); err != nil {
			return nil, err
		}
	}
	if opts.VersionTable == "" {
		opts.VersionTable = runner.DefaultVersionTable
	}
	if err := models.checkTables(opts.VersionTable); err != nil {
		return nil, err
	}
	target, err := d.target(ctx, models.Statements)
	if err != nil {
		return nil, err
	}
	c := &Comparison{current: &schema.Schema{}, target: target, d: d}
	if !opts.SkipAssess {
		c.db = db
	}
	var rows []string
	if db != nil {
		if opts.Scripts != nil {
			if rows, err = runner.FromDir(db, opts.Scripts, runner.WithVersionTable(opts.VersionTable)).Current(ctx); err != nil {
				return nil, err
			}
		}
		if c.current, err = d.inspect(ctx, db, opts.VersionTable); err != nil {
			return nil, fmt.Errorf("inspect %s: %w", opts.Name, err)
		}
	}
	if opts.Scripts != nil {
		if err := upToDate(opts.Scripts, rows); err != nil {
			return nil, err
		}
	}
	if err := c.compare(opts); err != nil {
		return nil, err
	}
	return c, nil
}

// upToDate refuses a database that is not at the heads of the scripts.
// The rows are compared by what they apply, not literally: Alembic keeps no
// row for a revision another row depends on, an older autogen did.
func upToDate(d *script.Dir, rows []string) error {
	if err := d.CheckRows(rows); err != nil {
		return err
	}
	if d.UpToDate(rows) {
		return nil
	}
	up := "head"
	if len(d.Heads()) > 1 {
		up = "heads"
	}
	return fmt.Errorf("target database is not up to date: it is at %s, the script directory's heads are %s; run 'autogen upgrade %s' first", orBase(rows), orBase(d.Heads()), up)
}

func orBase(ids []string) string {
	if len(ids) == 0 {
		return "base"
	}
	return strings.Join(slices.Sorted(slices.Values(ids)), ", ")
}

// compare finds the operations, asking opts.Guess about the renames they
// suggest and comparing again with every accepted one.
func (c *Comparison) compare(opts Options) error {
	do := diff.Options{ColumnRenames: map[string]map[string]string{}, TableRenames: maps.Clone(opts.Renames.Tables)}
	for t, cols := range opts.Renames.Columns {
		do.ColumnRenames[t] = maps.Clone(cols)
	}
	if do.TableRenames == nil {
		do.TableRenames = map[string]string{}
	}
	asked := map[RenameGuess]bool{}
	for {
		var err error
		if c.ops, err = diff.Compare(c.current, c.target, do); err != nil {
			return err
		}
		if opts.Guess == nil {
			return nil
		}
		accepted := false
		for _, g := range renameGuesses(c.ops) {
			if asked[g] {
				continue
			}
			asked[g] = true
			yes, err := opts.Guess(g)
			if err != nil {
				return err
			}
			if yes {
				g.apply(&do)
				accepted = true
			}
		}
		if !accepted {
			return nil
		}
	}
}

// Diffs are the differences found, in the order a revision applies them.
func (c *Comparison) Diffs() []Diff {
	out := make([]Diff, 0, len(c.ops))
	for _, op := range c.ops {
		out = append(out, diffOf(op))
	}
	return out
}

// apply adds the guess to the rename hints.
func (g RenameGuess) apply(o *diff.Options) {
	if g.Column {
		if o.ColumnRenames[g.Table] == nil {
			o.ColumnRenames[g.Table] = map[string]string{}
		}
		o.ColumnRenames[g.Table][g.Old] = g.New
		return
	}
	o.TableRenames[g.Old] = g.New
}

// renameGuesses finds, in ops, the tables that lose exactly one column and
// gain exactly one of the same type (besides others of other types), the
// tables that lose several columns that groupedRenames pairs with gained
// ones, and the single dropped table that matches the single created one
// column for column. Anything less clear cut is left alone: a wrong guess
// would be worse than drop and add.
func renameGuesses(ops []diff.Op) []RenameGuess {
	drops := map[string][]*schema.Column{}
	adds := map[string][]*schema.Column{}
	var droppedTables, createdTables []*schema.Table
	for _, op := range ops {
		switch o := op.(type) {
		case *diff.DropColumn:
			drops[o.TableName] = append(drops[o.TableName], o.Column)
		case *diff.AddColumn:
			adds[o.TableName] = append(adds[o.TableName], o.Column)
		case *diff.DropTable:
			droppedTables = append(droppedTables, o.Old)
		case *diff.CreateTable:
			createdTables = append(createdTables, o.New)
		}
	}
	var out []RenameGuess
	if len(droppedTables) == 1 && len(createdTables) == 1 && sameColumns(droppedTables[0], createdTables[0]) {
		out = append(out, RenameGuess{Old: droppedTables[0].Name, New: createdTables[0].Name})
	}
	for _, table := range slices.Sorted(maps.Keys(drops)) {
		d := drops[table]
		if len(d) > 1 {
			out = append(out, groupedRenames(table, d, adds[table])...)
			continue
		}
		typ := schema.NormalizeType(d[0].Type)
		var same []*schema.Column
		for _, c := range adds[table] {
			if schema.NormalizeType(c.Type) == typ {
				same = append(same, c)
			}
		}
		if len(same) == 1 {
			out = append(out, RenameGuess{Column: true, Table: table, Old: d[0].Name, New: same[0].Name})
		}
	}
	return out
}

// groupedRenames pairs the columns a table loses, several of them, with
// columns it gains: first by one change of prefix or suffix that takes
// every lost name to a gained one (embed:addr_ becoming embed:address_
// renames addr_street, addr_city, ...), else by position when the table
// loses and gains as many columns. Every pair must agree in type, NOT NULL
// and default, and the rule must give one pairing only; otherwise there is
// no guess.
func groupedRenames(table string, drops, adds []*schema.Column) []RenameGuess {
	pairs := byAffix(drops, adds)
	if pairs == nil && len(drops) == len(adds) && slices.EqualFunc(drops, adds, alike) {
		pairs = adds
	}
	var out []RenameGuess
	for i, a := range pairs {
		out = append(out, RenameGuess{Column: true, Table: table, Old: drops[i].Name, New: a.Name})
	}
	return out
}

// alike reports whether a column could be another renamed.
func alike(x, y *schema.Column) bool {
	return schema.NormalizeType(x.Type) == schema.NormalizeType(y.Type) && x.NotNull == y.NotNull && x.Default == y.Default
}

// byAffix is, for each of drops, the column of adds that one consistent
// change of prefix or suffix names it, or nil when no such change, or more
// than one, covers all of drops. The changes tried are those that take
// the first dropped name to an added name alike.
func byAffix(drops, adds []*schema.Column) []*schema.Column {
	var found []*schema.Column
	for _, a := range adds {
		if !alike(drops[0], a) {
			continue
		}
		for _, rw := range rewrites(drops[0].Name, a.Name) {
			pairs := pairBy(drops, adds, rw)
			switch {
			case pairs == nil:
			case found == nil:
				found = pairs
			case !slices.Equal(found, pairs):
				return nil // two rules, two pairings: no guess
			}
		}
	}
	return found
}

// rewrite replaces a prefix (suffix false) or a suffix of a name.
type rewrite struct {
	suffix   bool
	old, new string
}

func (rw rewrite) apply(name string) (string, bool) {
	if rw.suffix {
		stem, ok := strings.CutSuffix(name, rw.old)
		return stem + rw.new, ok
	}
	stem, ok := strings.CutPrefix(name, rw.old)
	return rw.new + stem, ok
}

// rewrites are the prefix change and the suffix change that take old to
// new, keeping their longest common suffix or prefix.
func rewrites(old, new string) []rewrite {
	if old == new {
		return nil
	}
	s := 0
	for s < len(old) && s < len(new) && old[len(old)-1-s] == new[len(new)-1-s] {
		s++
	}
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	return []rewrite{{old: old[:len(old)-s], new: new[:len(new)-s]}, {suffix: true, old: old[p:], new: new[p:]}}
}

// pairBy is the added column, alike, that rw names for each dropped one,
// or nil when rw misses one or names the same column twice.
func pairBy(drops, adds []*schema.Column, rw rewrite) []*schema.Column {
	var out []*schema.Column
	for _, d := range drops {
		name, ok := rw.apply(d.Name)
		if !ok {
			return nil
		}
		i := slices.IndexFunc(adds, func(a *schema.Column) bool { return sqltext.EqualIdent(a.Name, name) })
		if i < 0 || !alike(d, adds[i]) || slices.Contains(out, adds[i]) {
			return nil
		}
		out = append(out, adds[i])
	}
	return out
}

// sameColumns reports whether two tables have the same column names and
// types in the same order.
func sameColumns(a, b *schema.Table) bool {
	return slices.EqualFunc(a.Columns, b.Columns, func(x, y *schema.Column) bool {
		return sqltext.EqualIdent(x.Name, y.Name) && schema.NormalizeType(x.Type) == schema.NormalizeType(y.Type)
	})
}
