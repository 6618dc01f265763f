// Package script reads a script directory's revision files and the graph
// their headers make, and resolves revision specifiers against it.
package script

// Revision is one revision file.
type Revision struct {
	ID           string
	Parents      []string // the "Revises" header; empty for a base
	BranchLabels []string
	DependsOn    []string
	Message      string
	CreateDate   string
	Upgrade      string // the SQL of the upgrade section
	Downgrade    string // the SQL of the downgrade section
	Path         string
	// UpgradeLine and DowngradeLine are the 1-based lines of the file where
	// each section's SQL starts (0 when it is empty), for errors that name
	// a statement's line.
	UpgradeLine, DowngradeLine int
	// UpgradeOrphans and DowngradeOrphans are the section's
	// `-- +autogen orphans "child" -> "parent"` lines.
	UpgradeOrphans, DowngradeOrphans []Orphans
	// NoTransaction is set by a NoTransactionMarker line: the runner runs
	// each statement of the revision on its own, outside a transaction,
	// and moves the version rows after the last one (PostgreSQL only).
	NoTransaction bool
}

// Orphans is a revision's declaration, in one section, that the section may
// leave rows of table Table whose foreign key to table Parent matches no
// row: the downgrade of dropping a referenced table creates the parent
// again, empty, while its children keep their rows. The runner's foreign
// key check lets such new violations through (and says how many) for the
// declared pairs only.
type Orphans struct {
	Table, Parent string
	Line          int // 1-based line of the directive in the file
}

// Step is one revision applied in one direction, with the changes to the
// version table's rows that applying it makes given the rows before it.
type Step struct {
	Revision *Revision
	Up       bool
	Delete   []string
	Insert   []string
}
