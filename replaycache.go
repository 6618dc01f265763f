package autogen

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/autogen-dev/autogen/script"
)

// maxReplayImage bounds the replayed databases kept in the cache: a
// history that loads data is replayed each time rather than stored.
const maxReplayImage = 64 << 20

// replayFunc replays every revision of d on a new in-memory database.
type replayFunc func(ctx context.Context, d *script.Dir, versionTable string) (*sql.DB, error)

// cachedReplay is replay, from the cache folder dir when this executable
// replayed the same revisions (every field of each, in order) into the
// same version table before. The replayed database is kept as its SQLite
// image, gzipped (empty tables are mostly zero pages): replaying 2,000
// CREATE TABLE statements costs SQLite a scan of the growing sqlite_schema
// per statement, 0.9 s, where loading the image costs milliseconds, and
// `check --migrations` with an unchanged history replays it on every run.
// Like the target cache it is an optimisation only: an entry that cannot
// be read, decompressed (gzip checks its CRC) or loaded is replayed again.
func cachedReplay(ctx context.Context, dir string, d *script.Dir, versionTable string, replay replayFunc) (*sql.DB, error) {
	parts := []string{versionTable}
	for _, rev := range d.Revisions() {
		parts = append(parts, fmt.Sprintf("%#v", *rev))
	}
	key, ok := cacheKey("replay 1", parts)
	if !ok || dir == "" {
		return replay(ctx, d, versionTable)
	}
	file := filepath.Join(dir, "replay-"+key+".sqlite.gz")
	if db := loadImage(ctx, file); db != nil {
		return db, nil
	}
	db, err := replay(ctx, d, versionTable)
	if err != nil {
		return nil, err
	}
	if image, err := serialize(ctx, db); err == nil && len(image) <= maxReplayImage {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		if _, err := zw.Write(image); err == nil && zw.Close() == nil {
			storeFile(dir, file, buf.Bytes())
		}
	}
	return db, nil
}

// loadImage opens a new in-memory database holding the gzipped image in
// file, or returns nil.
func loadImage(ctx context.Context, file string) *sql.DB {
	data, err := os.ReadFile(file)
	if err != nil || len(data) < 4 {
		return nil
	}
	// gzip's trailer holds the size: one allocation, no regrowth.
	size := binary.LittleEndian.Uint32(data[len(data)-4:])
	if size == 0 || size > maxReplayImage {
		return nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	image := make([]byte, size)
	if _, err := io.ReadFull(zr, image); err != nil {
		return nil
	}
	if n, err := zr.Read(make([]byte, 1)); n != 0 || err != io.EOF { // EOF checks the CRC
		return nil
	}
	db, err := sqlite{}.scratch(ctx)
	if err != nil {
		return nil
	}
	if err := rawConn(ctx, db, func(c imageConn) error { return c.Deserialize(image) }); err != nil {
		db.Close()
		return nil
	}
	// The CRC vouches for the bytes; reading the schema version makes
	// SQLite parse the schema now rather than in the caller's first query.
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&version); err != nil {
		db.Close()
		return nil
	}
	return db
}

// imageConn is what modernc.org/sqlite's connections offer to copy a
// database to and from memory.
type imageConn interface {
	Serialize() ([]byte, error)
	Deserialize([]byte) error
}

// serialize returns db's main database as the bytes of its file.
func serialize(ctx context.Context, db *sql.DB) ([]byte, error) {
	var image []byte
	err := rawConn(ctx, db, func(c imageConn) (err error) {
		image, err = c.Serialize()
		return err
	})
	return image, err
}

// rawConn runs fn on the driver connection of db (which holds one).
func rawConn(ctx context.Context, db *sql.DB, fn func(imageConn) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		c, ok := dc.(imageConn)
		if !ok {
			return fmt.Errorf("the SQLite driver's connection %T cannot serialize", dc)
		}
		return fn(c)
	})
}
