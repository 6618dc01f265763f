package schema

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"sync"

	"github.com/autogen-dev/autogen/internal/sqltext"

	_ "modernc.org/sqlite" // the "sqlite" driver FromDDL runs statements with
)

// shardTables is how many tables one in-memory database of FromDDL holds.
// SQLite rescans sqlite_master after every CREATE, so one database for all
// the tables costs time quadratic in their number; shards keep it linear.
const shardTables = 64

// FromDDL runs stmts, in order, in a fresh private in-memory SQLite database
// with foreign-key enforcement off, and inspects the result.
//
// Statements that are all CREATE TABLE and CREATE INDEX, as bun's are, run in
// several databases at once, each holding a run of tables with the indexes
// that follow them; whenever that might not give what one database gives (a
// statement fails, or two shards define the same name) FromDDL runs them in
// one database, which also yields the error to report.
func FromDDL(ctx context.Context, stmts []string) (*Schema, error) {
	if shards := shard(stmts); len(shards) > 1 {
		if s, ok := fromShards(ctx, shards); ok {
			return s, nil
		}
	}
	return fromOne(ctx, stmts)
}

// fromOne runs stmts in one in-memory database and inspects it.
func fromOne(ctx context.Context, stmts []string) (*Schema, error) {
	conn, closeDB, err := OpenMemory(ctx)
	if err != nil {
		return nil, err
	}
	defer closeDB()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return nil, fmt.Errorf("turn foreign keys off: %w", err)
	}
	for i, stmt := range stmts {
		if _, err := conn.ExecContext(ctx, stmt); err != nil {
			return nil, fmt.Errorf("statement %d (%s): %w", i+1, oneLineAbbrev(stmt), err)
		}
	}
	return Inspect(ctx, conn)
}

// OpenMemory opens a fresh private in-memory SQLite database held on one
// connection (every connection to ":memory:" is its own database) and
// returns it with the function that closes it.
func OpenMemory(ctx context.Context) (*sql.Conn, func(), error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, nil, fmt.Errorf("open in-memory SQLite: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("open in-memory SQLite: %w", err)
	}
	return conn, func() { conn.Close(); db.Close() }, nil
}

// shard splits stmts into runs of at most shardTables tables, each CREATE
// TABLE with the CREATE INDEX statements after it. It returns nil when a
// statement is anything else, or an index comes before any table.
func shard(stmts []string) [][]string {
	var shards [][]string
	tables := 0
	for _, stmt := range stmts {
		switch createKind(stmt) {
		case "table":
			if tables%shardTables == 0 {
				shards = append(shards, nil)
			}
			tables++
		case "index":
			if tables == 0 {
				return nil
			}
		default:
			return nil
		}
		shards[len(shards)-1] = append(shards[len(shards)-1], stmt)
	}
	return shards
}

// createKind is "table" for CREATE TABLE name (…) in the main schema, "index"
// for CREATE [UNIQUE] INDEX and "" for every other statement.
func createKind(stmt string) string {
	words := sqltext.LeadingTokens(stmt, 4)
	if len(words) < 3 || !words[0].Is("CREATE") {
		return ""
	}
	if words[1].Is("INDEX") || words[1].Is("UNIQUE") && words[2].Is("INDEX") {
		return "index"
	}
	// CREATE TABLE name ( — not TEMP, not schema-qualified, not AS SELECT.
	if words[1].Is("TABLE") && len(words) >= 4 && words[3].Text == "(" &&
		(words[2].Kind == sqltext.TokenIdent || words[2].Kind == sqltext.TokenQuotedIdent) && !words[2].Is("IF") {
		return "table"
	}
	return ""
}

// fromShards builds and inspects the shards in parallel and merges them; ok
// is false when one fails or the shards share a table or index name.
func fromShards(ctx context.Context, shards [][]string) (*Schema, bool) {
	parts := make([]*Schema, len(shards))
	failed := make([]bool, len(shards))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, stmts := range shards {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			s, err := fromOne(ctx, stmts)
			parts[i], failed[i] = s, err != nil
		}()
	}
	wg.Wait()
	merged := &Schema{}
	names := map[string]bool{}
	for i, p := range parts {
		if failed[i] {
			return nil, false
		}
		for _, t := range p.Tables {
			if !unique(names, t.Name) {
				return nil, false
			}
			for _, ix := range t.Indexes {
				if !unique(names, ix.Name) {
					return nil, false
				}
			}
			merged.Tables = append(merged.Tables, t)
		}
		merged.Views = append(merged.Views, p.Views...)
		merged.Triggers = append(merged.Triggers, p.Triggers...)
	}
	sortSchema(merged)
	return merged, true
}

// unique records a case-insensitive name (tables and indexes share one
// namespace) and reports whether it is new.
func unique(seen map[string]bool, name string) bool {
	key := sqltext.FoldIdent(name)
	if seen[key] {
		return false
	}
	seen[key] = true
	return true
}
