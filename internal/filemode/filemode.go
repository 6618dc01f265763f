// Package filemode names the kind of a file that is not a regular one, for
// the errors that refuse to read a pipe or a device as a config, revision
// or database file (reading a FIFO would block for ever).
package filemode

import "io/fs"

// Kind names what a non-regular file is, with its article: "a named pipe".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file (" + m.String() + ")"
}
