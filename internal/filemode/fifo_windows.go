//go:build windows

package filemode

import "errors"

// MakeFIFO fails on Windows, which has no named pipes in the file system;
// tests that need one skip.
func MakeFIFO(path string) error { return errors.ErrUnsupported }
