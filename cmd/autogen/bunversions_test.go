package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

// downloadModules makes sure the module cache holds what the module in
// dir needs: CI fetches it in .ci/run; elsewhere the test fetches it
// through the GOPROXY the tests were started with.
func downloadModules(t *testing.T, dir string) {
	t.Helper()
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	if cmd.Run() == nil {
		return
	}
	cmd = exec.Command("go", "mod", "download")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY="+userGoProxy)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod download in %s (GOPROXY=%s): %v\n%s", dir, userGoProxy, err, out)
	}
}

// versionModels use what bun v1.1 to v1.3 share, in Go 1.17 syntax: an m2m
// declared on one side whose junction has no bun.BaseModel, a
// self-reference, an embed: prefix, a column with no SQL type, a default,
// and an index made in a hook.
const versionModels = `package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

type Team struct {
	bun.BaseModel ` + "`bun:\"table:teams,alias:t\"`" + `
	ID      int64     ` + "`bun:\",pk,autoincrement\"`" + `
	Name    string    ` + "`bun:\",notnull,unique\"`" + `
	Members []*Member ` + "`bun:\"m2m:memberships,join:Team=Member\"`" + `
}

type Address struct {
	Street string
	City   string
}

type Member struct {
	bun.BaseModel ` + "`bun:\"table:members\"`" + `
	ID        int64     ` + "`bun:\",pk,autoincrement\"`" + `
	Email     string    ` + "`bun:\",notnull\"`" + `
	ManagerID int64
	Manager   *Member   ` + "`bun:\"rel:belongs-to,join:manager_id=id\"`" + `
	Address   Address   ` + "`bun:\"embed:addr_\"`" + `
	Token     [16]byte
	CreatedAt time.Time ` + "`bun:\",nullzero,notnull,default:current_timestamp\"`" + `
}

func (*Member) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	_, err := q.DB().NewCreateIndex().Model((*Member)(nil)).Index("members_email_idx").Column("email").Exec(ctx)
	return err
}

// Membership is the junction; it has no bun.BaseModel.
type Membership struct {
	TeamID   int64   ` + "`bun:\",pk\"`" + `
	Team     *Team   ` + "`bun:\"rel:belongs-to,join:team_id=id\"`" + `
	MemberID int64   ` + "`bun:\",pk\"`" + `
	Member   *Member ` + "`bun:\"rel:belongs-to,join:member_id=id\"`" + `
}
`

// versionOracle is a program built in the test module against its bun: it
// prints what a bun application writes, registering its junction first and
// then creating the tables in the application's order, with the index its
// hook makes. It formats the queries rather than running them, with the
// Formatter API of bun v1.1 and v1.2.
const versionOracle = `package main

import (
	"encoding/json"
	"os"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"

	"example.com/app/models"
)

func main() {
	db := bun.NewDB(nil, sqlitedialect.New())
	db.RegisterModel((*models.Membership)(nil))
	var out []string
	for _, m := range []interface{}{(*models.Team)(nil), (*models.Member)(nil), (*models.Membership)(nil)} {
		b, err := db.NewCreateTable().Model(m).WithForeignKeys().AppendQuery(db.Formatter(), nil)
		if err != nil {
			panic(err)
		}
		out = append(out, string(b))
	}
	b, err := db.NewCreateIndex().Model((*models.Member)(nil)).Index("members_email_idx").Column("email").AppendQuery(db.Formatter(), nil)
	if err != nil {
		panic(err)
	}
	out = append(out, string(b))
	json.NewEncoder(os.Stdout).Encode(out)
}
`

// TestBunVersions: models on bun v1.1.4 (the oldest release apps pin, before
// Relation.References), v1.1.17 and v1.2.15 load through the built binary
// and give exactly what the application's own bun writes; the database,
// holding rows, upgrades, checks clean, goes down to base and up again, and
// takes a later change. v1.3 is what every other test runs.
func TestBunVersions(t *testing.T) {
	for _, v := range []string{"v1.1.4", "v1.1.17", "v1.2.15"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			mod := filepath.Join("testdata", "bun", v)
			downloadModules(t, mod)
			a := newApp(t, map[string]string{"models/models.go": versionModels, "oracle/main.go": versionOracle})
			a.write("go.mod", readFile(t, filepath.Join(mod, "go.mod")))
			a.write("go.sum", readFile(t, filepath.Join(mod, "go.sum")))
			a.ok("init", "migrations")
			a.ok("revision", "-m", "first")
			a.ok("upgrade", "head")
			a.exec(`INSERT INTO teams (id, name) VALUES (1, 'core');
INSERT INTO members (id, email, manager_id, addr_street, addr_city, token) VALUES (1, 'ana@example.com', NULL, 'Main St', 'Oslo', x'00112233445566778899aabbccddeeff'), (2, 'bo@example.com', 1, '', '', NULL);
INSERT INTO memberships (team_id, member_id) VALUES (1, 1), (1, 2);`)
			a.ok("check")

			// What the application's bun writes, applied to an empty
			// database, equals what the revision made.
			cmd := exec.Command("go", "run", "./oracle")
			cmd.Dir = a.dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go run ./oracle: %v", err)
			}
			var stmts []string
			if err := json.Unmarshal(out, &stmts); err != nil {
				t.Fatalf("oracle output %q: %v", out, err)
			}
			for _, fk := range []string{`FOREIGN KEY ("team_id") REFERENCES "teams" ("id")`, `FOREIGN KEY ("member_id") REFERENCES "members" ("id")`} {
				if !strings.Contains(stmts[2], fk) {
					t.Errorf("bun %s writes no %s for the junction: %s", v, fk, stmts[2])
				}
			}
			want, err := schema.FromDDL(context.Background(), stmts)
			if err != nil {
				t.Fatal(err)
			}
			db := a.db()
			got, err := schema.Inspect(context.Background(), db, "alembic_version")
			if err != nil {
				t.Fatal(err)
			}
			if !schema.Equal(got, want) {
				t.Errorf("the database after upgrade:\n%s\nbun %s writes:\n%s", got, v, want)
			}
			db.Close()

			a.ok("downgrade", "base")
			a.ok("upgrade", "head")
			a.exec(`INSERT INTO teams (id, name) VALUES (1, 'core'); INSERT INTO members (id, email) VALUES (1, 'ana@example.com'); INSERT INTO memberships VALUES (1, 1);`)
			// A later change: the junction gains a column.
			a.write("models/models.go", strings.Replace(versionModels, "\tMember   *Member `bun:\"rel:belongs-to,join:member_id=id\"`\n", "\tMember   *Member `bun:\"rel:belongs-to,join:member_id=id\"`\n\tRole     string `bun:\",notnull,default:'member'\"`\n", 1))
			a.ok("revision", "-m", "role")
			a.ok("upgrade", "head")
			a.ok("check")
			if rows := a.rows(`SELECT team_id, member_id, role FROM memberships`); strings.Join(rows, ",") != "1|1|member" {
				t.Errorf("memberships after the change: %v", rows)
			}
		})
	}
}
