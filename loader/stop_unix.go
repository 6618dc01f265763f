//go:build unix

package loader

import (
	"os"
	"syscall"
)

// stopForStacks stops a Go program so that it prints every goroutine's
// stack first: the Go runtime does so on SIGQUIT.
func stopForStacks(p *os.Process) error { return p.Signal(syscall.SIGQUIT) }
