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
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
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

// run executes one command line and returns the process exit code; it never
// lets a panic escape as a stack trace.
func run(args []string, stdout, stderr io.Writer) (code int) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "FAILED: internal error: %v.\n", r)
			code = exitUsage
		}
	}()
	app := newCLI(stdout, stderr)
	app.Metadata = map[string]any{argsKey: args}
	err := app.RunContext(ctx, normalizeArgs(app, args))
	if err == nil {
		return exitOK
	}
	var ec cli.ExitCoder
	if errors.As(err, &ec) && ec.ExitCode() == exitChanged {
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(stderr, msg)
		}
		return exitChanged
	}
	fmt.Fprintf(stderr, "FAILED: %s\n", sentence(err.Error()))
	return exitUsage
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
