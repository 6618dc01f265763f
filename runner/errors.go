package runner

import (
	"errors"

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
