package runner

import (
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
)

// Primary SQLite result codes the runner explains to the user.
const (
	codeBusy     = 5
	codeLocked   = 6
	codeReadOnly = 8
	codeCorrupt  = 11
	codeFull     = 13
	codeNotADB   = 26
)

// code is the primary SQLite result code of err, 0 when it carries none.
func code(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isBusy reports whether err is SQLite giving up on another connection's
// lock.
func isBusy(err error) bool {
	c := code(err)
	return c == codeBusy || c == codeLocked
}

// lockedError is a transaction that gave up waiting for another
// connection's lock, after waiting waited in all.
type lockedError struct {
	err    error
	waited time.Duration
}

func (e *lockedError) Error() string { return e.err.Error() }
func (e *lockedError) Unwrap() error { return e.err }

// lockedAfter says how long the transaction waited before it gave up.
func (r *Runner) lockedAfter(e *lockedError) error {
	return fmt.Errorf("database %s is locked by another connection: waited %s for it in all (busy timeout %s) and gave up; nothing was changed: %w",
		r.path, e.waited.Round(10*time.Millisecond), r.busy, e.err)
}
