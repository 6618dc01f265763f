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
	// Rewrite, when set, is given each step's statements of a script for
	// the sqlite3 shell, checked and in order, and returns those the
	// script holds instead (package autogen writes the ALTER TABLE forms
	// an older shell lacks as rebuilds). It is called once per step, in
	// the order the steps run.
	Rewrite func(st script.Step, stmts []string) ([]string, error)
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
// then one block per revision, BEGIN, the version table when starting from
// base, the revision's SQL, its version-row change and COMMIT, and, as
// Alembic does, the version table dropped when no head remains. It is
// meant to be fed to the sqlite3 shell, with or without -bail: each block
// is one unit of the shell's input (see writeBlock), so a failed statement
// skips the rest of its revision, version row and COMMIT included. The
// statements are checked as the runner checks them before running them.
func OfflineSQL(w io.Writer, d *script.Dir, from, to []string, up bool, opts OfflineOptions) error {
	opts = opts.defaults()
	steps, err := d.Plan(from, to, up)
	if err != nil {
		return err
	}
	if opts.PostgreSQL {
		return offlinePostgres(w, steps, from, opts)
	}
	for _, st := range steps {
		if err := sqliteTransactional(st.Revision); err != nil {
			return err
		}
	}
	LogHeader(opts.Log)
	heads := toSet(from)
	var b strings.Builder
	b.WriteString("PRAGMA foreign_keys=OFF;\n\n")
	b.WriteString(blockNote)
	for _, st := range steps {
		rev := st.Revision
		block := []string{"BEGIN"}
		if len(heads) == 0 {
			block = append(block, opts.versionTableDDL())
		}
		line := runningLine(st)
		fmt.Fprintf(opts.Log, "%s%s\n", logPrefix, withMessage(line, rev))
		stmts, err := revisionStatements(rev, st.Up)
		if err != nil {
			return err
		}
		if opts.Rewrite != nil {
			if stmts, err = opts.Rewrite(st, stmts); err != nil {
				return err
			}
		}
		if err := simulate(heads, []script.Step{st}); err != nil {
			return err
		}
		if shellLines(stmts) {
			block = append(block, shellCheck...)
		}
		rest := append(stmts, versionRows(opts.quotedTable(), st.Delete, st.Insert)...)
		if len(heads) == 0 {
			rest = append(rest, "DROP TABLE "+opts.quotedTable())
		}
		rest = append(rest, "COMMIT")
		rest[0] = sqltext.Comment(line) + rest[0]
		writeBlock(&b, append(block, rest...))
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// blockNote opens an offline script: why its statements are joined by
// block comments.
var blockNote = sqltext.Comment("Each revision is one block from BEGIN to COMMIT, its statements joined by /* */, so") +
	sqltext.Comment("that the sqlite3 shell reads it as one unit: a failed statement stops the unit, and") +
	sqltext.Comment("the rest of the revision, its version row and COMMIT do not run, with or without -bail.") + "\n"

// shellCheck opens a block whose quotes hold CR LF, written CR CR LF
// (shellLines): it fails, so that nothing of the revision runs, unless the
// script is read by the sqlite3 shell, which drops the CR before each LF.
var shellCheck = []string{
	`CREATE TEMP TABLE "autogen_shell_check" (n CONSTRAINT "this script must be run by the sqlite3 shell, which reads CR CR LF at the end of a line as the CR LF inside quotes it holds" CHECK (n = 2))`,
	"INSERT INTO temp.\"autogen_shell_check\" VALUES (length('\r\r\n'))",
	`DROP TABLE temp."autogen_shell_check"`,
}

// shellLines writes, in place, each CR LF inside the quotes (string
// literals, quoted names) of stmts as CR CR LF, and reports whether there
// was one. The sqlite3 shell reads its input line by line and drops a CR
// before each LF, inside quotes too, so a default, a value or a name
// holding CR LF would otherwise reach SQLite as LF: a schema that differs
// from the models' (check would report the default after every upgrade)
// and values that differ from what the revision says.
func shellLines(stmts []string) bool {
	changed := false
	for i, s := range stmts {
		if !strings.Contains(s, "\r\n") {
			continue
		}
		toks, err := sqltext.Tokenize(s)
		if err != nil {
			continue
		}
		var b strings.Builder
		last := 0
		for _, t := range toks {
			if (t.Kind != sqltext.TokenString && t.Kind != sqltext.TokenQuotedIdent) || !strings.Contains(t.Text, "\r\n") {
				continue
			}
			b.WriteString(s[last:t.Offset])
			b.WriteString(strings.ReplaceAll(t.Text, "\r\n", "\r\r\n"))
			last = t.Offset + len(t.Text)
			changed = true
		}
		b.WriteString(s[last:])
		stmts[i] = b.String()
	}
	return changed
}

// revisionStatements are the statements of one section of rev, each
// checked as the runner checks it before running it.
func revisionStatements(rev *script.Revision, up bool) ([]string, error) {
	verb, body := "upgrade", rev.Upgrade
	if !up {
		verb, body = "downgrade", rev.Downgrade
	}
	stmts, err := sqltext.SplitStatements(body)
	if err != nil {
		return nil, fmt.Errorf("revision %s (%s): %s section: %w", rev.ID, rev.Path, verb, err)
	}
	locate := locator(body)
	out := make([]string, 0, len(stmts))
	for _, s := range stmts {
		off := locate(s)
		where := func() string { return stmtLocation(rev, up, strings.Count(body[:off], "\n")) }
		if err := checkStatement(rev, where, s); err != nil {
			return nil, err
		}
		if s = strings.TrimSpace(unterminated(s)); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// OfflineStamp writes, without touching a database, the version-table
// statements that stamping from the heads from (empty for base) to target
// makes, as Alembic's stamp --sql does, as one block (see writeBlock).
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
	block := []string{"BEGIN"}
	if len(from) == 0 {
		block = append(block, opts.versionTableDDL())
	}
	line := fmt.Sprintf("Running stamp_revision %s -> %s", strings.Join(del, ", "), strings.Join(ins, ", "))
	fmt.Fprintf(opts.Log, "%s%s\n", logPrefix, line)
	rows := versionRows(opts.quotedTable(), del, ins)
	rows[0] = sqltext.Comment(line) + rows[0]
	block = append(block, rows...)
	if len(final) == 0 {
		block = append(block, "DROP TABLE "+opts.quotedTable())
	}
	block = append(block, "COMMIT")
	var b strings.Builder
	if opts.PostgreSQL {
		for _, s := range block {
			b.WriteString(s + ";\n\n")
		}
	} else {
		writeBlock(&b, block)
	}
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

// unterminated is a statement without its closing semicolons.
func unterminated(stmt string) string {
	s := strings.TrimSpace(stmt)
	for strings.HasSuffix(s, ";") {
		s = strings.TrimSpace(strings.TrimSuffix(s, ";"))
	}
	return s
}

// writeBlock writes statements as one unit of the sqlite3 shell's input.
// The shell collects lines until one ends with a semicolon outside quotes
// and comments (a line comment after it does not count) while the text so
// far is complete (sqlite3_complete), then runs that text statement by
// statement, stopping at the first error; without -bail it goes on with
// the next unit. So each statement but the last ends with its semicolon
// and a block comment opened on the same line, and the next starts on the
// line that closes it: only the last line, "COMMIT;", ends a unit. The
// comments a statement starts or ends with move into those block comments
// (an index's stored text would otherwise keep the space before the
// semicolon). A tool that runs the script through sqlite3_exec stops at
// the first error too; either way the transaction is left open and rolled
// back when the connection closes.
func writeBlock(b *strings.Builder, stmts []string) {
	between := ""
	for i, s := range stmts {
		lead, body, trail := commentsAround(s)
		if i > 0 {
			b.WriteString(" /*\n" + blockText(between+lead) + "*/ ")
		}
		b.WriteString(body + ";")
		between = trail
	}
	b.WriteString("\n\n")
}

// commentsAround splits a statement into the comments and white space it
// starts with, its text from its first token to its last, and the comments
// after that.
func commentsAround(stmt string) (lead, body, trail string) {
	s := unterminated(stmt)
	toks, err := sqltext.Tokenize(s)
	first, last := -1, -1
	for i, t := range toks {
		if t.Kind != sqltext.TokenComment {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if err != nil || first < 0 {
		// Unreadable here (SQLite will say why): the semicolon goes on a
		// line of its own should the last line end in a comment.
		if strings.Contains(s[strings.LastIndexByte(s, '\n')+1:], "--") {
			s += "\n"
		}
		return "", s, ""
	}
	start, end := toks[first].Offset, toks[last].Offset+len(toks[last].Text)
	return s[:start], s[start:end], s[end:]
}

// blockText is comment text made safe inside a block comment: "*/" would
// end it. It ends with a line break when it is not empty.
func blockText(s string) string {
	s = strings.TrimSpace(strings.ReplaceAll(s, "*/", "* /"))
	if s == "" {
		return ""
	}
	return "\n" + s + "\n"
}

// versionRows are a step's version-row statements on the version table t
// (quoted), as Alembic writes them: an UPDATE where one row becomes another, INSERT and DELETE
// otherwise.
func versionRows(t string, del, ins []string) []string {
	n := min(len(del), len(ins))
	var out []string
	for _, v := range del[:len(del)-n] {
		out = append(out, fmt.Sprintf("DELETE FROM %s WHERE %s.version_num = %s", t, t, sqltext.QuoteString(v)))
	}
	for i := range n {
		out = append(out, fmt.Sprintf("UPDATE %s SET version_num=%s WHERE %s.version_num = %s",
			t, sqltext.QuoteString(ins[i]), t, sqltext.QuoteString(del[len(del)-n+i])))
	}
	for _, v := range ins[n:] {
		out = append(out, fmt.Sprintf("INSERT INTO %s (version_num) VALUES (%s)", t, sqltext.QuoteString(v)))
	}
	return out
}

// endStep writes, for the psql script, a step's version-row change, the
// version table's drop when no head remains (as Alembic does), and COMMIT.
func endStep(b *strings.Builder, heads map[string]bool, st script.Step, opts OfflineOptions) error {
	if err := simulate(heads, []script.Step{st}); err != nil {
		return err
	}
	for _, s := range versionRows(opts.quotedTable(), st.Delete, st.Insert) {
		b.WriteString(s + ";\n\n")
	}
	if len(heads) == 0 {
		fmt.Fprintf(b, "DROP TABLE %s;\n\n", opts.quotedTable())
	}
	b.WriteString("COMMIT;\n\n")
	return nil
}

// terminate ends a statement with exactly one semicolon, on a line of its own
// when the statement ends in a line comment that would swallow it.
func terminate(stmt string) string {
	s := unterminated(stmt)
	last := s[strings.LastIndexByte(s, '\n')+1:]
	if strings.Contains(last, "--") {
		return s + "\n;"
	}
	return s + ";"
}
