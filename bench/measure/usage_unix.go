//go:build unix

package main

import (
	"errors"
	"os"
	"runtime"
	"syscall"
	"time"
)

// usage is the CPU time (user + system, waited-for descendants included)
// and peak resident memory in KiB of a finished process.
func usage(ps *os.ProcessState) (time.Duration, int64, error) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, 0, errors.New("no resource usage on this system")
	}
	rss := int64(ru.Maxrss) // KiB on Linux
	if isDarwin {
		rss /= 1024 // bytes on macOS
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), rss, nil
}

const isDarwin = runtime.GOOS == "darwin"
