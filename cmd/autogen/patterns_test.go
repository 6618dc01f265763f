package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/bench/workload"
)

// patternModels hold, in models of our own, the ways public bun
// applications write their models (the apps are named in README's
// loader notes and in the loader's status report):
//   - a junction struct without bun.BaseModel, m2m declared on one side
//     only (User.Roles m2m:user_to_roles, UserToRole);
//   - an m2m whose junction uses uuid keys with type:uuid, on a model that
//     embeds a shared Entity struct besides bun.BaseModel (Company);
//   - rel:has-one join:id=user_id and join:id=id (no foreign key: the
//     parent side holds the key), and a self has-one
//     join:parent_machine_id=id (a foreign key);
//   - has-many, a comment: tag bun ignores, json tags beside bun ones;
//   - columns bun gives no SQL type: uuid.UUID, a named [16]byte, any;
//   - bun.BaseModel `bun:"items"` (table name without table:);
//   - type:jsonb, a type name only PostgreSQL knows but SQLite accepts;
//   - structs without bun.BaseModel that the package lists in Models.
const patternModels = `package models

import (
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

type Entity struct {
	ID        uuid.UUID ` + "`bun:\"type:uuid,pk\"`" + `
	CreatedAt time.Time ` + "`bun:\",nullzero,notnull,default:current_timestamp\"`" + `
}

type User struct {
	bun.BaseModel ` + "`bun:\"table:users,alias:u\"`" + `
	ID         int64       ` + "`json:\"id\" bun:\"id,pk,autoincrement\"`" + `
	Email      string      ` + "`json:\"email\" bun:\"email,unique\"`" + `
	Roles      []Role      ` + "`bun:\"m2m:user_to_roles,join:User=Role\"`" + `
	Membership *TeamMember ` + "`bun:\"rel:has-one,join:id=user_id\"`" + `
	Balance    *Balance    ` + "`bun:\"rel:has-one,join:id=id\"`" + `
}

type Role struct {
	bun.BaseModel ` + "`bun:\"table:roles\"`" + `
	ID   int64  ` + "`bun:\",pk,autoincrement\"`" + `
	Name string ` + "`bun:\",notnull\"`" + `
}

type UserToRole struct {
	UserID int64 ` + "`bun:\",pk\"`" + `
	User   *User ` + "`bun:\"rel:belongs-to,join:user_id=id\"`" + `
	RoleID int64 ` + "`bun:\",pk\"`" + `
	Role   *Role ` + "`bun:\"rel:belongs-to,join:role_id=id\"`" + `
}

type TeamMember struct {
	bun.BaseModel ` + "`bun:\"table:team_members\"`" + `
	UserID int64  ` + "`bun:\",pk\"`" + `
	Team   string ` + "`bun:\",notnull\"`" + `
}

type Balance struct {
	bun.BaseModel ` + "`bun:\"table:balances\"`" + `
	ID     int64 ` + "`bun:\",pk\"`" + `
	Amount int64 ` + "`bun:\",notnull,default:0\" comment:\"in cents\"`" + `
}

type Machine struct {
	bun.BaseModel ` + "`bun:\"table:machines\"`" + `
	ID              int64      ` + "`bun:\",pk,autoincrement\"`" + `
	ParentMachineID int64      ` + "`bun:\",nullzero\"`" + `
	Parent          *Machine   ` + "`bun:\"rel:has-one,join:parent_machine_id=id\"`" + `
	Packages        []*Package ` + "`bun:\"rel:has-many,join:id=machine_id\"`" + `
}

type Package struct {
	bun.BaseModel ` + "`bun:\"table:packages\"`" + `
	ID        int64 ` + "`bun:\",pk,autoincrement\"`" + `
	MachineID int64
	Name      string
}

type Company struct {
	Entity
	bun.BaseModel ` + "`bun:\"table:companies\"`" + `
	Name     string   ` + "`bun:\",notnull\"`" + `
	Contacts []string ` + "`bun:\"contacts,type:jsonb\"`" + `
	Users    []User   ` + "`bun:\"m2m:company_to_users,join:Company=User\"`" + `
}

type CompanyToUser struct {
	CompanyID uuid.UUID ` + "`bun:\"type:uuid,pk\"`" + `
	Company   *Company  ` + "`bun:\"rel:belongs-to,join:company_id=id\"`" + `
	UserID    int64     ` + "`bun:\",pk\"`" + `
	User      *User     ` + "`bun:\"rel:belongs-to,join:user_id=id\"`" + `
}

type BinaryUUID [16]byte

type Item struct {
	bun.BaseModel ` + "`bun:\"items\"`" + `
	ID      BinaryUUID ` + "`bun:\",pk\"`" + `
	Payload any
	Ref     uuid.UUID
}

// City and Resources have no bun.BaseModel: Models lists them.
type City struct {
	ID        uuid.UUID  ` + "`bun:\",pk\"`" + `
	Name      string
	Resources *Resources ` + "`bun:\"rel:has-one,join:id=city_id\"`" + `
}

type Resources struct {
	CityID uuid.UUID ` + "`bun:\",pk\"`" + `
	Wood   float64
}

// Request is a plain struct: no table.
type Request struct{ Email string }

var Models = []any{(*City)(nil), (*Resources)(nil)}
`

const patternRows = `
INSERT INTO users (id, email) VALUES (1, 'ana@example.com'), (2, 'bo@example.com');
INSERT INTO roles (id, name) VALUES (1, 'admin');
INSERT INTO user_to_roles VALUES (1, 1), (2, 1);
INSERT INTO team_members VALUES (1, 'core');
INSERT INTO balances VALUES (1, 500);
INSERT INTO machines (id, parent_machine_id) VALUES (1, NULL), (2, 1);
INSERT INTO packages (machine_id, name) VALUES (2, 'sqlite');
INSERT INTO companies (id, name, contacts) VALUES (x'0102', 'Acme', '["a@acme.test"]');
INSERT INTO company_to_users VALUES (x'0102', 1);
INSERT INTO items (id, payload, ref) VALUES (x'00ff', 42, 'b7c1');
INSERT INTO cities (id, name) VALUES ('c1', 'Oslo');
INSERT INTO resources (city_id, wood) VALUES ('c1', 2.5);
`

// TestPublicAppPatterns: models written as public bun applications write
// them load, and the database holding rows upgrades, checks clean, takes a
// change to a listed model and a junction, goes down to base and up again.
// The foreign keys are bun's: the junctions', the self has-one's, none for
// has-one relations whose parent side holds the key.
func TestPublicAppPatterns(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": patternModels})
	a.write("go.mod", workload.GoMod+"\nrequire github.com/google/uuid v1.6.0\n")
	a.ok("init", "migrations")
	a.ok("revision", "-m", "patterns")
	a.ok("upgrade", "head")
	a.exec(patternRows)
	a.ok("check")

	fks := a.rows(`SELECT m.name, f."from", f."table", f."to" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1, 2`)
	want := []string{
		"company_to_users|company_id|companies|id",
		"company_to_users|user_id|users|id",
		"machines|parent_machine_id|machines|id",
		"user_to_roles|role_id|roles|id",
		"user_to_roles|user_id|users|id",
	}
	if !slices.Equal(fks, want) {
		t.Errorf("foreign keys:\n got %q\nwant %q", fks, want)
	}
	tables := a.rows(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY 1`)
	wantTables := []string{"alembic_version", "balances", "cities", "companies", "company_to_users", "items", "machines", "packages", "resources", "roles", "team_members", "user_to_roles", "users"}
	if !slices.Equal(tables, wantTables) {
		t.Errorf("tables:\n got %q\nwant %q", tables, wantTables)
	}
	if cols := a.rows(`SELECT name || ':' || type FROM pragma_table_info('items') ORDER BY cid`); !slices.Equal(cols, []string{"id:", "payload:", "ref:"}) {
		t.Errorf("items columns (no declared types): %q", cols)
	}

	// A change to a listed model and to a junction, on rows.
	changed := strings.Replace(patternModels, "\tName      string\n\tResources", "\tName      string\n\tCountry   string `bun:\",notnull,default:'NO'\"`\n\tResources", 1)
	changed = strings.Replace(changed, "\tRole   *Role `bun:\"rel:belongs-to,join:role_id=id\"`\n", "\tRole   *Role `bun:\"rel:belongs-to,join:role_id=id\"`\n\tSince  time.Time `bun:\",nullzero\"`\n", 1)
	if changed == patternModels || strings.Count(changed, "\n") != strings.Count(patternModels, "\n")+2 {
		t.Fatal("the model change did not apply")
	}
	a.write("models/models.go", changed)
	a.fails(1, "", "check")
	a.ok("revision", "-m", "country and since")
	a.ok("upgrade", "head")
	a.ok("check")
	if rows := a.rows(`SELECT name, country FROM cities`); !slices.Equal(rows, []string{"Oslo|NO"}) {
		t.Errorf("cities after the change: %q", rows)
	}
	if rows := a.rows(`SELECT count(*) FROM user_to_roles`); !slices.Equal(rows, []string{"2"}) {
		t.Errorf("user_to_roles after the change: %q", rows)
	}
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("check")
}

// TestModelsSQLiteRefuses: what public apps write that SQLite cannot run
// is one sentence naming the package, type and field, at generation, and
// nothing is written: a default only PostgreSQL understands, as apps write
// for uuid keys, and a has-one whose foreign key references a column that
// is neither primary key nor unique (SQLite would create the table and fail
// the upgrade's foreign key check).
func TestModelsSQLiteRefuses(t *testing.T) {
	tests := []struct{ name, models, want string }{
		{"default only PostgreSQL knows", `package models

import "github.com/uptrace/bun"

type User struct {
	bun.BaseModel ` + "`bun:\"table:users\"`" + `
	ID   string ` + "`bun:\"id,pk,type:uuid,default:gen_random_uuid()\"`" + `
	Name string ` + "`bun:\"name,notnull\"`" + `
}
`, `model example.com/app/models.User field ID: SQLite cannot create column "id" as bun writes it ("id" uuid DEFAULT gen_random_uuid()): near "(": syntax error; its default is one only another database understands`},
		{"foreign key to a column that is not unique", `package models

import "github.com/uptrace/bun"

type Job struct {
	bun.BaseModel ` + "`bun:\"table:jobs\"`" + `
	ID     int64   ` + "`bun:\",pk,autoincrement\"`" + `
	Code   string  ` + "`bun:\",notnull\"`" + `
	Result *Result ` + "`bun:\"rel:has-one,join:code=job_code\"`" + `
}

type Result struct {
	bun.BaseModel ` + "`bun:\"table:results\"`" + `
	ID      int64  ` + "`bun:\",pk,autoincrement\"`" + `
	JobCode string ` + "`bun:\",notnull\"`" + `
}
`, `model example.com/app/models.Job field Result: its foreign key (code) references results (job_code), which is neither the primary key nor UNIQUE there`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := relApp(t, map[string]string{"models/models.go": tt.models})
			tree := relTree(t, a.dir)
			for _, args := range [][]string{{"revision", "-m", "x"}, {"check"}, {"check", "--migrations"}} {
				e := a.fails(2, tt.want, args...)
				relOneSentence(t, e)
			}
			if d := relTreeDiff(tree, relTree(t, a.dir)); len(d) > 0 {
				t.Errorf("wrote %v", d)
			}
		})
	}
}
