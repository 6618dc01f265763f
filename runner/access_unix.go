//go:build unix

package runner

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// writable asks the kernel, and treats a file with no write bit as read-only
// even for root, who the kernel would let write anyway: the user meant it.
func writable(path string, fi fs.FileInfo) bool {
	if fi.Mode().Perm()&0o222 == 0 {
		return false
	}
	return unix.Access(path, unix.W_OK) == nil
}
