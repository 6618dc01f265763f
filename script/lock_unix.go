//go:build unix

package script

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// LockVersions holds an exclusive lock on the script directory dir's
// versions folder until unlock is called, so that revisions made at the
// same moment see each other's files and chain instead of all claiming the
// same parent. It waits for another holder.
func LockVersions(dir string) (unlock func(), err error) {
	versions := versionsPath(dir)
	f, err := os.Open(versions)
	if err != nil {
		return nil, fmt.Errorf("script directory %s: %w", dir, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", versions, err)
	}
	return func() { f.Close() }, nil // closing the descriptor releases the lock
}
