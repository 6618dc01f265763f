package runner

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/script"
)

// apply runs revisions until the database's heads reach target, one
// transaction each, and returns the steps it committed.
func (r *Runner) apply(ctx context.Context, target []string, up bool) ([]Step, error) {
	p := &plan{d: r.dir, target: target, up: up, seen: map[string]bool{}}
	var done []Step
	for {
		if err := ctx.Err(); err != nil {
			return done, err
		}
		start := time.Now()
		st, err := r.migrateOne(ctx, p)
		if st != nil { // committed, even when err says the run cannot go on
			step := stepOf(*st, time.Since(start))
			r.report(Progress{Event: RevisionEnd, Step: step, Elapsed: step.Duration})
			r.logStep(ctx, step)
			done = append(done, step)
		}
		if err != nil || st == nil {
			return done, err
		}
	}
}

// plan remembers the steps planned in the last transaction, so that when
// the next transaction finds the version rows exactly as the last step left
// them (no other process moved them) the rest of the plan is still valid and
// need not be computed again.
type plan struct {
	d      *script.Dir
	target []string
	up     bool
	seen   map[string]bool
	steps  []script.Step
	expect []string // version rows once steps[0] is committed
}

func (p *plan) next(heads []string) (*script.Step, error) {
	if len(p.steps) > 1 && slices.Equal(heads, p.expect) {
		p.steps = p.steps[1:]
	} else {
		steps, err := p.d.Plan(heads, p.target, p.up)
		if err != nil {
			return nil, err
		}
		p.steps = steps
	}
	if len(p.steps) == 0 {
		return nil, nil
	}
	st := &p.steps[0]
	if st.Revision == nil {
		return nil, fmt.Errorf("the planner returned a step without a revision")
	}
	key := fmt.Sprintf("%s/%t", st.Revision.ID, st.Up)
	if p.seen[key] {
		return nil, fmt.Errorf("revision %s (%s) was planned twice in one run; the revision graph is inconsistent", st.Revision.ID, st.Revision.Path)
	}
	p.seen[key] = true
	set := toSet(heads)
	if err := simulate(set, p.steps[:1]); err != nil {
		return nil, err
	}
	p.expect = slices.Sorted(maps.Keys(set))
	return st, nil
}

// migrateOne plans from the rows it reads under the write lock and applies
// only the first step, so that a concurrent runner's work is always seen;
// it returns that step, or nil when none was left.
func (r *Runner) migrateOne(ctx context.Context, p *plan) (*script.Step, error) {
	if r.pg != nil {
		return r.pgMigrateOne(ctx, p)
	}
	var heads []string
	var applied *script.Step
	start := time.Now()
	err := r.inTx(ctx, func() (err error) {
		if err := r.ensureVersionTable(ctx); err != nil {
			return err
		}
		if heads, err = r.current(ctx); err != nil {
			return err
		}
		st, err := p.next(heads)
		if err != nil || st == nil {
			return err
		}
		applied = st
		r.report(Progress{Event: RevisionStart, Step: stepOf(*st, 0)})
		return r.applyStep(ctx, *st)
	})
	if err != nil {
		err = r.explain(err, heads)
		if applied != nil {
			d := time.Since(start)
			r.report(Progress{Event: RevisionEnd, Step: stepOf(*applied, d), Elapsed: d, Err: err})
		}
		return nil, err
	}
	return applied, nil
}

// explain turns a failed transaction's error into one sentence that says what
// state the database was left in.
func (r *Runner) explain(err error, heads []string) error {
	var locked *lockedError
	switch {
	case errors.As(err, &locked):
		return r.lockedAfter(locked)
	case errors.Is(err, errBegin):
		return err
	}
	switch code(err) {
	case codeBusy, codeLocked:
		return r.busyError(err)
	case codeReadOnly:
		return fmt.Errorf("database %s cannot be written (%w); nothing was changed", r.path, err)
	}
	return fmt.Errorf("%w; rolled back, database %s is still at %s", err, r.path, describeHeads(heads))
}

var errBegin = errors.New("could not start a transaction")

// inTx runs fn in a BEGIN IMMEDIATE transaction on a connection isolate
// has reset, with foreign-key enforcement off (the pragma is a no-op inside
// a transaction, and with it on a rebuild's DROP TABLE would fire ON DELETE
// actions).
//
// The busy timeout bounds the transaction's whole wait for other
// connections' locks. BEGIN IMMEDIATE may wait all of it; the statements
// inside wait for nothing: holding RESERVED, the only lock one can want is
// EXCLUSIVE, to write changed pages out before COMMIT, and that is no error
// when it fails (the cache grows instead), yet SQLite waits the busy
// timeout again at each statement that tries. COMMIT waits for what BEGIN
// left of the timeout.
func (r *Runner) inTx(ctx context.Context, fn func() error) error {
	start := time.Now()
	for _, prepare := range []func(context.Context) error{r.isolate, r.foreignKeysOff, r.spillPolicy} {
		if err := prepare(ctx); err != nil {
			return fmt.Errorf("%w: %w", errBegin, err)
		}
	}
	err := r.setBusyTimeout(ctx, max(r.busy-time.Since(start), 0))
	if err == nil {
		_, err = r.conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	}
	waited := time.Since(start)
	if err != nil {
		if isBusy(err) {
			return &lockedError{err, waited}
		}
		return fmt.Errorf("database %s: %w: %w", r.path, errBegin, err)
	}
	err = r.setBusyTimeout(ctx, 0)
	if err == nil {
		err = r.noteDataVersion(ctx)
	}
	if err == nil {
		err = fn()
	}
	if err == nil {
		err = r.setBusyTimeout(ctx, max(r.busy-waited, 0))
	}
	if err == nil {
		var w time.Duration
		w, err = r.timedExec(ctx, "COMMIT")
		if waited += w; isBusy(err) {
			err = &lockedError{err, waited}
		}
	}
	if err != nil {
		r.known = known{}
		// The context may be what failed; the rollback must still run. A
		// failed COMMIT may already have ended the transaction: SQLite says
		// so with the generic SQLITE_ERROR code, so its text is what tells.
		bg := context.WithoutCancel(ctx)
		if _, rerr := r.conn.ExecContext(bg, "ROLLBACK"); rerr != nil &&
			!strings.Contains(rerr.Error(), "no transaction is active") {
			return errors.Join(err, fmt.Errorf("database %s: ROLLBACK failed: %w", r.path, rerr))
		}
		// After an I/O error (a full disk) SQLite has rolled back in memory
		// but may leave the journal behind until the next read replays it;
		// read once so the file on disk is the old state before we exit.
		var n int
		_ = r.conn.QueryRowContext(bg, "SELECT count(*) FROM sqlite_master").Scan(&n)
	}
	return errors.Join(err, r.setBusyTimeout(context.WithoutCancel(ctx), r.busy))
}

// timedExec runs one statement of the runner's own and says how long it
// took.
func (r *Runner) timedExec(ctx context.Context, stmt string) (time.Duration, error) {
	start := time.Now()
	_, err := r.conn.ExecContext(ctx, stmt)
	return time.Since(start), err
}

func (r *Runner) setBusyTimeout(ctx context.Context, d time.Duration) error {
	return r.exec(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", d.Milliseconds()))
}

func (r *Runner) foreignKeysOff(ctx context.Context) error {
	if _, err := r.conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("database %s: switching foreign key enforcement off: %w", r.path, err)
	}
	var on int
	if err := r.conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil {
		return fmt.Errorf("database %s: reading PRAGMA foreign_keys: %w", r.path, err)
	}
	if on != 0 {
		return fmt.Errorf("database %s: foreign key enforcement could not be switched off", r.path)
	}
	return nil
}

func (r *Runner) ensureVersionTable(ctx context.Context) error {
	ok, err := r.hasVersionTable(ctx)
	if err != nil || ok {
		r.known.versionTable = ok
		return err
	}
	if err := r.checkBeforeWrite(ctx); err != nil {
		return err
	}
	if _, err := r.conn.ExecContext(ctx, versionTableDDL(r.table)); err != nil {
		return fmt.Errorf("database %s: creating version table %q: %w", r.path, r.table, err)
	}
	r.known.versionTable = true
	return nil
}

// noteDataVersion forgets what the runner knew of the database when it is
// on another connection than when it learnt it, or another connection has
// committed since. It runs once the transaction holds the write lock.
func (r *Runner) noteDataVersion(ctx context.Context) error {
	var v int64
	if err := r.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return fmt.Errorf("database %s: reading PRAGMA data_version: %w", r.path, err)
	}
	if r.known.conn != r.conn || r.known.dataVersion != v {
		r.known = known{conn: r.conn, dataVersion: v}
	}
	return nil
}

// applyStep runs one revision's SQL and version-row changes inside the open
// transaction, then refuses it if it left new foreign key violations.
func (r *Runner) applyStep(ctx context.Context, st script.Step) error {
	rev := st.Revision
	verb, body := "upgrade", rev.Upgrade
	if !st.Up {
		verb, body = "downgrade", rev.Downgrade
	}
	r.logf("%s", withMessage(runningLine(st), rev))
	if err := sqliteTransactional(rev); err != nil {
		return err
	}
	stmts, err := sqltext.SplitStatements(body)
	if err != nil {
		return fmt.Errorf("revision %s (%s): %s section: %w", rev.ID, rev.Path, verb, err)
	}
	if err := r.checkVersionWrite(ctx); err != nil {
		return err
	}
	r.reuse = r.own && stateless(stmts)
	known := namedIn(rev)
	var chain map[string]string
	chainNames := func() map[string]string {
		if chain == nil {
			chain = createdIn(r.dir, rev)
		}
		return chain
	}
	var notes []string
	step := stepOf(st, 0)
	apply := func() error {
		before, err := r.objects(ctx)
		if err != nil {
			return err
		}
		live, err := r.readLiveSchema(ctx)
		if err != nil {
			return err
		}
		locate := locator(body)
		for k := 0; k < len(stmts); k++ {
			p := Progress{Event: StatementStart, Step: step, Statement: stmts[k], Index: k + 1, Count: len(stmts)}
			r.report(p)
			start := time.Now()
			n, err := r.runStatement(ctx, rev, st.Up, live, stmts[k:], body, locate)
			p.Event, p.Elapsed, p.Err = StatementEnd, time.Since(start), err
			r.report(p)
			if err != nil {
				return err
			}
			k += n - 1
		}
		after, err := r.objects(ctx)
		if err != nil {
			return err
		}
		if notes, err = checkKept(rev, verb, before, after, known, chainNames); err != nil {
			return err
		}
		return r.moveVersions(ctx, st.Delete, st.Insert, rev.ID)
	}
	declared := rev.UpgradeOrphans
	if !st.Up {
		declared = rev.DowngradeOrphans
	}
	warnings, err := r.applyChecked(ctx, rev, verb, declared, apply)
	if err != nil {
		return err
	}
	for _, n := range notes {
		r.logf("%s", n)
	}
	for _, w := range warnings {
		r.warn(ctx, w)
	}
	return nil
}

// applyChecked runs apply and refuses what it did if it left new foreign
// key violations. foreign_key_check reads every child row, so the usual
// case (no violation after the step) pays for it once; only when
// violations show is the step undone to count those the database already
// had.
func (r *Runner) applyChecked(ctx context.Context, rev *script.Revision, verb string, declared []script.Orphans, apply func() error) ([]string, error) {
	if err := r.exec(ctx, "SAVEPOINT autogen_step"); err != nil {
		return nil, err
	}
	if err := apply(); err != nil {
		return nil, err
	}
	after, err := r.fkViolations(ctx)
	if err != nil || len(after) == 0 {
		return nil, err
	}
	if err := r.exec(ctx, "ROLLBACK TO autogen_step"); err != nil {
		return nil, err
	}
	before, err := r.fkViolations(ctx)
	if err != nil {
		return nil, err
	}
	if err := apply(); err != nil {
		return nil, err
	}
	if after, err = r.fkViolations(ctx); err != nil {
		return nil, err
	}
	return checkViolations(rev, verb, declared, before, after)
}

// runStatement runs stmts[0], or the table rebuild stmts starts with when
// SQLite can make it by editing the table's definition (inplace.go), and
// says how many statements it ran. locate finds a statement in body, in
// order, for where errors point.
func (r *Runner) runStatement(ctx context.Context, rev *script.Revision, up bool, live *liveSchema, stmts []string, body string, locate func(string) int) (int, error) {
	n, err := r.inPlace(ctx, stmts)
	if err != nil {
		return 0, err
	}
	if n > 0 {
		r.reuse = false // the in-place edit set writable_schema: a fresh connection next
		for _, s := range stmts[:n] {
			locate(s)
		}
		return n, nil
	}
	if err := r.checkTouched(ctx, live, stmts[0]); err != nil {
		return 0, err
	}
	off := locate(stmts[0])
	where := func() string { return stmtLocation(rev, up, strings.Count(body[:off], "\n")) }
	return 1, r.execStatement(ctx, rev, where, stmts[0])
}

// exec runs one statement of the runner's own.
func (r *Runner) exec(ctx context.Context, stmt string) error {
	if _, err := r.conn.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("database %s: %s: %w", r.path, stmt, err)
	}
	return nil
}

// execStatement runs one statement of a revision; where names the file and
// line it starts on, for errors.
func (r *Runner) execStatement(ctx context.Context, rev *script.Revision, where func() string, stmt string) error {
	if err := checkStatement(rev, where, stmt); err != nil {
		return err
	}
	if _, err := r.conn.ExecContext(ctx, stmt); err != nil {
		hint := ""
		if code(err) == codeFull {
			hint = " (the disk is full or the database reached PRAGMA max_page_count)"
		}
		return fmt.Errorf("revision %s (%s) failed at the statement %q: %w%s", rev.ID, where(), firstLine(stmt), err, hint)
	}
	return nil
}

// locator returns where each statement of body starts, as a byte offset:
// statements are substrings of body in order, asked for in that order.
func locator(body string) func(stmt string) int {
	pos := 0
	return func(s string) int {
		off := pos
		if i := strings.Index(body[pos:], s); i >= 0 {
			off, pos = pos+i, pos+i+len(s)
		}
		return off
	}
}

// checkStatement refuses, before anything runs, a statement of a revision
// that no run may execute: the online runner and offline scripts alike.
func checkStatement(rev *script.Revision, where func() string, stmt string) error {
	switch w := firstWord(stmt); {
	case isTxControl(stmt, w):
		return fmt.Errorf("revision %s (%s) contains the statement %q; the runner wraps each revision in its own transaction, so revisions must not begin or end one", rev.ID, where(), firstLine(stmt))
	case w == "ATTACH" || w == "DETACH":
		return fmt.Errorf("revision %s (%s) contains the statement %q; a revision changes only the database it migrates, so it may not ATTACH or DETACH another", rev.ID, where(), firstLine(stmt))
	case w == "PRAGMA" && processPragma(stmt) != "":
		return fmt.Errorf("revision %s (%s) contains the statement %q; PRAGMA %s holds for every connection of the process, not only the revision's, so a revision may not set it", rev.ID, where(), firstLine(stmt), processPragma(stmt))
	}
	if err := oneStatement(stmt); err != nil {
		return fmt.Errorf("revision %s (%s): %w", rev.ID, where(), err)
	}
	return nil
}

// processPragmas are the PRAGMAs that set state of the whole process (every
// connection the application has), which no reset of the revision's
// connection undoes.
var processPragmas = []string{"soft_heap_limit", "hard_heap_limit", "temp_store_directory", "data_store_directory"}

// processPragma is the name of the process-wide PRAGMA stmt sets
// ("PRAGMA [schema.]name = value" or "(value)"), or "".
func processPragma(stmt string) string {
	toks, _ := sqltext.Tokenize(stmt)
	var w []sqltext.Token
	for _, t := range toks {
		if t.Kind != sqltext.TokenComment {
			w = append(w, t)
		}
	}
	if len(w) > 3 && w[2].Text == "." {
		w = w[2:]
	}
	if len(w) < 3 || (w[2].Text != "=" && w[2].Text != "(") {
		return ""
	}
	for _, p := range processPragmas {
		if sqltext.EqualIdent(w[1].Value, p) {
			return p
		}
	}
	return ""
}

// oneStatement refuses text that SQLite would run as more than one
// statement, whatever the splitter made of it: modernc's Exec runs every
// statement of a string, so a splitter mistake would otherwise run SQL the
// runner never showed. SQLite's own sqlite3_complete is the judge.
func oneStatement(stmt string) error {
	end, err := sqltext.CompleteEnd(stmt)
	switch {
	case err != nil:
		return err
	case end >= 0 && end < len(stmt) && stmt[end] == 0:
		return fmt.Errorf("the statement %q holds a NUL byte, where SQLite would stop reading it", firstLine(stmt[:end]))
	case end >= 0 && end < len(stmt):
		return fmt.Errorf("SQLite would read %q as more than one statement (the first ends at %q); nothing of it was run", firstLine(stmt), firstLine(stmt[:end]))
	}
	return nil
}

// stmtLocation is "path:line" for the statement that starts n lines into
// the upgrade (up) or downgrade section of rev's file; just the path for a
// revision that was not parsed from a file.
func stmtLocation(rev *script.Revision, up bool, n int) string {
	line := rev.UpgradeLine
	if !up {
		line = rev.DowngradeLine
	}
	if line == 0 {
		return rev.Path
	}
	return fmt.Sprintf("%s:%d", rev.Path, line+n)
}

// moveVersions applies a step's version-row changes, checking, as Alembic
// does, that each row it deletes is there.
func (r *Runner) moveVersions(ctx context.Context, del, ins []string, id string) error {
	t := quoteIdent(r.table)
	if len(del) == 1 && len(ins) == 1 {
		// The usual step, one head replaced by the next: one statement.
		res, err := r.conn.ExecContext(ctx, "UPDATE "+t+" SET version_num = ? WHERE version_num = ?", ins[0], del[0])
		if err != nil {
			return fmt.Errorf("revision %s: replacing version row %q with %q: %w", id, del[0], ins[0], err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("revision %s: version table %q should hold exactly one row %q to replace, found %d", id, r.table, del[0], n)
		}
		return nil
	}
	for _, v := range del {
		res, err := r.conn.ExecContext(ctx, "DELETE FROM "+t+" WHERE version_num = ?", v)
		if err != nil {
			return fmt.Errorf("revision %s: deleting version row %q: %w", id, v, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return fmt.Errorf("revision %s: version table %q should hold exactly one row %q to delete, found %d", id, r.table, v, n)
		}
	}
	for _, v := range ins {
		if _, err := r.conn.ExecContext(ctx, "INSERT INTO "+t+" (version_num) VALUES (?)", v); err != nil {
			return fmt.Errorf("revision %s: inserting version row %q: %w", id, v, err)
		}
	}
	return nil
}

type fkKey struct{ table, parent string }

// fkViolations counts PRAGMA foreign_key_check rows per child table and
// parent table.
func (r *Runner) fkViolations(ctx context.Context) (map[fkKey]int, error) {
	rows, err := r.conn.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return nil, fmt.Errorf("database %s: PRAGMA foreign_key_check: %w", r.path, err)
	}
	defer rows.Close()
	out := map[fkKey]int{}
	for rows.Next() {
		var k fkKey
		var rowid, fkid any
		if err := rows.Scan(&k.table, &rowid, &k.parent, &fkid); err != nil {
			return nil, fmt.Errorf("database %s: PRAGMA foreign_key_check: %w", r.path, err)
		}
		out[k]++
	}
	return out, rows.Err()
}

// checkViolations refuses a step that left more foreign key violations of
// a child and parent table than there were before it, unless its section
// declares that pair (`-- +autogen orphans`, see script.Orphans): those it
// returns as warnings, with their counts.
func checkViolations(rev *script.Revision, verb string, declared []script.Orphans, before, after map[fkKey]int) (warnings []string, err error) {
	var bad []fkKey
	for k, n := range after {
		if n <= before[k] {
			continue
		}
		if !slices.ContainsFunc(declared, func(o script.Orphans) bool {
			return sqltext.EqualIdent(o.Table, k.table) && sqltext.EqualIdent(o.Parent, k.parent)
		}) {
			bad = append(bad, k)
			continue
		}
		why := "as the revision declares"
		if verb == "downgrade" {
			why += fmt.Sprintf(": it gives back table %q, not the rows it held", k.parent)
		}
		warnings = append(warnings, fmt.Sprintf("The %s of %s leaves %d row(s) of table %q whose foreign key to %q matches no row (%d before it), %s",
			verb, rev.ID, n, k.table, k.parent, before[k], why))
	}
	sort.Strings(warnings)
	if len(bad) == 0 {
		return warnings, nil
	}
	sort.Slice(bad, func(i, j int) bool {
		if bad[i].table != bad[j].table {
			return bad[i].table < bad[j].table
		}
		return bad[i].parent < bad[j].parent
	})
	k := bad[0]
	return nil, fmt.Errorf("revision %s (%s) leaves %d row(s) of table %q whose foreign key to %q matches no row (%d before it)",
		rev.ID, rev.Path, after[k], k.table, k.parent, before[k])
}

func describeHeads(heads []string) string {
	if len(heads) == 0 {
		return "base"
	}
	return strings.Join(heads, ", ")
}

// firstLine is the statement on one line (runs of white space made one
// space), cut to its first 80 characters for messages.
func firstLine(stmt string) string {
	l := []rune(strings.Join(strings.Fields(stmt), " "))
	if len(l) > 80 {
		return string(l[:80]) + "..."
	}
	return string(l)
}

// firstWord is the statement's first keyword, upper-cased, after comments.
func firstWord(stmt string) string {
	s := stmt
	for {
		s = strings.TrimSpace(s)
		switch {
		case strings.HasPrefix(s, "--"):
			i := strings.IndexByte(s, '\n')
			if i < 0 {
				return ""
			}
			s = s[i+1:]
		case strings.HasPrefix(s, "/*"):
			i := strings.Index(s, "*/")
			if i < 0 {
				return ""
			}
			s = s[i+2:]
		default:
			end := strings.IndexFunc(s, func(c rune) bool {
				return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_')
			})
			if end < 0 {
				end = len(s)
			}
			return sqltext.UpperASCII(s[:end])
		}
	}
}

// isTxControl reports statements that would end the runner's transaction;
// ROLLBACK TO a savepoint does not.
func isTxControl(stmt, word string) bool {
	switch word {
	case "BEGIN", "COMMIT", "END":
		return true
	case "ROLLBACK":
		f := strings.Fields(stmt)
		is := func(i int, kw string) bool { return i < len(f) && sqltext.EqualIdent(f[i], kw) }
		return !(is(1, "TO") || is(1, "TRANSACTION") && is(2, "TO"))
	}
	return false
}
