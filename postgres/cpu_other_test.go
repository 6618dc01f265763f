//go:build !linux

package postgres

import "time"

// cpuTime is not measured outside Linux.
func cpuTime(int) time.Duration { return 0 }
