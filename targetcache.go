package autogen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"

	"github.com/autogen-dev/autogen/schema"
)

// buildTarget builds the schema that statements create.
type buildTarget func(ctx context.Context, stmts []string) (*schema.Schema, error)

// cachedTarget returns what build returns for stmts, from the cache folder
// dir when an earlier run of this same executable stored it: rebuilding
// the target of 1,000 tables costs about 0.25 s of CPU (the DDL run in
// memory, then inspected), reading it back a few milliseconds, and `check`
// with nothing changed rebuilds a target that did not change. The key holds
// the executable's identity, so a new build of autogen, whose FromDDL may
// differ, never reads an older build's entries. The cache is an
// optimisation only: any failure to read or write it falls back to build,
// and a damaged entry is rebuilt, never reported.
func cachedTarget(ctx context.Context, dir string, stmts []string, build buildTarget) (*schema.Schema, error) {
	key, ok := targetKey(stmts)
	if !ok || dir == "" {
		return build(ctx, stmts)
	}
	file := filepath.Join(dir, "target-"+key+".gob")
	if s := readTarget(file); s != nil {
		return s, nil
	}
	s, err := build(ctx, stmts)
	if err != nil {
		return nil, err
	}
	writeTarget(dir, file, s)
	return s, nil
}

// targetKey hashes the running executable's path, size and modification
// time (a stat, where hashing its contents would cost more than the build
// saved) and the statements, each length-prefixed so that no two inputs
// hash alike.
func targetKey(stmts []string) (string, bool) {
	return cacheKey("target 1", stmts)
}

// cacheKey is targetKey for entries of any kind: kind, then the
// executable's identity, then the strings.
func cacheKey(kind string, parts []string) (string, bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return "", false
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d:%s%d %d\x00", kind, len(exe), exe, fi.Size(), fi.ModTime().UnixNano())
	for _, s := range parts {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// readTarget returns the schema stored in file, or nil when there is none
// or it cannot be decoded.
func readTarget(file string) *schema.Schema {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	return readTargetBytes(data)
}

func readTargetBytes(data []byte) *schema.Schema {
	var s schema.Schema
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&s); err != nil {
		return nil
	}
	return &s
}

// writeTarget stores s in file (see storeFile). gob
// decodes ten times faster than JSON and keeps strings byte for byte, but
// reads an empty slice back as nil: only an encoding that decodes to
// exactly s is stored.
func writeTarget(dir, file string, s *schema.Schema) {
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(s) != nil {
		return
	}
	data := buf.Bytes()
	if back := readTargetBytes(data); back == nil || !reflect.DeepEqual(back, s) {
		return
	}
	storeFile(dir, file, data)
}

// storeFile writes data to file in dir through a temporary file renamed
// into place, so that a concurrent reader sees the whole entry or none;
// a failure leaves no entry.
func storeFile(dir, file string, data []byte) {
	if os.MkdirAll(dir, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".entry-*.tmp")
	if err != nil {
		return
	}
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil || os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
	}
}

// targetCacheDir is the folder of the target cache: the loader's, in the
// user's cache folder ("" when there is none, which turns the cache off).
func targetCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "autogen")
}

// cachedInspect is schema.Inspect of db, from the cache folder dir when
// this executable inspected a database whose sqlite_schema held exactly
// the same rows: everything Inspect returns (the parsed CREATE text, and
// what SQLite's table_xinfo, index and foreign-key pragmas say of it) is a
// function of those rows and of the SQLite compiled into the executable.
// The rows that make the key and the inspection are read in one read
// transaction, so another connection's change cannot fall between them.
// On 1,000 tables it took `check` with nothing changed from 0.22 s to
// 0.15 s (bench/README.md).
func cachedInspect(ctx context.Context, db *sql.DB, dir string, skip ...string) (*schema.Schema, error) {
	if dir == "" {
		return schema.Inspect(ctx, db, skip...)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a read transaction: nothing to keep
	parts, err := schemaRows(ctx, tx)
	if err != nil {
		return schema.Inspect(ctx, tx, skip...)
	}
	for _, s := range skip {
		parts = append(parts, "skip", s)
	}
	key, ok := cacheKey("inspect 1", parts)
	if !ok {
		return schema.Inspect(ctx, tx, skip...)
	}
	file := filepath.Join(dir, "inspect-"+key+".gob")
	if s := readTarget(file); s != nil {
		return s, nil
	}
	s, err := schema.Inspect(ctx, tx, skip...)
	if err != nil {
		return nil, err
	}
	writeTarget(dir, file, s)
	return s, nil
}

// schemaRows is every row of sqlite_schema, each column length-prefixed
// (a NULL as "-"), in rowid order.
func schemaRows(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var typ, name, tbl string
		var root int64
		var text sql.NullString
		if err := rows.Scan(&typ, &name, &tbl, &root, &text); err != nil {
			return nil, err
		}
		sqlText := "-"
		if text.Valid {
			sqlText = fmt.Sprintf("%d:%s", len(text.String), text.String)
		}
		parts = append(parts, fmt.Sprintf("%d:%s%d:%s%d:%s%d %s", len(typ), typ, len(name), name, len(tbl), tbl, root, sqlText))
	}
	return parts, rows.Err()
}
