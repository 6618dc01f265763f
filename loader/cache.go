package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// moduleRoot returns the folder of the go.mod that governs dir.
func moduleRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolving the models folder %s: %w", dir, err)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("%w: no go.mod in %s or any folder above it", ErrNoModule, abs)
		}
	}
}

// cacheKey hashes everything the models' DDL can depend on: the loader
// version, the dialect, the Go toolchain, the environment that steers the
// build, the patterns, and every file the build reads from the user's
// disk (see sourceTrees): Go and other sources, files they embed, go.mod,
// go.sum, go.work and vendor/.
func cacheKey(root, dir, dialect string, patterns []string) (string, error) {
	h := sha256.New()
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return "", fmt.Errorf("locating %s in module %s: %w", dir, root, err)
	}
	field(h, "loader", Version)
	field(h, "bunddl", bunddlDigest())
	field(h, "dir", filepath.ToSlash(rel))
	field(h, "dialect", dialect)
	field(h, "patterns", strings.Join(patterns, "\x00"))
	if goBin, err := exec.LookPath("go"); err == nil {
		// Stat instead of `go env GOVERSION`: a toolchain upgrade replaces
		// the binary, and a stat costs microseconds, not a process.
		if fi, err := os.Stat(goBin); err == nil {
			field(h, "go", fmt.Sprintf("%s %d %d", goBin, fi.Size(), fi.ModTime().UnixNano()))
		}
	}
	for _, env := range []string{"GOFLAGS", "GOOS", "GOARCH", "GOWORK", "GOEXPERIMENT", "GOTOOLCHAIN", "CGO_ENABLED"} {
		field(h, "env "+env, os.Getenv(env))
	}
	trees, err := sourceTrees(root, dir)
	if err != nil {
		return "", err
	}
	for _, t := range trees {
		if err := t.hash(h); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// field writes a length-prefixed name and value so that no two different
// inputs hash alike.
func field(h hash.Hash, name, value string) {
	fmt.Fprintf(h, "%d:%s%d:%s", len(name), name, len(value), value)
}

// cachedResult is the stored form of a Result.
type cachedResult struct {
	Statements []string          `json:"statements"`
	Models     []string          `json:"models"`
	Tables     map[string]string `json:"tables"`
	Schemas    map[string]string `json:"schemas,omitempty"`
}

func cachePath(cacheDir, key string) string {
	return filepath.Join(cacheDir, "models-"+key+".json")
}

// readCache returns the stored result for key, or nil when there is none or
// it cannot be read (a damaged entry is rebuilt, not reported).
func readCache(cacheDir, key string) *Result {
	data, err := os.ReadFile(cachePath(cacheDir, key))
	if err != nil {
		return nil
	}
	var c cachedResult
	if err := json.Unmarshal(data, &c); err != nil || len(c.Models) == 0 {
		return nil
	}
	if c.Schemas == nil {
		c.Schemas = map[string]string{}
	}
	return &Result{Statements: c.Statements, Models: c.Models, Tables: c.Tables, Schemas: c.Schemas, Cached: true}
}

// writeCache stores r atomically: a temporary file renamed into place, so a
// concurrent reader sees the whole entry or none.
func writeCache(cacheDir, key string, r *Result) (err error) {
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return fmt.Errorf("creating the loader cache %s: %w", cacheDir, err)
	}
	data, err := json.Marshal(cachedResult{Statements: r.Statements, Models: r.Models, Tables: r.Tables, Schemas: r.Schemas})
	if err != nil {
		return fmt.Errorf("encoding the loader cache entry: %w", err)
	}
	tmp, err := os.CreateTemp(cacheDir, ".models-*.tmp")
	if err != nil {
		return fmt.Errorf("writing the loader cache in %s: %w", cacheDir, err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	_, werr := tmp.Write(data)
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("writing the loader cache entry %s: %w", tmp.Name(), werr)
	}
	if err := os.Rename(tmp.Name(), cachePath(cacheDir, key)); err != nil {
		return fmt.Errorf("storing the loader cache entry: %w", err)
	}
	return nil
}

// defaultCacheDir is the per-user cache folder of autogen.
func defaultCacheDir() (string, error) {
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the user cache folder for the model loader: %w", err)
	}
	return filepath.Join(d, "autogen"), nil
}

// bunddlDigest hashes the embedded sources of package bunddl, so that a
// change to what the program records is a new cache entry even where
// Version was not bumped.
func bunddlDigest() string {
	h := sha256.New()
	_ = fs.WalkDir(bunddlSources, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := bunddlSources.ReadFile(path)
		if err != nil {
			return err
		}
		field(h, path, string(data))
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
