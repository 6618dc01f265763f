package script

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/internal/filemode"
)

// Sentinel errors of the revision graph, matched with errors.Is.
var (
	ErrNoVersions     = errors.New("no versions folder")
	ErrDuplicateID    = errors.New("duplicate revision id")
	ErrDuplicateLabel = errors.New("duplicate branch label")
	ErrMissingParent  = errors.New("missing parent revision")
	ErrMissingDepends = errors.New("missing depends-on revision")
	ErrCycle          = errors.New("revision cycle")
)

// GraphError is a problem with the revision graph as a whole.
type GraphError struct {
	Msg string
	Err error // one of the sentinel errors
}

func (e *GraphError) Error() string { return e.Msg }
func (e *GraphError) Unwrap() error { return e.Err }

func graphErr(sentinel error, format string, args ...any) error {
	return &GraphError{Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// IsReserved reports whether s is a specifier word (head, heads, base,
// current), which can be neither a revision id nor a branch label.
func IsReserved(s string) bool {
	switch s {
	case "head", "heads", "base", "current":
		return true
	}
	return false
}

// Dir is the revision graph of one script directory.
type Dir struct {
	revs     map[string]*Revision
	order    []*Revision         // topological, base first
	children map[string][]string // by Revises, sorted
	deps     map[string][]string // depends-on resolved to ids, sorted
	labels   map[string]string   // branch label -> the revision declaring it
	up       map[string][]string // revisions that revise or depend on a revision
}

// Load reads every versions/*.sql file of the script directory dir and
// builds their graph; revisions and errors name files by their path under
// dir.
func Load(dir string) (*Dir, error) {
	return load(os.DirFS(dir), dir)
}

// LoadFS is Load for a script directory given as a file system rooted at
// it (holding versions/), such as an embed.FS sub-tree; revisions and
// errors name files by their path in fsys ("versions/x.sql"). Anything in
// versions/ that is not a *.sql file is ignored, and so is everything
// outside versions/.
func LoadFS(fsys fs.FS) (*Dir, error) {
	return load(fsys, "")
}

// load reads fsys's versions/*.sql; dir, when not empty, is where fsys lives
// on disk, for the paths revisions and errors carry.
func load(fsys fs.FS, dir string) (*Dir, error) {
	name := func(p string) string {
		if dir == "" {
			return p
		}
		return filepath.Join(dir, filepath.FromSlash(p))
	}
	entries, err := fs.ReadDir(fsys, "versions")
	if err != nil {
		shown := dir
		if shown == "" {
			shown = "(embedded)"
		}
		return nil, graphErr(ErrNoVersions, "script directory %s has no readable versions folder (%v); run autogen init", shown, unwrapPath(err))
	}
	var revs []*Revision
	for _, e := range entries { // ReadDir sorts by name
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		r, err := loadFile(fsys, "versions/"+e.Name(), name)
		if err != nil {
			return nil, err
		}
		if r != nil {
			revs = append(revs, r)
		}
	}
	return New(revs)
}

// loadFile parses one revision file; nil for a folder named *.sql.
func loadFile(fsys fs.FS, p string, name func(string) string) (*Revision, error) {
	// A FIFO or device named *.sql would block or never end a read; Stat
	// follows a symbolic link to what it names.
	info, err := fs.Stat(fsys, p)
	if err != nil {
		return nil, &ParseError{Path: name(p), Msg: "cannot be read: " + unwrapPath(err).Error()}
	}
	if info.IsDir() {
		return nil, nil
	}
	if !info.Mode().IsRegular() {
		return nil, &ParseError{Path: name(p), Msg: "is not a regular file (" + filemode.Kind(info.Mode()) + "); move it out of versions/"}
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, &ParseError{Path: name(p), Msg: "cannot be read: " + unwrapPath(err).Error()}
	}
	return Parse(name(p), data)
}

// unwrapPath drops a *fs.PathError's operation and path, which name the
// file relative to the file system: messages name it themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// New builds the graph of already parsed revisions.
func New(revs []*Revision) (*Dir, error) {
	d := &Dir{
		revs:     make(map[string]*Revision, len(revs)),
		children: map[string][]string{},
		deps:     map[string][]string{},
		labels:   map[string]string{},
	}
	for _, r := range revs {
		if prev, ok := d.revs[r.ID]; ok {
			return nil, graphErr(ErrDuplicateID, "revision id %s is used by both %s and %s", r.ID, prev.Path, r.Path)
		}
		if IsReserved(r.ID) {
			// "show base" would name the base, never this revision.
			return nil, graphErr(ErrDuplicateID, "revision %s uses the reserved word %s as its id", r.Path, r.ID)
		}
		d.revs[r.ID] = r
	}
	if err := d.linkLabels(revs); err != nil {
		return nil, err
	}
	if err := d.link(revs); err != nil {
		return nil, err
	}
	return d, d.sort()
}

func (d *Dir) linkLabels(revs []*Revision) error {
	for _, r := range revs {
		for _, l := range r.BranchLabels {
			switch prev, ok := d.labels[l]; {
			case ok && prev != r.ID:
				return graphErr(ErrDuplicateLabel, "branch label %s is declared by revision %s (%s) and revision %s (%s)", l, prev, d.revs[prev].Path, r.ID, r.Path)
			case IsReserved(l):
				return graphErr(ErrDuplicateLabel, "revision %s (%s) uses the reserved word %s as a branch label", r.ID, r.Path, l)
			case d.revs[l] != nil:
				return graphErr(ErrDuplicateLabel, "revision %s (%s) has branch label %s, which is also a revision id", r.ID, r.Path, l)
			}
			d.labels[l] = r.ID
		}
	}
	return nil
}

func (d *Dir) link(revs []*Revision) error {
	for _, r := range revs {
		for _, p := range r.Parents {
			if d.revs[p] == nil {
				return graphErr(ErrMissingParent, "revision %s (%s) revises %s, which no revision file defines", r.ID, r.Path, p)
			}
			if !slices.Contains(d.children[p], r.ID) {
				d.children[p] = append(d.children[p], r.ID)
			}
		}
		for _, dep := range r.DependsOn {
			id := dep
			if d.revs[id] == nil {
				id = d.labels[dep]
			}
			if id == "" {
				return graphErr(ErrMissingDepends, "revision %s (%s) depends on %s, which is neither a revision id nor a branch label", r.ID, r.Path, dep)
			}
			if !slices.Contains(d.deps[r.ID], id) {
				d.deps[r.ID] = append(d.deps[r.ID], id)
			}
		}
	}
	for _, m := range []map[string][]string{d.children, d.deps} {
		for _, v := range m {
			sort.Strings(v)
		}
	}
	return nil
}

// down returns the revisions r needs applied first: parents and dependencies.
func (d *Dir) down(id string) []string {
	r := d.revs[id]
	out := slices.Clone(r.Parents)
	for _, dep := range d.deps[id] {
		if !slices.Contains(out, dep) {
			out = append(out, dep)
		}
	}
	sort.Strings(out)
	return out
}

// sort orders the revisions topologically (Kahn, smallest id first among
// the ready ones) and reports a cycle by its members.
func (d *Dir) sort() error {
	pending := make(map[string]int, len(d.revs))
	up := map[string][]string{} // reverse of down
	d.up = up
	for id := range d.revs {
		downs := d.down(id)
		pending[id] = len(downs)
		for _, p := range downs {
			up[p] = append(up[p], id)
		}
	}
	var ready []string
	for id, n := range pending {
		if n == 0 {
			ready = append(ready, id)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		id := ready[0]
		ready = ready[1:]
		d.order = append(d.order, d.revs[id])
		for _, c := range up[id] {
			if pending[c]--; pending[c] == 0 {
				ready = append(ready, c)
			}
		}
	}
	if len(d.order) == len(d.revs) {
		return nil
	}
	cycle := d.findCycle(pending)
	names := make([]string, len(cycle))
	for i, id := range cycle {
		names[i] = fmt.Sprintf("%s (%s)", id, d.revs[id].Path)
	}
	return graphErr(ErrCycle, "revisions form a cycle: %s", strings.Join(names, " -> "))
}

// findCycle walks down from a revision left unsorted until one repeats.
func (d *Dir) findCycle(pending map[string]int) []string {
	var start string
	for id, n := range pending {
		if n > 0 && (start == "" || id < start) {
			start = id
		}
	}
	seen := map[string]int{}
	var path []string
	for id := start; ; {
		if i, ok := seen[id]; ok {
			return append(path[i:], id)
		}
		seen[id] = len(path)
		path = append(path, id)
		for _, p := range d.down(id) {
			if pending[p] > 0 {
				id = p
				break
			}
		}
	}
}

// Revisions returns every revision in topological order, base first.
func (d *Dir) Revisions() []*Revision { return slices.Clone(d.order) }

// Get returns the revision with exactly this id, or nil.
func (d *Dir) Get(id string) *Revision { return d.revs[id] }

// Children returns the ids of the revisions that revise id, sorted.
func (d *Dir) Children(id string) []string { return slices.Clone(d.children[id]) }

// DependsOn returns the ids id depends on, branch labels resolved, sorted.
func (d *Dir) DependsOn(id string) []string { return slices.Clone(d.deps[id]) }

// Heads returns the ids no revision revises, sorted.
func (d *Dir) Heads() []string {
	var out []string
	for id := range d.revs {
		if len(d.children[id]) == 0 {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// Bases returns the ids of the revisions that revise nothing, sorted.
func (d *Dir) Bases() []string {
	var out []string
	for id, r := range d.revs {
		if len(r.Parents) == 0 {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// versionsPath is the versions folder of the script directory dir.
func versionsPath(dir string) string { return filepath.Join(dir, "versions") }
