package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/autogen-dev/autogen/internal/golden"
	"github.com/autogen-dev/autogen/internal/pgtest"
	"github.com/autogen-dev/autogen/schema"
)

// Models as an app writes them, for the statements bun runs on PostgreSQL.
type (
	org struct {
		bun.BaseModel `bun:"table:orgs"`
		ID            int64  `bun:",pk,autoincrement"`
		Name          string `bun:",notnull,unique"`
	}
	memberModel struct {
		bun.BaseModel `bun:"table:members"`
		ID            int64    `bun:"id,pk,identity"`
		OrgID         int64    `bun:",notnull"`
		Org           *org     `bun:"rel:belongs-to,join:org_id=id,on_delete:CASCADE"`
		Email         string   `bun:",unique:email_org,notnull"`
		Name          string   `bun:"type:varchar(100),default:'x'"`
		Tags          []string `bun:",array"`
		Meta          map[string]any
		Price         float64   `bun:"type:numeric(10,2)"`
		Created       time.Time `bun:",nullzero,notnull,default:current_timestamp"`
		Data          []byte
		Small         int16
		OK            bool
	}
)

// bunStatements is what bun runs to create the models' tables on
// PostgreSQL, with an index and a view as a hook would add them.
func bunStatements(t *testing.T) []string {
	t.Helper()
	db := bun.NewDB(&sql.DB{}, pgdialect.New())
	var out []string
	for _, m := range []any{(*org)(nil), (*memberModel)(nil)} {
		b, err := db.NewCreateTable().Model(m).WithForeignKeys().AppendQuery(db.QueryGen(), nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	b, err := db.NewCreateIndex().Model((*memberModel)(nil)).Index("members_org_created_idx").Column("org_id", "created").AppendQuery(db.QueryGen(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, string(b),
		`CREATE VIEW "member_emails" AS SELECT id, email FROM members`,
		`COMMENT ON TABLE "orgs" IS 'organisations'`)
}

// The target schema is exactly what running the statements on the live
// schema gives, read by the same inspector; and the build leaves nothing.
func TestTargetIsWhatTheStatementsCreate(t *testing.T) {
	ctx := context.Background()
	d := pgtest.New(t)
	stmts := bunStatements(t)
	target, err := Target(ctx, d.DB, stmts, TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertNoScratch(t, d.DB)
	if live := inspect(t, d.DB); live.String() != "schema \"public\"\n" {
		t.Fatalf("the live schema changed:\n%s", live)
	}
	for _, stmt := range stmts {
		if _, err := d.DB.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.DB.ExecContext(ctx, `INSERT INTO orgs (name) VALUES ('acme'); INSERT INTO members (org_id, email) VALUES (1, 'a@x')`); err != nil {
		t.Fatal(err)
	}
	live := inspect(t, d.DB)
	if target.String() != live.String() || !schema.Equal(target, live) {
		t.Fatalf("target\n%s\ndiffers from the live schema\n%s", target, live)
	}
	golden.Check(t, "testdata/bun_target.golden", target.String())
}

func inspect(t *testing.T, db *sql.DB) *schema.Schema {
	t.Helper()
	s, err := Inspect(context.Background(), db, InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func assertNoScratch(t *testing.T, db *sql.DB) {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'autogen_scratch%'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d scratch schemas left (%v)", n, err)
	}
}

// Statements that would reach outside the scratch schema are refused
// before they run, with a sentence naming the statement.
func TestTargetRefuses(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	if _, err := d.DB.ExecContext(ctx, `CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users VALUES (1); CREATE SCHEMA app`); err != nil {
		t.Fatal(err)
	}
	before := inspect(t, d.DB).String()
	tests := []struct{ stmt, want string }{
		{`DROP TABLE users`, "is a DROP statement"},
		{`INSERT INTO users VALUES (2)`, "is a INSERT statement"},
		{`CREATE TABLE public.x (id int)`, `names schema "public" (in public.x)`},
		{`CREATE TABLE "app"."x" (id int)`, `names schema "app"`},
		{`CREATE INDEX ON public.users (id)`, `names schema "public"`},
		{`CREATE TABLE a (id int); DROP TABLE users`, "more than one statement"},
		{`CREATE TABLE a (id int) /* ; */; -- ;`, ""},
		{`SET search_path = public`, "is a SET statement"},
		{`ALTER TABLE a SET SCHEMA public`, "uses SCHEMA"},
		{`CREATE SCHEMA evil`, "is CREATE SCHEMA"},
		{`CREATE DATABASE evil`, "is CREATE DATABASE"},
		{`CREATE ROLE evil`, "is CREATE ROLE"},
		{`ALTER SYSTEM SET fsync = on`, "is ALTER SYSTEM"},
		{`COMMENT ON DATABASE postgres IS 'x'`, "is COMMENT DATABASE"},
		{`DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$`, "is a DO statement"},
		{`SELECT 1`, "is a SELECT statement"},
		{`CREATE TABLE U&"\0075sers" (id int)`, `writes a name as U&"\0075sers"`},
		{`-- nothing`, "holds no statement"},
		{`CREATE TABLE 'x`, "unterminated string"},
	}
	for _, tt := range tests {
		_, err := Target(ctx, d.DB, []string{`CREATE TABLE ok (id int)`, tt.stmt}, TargetOptions{})
		if tt.want == "" {
			if err != nil {
				t.Errorf("%q: %v", tt.stmt, err)
			}
			continue
		}
		var se *StatementError
		if !errors.As(err, &se) || se.Index != 2 || !strings.Contains(err.Error(), tt.want) ||
			!strings.HasPrefix(err.Error(), "statement 2 of the models' schema (") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v; want statement 2 refused: %s", tt.stmt, err, tt.want)
		}
	}
	if after := inspect(t, d.DB).String(); after != before {
		t.Fatalf("the live schema changed:\n%s\nwas\n%s", after, before)
	}
	assertNoScratch(t, d.DB)
}

// A statement the reading lets through but that reaches a live table (an
// extension in public puts public on the search_path, where an unknown
// name resolves) fails on the locks it took, and everything is undone;
// one that would wait for a live table's lock gives up after lock_timeout.
func TestTargetLockBackstop(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	if _, err := d.DB.ExecContext(ctx, `CREATE EXTENSION citext; CREATE TABLE users (id int PRIMARY KEY, email citext); INSERT INTO users VALUES (1, 'A')`); err != nil {
		t.Fatal(err)
	}
	before := inspect(t, d.DB).String()
	for _, stmt := range []string{
		`ALTER TABLE users ADD COLUMN sneaky int`,
		`CREATE INDEX sneaky ON users (email)`,
		`CREATE TRIGGER sneaky BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()`,
		`CREATE TABLE child (u int REFERENCES users (id))`,
	} {
		_, err := Target(ctx, d.DB, []string{`CREATE TABLE t (e citext)`, stmt}, TargetOptions{})
		if err == nil || !strings.Contains(err.Error(), `reaches public.`) {
			t.Errorf("%q: %v; want it refused for reaching public.users", stmt, err)
		}
	}
	if after := inspect(t, d.DB).String(); after != before {
		t.Fatalf("the live schema changed:\n%s\nwas\n%s", after, before)
	}

	other, err := d.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Rollback()
	if _, err := other.ExecContext(ctx, `UPDATE users SET id = id`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = Target(ctx, d.DB, []string{`ALTER TABLE users ADD COLUMN sneaky int`}, TargetOptions{})
	if err == nil || !strings.Contains(err.Error(), "for a lock another session holds") {
		t.Fatalf("lock wait: %v", err)
	}
	if waited := time.Since(start); waited > 30*time.Second {
		t.Fatalf("waited %v", waited)
	}
	assertNoScratch(t, d.DB)
}

// Extension types resolve in the scratch schema and read the same on both
// sides.
func TestTargetExtensionTypes(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	stmts := []string{`CREATE EXTENSION IF NOT EXISTS citext`, `CREATE EXTENSION IF NOT EXISTS hstore`,
		`CREATE TABLE t (e citext NOT NULL DEFAULT 'x'::citext, h hstore)`}
	if _, err := d.DB.ExecContext(ctx, `CREATE EXTENSION citext`); err != nil {
		t.Fatal(err)
	}
	target, err := Target(ctx, d.DB, stmts, TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := d.DB.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if live := inspect(t, d.DB); live.String() != target.String() {
		t.Fatalf("target\n%s\nlive\n%s", target, live)
	}
}

// A role that may not create a schema is told what to do.
func TestTargetNeedsCreate(t *testing.T) {
	d := pgtest.New(t)
	db := d.Role(t, "plain")
	_, err := Target(context.Background(), db, []string{`CREATE TABLE t (id int)`}, TargetOptions{})
	if err == nil || !strings.Contains(err.Error(), "cannot create a scratch schema (fails: permission denied for database") ||
		!strings.Contains(err.Error(), "dev_url") {
		t.Fatalf("got %v", err)
	}
}

// The server refuses a second statement in the text of one, on either path.
func TestExecOneRefusesTwoStatements(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	for _, viaPgx := range []bool{true, false} {
		err := execOne(ctx, d.DB, viaPgx, `CREATE TABLE a (id int); CREATE TABLE b (id int)`)
		if err == nil || !strings.Contains(err.Error(), "cannot insert multiple commands into a prepared statement") {
			t.Errorf("pgx=%v: %v", viaPgx, err)
		}
		if err := execOne(ctx, d.DB, viaPgx, `CREATE TABLE IF NOT EXISTS c (id int);`); err != nil {
			t.Errorf("pgx=%v, one statement: %v", viaPgx, err)
		}
	}
	if s := inspect(t, d.DB); len(s.Tables) != 1 || s.Tables[0].Name != "c" {
		t.Fatalf("tables: %s", s)
	}
}

// With public on the search_path (an extension lives there) and live
// tables named as the models' own, the statements build the scratch
// tables, not the live ones: names resolve to the scratch schema first.
func TestTargetBesideLiveTables(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	if _, err := d.DB.ExecContext(ctx, `CREATE EXTENSION citext; CREATE TABLE orgs (id int PRIMARY KEY, old text);
		CREATE TABLE members (id int); INSERT INTO orgs VALUES (1, 'kept')`); err != nil {
		t.Fatal(err)
	}
	before := inspect(t, d.DB).String()
	target, err := Target(ctx, d.DB, bunStatements(t), TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if after := inspect(t, d.DB).String(); after != before {
		t.Fatalf("the live schema changed:\n%s\nwas\n%s", after, before)
	}
	fresh := pgtest.New(t)
	for _, s := range bunStatements(t) {
		if _, err := fresh.DB.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if want := inspect(t, fresh.DB).String(); target.String() != want {
		t.Fatalf("target\n%s\nwant\n%s", target, want)
	}
}
