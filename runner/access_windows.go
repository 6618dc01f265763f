//go:build windows

package runner

import (
	"io/fs"
	"os"
)

// writable tries what SQLite will do, as Windows has no access(2) and its
// ACLs decide: open a file for writing, create a file in a folder (the
// read-only attribute means nothing on a folder). A file with the read-only
// attribute (no write bit in Go's mode) is read-only.
func writable(path string, fi fs.FileInfo) bool {
	if !fi.IsDir() {
		if fi.Mode().Perm()&0o222 == 0 {
			return false
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return false
		}
		f.Close()
		return true
	}
	f, err := os.CreateTemp(path, ".autogen-access-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}
