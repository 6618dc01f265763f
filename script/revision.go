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
	// NoTransaction is set by a NoTransactionMarker line: the runner runs
	// each statement of the revision on its own, outside a transaction,
	// and moves the version rows after the last one (PostgreSQL only).
	NoTransaction bool
}

// Step is one revision applied in one direction, with the changes to the
// version table's rows that applying it makes given the rows before it.
type Step struct {
	Revision *Revision
	Up       bool
	Delete   []string
	Insert   []string
}
