package bunddl_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"github.com/autogen-dev/autogen/loader/bunddl"
	"github.com/autogen-dev/autogen/loader/internal/buntest"
	"github.com/autogen-dev/autogen/loader/internal/testmodels"
)

// bunCreates is what a bun application on SQLite runs (see buntest.Create).
func bunCreates(t *testing.T, junctions []any, models ...any) map[reflect.Type][]string {
	t.Helper()
	out, _ := buntest.Create(t, junctions, models...)
	return out
}

func byType(t *testing.T, tables []bunddl.Table) map[string]bunddl.Table {
	t.Helper()
	out := map[string]bunddl.Table{}
	for _, tb := range tables {
		if tb.Error != "" {
			t.Fatalf("%s: %s (field %q)", tb.Type, tb.Error, tb.Field)
		}
		out[tb.Type] = tb
	}
	return out
}

func qualified(m any) string {
	typ := reflect.TypeOf(m).Elem()
	return typ.PkgPath() + "." + typ.Name()
}

// TestRecordMatchesBun: the statements recorded for models using every tag
// form that affects DDL are those bun runs on a real SQLite database.
func TestRecordMatchesBun(t *testing.T) {
	models := []any{(*testmodels.AuditEntry)(nil), (*testmodels.Group)(nil), (*testmodels.Organization)(nil), (*testmodels.User)(nil), (*testmodels.UserGroup)(nil)}
	got := byType(t, bunddl.Record(context.Background(), sqlitedialect.New(), models))
	want := bunCreates(t, []any{(*testmodels.UserGroup)(nil)}, models...)
	for _, m := range models {
		g := got[qualified(m)]
		if w := want[reflect.TypeOf(m).Elem()]; !slices.Equal(g.Statements, w) {
			t.Errorf("%T:\n got %q\nwant %q", m, g.Statements, w)
		}
	}
	users := got[qualified((*testmodels.User)(nil))]
	if users.Name != "users" || !slices.Equal(users.Deps, []string{"organizations"}) {
		t.Errorf("users: name %q deps %v, want users and [organizations]", users.Name, users.Deps)
	}
	if len(users.Statements) != 2 || !strings.HasPrefix(users.Statements[1], "CREATE INDEX") {
		t.Errorf("users: statements %q, want CREATE TABLE and the hook's CREATE INDEX", users.Statements)
	}
}

// Team declares the m2m on one side only; Membership is its junction.
type Team struct {
	bun.BaseModel `bun:"table:teams"`
	ID            int64     `bun:",pk,autoincrement"`
	Members       []*Member `bun:"m2m:memberships,join:Team=Member"`
}

type Member struct {
	bun.BaseModel `bun:"table:members"`
	ID            int64 `bun:",pk,autoincrement"`
}

// Membership is a junction without bun.BaseModel, as apps write them.
type Membership struct {
	TeamID   int64   `bun:",pk"`
	Team     *Team   `bun:"rel:belongs-to,join:team_id=id"`
	MemberID int64   `bun:",pk"`
	Member   *Member `bun:"rel:belongs-to,join:member_id=id"`
	Role     string
}

// Unrelated is a plain struct of the models package that is not a table.
type Unrelated struct{ Name string }

// TestOneSidedM2M: a junction named by an m2m on one side only gets the
// foreign keys bun writes for an application that registers it first,
// whatever order the models come in.
func TestOneSidedM2M(t *testing.T) {
	want := bunCreates(t, []any{(*Membership)(nil)}, (*Team)(nil), (*Member)(nil), (*Membership)(nil))[reflect.TypeFor[Membership]()]
	for _, fk := range []string{`FOREIGN KEY ("team_id") REFERENCES "teams" ("id")`, `FOREIGN KEY ("member_id") REFERENCES "members" ("id")`} {
		if len(want) != 1 || !strings.Contains(want[0], fk) {
			t.Fatalf("bun itself writes %q, which lacks %s", want, fk)
		}
	}
	for _, order := range [][]any{
		{(*Membership)(nil), (*Team)(nil), (*Member)(nil)},
		{(*Team)(nil), (*Member)(nil), (*Membership)(nil)},
	} {
		got := byType(t, bunddl.Record(context.Background(), sqlitedialect.New(), order))
		m := got[qualified((*Membership)(nil))]
		if !slices.Equal(m.Statements, want) {
			t.Errorf("order %T...: memberships\n got %q\nwant %q", order[0], m.Statements, want)
		}
		if m.Name != "memberships" || !slices.Equal(m.Deps, []string{"members", "teams"}) {
			t.Errorf("memberships: name %q deps %v", m.Name, m.Deps)
		}
	}
}

// TestCollect: a candidate joins the model set when an m2m tag names its
// table, from the models or from a list; list elements that are no model
// are reported.
func TestCollect(t *testing.T) {
	d := sqlitedialect.New()
	candidates := []any{(*Unrelated)(nil), (*Membership)(nil)}
	all, bad := bunddl.Collect(d, []any{(*Team)(nil)}, candidates)
	if len(bad) != 0 || len(all) != 2 || all[1] != any((*Membership)(nil)) {
		t.Errorf("Collect = %v, %v; want Team and Membership", all, bad)
	}
	all, bad = bunddl.Collect(d, nil, candidates, bunddl.List{Name: "pkg.Models", Models: []any{&Team{}, Member{}, 3, nil}})
	if len(all) != 3 {
		t.Errorf("Collect from a list = %v, want Team, Member and Membership", all)
	}
	if len(bad) != 2 || bad[0].Type != "pkg.Models" || bad[0].Error != "element 3 is a int, not a model; list models as (*Team)(nil) or &Team{}" || !strings.HasPrefix(bad[1].Error, "element 4 is nil") {
		t.Errorf("bad list elements reported as %+v", bad)
	}
	if all, _ := bunddl.Collect(d, []any{(*Member)(nil)}, candidates); len(all) != 1 {
		t.Errorf("Collect without an m2m = %v, want Member alone", all)
	}
}

// Untyped has the columns bun creates without a declared type.
type Untyped struct {
	bun.BaseModel `bun:"table:untyped"`
	ID            [16]byte `bun:",pk"`
	Any           any
	Named         BinaryID
}

type BinaryID [16]byte

// TestUntypedColumns: columns bun gives no SQL type are recorded as bun
// writes them, with an empty Type.
func TestUntypedColumns(t *testing.T) {
	got := byType(t, bunddl.Record(context.Background(), sqlitedialect.New(), []any{(*Untyped)(nil)}))
	u := got[qualified((*Untyped)(nil))]
	want := bunCreates(t, nil, (*Untyped)(nil))[reflect.TypeFor[Untyped]()]
	if !slices.Equal(u.Statements, want) {
		t.Errorf("got %q, want %q", u.Statements, want)
	}
	for _, c := range u.Columns {
		if c.Type != "" {
			t.Errorf("column %s has type %q, want none", c.Name, c.Type)
		}
	}
}

// Broken has an m2m whose junction is not among the models.
type Broken struct {
	bun.BaseModel `bun:"table:broken"`
	ID            int64    `bun:",pk"`
	Tags          []Member `bun:"m2m:broken_tags,join:Broken=Member"`
}

// TestRecordErrors: bun's panics and bad values become one model's Error.
func TestRecordErrors(t *testing.T) {
	tables := bunddl.Record(context.Background(), sqlitedialect.New(), []any{(*Broken)(nil), 3, nil, (*Member)(nil)})
	if len(tables) != 4 {
		t.Fatalf("got %d tables, want 4: %+v", len(tables), tables)
	}
	wants := []string{"can't find m2m broken_tags table", "a int is not a model", "a nil interface value is not a model", ""}
	for i, w := range wants {
		if w == "" && tables[i].Error != "" || !strings.Contains(tables[i].Error, w) {
			t.Errorf("table %d (%s): error %q, want %q", i, tables[i].Type, tables[i].Error, w)
		}
	}
}

// TestTableName: bun's name for a type, without resolving relations.
func TestTableName(t *testing.T) {
	d := sqlitedialect.New()
	for typ, want := range map[reflect.Type]string{
		reflect.TypeFor[Membership](): "memberships",
		reflect.TypeFor[Broken]():     "broken",
		reflect.TypeFor[int]():        "",
	} {
		if got := bunddl.TableName(d, typ); got != want {
			t.Errorf("TableName(%v) = %q, want %q", typ, got, want)
		}
	}
}

type collectBase struct {
	bun.BaseModel
	ID int64 `bun:",pk"`
}

type (
	collectModel    struct{ *collectBase }
	collectPlain    struct{ Name string }
	collectKind     string
	collectIndirect struct{ collectModel }
)

// TestCollectPromotes: candidates embedding bun.BaseModel, through
// embedded structs by value or pointer, are models (the loader finds
// models by syntax and passes every exported type as a candidate); plain
// structs stay candidates and other kinds are dropped.
func TestCollectPromotes(t *testing.T) {
	all, bad := bunddl.Collect(sqlitedialect.New(), nil, []any{(*collectPlain)(nil), (*collectKind)(nil), (*collectModel)(nil), (*collectIndirect)(nil)})
	if len(bad) != 0 || len(all) != 2 {
		t.Fatalf("Collect = %T, %v; want collectModel and collectIndirect", all, bad)
	}
	if _, ok := all[0].(*collectModel); !ok {
		t.Errorf("first model %T, want *collectModel", all[0])
	}
	if _, ok := all[1].(*collectIndirect); !ok {
		t.Errorf("second model %T, want *collectIndirect", all[1])
	}
}
