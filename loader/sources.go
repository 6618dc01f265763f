package loader

import (
	"bytes"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"
)

// tree is a folder whose files a build of the models reads: a module (its
// build files, go.mod, go.sum and what they embed), a vendor folder (every
// file), or a single file (go.work, go.work.sum).
type tree struct {
	path string
	kind treeKind
}

type treeKind int

const (
	moduleTree treeKind = iota
	vendorTree
	fileTree
)

// sourceTrees lists what the go command reads to build the models from dir
// in module root: the module itself; its vendor folder when it has one;
// the local modules the main go.mod replaces with a folder; and, in a
// workspace (go.work found as the go command finds it), go.work,
// go.work.sum, every module it uses and the folders any of them replaces.
// Modules from the module cache are pinned by go.sum and are not read.
func sourceTrees(root, dir string) ([]tree, error) {
	trees := []tree{{root, moduleTree}}
	seen := map[string]bool{root: true}
	add := func(t tree) {
		if !seen[t.path] {
			seen[t.path] = true
			trees = append(trees, t)
		}
	}
	modFiles := []string{filepath.Join(root, "go.mod")}
	if work := workFile(dir); work != "" {
		add(tree{work, fileTree})
		add(tree{work + ".sum", fileTree})
		data, err := os.ReadFile(work)
		if err != nil {
			return nil, fmt.Errorf("reading the workspace file: %w", err)
		}
		wf, err := modfile.ParseWork(work, data, nil)
		if err != nil {
			return nil, fmt.Errorf("reading the workspace file: %w", err)
		}
		base := filepath.Dir(work)
		for _, u := range wf.Use {
			mod := localPath(base, u.Path)
			add(tree{mod, moduleTree})
			modFiles = append(modFiles, filepath.Join(mod, "go.mod"))
		}
		for _, r := range wf.Replace {
			if r.New.Version == "" {
				add(tree{localPath(base, r.New.Path), moduleTree})
			}
		}
	} else if _, err := os.Stat(filepath.Join(root, "vendor", "modules.txt")); err == nil {
		add(tree{filepath.Join(root, "vendor"), vendorTree})
	}
	for _, gomod := range modFiles {
		data, err := os.ReadFile(gomod)
		if err != nil {
			continue // a workspace module without go.mod fails the build, which says so
		}
		mf, err := modfile.Parse(gomod, data, nil)
		if err != nil {
			continue // likewise
		}
		for _, r := range mf.Replace {
			if r.New.Version == "" {
				add(tree{localPath(filepath.Dir(gomod), r.New.Path), moduleTree})
			}
		}
	}
	return trees, nil
}

// workFile is the go.work the go command uses from dir: $GOWORK, unless
// "off", else the first go.work in dir or a folder above it; "" for none.
func workFile(dir string) string {
	switch w := os.Getenv("GOWORK"); w {
	case "off":
		return ""
	case "":
	default:
		if filepath.IsAbs(w) {
			return w
		}
		return ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "go.work")); err == nil && !fi.IsDir() {
			return filepath.Join(d, "go.work")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func localPath(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, filepath.FromSlash(p))
}

// hash writes the tree's files, by path and content, into h.
func (t tree) hash(h hash.Hash) error {
	field(h, "tree", fmt.Sprintf("%d %s", t.kind, t.path))
	var files []string
	var err error
	switch t.kind {
	case fileTree:
		_, err := hashFile(h, filepath.Dir(t.path), filepath.Base(t.path), true)
		return err
	case vendorTree:
		files, err = allFiles(t.path)
	default:
		if _, err := os.Stat(t.path); os.IsNotExist(err) {
			field(h, "missing", t.path) // the build says what is wrong
			return nil
		}
		files, err = sourceFiles(t.path)
	}
	if err != nil {
		return err
	}
	var embedded []string
	for _, f := range files {
		data, err := hashFile(h, t.path, f, false)
		if err != nil {
			return err
		}
		if t.kind == moduleTree && strings.HasSuffix(f, ".go") && bytes.Contains(data, []byte("//go:embed")) {
			embedded = append(embedded, embeds(t.path, filepath.Dir(f), data)...)
		}
	}
	slices.Sort(embedded)
	for _, f := range slices.Compact(embedded) {
		if _, err := hashFile(h, t.path, f, false); err != nil {
			return err
		}
	}
	return nil
}

// hashFile writes one file into h and returns its content; a missing one
// is written as missing when optional.
func hashFile(h hash.Hash, root, rel string, optional bool) ([]byte, error) {
	data, err := os.ReadFile(filepath.Join(root, rel))
	if optional && os.IsNotExist(err) {
		field(h, "missing", filepath.ToSlash(rel))
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("hashing model sources: %w", err)
	}
	field(h, "file", filepath.ToSlash(rel))
	field(h, "data", string(data))
	return data, nil
}

// embeds returns the files (relative to root) that the //go:embed
// directives of a Go file in folder pkg (relative to root) can name: each
// pattern is matched as the go command matches it, a folder standing for
// every file under it.
func embeds(root, pkg string, src []byte) []string {
	var out []string
	for _, line := range strings.Split(string(src), "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "//go:embed")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		for _, pat := range embedPatterns(rest) {
			pat = strings.TrimPrefix(pat, "all:")
			matches, _ := filepath.Glob(filepath.Join(root, pkg, filepath.FromSlash(pat)))
			for _, m := range matches {
				_ = filepath.WalkDir(m, func(path string, d fs.DirEntry, err error) error {
					if err == nil && d.Type().IsRegular() {
						if rel, err := filepath.Rel(root, path); err == nil {
							out = append(out, rel)
						}
					}
					return nil
				})
			}
		}
	}
	return out
}

// embedPatterns splits a //go:embed line's patterns: space-separated,
// each possibly a Go string literal.
func embedPatterns(s string) []string {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' || s[0] == '`' {
			if q, err := strconv.QuotedPrefix(s); err == nil {
				if u, err := strconv.Unquote(q); err == nil {
					out = append(out, u)
				}
				s = s[len(q):]
				continue
			}
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}

// buildExts are the files the go command compiles besides .go files.
var buildExts = []string{".s", ".S", ".c", ".h", ".cc", ".cpp", ".cxx", ".hh", ".hpp", ".hxx", ".m", ".f", ".F", ".for", ".f90", ".syso", ".swig", ".swigcxx"}

// sourceFiles lists go.mod, go.sum and the module's non-test build files
// (relative, sorted), skipping what the go command itself ignores: testdata,
// vendor, nested modules and folders starting with "." or "_".
func sourceFiles(root string) ([]string, error) {
	skip := func(path, name string) bool {
		if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return true
		}
		_, err := os.Stat(filepath.Join(path, "go.mod"))
		return err == nil
	}
	keep := func(path, name string) bool {
		isGo := strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
		isMod := filepath.Dir(path) == root && (name == "go.mod" || name == "go.sum")
		return isGo || isMod || slices.Contains(buildExts, filepath.Ext(name))
	}
	return walkFiles(root, skip, keep)
}

// allFiles lists every regular file under root (relative, sorted).
func allFiles(root string) ([]string, error) {
	return walkFiles(root, func(string, string) bool { return false }, func(string, string) bool { return true })
}

// walkFiles lists the regular files under root that keep accepts (relative,
// sorted), not entering the folders below root that skip names.
func walkFiles(root string, skip, keep func(path, name string) bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && skip(path, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if !isFile(path, d) || !keep(path, d.Name()) {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing the files of %s: %w", root, err)
	}
	slices.Sort(files)
	return files, nil
}

// isFile is true for a regular file, or a symbolic link to one (the go
// command follows those).
func isFile(path string, d fs.DirEntry) bool {
	if d.Type()&fs.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		return err == nil && fi.Mode().IsRegular()
	}
	return d.Type().IsRegular()
}
