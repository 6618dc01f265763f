//go:build windows

package script

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// lockName is the file Windows locks in versions/: LockFileEx takes a
// file, not a folder. Loading skips it (its name starts with a dot and it
// is not a .sql file).
const lockName = ".autogen.lock"

// LockVersions holds an exclusive lock on the script directory dir's
// versions folder until unlock is called, so that revisions made at the
// same moment see each other's files and chain instead of all claiming the
// same parent. It waits for another holder.
func LockVersions(dir string) (unlock func(), err error) {
	versions := versionsPath(dir)
	if fi, err := os.Stat(versions); err != nil || !fi.IsDir() {
		if err == nil {
			err = fmt.Errorf("%s is not a folder", versions)
		}
		return nil, fmt.Errorf("script directory %s: %w", dir, err)
	}
	path := filepath.Join(versions, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", versions, err)
	}
	ol := new(windows.Overlapped)
	if err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, ol); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", versions, err)
	}
	return func() { f.Close() }, nil // closing the handle releases the lock
}
