package runner

import "time"

// Event is what a Progress report is about.
type Event int8

// The events of a run, in the order they come for each revision.
const (
	// RevisionStart: a revision's transaction has begun (the write lock is
	// held) and its statements are about to run.
	RevisionStart Event = iota + 1
	// StatementStart: one statement of the revision is about to run.
	StatementStart
	// StatementEnd: that statement has run (or failed: Err).
	StatementEnd
	// RevisionEnd: the revision has committed, or failed and was rolled
	// back (Err).
	RevisionEnd
)

func (e Event) String() string {
	switch e {
	case RevisionStart:
		return "revision start"
	case StatementStart:
		return "statement start"
	case StatementEnd:
		return "statement end"
	case RevisionEnd:
		return "revision end"
	}
	return "unknown event"
}

// Progress reports a run's work as it happens, for a long migration to
// show which revision and statement are running and for how long.
//
// It gives elapsed time, not a fraction done: modernc.org/sqlite holds
// SQLite's progress handler itself (it cancels statements with it), and a
// statement's remaining work is not known before it ends.
type Progress struct {
	Event Event
	// Step is the revision; its Duration is set on RevisionEnd.
	Step Step
	// Statement is the statement's SQL, on the statement events. A table
	// rebuild the runner makes in place (by editing the table's definition)
	// is reported as one statement, its first.
	Statement string
	// Index is the statement's position in the revision's section, from 1;
	// Count is how many statements the section holds.
	Index, Count int
	// Elapsed is how long the statement or revision took, on the end events.
	Elapsed time.Duration
	// Err is why the statement or revision failed, on the end events.
	Err error
}

// WithProgress calls fn as each revision and each of its statements starts
// and ends. fn runs on the goroutine that migrates, while the revision's
// transaction holds the write lock, so it should return at once (hand the
// report to another goroutine to draw anything slow). A revision that leaves
// foreign key violations is run a second time, inside the same transaction,
// to count the violations it did not add; its statements are reported again.
func WithProgress(fn func(Progress)) Option {
	return func(r *Runner) { r.progress = fn }
}

// report calls the progress function, if any.
func (r *Runner) report(p Progress) {
	if r.progress != nil {
		r.progress(p)
	}
}
