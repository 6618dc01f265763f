package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/internal/printable"
)

// question is what the prompt asks about a guessed rename.
func question(g autogen.RenameGuess) string {
	if g.Column {
		return printable.Escape(fmt.Sprintf("Did you rename %s.%s to %s.%s?", g.Table, g.Old, g.Table, g.New)) + " [y/N] "
	}
	return printable.Escape(fmt.Sprintf("Did you rename table %s to %s?", g.Old, g.New)) + " [y/N] "
}

// renameFlag is the command-line hint that makes the guess a rename.
func renameFlag(g autogen.RenameGuess) string {
	if g.Column {
		return fmt.Sprintf("--rename %s.%s=%s", g.Table, g.Old, g.New)
	}
	return fmt.Sprintf("--rename-table %s=%s", g.Old, g.New)
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

// newAsker asks only when both the run's stdin and stdout are terminals:
// output piped to a file or stdin fed by a script means nobody is there to
// answer.
func newAsker(c *cli.Context, stderr io.Writer) *asker {
	in := proc(c).stdin
	f, ok := in.(*os.File)
	onTerminal, _ := c.App.Metadata[terminalKey].(bool)
	interactive := ok && isTerminal(f) && onTerminal
	return &asker{ctx: c.Context, in: bufio.NewReader(in), out: stderr, interactive: interactive}
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

// guess asks whether a guessed rename is one; without a terminal it logs
// the flag the guess would need and answers no. A signal while asking is
// an error: nothing may be written.
func (a *asker) guess(g autogen.RenameGuess) (bool, error) {
	if !a.interactive {
		fmt.Fprintf(a.out, "INFO  [autogen.compare] Possible rename: give %s to make it one instead of a drop and an add\n", printable.Escape(renameFlag(g)))
		return false, nil
	}
	yes := a.confirm(question(g))
	return yes, a.err
}
