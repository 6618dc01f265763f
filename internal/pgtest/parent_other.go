//go:build unix && !linux

package pgtest

import "syscall"

// stopWithParent does nothing where the kernel has no parent-death signal:
// Main's Stop is then the only thing that stops the server.
func stopWithParent(*syscall.SysProcAttr) {}
