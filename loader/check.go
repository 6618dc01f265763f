package loader

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode"

	"modernc.org/libc"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/loader/bunddl"
	"github.com/autogen-dev/autogen/schema"
)

// The target schema is built by running the statements bun gives for the
// models, and modernc's Exec runs every statement in a string: a tag that
// ends bun's statement and starts another (default:'x'); DROP TABLE t; --)
// would run that other statement where the target is built. SQLite itself
// decides here where statements end and which database each one touches.

// sqliteStatements splits s where SQLite's sqlite3_complete says a
// statement ends and returns the parts that hold a token, with the offset
// of each in s. Whitespace, comments and empty statements (";") are not
// statements.
func sqliteStatements(s string) (parts []string, offsets []int, err error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, nil, fmt.Errorf("it holds a NUL character at byte %d", i)
	}
	tls := libc.NewTLS()
	defer tls.Close()
	start := 0
	add := func(end int) error {
		seg := s[start:end]
		// ";"+seg is complete exactly when seg holds no token: after the
		// semicolon SQLite's scanner is at the start of a statement, and
		// only whitespace and comments leave it there. The newline ends a
		// trailing -- comment, which sqlite3_complete otherwise counts as
		// unfinished.
		empty, err := complete(tls, ";"+seg+"\n")
		if err != nil {
			return err
		}
		if !empty {
			parts = append(parts, seg)
			offsets = append(offsets, start)
		}
		return nil
	}
	for i := 0; i < len(s); i++ {
		if s[i] != ';' {
			continue
		}
		done, err := complete(tls, s[start:i+1])
		if err != nil {
			return nil, nil, err
		}
		if !done { // inside a literal, a comment or a trigger body
			continue
		}
		if err := add(i); err != nil {
			return nil, nil, err
		}
		start = i + 1
	}
	if err := add(len(s)); err != nil {
		return nil, nil, err
	}
	return parts, offsets, nil
}

// complete is SQLite's sqlite3_complete: whether s ends with a semicolon
// that ends a statement (not one inside a literal, a comment or an
// unfinished CREATE TRIGGER).
func complete(tls *libc.TLS, s string) (bool, error) {
	p, err := libc.CString(s)
	if err != nil {
		return false, fmt.Errorf("asking SQLite where a statement ends: %w", err)
	}
	defer libc.Xfree(tls, p)
	return sqlite3.Xsqlite3_complete(tls, p) != 0, nil
}

// checkSQLite refuses a model whose statements are not each exactly one
// statement, that touch a database other than main (a table: tag naming a
// schema, TEMP objects, ATTACH), change the connection (PRAGMA,
// transactions) or fail on SQLite: one sentence naming the model and, where
// one is at fault, its field. It runs every statement under SQLite's
// authorizer, in shards of models on private in-memory databases at once
// (SQLite rescans its schema after each CREATE, so one database for
// thousands of tables costs quadratic time); a statement that fails in its
// shard, which may lack another model's table, is run again with all of
// them in one database before it is reported.
func checkSQLite(ctx context.Context, tables []bunddl.Table) error {
	for _, t := range tables {
		for i, stmt := range t.Statements {
			parts, offsets, err := sqliteStatements(stmt)
			if err != nil {
				return statementError(t, i, err.Error())
			}
			if len(parts) != 1 {
				return multiStatementError(t, i, parts, offsets)
			}
		}
	}
	shards := shardTables(tables)
	errs := make([]error, len(shards))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, shard := range shards {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = runAuthorized(ctx, shard)
		}()
	}
	wg.Wait()
	failed := false
	for _, err := range errs {
		var fe *failedError
		if errors.As(err, &fe) {
			failed = true
			continue
		}
		if err != nil {
			return err
		}
	}
	if !failed {
		return checkForeignKeys(ctx, tables)
	}
	err := runAuthorized(ctx, tables)
	var fe *failedError
	if errors.As(err, &fe) {
		return failure(ctx, fe.table, fe.index, fe.err)
	}
	if err != nil {
		return err
	}
	return checkForeignKeys(ctx, tables)
}

// shardSize is how many models' statements one scratch database runs.
const shardSize = 64

func shardTables(tables []bunddl.Table) [][]bunddl.Table {
	var shards [][]bunddl.Table
	for len(tables) > shardSize {
		shards = append(shards, tables[:shardSize])
		tables = tables[shardSize:]
	}
	return append(shards, tables)
}

// failedError is a statement SQLite could not run, for a reason of its own
// (no such table, a syntax error), not because the authorizer denied it.
type failedError struct {
	table bunddl.Table
	index int
	err   error
}

func (e *failedError) Error() string { return e.err.Error() }

// runAuthorized runs the tables' statements, in order, in a transaction
// on a private in-memory database that is then rolled back, under an
// authorizer that denies what a model's DDL may not do.
func runAuthorized(ctx context.Context, tables []bunddl.Table) error {
	conn, closeDB, err := schema.OpenMemory(ctx)
	if err != nil {
		return err
	}
	defer closeDB()
	var denied string
	specific := false // denied names the action, not only its schema
	policy := func(action sqlite.AuthorizerActionCode, arg1, arg2, database, _ string) sqlite.AuthorizerReturnCode {
		why, isAction := deny(action, arg1, arg2, database)
		if why == "" {
			return sqlite.AuthorizerOK
		}
		if denied == "" || isAction && !specific {
			denied, specific = why, isAction
		}
		return sqlite.AuthorizerDeny
	}
	if err := setAuthorizer(conn, policy); err != nil {
		return err
	}
	for _, t := range tables {
		for i, stmt := range t.Statements {
			_, err := conn.ExecContext(ctx, stmt)
			if denied != "" {
				return statementError(t, i, denied)
			}
			if err == nil {
				continue
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// A schema that is not attached fails before the authorizer is
			// asked; SQLite's message names it.
			if _, name, ok := strings.Cut(err.Error(), "unknown database "); ok {
				name, _, _ = strings.Cut(name, " (")
				return statementError(t, i, fmt.Sprintf("it names schema %q", strings.Trim(name, `"`)))
			}
			return &failedError{table: t, index: i, err: err}
		}
	}
	return nil
}

func setAuthorizer(conn *sql.Conn, fn sqlite.AuthorizerFn) error {
	err := conn.Raw(func(dc any) error {
		r, ok := dc.(sqlite.AuthorizerRegisterer)
		if !ok {
			return errors.New("the SQLite driver has no authorizer")
		}
		return r.RegisterAuthorizer(fn)
	})
	if err != nil {
		return fmt.Errorf("checking the models' statements: %w", err)
	}
	return nil
}

// deny says why SQLite's authorizer action is not one a model's DDL may
// take, or "" when it may; isAction is true when the action itself is
// refused, false when only the schema it names is.
func deny(action sqlite.AuthorizerActionCode, arg1, arg2, database string) (why string, isAction bool) {
	switch action {
	case sqlite.AuthAttach:
		return "it attaches a database", true
	case sqlite.AuthDetach:
		return "it detaches a database", true
	case sqlite.AuthPragma:
		return fmt.Sprintf("it runs PRAGMA %s", arg1), true
	case sqlite.AuthTransaction, sqlite.AuthSavepoint:
		return fmt.Sprintf("it runs %s", strings.TrimSpace(arg1+" "+arg2)), true
	case sqlite.AuthCreateTempIndex, sqlite.AuthCreateTempTable, sqlite.AuthCreateTempTrigger, sqlite.AuthCreateTempView:
		return fmt.Sprintf("it makes %q in the temp schema", arg1), true
	case sqlite.AuthDropTempIndex, sqlite.AuthDropTempTable, sqlite.AuthDropTempTrigger, sqlite.AuthDropTempView:
		return fmt.Sprintf("it drops %q from the temp schema", arg1), true
	}
	if database != "" && !sqltext.EqualIdent(database, "main") {
		return fmt.Sprintf("it names schema %q", database), false
	}
	return "", false
}

// statementError is a model's i-th statement refused for why.
func statementError(t bunddl.Table, i int, why string) error {
	if i == 0 {
		return &ModelError{Model: t.Type, Field: fieldOf(t, -1), Reason: fmt.Sprintf("bun's CREATE TABLE for it is refused: %s; autogen manages the main schema only, one statement per model", why)}
	}
	return &ModelError{Model: t.Type, Reason: fmt.Sprintf("the statement its AfterCreateTable hook runs (%s) is refused: %s; a model's DDL may only make tables, indexes, views and triggers in the main schema", oneLine(t.Statements[i]), why)}
}

// failure is a model's i-th statement that SQLite cannot run. For its
// CREATE TABLE, the column at fault is found by creating each column alone:
// a default or type only another database understands
// (default:gen_random_uuid(), int[]) fails by itself.
func failure(ctx context.Context, t bunddl.Table, i int, err error) error {
	if i == 0 {
		if c, cerr := failingColumn(ctx, t.Columns); c != nil {
			what := "its default"
			if c.Default == "" {
				what = "its type"
			}
			return &ModelError{Model: t.Type, Field: c.Field, Reason: fmt.Sprintf("SQLite cannot create column %q as bun writes it (%s): %s; %s is one only another database understands: give SQLite's form, or keep this model's SQLite and other databases apart", c.Name, oneLine(columnDef(*c)), sqliteMessage(cerr), what)}
		}
		return &ModelError{Model: t.Type, Reason: fmt.Sprintf("SQLite cannot run bun's CREATE TABLE for it: %v", err)}
	}
	return &ModelError{Model: t.Type, Reason: fmt.Sprintf("SQLite cannot run the statement its AfterCreateTable hook runs (%s): %v", oneLine(t.Statements[i]), err)}
}

// multiStatementError is a model's i-th statement holding len(parts)
// statements where one was meant.
func multiStatementError(t bunddl.Table, i int, parts []string, offsets []int) error {
	if len(parts) == 0 {
		return statementError(t, i, "it holds no statement")
	}
	second := oneLine(parts[1])
	if i == 0 {
		end := offsets[1] - 1 // the semicolon that ends the first
		return &ModelError{Model: t.Type, Field: fieldOf(t, end), Reason: fmt.Sprintf("its tag ends bun's CREATE TABLE and starts another statement (%s); a model's DDL must be exactly one statement", second)}
	}
	return &ModelError{Model: t.Type, Reason: fmt.Sprintf("its AfterCreateTable hook runs %d statements in one (%s, then %s); run each on its own", len(parts), oneLine(parts[0]), second)}
}

// fieldOf names the Go field whose text in the model's CREATE TABLE covers
// byte at (a column's default, type or name, or the table: tag of the
// embedded bun.BaseModel), or, when at is -1, the field whose table: tag
// names a schema; "" when it cannot tell.
func fieldOf(t bunddl.Table, at int) string {
	if at < 0 {
		if t.Schema != "" {
			return "BaseModel"
		}
		return ""
	}
	if len(t.Statements) == 0 {
		return ""
	}
	stmt := t.Statements[0]
	for _, c := range t.Columns {
		for _, text := range []string{c.Default, c.Type, c.Name} {
			if covers(stmt, text, at) {
				return c.Field
			}
		}
	}
	if covers(stmt, t.Name, at) {
		return "BaseModel"
	}
	return ""
}

// covers reports whether an occurrence of text in s spans byte at.
func covers(s, text string, at int) bool {
	if text == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(s[from:], text)
		if i < 0 {
			return false
		}
		start := from + i
		if start <= at && at < start+len(text) {
			return true
		}
		if start > at {
			return false
		}
		from = start + 1
	}
}

// oneLine shortens a statement for a message: whitespace runs become one
// space, other control and invisible characters are escaped, and about 80
// characters are kept.
func oneLine(s string) string {
	var b strings.Builder
	for i, r := range strings.Join(strings.Fields(s), " ") {
		if i >= 77 {
			b.WriteString("...")
			break
		}
		if unicode.IsGraphic(r) {
			b.WriteRune(r)
		} else {
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

// failingColumn returns the first column SQLite cannot create in a table of
// its own, with the error, or nil.
func failingColumn(ctx context.Context, cols []bunddl.Column) (*bunddl.Column, error) {
	db, closeDB, err := schema.OpenMemory(ctx)
	if err != nil {
		return nil, nil
	}
	defer closeDB()
	for i, c := range cols {
		if _, err := db.ExecContext(ctx, "CREATE TABLE probe ("+columnDef(c)+")"); err != nil {
			return &cols[i], err
		}
		if _, err := db.ExecContext(ctx, "DROP TABLE probe"); err != nil {
			return nil, nil
		}
	}
	return nil, nil
}

// columnDef is the part of bun's column definition that can hold another
// database's SQL: its name, type and default.
func columnDef(c bunddl.Column) string {
	def := `"` + strings.ReplaceAll(c.Name, `"`, `""`) + `"`
	if c.Type != "" {
		def += " " + c.Type
	}
	if c.Default != "" {
		def += " DEFAULT " + c.Default
	}
	return def
}

// sqliteMessage is a SQLite error's text without the driver's prefix and
// result code: "near \"(\": syntax error".
func sqliteMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "SQL logic error: ")
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		msg = msg[:i]
	}
	return msg
}
