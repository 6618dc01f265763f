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
// name carries the time, and returns that file's path. It is for SQLite
// only.
func (r *Runner) Backup(ctx context.Context, now time.Time) (string, error) {
	if r.pg != nil {
		return "", fmt.Errorf("database %s is a PostgreSQL database, which Backup does not copy; take a copy with pg_dump", r.pgName())
	}
	var out string
	err := r.session(ctx, func(ctx context.Context) (err error) {
		out, err = r.backup(ctx, now)
		return err
	})
	return out, err
}

func (r *Runner) backup(ctx context.Context, now time.Time) (string, error) {
	file := databaseName(ctx, r.conn)
	if file == Memory {
		return "", fmt.Errorf("database %s is in memory; there is no file to back up", r.path)
	}
	ext := filepath.Ext(file)
	base := strings.TrimSuffix(file, ext) + "." + now.UTC().Format("20060102T150405Z")
	// VACUUM INTO a temporary name in the same folder, linked to its name
	// only once complete: an interrupted or failed backup leaves no partial
	// file that looks like a backup.
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(base)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("database %s: backing up next to it: %w", r.path, err)
	}
	tmpPath := tmp.Name()
	tmp.Close()
	os.Remove(tmpPath) // VACUUM INTO refuses an existing file, even empty
	defer os.Remove(tmpPath)
	if _, err := r.conn.ExecContext(ctx, "VACUUM INTO ?", tmpPath); err != nil {
		if c := code(err); c == codeBusy || c == codeLocked {
			return "", r.busyError(err)
		}
		return "", fmt.Errorf("database %s: backing up: %w", r.path, err)
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("database %s: backing up: %w", r.path, err)
	}
	return r.linkBackup(tmpPath, base, ext)
}

// linkBackup gives the finished copy the first free name of base.bak,
// base-2.bak, ...: a hard link fails where the name is taken, so two
// backups in the same second never replace one another.
func (r *Runner) linkBackup(tmpPath, base, ext string) (string, error) {
	dst := base + ext + ".bak"
	for i := 2; i < 1000; i++ {
		err := os.Link(tmpPath, dst)
		if err == nil {
			return dst, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			// A file system without hard links: rename to a free name.
			if _, serr := os.Lstat(dst); !errors.Is(serr, fs.ErrNotExist) {
				return "", fmt.Errorf("database %s: backing up to %s: %w", r.path, dst, err)
			}
			if err := os.Rename(tmpPath, dst); err != nil {
				return "", fmt.Errorf("database %s: backing up to %s: %w", r.path, dst, err)
			}
			return dst, nil
		}
		dst = fmt.Sprintf("%s-%d%s.bak", base, i, ext)
	}
	return "", fmt.Errorf("database %s: backing up: %s and 998 other names are taken", r.path, base+ext+".bak")
}
