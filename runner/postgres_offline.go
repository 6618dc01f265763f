package runner

import (
	"fmt"
	"io"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/script"
)

// quotedTable is the version table as the script names it: bare when it
// is Alembic's, quoted otherwise (on PostgreSQL, whose reserved words are
// not SQLite's, always).
func (o OfflineOptions) quotedTable() string {
	if o.VersionTableSchema != "" {
		return sqltext.QuoteIdent(o.VersionTableSchema) + "." + o.quote(o.VersionTable)
	}
	return o.quote(o.VersionTable)
}

func (o OfflineOptions) quote(name string) string {
	if !o.PostgreSQL {
		return quoteIdent(name)
	}
	if name == DefaultVersionTable || name == DefaultVersionTable+"_pkc" {
		return name
	}
	return sqltext.QuoteIdent(name)
}

func (o OfflineOptions) versionTableDDL() string {
	if !o.PostgreSQL {
		return versionTableDDL(o.VersionTable)
	}
	return "CREATE TABLE " + o.quotedTable() + " (version_num VARCHAR(32) NOT NULL, CONSTRAINT " +
		o.quote(o.VersionTable+"_pkc") + " PRIMARY KEY (version_num))"
}

// offlinePostgres writes steps as a script for psql -v ON_ERROR_STOP=1:
// each revision in a BEGIN/COMMIT block with its version-row change, the
// timeouts SET LOCAL in it; a revision marked no-transaction writes its
// statements before the block, each committing on its own, the block then
// holding only the version rows.
func offlinePostgres(w io.Writer, steps []script.Step, from []string, opts OfflineOptions) error {
	logHeader(opts.Log, true)
	heads := toSet(from)
	var b strings.Builder
	for _, st := range steps {
		rev := st.Revision
		line := runningLine(st)
		fmt.Fprintf(opts.Log, "%s%s\n", logPrefix, withMessage(line, rev))
		stmts, err := offlineStatements(st)
		if err != nil {
			return err
		}
		if rev.NoTransaction {
			b.WriteString(sqltext.Comment(line+" (outside a transaction: "+script.NoTransactionMarker+")") + "\n")
			writeTimeouts(&b, "SET", opts)
			for _, s := range stmts {
				b.WriteString(terminate(s) + "\n\n")
			}
			if opts.LockTimeout != nil || opts.StatementTimeout != nil {
				b.WriteString("RESET lock_timeout;\n\nRESET statement_timeout;\n\n")
			}
			stmts = nil
		}
		b.WriteString("BEGIN;\n\n")
		writeTimeouts(&b, "SET LOCAL", opts)
		if len(heads) == 0 {
			b.WriteString(opts.versionTableDDL() + ";\n\n")
		}
		if !rev.NoTransaction {
			b.WriteString(sqltext.Comment(line) + "\n")
		}
		for _, s := range stmts {
			b.WriteString(terminate(s) + "\n\n")
		}
		if err := endStep(&b, heads, st, opts); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTimeouts(b *strings.Builder, set string, opts OfflineOptions) {
	if d := opts.LockTimeout; d != nil {
		fmt.Fprintf(b, "%s lock_timeout = %d;\n\n", set, max(d.Milliseconds(), min(int64(*d), 1)))
	}
	if d := opts.StatementTimeout; d != nil {
		fmt.Fprintf(b, "%s statement_timeout = %d;\n\n", set, max(d.Milliseconds(), min(int64(*d), 1)))
	}
}

// offlineStatements splits a step's SQL for psql, refusing what the online
// runner refuses (transaction control) and what psql would not pass to the
// server as written: a backslash outside quotes starts a psql command, and
// :name, :'name' or :"name" is replaced by psql's variable name.
func offlineStatements(st script.Step) ([]string, error) {
	rev := st.Revision
	verb, _, stmts, err := pgSection(st)
	if err != nil {
		return nil, err
	}
	for _, s := range stmts {
		if pgTxControl(s) {
			return nil, fmt.Errorf("revision %s (%s) contains the statement %q; revisions must not begin or end a transaction", rev.ID, rev.Path, firstLine(s))
		}
		toks, err := postgres.Tokenize(s)
		if err != nil {
			return nil, fmt.Errorf("revision %s (%s): %s section: %w", rev.ID, rev.Path, verb, err)
		}
		for i, t := range toks {
			if t.Text != ":" || i+1 == len(toks) || toks[i+1].Offset != t.Offset+1 {
				continue
			}
			switch toks[i+1].Kind {
			case postgres.TokenIdent, postgres.TokenQuotedIdent, postgres.TokenString:
				return nil, fmt.Errorf("revision %s (%s): the statement %q holds %q, which psql would replace with a variable's value; write a space after the colon", rev.ID, rev.Path, firstLine(s), t.Text+toks[i+1].Text)
			}
		}
	}
	return stmts, nil
}
