package runner

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/script"
)

// OfflineOptions configure OfflineSQL and OfflineStamp.
type OfflineOptions struct {
	VersionTable string    // default alembic_version
	Log          io.Writer // Alembic's INFO lines of an offline run; nil discards them
	// PostgreSQL writes a script for psql -v ON_ERROR_STOP=1 rather than
	// for the sqlite3 shell; LockTimeout and StatementTimeout, when set,
	// are SET LOCAL in each revision's transaction.
	PostgreSQL                    bool
	LockTimeout, StatementTimeout *time.Duration
}

func (o OfflineOptions) defaults() OfflineOptions {
	if o.VersionTable == "" {
		o.VersionTable = DefaultVersionTable
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	return o
}

// OfflineSQL writes, without touching a database, the script that migrates
// from the heads from (empty for base) to the heads to: foreign keys off,
// the version table when starting from base, then one BEGIN/COMMIT block per
// revision holding its SQL and its version-row change, and, as Alembic
// does, the version table dropped when no head remains. It is meant to be
// fed to the sqlite3 shell.
func OfflineSQL(w io.Writer, d *script.Dir, from, to []string, up bool, opts OfflineOptions) error {
	opts = opts.defaults()
	steps, err := d.Plan(from, to, up)
	if err != nil {
		return err
	}
	if opts.PostgreSQL {
		return offlinePostgres(w, steps, from, opts)
	}
	LogHeader(opts.Log)
	heads := toSet(from)
	var b strings.Builder
	b.WriteString("PRAGMA foreign_keys=OFF;\n\n")
	for _, st := range steps {
		rev := st.Revision
		b.WriteString("BEGIN;\n\n")
		if len(heads) == 0 {
			b.WriteString(opts.versionTableDDL() + ";\n\n")
		}
		line := runningLine(st)
		fmt.Fprintf(opts.Log, "%s%s\n", logPrefix, withMessage(line, rev))
		b.WriteString(sqltext.Comment(line) + "\n")
		verb, body := "upgrade", rev.Upgrade
		if !st.Up {
			verb, body = "downgrade", rev.Downgrade
		}
		stmts, err := sqltext.SplitStatements(body)
		if err != nil {
			return fmt.Errorf("revision %s (%s): %s section: %w", rev.ID, rev.Path, verb, err)
		}
		for _, s := range stmts {
			if isTxControl(s, firstWord(s)) {
				return fmt.Errorf("revision %s (%s) contains the statement %q; revisions must not begin or end a transaction", rev.ID, rev.Path, firstLine(s))
			}
			b.WriteString(terminate(s) + "\n\n")
		}
		if err := endStep(&b, heads, st, opts); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// endStep writes a step's version-row change, the version table's drop
// when no head remains (as Alembic does), and COMMIT.
func endStep(b *strings.Builder, heads map[string]bool, st script.Step, opts OfflineOptions) error {
	if err := simulate(heads, []script.Step{st}); err != nil {
		return err
	}
	writeVersionRows(b, opts.quotedTable(), st.Delete, st.Insert)
	if len(heads) == 0 {
		fmt.Fprintf(b, "DROP TABLE %s;\n\n", opts.quotedTable())
	}
	b.WriteString("COMMIT;\n\n")
	return nil
}

// OfflineStamp writes, without touching a database, the version-table
// statements that stamping from the heads from (empty for base) to target
// makes, as Alembic's stamp --sql does.
func OfflineStamp(w io.Writer, d *script.Dir, from, target []string, opts OfflineOptions) error {
	opts = opts.defaults()
	final, err := stampHeads(d, from, target)
	if err != nil {
		return err
	}
	logHeader(opts.Log, opts.PostgreSQL)
	del, ins := difference(from, final), difference(final, from)
	if len(del) == 0 && len(ins) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("BEGIN;\n\n")
	if len(from) == 0 {
		b.WriteString(opts.versionTableDDL() + ";\n\n")
	}
	line := fmt.Sprintf("Running stamp_revision %s -> %s", strings.Join(del, ", "), strings.Join(ins, ", "))
	fmt.Fprintf(opts.Log, "%s%s\n", logPrefix, line)
	b.WriteString(sqltext.Comment(line) + "\n")
	writeVersionRows(&b, opts.quotedTable(), del, ins)
	if len(final) == 0 {
		fmt.Fprintf(&b, "DROP TABLE %s;\n\n", opts.quotedTable())
	}
	b.WriteString("COMMIT;\n\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// runningLine is Alembic's "Running upgrade A -> B" for a step.
func runningLine(st script.Step) string {
	rev := st.Revision
	verb, from, to := "upgrade", rev.Parents, []string{rev.ID}
	if !st.Up {
		verb, from, to = "downgrade", to, from
	}
	return fmt.Sprintf("Running %s %s -> %s", verb, strings.Join(from, ", "), strings.Join(to, ", "))
}

// withMessage adds the revision's message to a log line: Alembic logs the
// first paragraph; one line keeps logs greppable.
func withMessage(line string, rev *script.Revision) string {
	if msg, _, _ := strings.Cut(rev.Message, "\n"); msg != "" {
		return line + ", " + printable.Escape(msg) // a hand-edited header may hold anything
	}
	return line
}

// terminate ends a statement with exactly one semicolon, on a line of its own
// when the statement ends in a line comment that would swallow it.
func terminate(stmt string) string {
	s := strings.TrimSpace(stmt)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	last := s[strings.LastIndexByte(s, '\n')+1:]
	if strings.Contains(last, "--") {
		return s + "\n;"
	}
	return s + ";"
}

// writeVersionRows writes a step's version-row change on the version table
// t (quoted) as Alembic does: an UPDATE where one row becomes another,
// INSERT and DELETE otherwise.
func writeVersionRows(b *strings.Builder, t string, del, ins []string) {
	n := min(len(del), len(ins))
	for _, v := range del[:len(del)-n] {
		fmt.Fprintf(b, "DELETE FROM %s WHERE %s.version_num = %s;\n\n", t, t, sqltext.QuoteString(v))
	}
	for i := range n {
		fmt.Fprintf(b, "UPDATE %s SET version_num=%s WHERE %s.version_num = %s;\n\n",
			t, sqltext.QuoteString(ins[i]), t, sqltext.QuoteString(del[len(del)-n+i]))
	}
	for _, v := range ins[n:] {
		fmt.Fprintf(b, "INSERT INTO %s (version_num) VALUES (%s);\n\n", t, sqltext.QuoteString(v))
	}
}
