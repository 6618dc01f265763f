package runner

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/autogen-dev/autogen/internal/filemode"
)

// FileOptions configure OpenFile.
type FileOptions struct {
	// ReadOnly opens for commands that only read: a missing file is not
	// created (the error wraps fs.ErrNotExist), nothing is checked for
	// writing, and the file is opened read-only unless it may be written,
	// so that a hot journal a killed process left is rolled back.
	ReadOnly    bool
	BusyTimeout time.Duration // default 30s
}

// OpenFile opens the SQLite database file at path (or Memory) for New,
// with the checks a command-line tool makes before it migrates: the folder
// exists, the path is a regular file holding a SQLite database, and, unless
// opts.ReadOnly, the file and its folder may be written. (Damage inside the
// file is looked for by the runner, in what each revision writes.) Errors
// name the file as path gives it. The *sql.DB keeps a single connection, which keeps an
// in-memory database alive until it is closed.
func OpenFile(ctx context.Context, path string, opts FileOptions) (*sql.DB, error) {
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = DefaultBusyTimeout
	}
	if path == Memory {
		return openDSN(ctx, path, Memory+"?"+dsnQuery("rwc", opts.BusyTimeout), opts)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	exists, err := checkPath(abs, path, !opts.ReadOnly)
	if err != nil {
		return nil, err
	}
	mode := "rwc"
	if opts.ReadOnly {
		if !exists {
			return nil, fmt.Errorf("database %s: %w", path, fs.ErrNotExist)
		}
		// A hot journal left by a killed process can only be rolled back by
		// a connection that may write; read-only commands use one whenever
		// the file allows it, so that they see the restored database.
		mode = "ro"
		if canWrite(abs) && canWrite(filepath.Dir(abs)) {
			mode = "rw"
		}
	}
	dsn := "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?" + dsnQuery(mode, opts.BusyTimeout)
	return openDSN(ctx, path, dsn, opts)
}

// dsnQuery is the DSN's query: the open mode and the busy timeout that
// covers the checks OpenFile makes (a run sets its own).
func dsnQuery(mode string, busy time.Duration) string {
	q := url.Values{}
	q.Set("mode", mode)
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	return q.Encode()
}

func openDSN(ctx context.Context, path, dsn string, opts FileOptions) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if err := checkDB(ctx, db, path, opts); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkDB reads the schema, which is what finds a file that is not a
// database. Damage elsewhere is looked for by the runner, in what each
// revision writes (integrity.go).
func checkDB(ctx context.Context, db *sql.DB, path string, opts FileOptions) error {
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		return openError(path, opts.BusyTimeout, err)
	}
	return nil
}

// checkPath reports whether the file exists, and fails with one sentence
// naming the file when its folder is missing or, for writing, when the file
// or its folder (where SQLite puts its journal) is not writable.
func checkPath(abs, shown string, write bool) (bool, error) {
	dir := filepath.Dir(abs)
	di, err := os.Stat(dir)
	if err == nil && !di.IsDir() {
		return false, fmt.Errorf("database %s: %s is a file, not a folder", shown, dir)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("database %s: folder %s does not exist", shown, dir)
	}
	if err != nil {
		return false, fmt.Errorf("database %s: folder %s: %w", shown, dir, err)
	}
	fi, err := os.Stat(abs)
	exists := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("database %s: %w", shown, err)
	}
	if exists && fi.IsDir() {
		return false, fmt.Errorf("database %s is a folder, not a SQLite database file", shown)
	}
	// A FIFO would block and a device would fail with a bare "disk I/O
	// error"; SQLite needs a regular file.
	if exists && !fi.Mode().IsRegular() {
		return false, fmt.Errorf("database %s is not a regular file (it is %s)", shown, filemode.Kind(fi.Mode()))
	}
	if !write {
		return exists, nil
	}
	if exists && !writable(abs, fi) {
		return false, fmt.Errorf("database %s is read-only; migrating needs write access to it", shown)
	}
	if !writable(dir, di) {
		return false, fmt.Errorf("database %s: folder %s is read-only; SQLite needs to write its journal there", shown, dir)
	}
	return exists, nil
}

// canWrite reports whether path exists and may be written.
func canWrite(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && writable(path, fi)
}
