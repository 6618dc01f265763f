package runner

import (
	"fmt"
	"io"
	"strings"

	"github.com/autogen-dev/autogen/schema"
	"github.com/autogen-dev/autogen/script"
)

// OfflineSQL writes, without touching a database, the script that migrates
// from the heads from (empty for base) to the heads to: foreign keys off,
// the version table when starting from base, then one BEGIN/COMMIT block per
// revision holding its SQL and its version-row change. It is meant to be
// fed to the sqlite3 shell.
func OfflineSQL(w io.Writer, d Planner, from, to []string, up bool, versionTable string) error {
	if versionTable == "" {
		versionTable = DefaultVersionTable
	}
	steps, err := d.Plan(from, to, up)
	if err != nil {
		return err
	}
	heads := toSet(from)
	var b strings.Builder
	b.WriteString("PRAGMA foreign_keys=OFF;\n\n")
	for i, st := range steps {
		rev := st.Revision
		b.WriteString("BEGIN;\n\n")
		if i == 0 && len(from) == 0 {
			b.WriteString(versionTableDDL(versionTable) + ";\n\n")
		}
		verb, src, dst, body := "upgrade", rev.Parents, []string{rev.ID}, rev.Upgrade
		if !st.Up {
			verb, src, dst, body = "downgrade", dst, src, rev.Downgrade
		}
		fmt.Fprintf(&b, "-- Running %s %s -> %s\n\n", verb, strings.Join(src, ", "), strings.Join(dst, ", "))
		stmts, err := schema.SplitStatements(body)
		if err != nil {
			return fmt.Errorf("revision %s (%s): %s section: %w", rev.ID, rev.Path, verb, err)
		}
		for _, s := range stmts {
			if isTxControl(s, firstWord(s)) {
				return fmt.Errorf("revision %s (%s) contains the statement %q; revisions must not begin or end a transaction", rev.ID, rev.Path, firstLine(s))
			}
			b.WriteString(terminate(s) + "\n\n")
		}
		if err := simulate(heads, []script.Step{st}); err != nil {
			return err
		}
		writeVersionRows(&b, versionTable, st.Delete, st.Insert)
		b.WriteString("COMMIT;\n\n")
	}
	_, err = io.WriteString(w, b.String())
	return err
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

// writeVersionRows writes a step's version-row change as Alembic does: an
// UPDATE where one row becomes another, INSERT and DELETE otherwise.
func writeVersionRows(b *strings.Builder, table string, del, ins []string) {
	t := quoteIdent(table)
	n := min(len(del), len(ins))
	for _, v := range del[:len(del)-n] {
		fmt.Fprintf(b, "DELETE FROM %s WHERE %s.version_num = %s;\n\n", t, t, quoteString(v))
	}
	for i := range n {
		fmt.Fprintf(b, "UPDATE %s SET version_num=%s WHERE %s.version_num = %s;\n\n",
			t, quoteString(ins[i]), t, quoteString(del[len(del)-n+i]))
	}
	for _, v := range ins[n:] {
		fmt.Fprintf(b, "INSERT INTO %s (version_num) VALUES (%s);\n\n", t, quoteString(v))
	}
}
