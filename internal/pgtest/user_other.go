//go:build !unix

package pgtest

import (
	"errors"
	"os"
	"os/exec"
)

// The test cluster listens on a unix socket only; elsewhere there is none.
var errUnsupported = errors.New("the test cluster needs a unix system (it listens on a unix socket only)")

type account struct{}

func serverUser() (*account, error)     { return nil, errUnsupported }
func (*account) chown(...string) error  { return errUnsupported }
func (*account) apply(*exec.Cmd)        {}
func interrupt(p *os.Process) error     { return p.Kill() }
func (*account) chownTree(string) error { return errUnsupported }
func running(int) bool                  { return false }
