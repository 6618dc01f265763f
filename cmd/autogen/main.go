// Command autogen is Alembic's autogenerate for Go: it compares bun models
// with a SQLite database and writes reviewable SQL revision files, then
// applies them with Alembic's commands and version table.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/config"
	"github.com/autogen-dev/autogen/internal/printable"
)

// Exit codes of the contract.
const (
	exitOK      = 0
	exitChanged = 1 // check found a difference
	exitUsage   = 2 // usage or input error
)

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// run executes one command line in this process's folder, environment and
// standard input, and returns the process exit code; it never lets a panic
// escape as a stack trace.
func run(args []string, stdout, stderr io.Writer) int {
	return runIn(process{getenv: os.Getenv, stdin: os.Stdin}, args, stdout, stderr)
}

// process is what a run takes from the process around it. The tests run
// the CLI in-process, each in a folder and environment of its own, so the
// commands read these rather than os.Getwd, os.Getenv and os.Stdin.
type process struct {
	// dir is the folder relative paths (-c, init DIR, $AUTOGEN_CONFIG)
	// start from; "" for the working directory.
	dir    string
	getenv func(string) string
	stdin  io.Reader
}

// runIn is run in p.
func runIn(p process, args []string, stdout, stderr io.Writer) (code int) {
	ctx, stop := interruptContext()
	defer stop()
	out := &errWriter{w: stdout}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "FAILED: internal error: %s.\n", printable.Escape(fmt.Sprint(r)))
			code = exitUsage
		}
	}()
	app := newCLI(out, stderr)
	app.Metadata = map[string]any{argsKey: args, terminalKey: isTerminalWriter(stdout), processKey: p}
	err := app.RunContext(ctx, normalizeArgs(app, args))
	if err == nil {
		err = out.err
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(context.Cause(ctx), errInterrupted) {
		err = interruptedError(err)
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) && ec.ExitCode() == exitChanged {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, printable.Lines(msg))
		}
		return exitChanged
	}
	fmt.Fprintf(stderr, "FAILED: %s\n", printable.Lines(sentence(err.Error())))
	return exitUsage
}

// errInterrupted is the cause of the context's cancellation by SIGINT or
// SIGTERM.
var errInterrupted = errors.New("interrupted")

// interruptContext is cancelled, with cause errInterrupted, by the first
// SIGINT or SIGTERM; the signals then get their default behaviour back, so a
// second one kills the process at once. stop releases the signals.
func interruptContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			signal.Stop(sigs)
			cancel(errInterrupted)
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		signal.Stop(sigs)
		cancel(nil)
	}
}

// interruptedError words an error caused by the interruption as such:
// "interrupted", never "context canceled" or SQLite's "interrupted (9)".
// The words are replaced in the message because they sit deep inside errors
// wrapped by every layer; the interruption itself is known from the
// context's cause, not from the text.
func interruptedError(err error) error {
	msg := err.Error()
	for _, s := range []string{"context canceled", "interrupted (9)"} {
		msg = strings.ReplaceAll(msg, s, "interrupted")
	}
	if !strings.Contains(msg, "interrupted") {
		msg = "interrupted: " + msg
	}
	return errors.New(msg)
}

// errWriter remembers the first error writing to it, so that output lost
// to a full disk or a closed pipe fails the command instead of passing.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	if err != nil {
		e.err = fmt.Errorf("writing to standard output: %w", err)
	}
	return n, err
}

// sentence makes an error message read as one sentence.
func sentence(msg string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return "unknown error."
	}
	if strings.Contains(msg, "\n") {
		return msg // compiler output and the like stay verbatim
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// terminalKey is where run notes in the app's Metadata whether standard
// output is a terminal.
const terminalKey = "terminal"

func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// sqlOutput is where SQL meant for a file or a pipe is written (revision
// --dry-run, upgrade --sql): as it is, unless standard output is a
// terminal. There a name's escape sequence could rewrite what the reader
// sees (erase the line of a DROP), so the SQL is shown escaped
// (printable.Lines), readable but no longer meant to be pasted.
func sqlOutput(c *cli.Context) io.Writer {
	if on, _ := c.App.Metadata[terminalKey].(bool); on {
		return escapingWriter{c.App.Writer}
	}
	return c.App.Writer
}

// escapingWriter writes everything through printable.Lines; each Write is
// escaped on its own, so callers write whole texts.
type escapingWriter struct{ w io.Writer }

func (e escapingWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(e.w, printable.Lines(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// processKey is where runIn keeps its process in the app's Metadata.
const processKey = "process"

// proc is the run's process.
func proc(c *cli.Context) process {
	p, _ := c.App.Metadata[processKey].(process)
	if p.getenv == nil {
		p.getenv = func(string) string { return "" }
	}
	if p.stdin == nil {
		p.stdin = strings.NewReader("")
	}
	return p
}

// resolve is path as the command line means it: relative to the run's
// folder.
func resolve(c *cli.Context, path string) string {
	dir := proc(c).dir
	if dir == "" || path == "" || filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

// configPath is the ini file in force: -c, else $AUTOGEN_CONFIG, else
// ./alembic.ini.
func configPath(c *cli.Context) string {
	return resolve(c, config.Find(c.String("config"), proc(c).getenv))
}

// urlFlag is the URL that overrides the configuration's: --url, else
// $AUTOGEN_URL; "" when neither is set.
func urlFlag(c *cli.Context) string {
	if u := c.String("url"); u != "" {
		return u
	}
	return proc(c).getenv(config.EnvURL)
}
