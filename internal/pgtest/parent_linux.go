package pgtest

import "syscall"

// stopWithParent has the kernel send SIGQUIT (immediate shutdown) to the
// server when the test binary exits without stopping it.
func stopWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGQUIT }
