package loader

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uptrace/bun"
)

// The models of TestHostileDDL: each breaks one rule of a model's DDL.
type (
	SecondStatement struct {
		bun.BaseModel `bun:"table:teams"`
		ID            int64  `bun:",pk"`
		Name          string `bun:"name,default:'x'); DROP TABLE IF EXISTS teams; --"`
	}
	SecondNoSemicolon struct {
		bun.BaseModel `bun:"table:teams"`
		ID            int64  `bun:",pk"`
		Name          string `bun:"name,default:'x'); DELETE FROM teams --"`
	}
	SemicolonLiteral struct {
		bun.BaseModel `bun:"table:teams"`
		ID            int64  `bun:",pk"`
		Name          string `bun:"name,default:'a;b'"`
	}
	TempTable struct {
		bun.BaseModel `bun:"table:temp.x"`
		ID            int64 `bun:",pk"`
	}
	AuxTable struct {
		bun.BaseModel `bun:"table:aux.x"`
		ID            int64 `bun:",pk"`
	}
	MainTable struct {
		bun.BaseModel `bun:"table:main.x"`
		ID            int64 `bun:",pk"`
	}
	// Job's has-one makes bun write FOREIGN KEY (code) REFERENCES
	// specs (job_code): job_code is neither primary key nor unique.
	Job struct {
		bun.BaseModel `bun:"table:jobs"`
		ID            int64  `bun:",pk"`
		Code          string `bun:",notnull"`
		Spec          *Spec  `bun:"rel:has-one,join:code=job_code"`
	}
	Spec struct {
		bun.BaseModel `bun:"table:specs"`
		ID            int64  `bun:",pk"`
		JobCode       string `bun:",notnull"`
	}
	// UniqueJob's key references a unique column: fine.
	UniqueJob struct {
		bun.BaseModel `bun:"table:unique_jobs"`
		ID            int64       `bun:",pk"`
		Code          string      `bun:",notnull"`
		Spec          *UniqueSpec `bun:"rel:has-one,join:code=job_code"`
	}
	UniqueSpec struct {
		bun.BaseModel `bun:"table:unique_specs"`
		ID            int64  `bun:",pk"`
		JobCode       string `bun:",notnull,unique"`
	}
	NoSuchFunction struct {
		bun.BaseModel `bun:"table:uuids"`
		ID            string `bun:",pk,default:gen_random_uuid()"`
	}
)

// Hooked is a table whose AfterCreateTable hook runs hookSQL, which each
// case of TestHostileDDL sets before it describes the model.
type Hooked struct {
	bun.BaseModel `bun:"table:teams"`
	ID            int64  `bun:",pk"`
	Name          string `bun:"name"`
}

var hookSQL string

func (*Hooked) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	_, err := q.DB().ExecContext(ctx, hookSQL)
	return err
}

// TestHostileDDL: a model whose DDL is not exactly one statement on the
// main schema, or that SQLite cannot run, is refused in one sentence naming
// the model and field; the main schema named explicitly is fine.
func TestHostileDDL(t *testing.T) {
	const pkg = "github.com/autogen-dev/autogen/loader."
	tests := []struct {
		model          any
		others         []any  // described with model
		hook           string // the statement a Hooked model's hook runs
		want           string // "" means it loads
		wantStatements int
	}{
		{model: (*SecondStatement)(nil),
			want: "model " + pkg + "SecondStatement field Name: its tag ends bun's CREATE TABLE and starts another statement (DROP TABLE IF EXISTS teams); a model's DDL must be exactly one statement"},
		{model: (*SecondNoSemicolon)(nil),
			want: "model " + pkg + "SecondNoSemicolon field Name: its tag ends bun's CREATE TABLE and starts another statement (DELETE FROM teams --, PRIMARY KEY (\"id\")))"},
		{model: (*SemicolonLiteral)(nil), wantStatements: 1},
		{model: (*Job)(nil), others: []any{(*Spec)(nil)},
			want: "model " + pkg + "Job field Spec: its foreign key (code) references specs (job_code), which is neither the primary key nor UNIQUE there; SQLite creates the table but refuses every write it checks (foreign key mismatch): make specs.job_code unique"},
		{model: (*UniqueJob)(nil), others: []any{(*UniqueSpec)(nil)}, wantStatements: 2},
		{model: (*TempTable)(nil),
			want: "model " + pkg + "TempTable field BaseModel: bun's CREATE TABLE for it is refused: it names schema \"temp\"; autogen manages the main schema only"},
		{model: (*AuxTable)(nil),
			want: "model " + pkg + "AuxTable field BaseModel: bun's CREATE TABLE for it is refused: it names schema \"aux\""},
		{model: (*MainTable)(nil), wantStatements: 1},
		// bun writes PostgreSQL's default as it is; SQLite needs it in
		// parentheses. (An array type such as int[] is a type name SQLite
		// accepts: [] is a quoted identifier to it.)
		{model: (*NoSuchFunction)(nil),
			want: "model " + pkg + "NoSuchFunction field ID: SQLite cannot create column \"id\" as bun writes it (\"id\" VARCHAR DEFAULT gen_random_uuid()): near \"(\": syntax error; its default is one only another database understands"},
		{model: (*Hooked)(nil), hook: `CREATE INDEX temp.ix ON teams (name)`,
			want: "model " + pkg + "Hooked: SQLite cannot run the statement its AfterCreateTable hook runs (CREATE INDEX temp.ix ON teams (name)): SQL logic error: cannot create a TEMP index on non-TEMP table \"teams\""},
		{model: (*Hooked)(nil), hook: `CREATE TEMP VIEW v AS SELECT name FROM teams`,
			want: "model " + pkg + "Hooked: the statement its AfterCreateTable hook runs (CREATE TEMP VIEW v AS SELECT name FROM teams) is refused: it names schema \"temp\"; a model's DDL may only make tables, indexes, views and triggers in the main schema"},
		{model: (*Hooked)(nil), hook: `PRAGMA writable_schema = ON`, want: "is refused: it runs PRAGMA writable_schema"},
		{model: (*Hooked)(nil), hook: `ATTACH 'x.db' AS x`, want: "is refused: it attaches a database"},
		{model: (*Hooked)(nil), hook: `COMMIT`, want: "is refused: it runs COMMIT"},
		{model: (*Hooked)(nil), hook: `CREATE INDEX ix ON teams (name); DROP TABLE teams`,
			want: "model " + pkg + "Hooked: its AfterCreateTable hook runs 2 statements in one (CREATE INDEX ix ON teams (name), then DROP TABLE teams); run each on its own"},
		{model: (*Hooked)(nil), hook: `CREATE INDEX main.ix ON teams (name);`, wantStatements: 2},
	}
	for _, tt := range tests {
		name := reflectElem(tt.model).Name()
		if tt.hook != "" {
			name += " " + tt.hook
		}
		t.Run(name, func(t *testing.T) {
			hookSQL = tt.hook
			r, err := Describe(context.Background(), SQLite, append([]any{tt.model}, tt.others...)...)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Statements) != tt.wantStatements {
					t.Errorf("statements %q, want %d", r.Statements, tt.wantStatements)
				}
				execAll(t, r.Statements)
				return
			}
			var me *ModelError
			if !errors.As(err, &me) || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %v, want a one-line *ModelError holding %q", err, tt.want)
			}
		})
	}
}

// TestSQLiteStatements: statements end where SQLite says, whatever the
// literals, comments and trigger bodies hold.
func TestSQLiteStatements(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{`CREATE TABLE t (a)`, []string{`CREATE TABLE t (a)`}},
		{`CREATE TABLE t (a);`, []string{`CREATE TABLE t (a)`}},
		{`CREATE TABLE t (a); -- done`, []string{`CREATE TABLE t (a)`}},
		{`CREATE TABLE t (a DEFAULT 'x;y')`, []string{`CREATE TABLE t (a DEFAULT 'x;y')`}},
		{`CREATE TABLE "a;b" (a) /* ; */`, []string{`CREATE TABLE "a;b" (a) /* ; */`}},
		{`CREATE TABLE t (a);;`, []string{`CREATE TABLE t (a)`}},
		{`CREATE TABLE t (a); DROP TABLE u`, []string{`CREATE TABLE t (a)`, ` DROP TABLE u`}},
		{"CREATE TABLE t (a); -- x\nDROP TABLE u", []string{`CREATE TABLE t (a)`, " -- x\nDROP TABLE u"}},
		{`CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END`, []string{`CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END`}},
		{`CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END; DROP TABLE t`, []string{`CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END`, ` DROP TABLE t`}},
		{`  -- only a comment`, nil},
	}
	for _, tt := range tests {
		got, _, err := sqliteStatements(tt.sql)
		if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("sqliteStatements(%q) = %q, %v; want %q", tt.sql, got, err, tt.want)
		}
	}
	if _, _, err := sqliteStatements("CREATE TABLE t (a DEFAULT 'x\x00'); DROP TABLE u"); err == nil || !strings.Contains(err.Error(), "NUL character at byte 28") {
		t.Errorf("a NUL character: err = %v", err)
	}
}
