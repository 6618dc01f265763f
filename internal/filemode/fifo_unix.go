//go:build unix

package filemode

import "golang.org/x/sys/unix"

// MakeFIFO makes a named pipe at path, for tests that put one where a file
// is expected.
func MakeFIFO(path string) error { return unix.Mkfifo(path, 0o644) }
