package runner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Backup copies the database with VACUUM INTO to a new file next to it whose
// name carries the time, and returns that file's path.
func (r *Runner) Backup(ctx context.Context, now time.Time) (string, error) {
	if r.db == nil {
		return "", fmt.Errorf("database %s does not exist; there is nothing to back up", r.path)
	}
	ext := filepath.Ext(r.path)
	base := strings.TrimSuffix(r.path, ext) + "." + now.UTC().Format("20060102T150405Z")
	dst := base + ext + ".bak"
	for i := 2; ; i++ {
		if _, err := os.Stat(dst); errors.Is(err, fs.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s-%d%s.bak", base, i, ext)
	}
	// VACUUM INTO a temporary name in the same folder, renamed only once
	// complete: an interrupted or failed backup leaves no partial file that
	// looks like a backup.
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("database %s: backing up to %s: %w", r.path, dst, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // VACUUM INTO refuses an existing file, even empty
	fail := func(err error) (string, error) {
		os.Remove(tmpPath)
		if c := code(err); c == codeBusy || c == codeLocked {
			return "", r.busyError(err)
		}
		return "", fmt.Errorf("database %s: backing up to %s: %w", r.path, dst, err)
	}
	if _, err := r.conn.ExecContext(ctx, "VACUUM INTO ?", tmpPath); err != nil {
		return fail(err)
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmpPath, dst); err != nil {
		return fail(err)
	}
	return dst, nil
}
