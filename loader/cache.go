package loader

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
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
// version, the dialect, the Go toolchain, the environment that steers the build, the
// patterns and every Go source file of the module, go.mod and go.sum.
func cacheKey(root, dir, dialect string, patterns []string) (string, error) {
	h := sha256.New()
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return "", fmt.Errorf("locating %s in module %s: %w", dir, root, err)
	}
	field(h, "loader", Version)
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
	files, err := sourceFiles(root)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		if err := hashFile(h, root, f); err != nil {
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

func hashFile(h hash.Hash, root, rel string) error {
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		return fmt.Errorf("hashing model sources: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("hashing model sources: %w", err)
	}
	field(h, "file", filepath.ToSlash(rel))
	fmt.Fprintf(h, "%d:", fi.Size())
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("hashing %s: %w", filepath.Join(root, rel), err)
	}
	return nil
}

// sourceFiles lists go.mod, go.sum and the module's non-test .go files
// (relative, sorted), skipping what the go command itself ignores: testdata,
// vendor, nested modules and folders starting with "." or "_".
func sourceFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path == root {
				return nil
			}
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		isGo := strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
		isMod := filepath.Dir(path) == root && (name == "go.mod" || name == "go.sum")
		if isGo || isMod {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the Go files of module %s: %w", root, err)
	}
	sort.Strings(files)
	return files, nil
}

// cachedResult is the stored form of a Result.
type cachedResult struct {
	Statements []string          `json:"statements"`
	Models     []string          `json:"models"`
	Tables     map[string]string `json:"tables"`
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
	return &Result{Statements: c.Statements, Models: c.Models, Tables: c.Tables, Cached: true}
}

// writeCache stores r atomically: a temporary file renamed into place, so a
// concurrent reader sees the whole entry or none.
func writeCache(cacheDir, key string, r *Result) (err error) {
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return fmt.Errorf("creating the loader cache %s: %w", cacheDir, err)
	}
	data, err := json.Marshal(cachedResult{Statements: r.Statements, Models: r.Models, Tables: r.Tables})
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
