package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/script"
)

// write makes the revision file of nr in the script directory.
func (p *project) write(c *cli.Context, d *script.Dir, nr newRevision) error {
	id := nr.revID
	if id == "" {
		var err error
		if id, err = script.NewID(); err != nil {
			return err
		}
	} else if !script.ValidID(id) {
		return fmt.Errorf("--rev-id %q is not a valid revision id (letters, digits and underscores)", id)
	} else if script.IsReserved(id) {
		return fmt.Errorf("--rev-id %q is a reserved word (head, heads, base, current); choose another id", id)
	}
	if d.Get(id) != nil {
		return fmt.Errorf("revision %s already exists in %s", id, d.Get(id).Path)
	}
	for _, l := range nr.branchLabels {
		if l == id {
			return fmt.Errorf("--branch-label %q is the new revision's own id; choose another label", l)
		}
	}
	path, err := script.WriteRevision(filepath.Join(p.cfg.ScriptLocation, "versions"), script.RevisionFile{
		ID:           id,
		Parents:      nr.parents,
		BranchLabels: nr.branchLabels,
		DependsOn:    nr.dependsOn,
		Message:      nr.message,
		Created:      time.Now().In(p.cfg.Location()),
		ShowOffset:   p.cfg.Timezone != "",
		Upgrade:      nr.upgrade,
		Downgrade:    nr.downgrade,
	}, script.FileOptions{
		TemplatePath:       filepath.Join(p.cfg.ScriptLocation, "script.sql.tmpl"),
		FileTemplate:       p.cfg.FileTemplate,
		TruncateSlugLength: p.cfg.TruncateSlugLength,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "  Generating %s ...  done\n", printable.Escape(path))
	return nil
}

// branchLabels checks a --branch-label before any work is done, so that no
// file is written that the script parser would then refuse, or where the
// label would hide a revision from the specifiers that name it.
func branchLabels(d *script.Dir, label string) ([]string, error) {
	switch {
	case label == "":
		return nil, nil
	case script.IsReserved(label):
		return nil, fmt.Errorf("--branch-label %q is a reserved word (head, heads, base, current); choose another label", label)
	case !script.ValidID(label):
		return nil, fmt.Errorf("--branch-label %q is not a valid label: use 1 to 32 letters, digits and underscores", label)
	}
	for _, r := range d.Revisions() {
		switch {
		case slices.Contains(r.BranchLabels, label):
			return nil, fmt.Errorf("--branch-label %q is already the branch label of revision %s (%s)", label, r.ID, r.Path)
		case r.ID == label:
			return nil, fmt.Errorf("--branch-label %q is the id of revision %s (%s); choose another label", label, r.ID, r.Path)
		case strings.HasPrefix(r.ID, label):
			return nil, fmt.Errorf("--branch-label %q is (the start of) revision id %s, which it would hide; choose another label", label, r.ID)
		}
	}
	return []string{label}, nil
}

// loadScriptsLocked is loadScripts for commands that add a revision: it
// holds an exclusive lock on the versions folder until unlock, so that
// revisions made at the same moment see each other's files and chain
// instead of all claiming the same parent.
func loadScriptsLocked(c *cli.Context) (p *project, d *script.Dir, unlock func(), err error) {
	if p, err = loadProject(c); err != nil {
		return nil, nil, nil, err
	}
	if unlock, err = script.LockVersions(p.cfg.ScriptLocation); err != nil {
		return nil, nil, nil, err
	}
	if d, err = p.scripts(); err != nil {
		unlock()
		return nil, nil, nil, err
	}
	return p, d, unlock, nil
}
