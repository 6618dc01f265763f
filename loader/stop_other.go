//go:build !unix

package loader

import "os"

// stopForStacks stops the program; without SIGQUIT there is no way to ask
// a Go program for its stacks, so the error names every model package.
func stopForStacks(p *os.Process) error { return p.Kill() }
