package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/schema"
)

// renameGuess is a drop and an add that may be one rename: a column when
// column is true, else a table.
type renameGuess struct {
	column bool
	table  string // the column's table (current name)
	old    string
	new    string
}

// question is what the prompt asks.
func (g renameGuess) question() string {
	if g.column {
		return printable.Escape(fmt.Sprintf("Did you rename %s.%s to %s.%s?", g.table, g.old, g.table, g.new)) + " [y/N] "
	}
	return printable.Escape(fmt.Sprintf("Did you rename table %s to %s?", g.old, g.new)) + " [y/N] "
}

// flag is the command-line hint that makes the guess a rename.
func (g renameGuess) flag() string {
	if g.column {
		return fmt.Sprintf("--rename %s.%s=%s", g.table, g.old, g.new)
	}
	return fmt.Sprintf("--rename-table %s=%s", g.old, g.new)
}

// apply adds the guess to the rename hints.
func (g renameGuess) apply(opts *diff.Options) {
	if g.column {
		if opts.ColumnRenames == nil {
			opts.ColumnRenames = map[string]map[string]string{}
		}
		if opts.ColumnRenames[g.table] == nil {
			opts.ColumnRenames[g.table] = map[string]string{}
		}
		opts.ColumnRenames[g.table][g.old] = g.new
		return
	}
	if opts.TableRenames == nil {
		opts.TableRenames = map[string]string{}
	}
	opts.TableRenames[g.old] = g.new
}

// renameGuesses finds, in ops, the tables that lose exactly one column and
// gain exactly one of the same type (besides others of other types), and the single dropped table that
// matches the single created one column for column. Anything less clear cut
// is left alone: a wrong guess would be worse than drop and add.
func renameGuesses(ops []diff.Op) []renameGuess {
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
	var out []renameGuess
	if len(droppedTables) == 1 && len(createdTables) == 1 && sameColumns(droppedTables[0], createdTables[0]) {
		out = append(out, renameGuess{old: droppedTables[0].Name, new: createdTables[0].Name})
	}
	for _, table := range slices.Sorted(maps.Keys(drops)) {
		d := drops[table]
		if len(d) != 1 {
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
			out = append(out, renameGuess{column: true, table: table, old: d[0].Name, new: same[0].Name})
		}
	}
	return out
}

// sameColumns reports whether two tables have the same column names and
// types in the same order.
func sameColumns(a, b *schema.Table) bool {
	return slices.EqualFunc(a.Columns, b.Columns, func(x, y *schema.Column) bool {
		return schema.EqualIdent(x.Name, y.Name) && schema.NormalizeType(x.Type) == schema.NormalizeType(y.Type)
	})
}

// asker asks yes/no questions on a terminal; without one (CI, pipes) it
// never asks and never reads stdin.
type asker struct {
	ctx         context.Context
	in          *bufio.Reader
	out         io.Writer
	interactive bool
	// err is set when a signal interrupted a question; the caller must stop
	// and write nothing.
	err error
}

// newAsker asks only when both stdin and stdout are terminals: output piped
// to a file or stdin fed by a script means nobody is there to answer.
func newAsker(ctx context.Context, stderr io.Writer) *asker {
	interactive := isTerminal(os.Stdin) && isTerminal(os.Stdout)
	return &asker{ctx: ctx, in: bufio.NewReader(os.Stdin), out: stderr, interactive: interactive}
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// confirm asks q and reports whether the answer starts with y; end of
// input or an error reads as no. A signal while waiting for the answer
// returns at once as no, with a.err set.
func (a *asker) confirm(q string) bool {
	fmt.Fprint(a.out, q)
	type reply struct {
		line string
		err  error
	}
	replies := make(chan reply, 1)
	go func() {
		line, err := a.in.ReadString('\n')
		replies <- reply{line, err}
	}()
	var r reply
	select {
	case <-a.ctx.Done():
		fmt.Fprintln(a.out)
		a.err = fmt.Errorf("%w at the question; no revision was written", context.Cause(a.ctx))
		return false
	case r = <-replies:
	}
	if r.err != nil && r.line == "" {
		fmt.Fprintln(a.out)
		return false
	}
	ans := strings.ToLower(strings.TrimSpace(r.line))
	return ans == "y" || ans == "yes"
}

// resolveRenames asks about every rename guess in ops that was not asked
// before; it returns the hints grown by the accepted guesses and whether any
// was accepted. Without a terminal it logs the flag each guess would need.
func (a *asker) resolveRenames(ops []diff.Op, opts *diff.Options, asked map[renameGuess]bool) bool {
	accepted := false
	for _, g := range renameGuesses(ops) {
		if asked[g] {
			continue
		}
		asked[g] = true
		if !a.interactive {
			fmt.Fprintf(a.out, "INFO  [autogen.compare] Possible rename: give %s to make it one instead of a drop and an add\n", printable.Escape(g.flag()))
			continue
		}
		if a.confirm(g.question()) {
			g.apply(opts)
			accepted = true
		}
		if a.err != nil {
			return false
		}
	}
	return accepted
}
