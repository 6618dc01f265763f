package loader

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/autogen-dev/autogen/loader/internal/buntest"
	"github.com/autogen-dev/autogen/loader/internal/testmodels"
)

// pgGoMod is a bun-on-PostgreSQL application's go.mod.
var pgGoMod = strings.Replace(testGoMod, "\tgithub.com/uptrace/bun/dialect/sqlitedialect v1.3.0\n", "\tgithub.com/uptrace/bun/dialect/pgdialect v1.3.0\n", 1)

// TestLoadPostgreSQL: with the PostgreSQL dialect the models are read with
// bun's pgdialect: each CREATE TABLE is what pgdialect writes, parents come
// first, a default only PostgreSQL knows is no error, a schema a table: tag
// names is reported, and the cache keeps the dialects apart.
func TestLoadPostgreSQL(t *testing.T) {
	files := testModelFiles(t)
	files["go.mod"] = pgGoMod
	files["models/pg.go"] = `package testmodels

import "github.com/uptrace/bun"

type Token struct {
	bun.BaseModel ` + "`bun:\"table:public.tokens\"`" + `
	ID string ` + "`bun:\",pk,type:uuid,default:gen_random_uuid()\"`" + `
}
`
	dir := newModule(t, files)
	cache := t.TempDir()
	r, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, Dialect: PostgreSQL, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	models := []any{(*testmodels.AuditEntry)(nil), (*testmodels.Group)(nil), (*testmodels.Organization)(nil), (*testmodels.User)(nil), (*testmodels.UserGroup)(nil)}
	want := buntest.Format(t, pgdialect.New(), []any{(*testmodels.UserGroup)(nil)}, models...)
	order, g := groups(t, r.Statements)
	for _, m := range models {
		typ := reflect.TypeOf(m).Elem()
		name := strings.Fields(strings.TrimPrefix(want[typ], "CREATE TABLE "))[0]
		if got := g[strings.Trim(name, `"`)]; len(got) == 0 || got[0] != want[typ] {
			t.Errorf("%s: got %q, pgdialect writes %q", typ, got, want[typ])
		}
	}
	if !strings.Contains(strings.Join(r.Statements, "\n"), "BIGSERIAL") {
		t.Errorf("no BIGSERIAL in %q", r.Statements)
	}
	if !slices.Equal(order, []string{"audit_entries", "groups", "organizations", "public\".\"tokens", "users", "user_groups"}) {
		t.Errorf("table order %q", order)
	}
	if r.Schemas["tokens"] != "public" || len(r.Schemas) != 1 || r.Tables["tokens"] != "example.com/app/models.Token" {
		t.Errorf("Schemas %v, Tables %v", r.Schemas, r.Tables)
	}

	// The same module on SQLite is another cache entry, and refuses what
	// only PostgreSQL knows.
	_, err = Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, CacheDir: cache})
	if err == nil || !strings.Contains(err.Error(), `model example.com/app/models.Token field BaseModel: bun's CREATE TABLE for it is refused: it names schema "public"`) {
		t.Errorf("on SQLite: err = %v, want the public schema refused", err)
	}
	again, err := Load(context.Background(), Options{Dir: dir, Patterns: []string{"./models"}, Dialect: PostgreSQL, CacheDir: cache})
	if err != nil || !again.Cached || !slices.Equal(again.Statements, r.Statements) || again.Schemas["tokens"] != "public" {
		t.Errorf("PostgreSQL from the cache: %v, %+v", err, again)
	}
}

// TestDescribePostgreSQL: models linked in, read with pgdialect; a
// junction left out is named.
func TestDescribePostgreSQL(t *testing.T) {
	models := []any{(*testmodels.Organization)(nil), (*testmodels.User)(nil), (*testmodels.Group)(nil), (*testmodels.UserGroup)(nil)}
	r, err := Describe(context.Background(), PostgreSQL, models...)
	if err != nil {
		t.Fatal(err)
	}
	for typ, stmt := range buntest.Format(t, pgdialect.New(), []any{(*testmodels.UserGroup)(nil)}, models...) {
		if !slices.Contains(r.Statements, stmt) {
			t.Errorf("%s: %q is not among %q", typ, stmt, r.Statements)
		}
	}
	_, err = Describe(context.Background(), PostgreSQL, models[:2]...)
	if want := "model github.com/autogen-dev/autogen/loader/internal/testmodels.User: bun: can't find m2m user_groups table (use db.RegisterModel); pass the junction model too"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
