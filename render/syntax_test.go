package render

import (
	"testing"

	"github.com/autogen-dev/autogen/internal/sqlitetest"
)

// TestAlterSyntax pins the ALTER TABLE forms render emits to the bundled
// SQLite: each must work on a table holding rows, and SET NOT NULL must
// refuse a column holding NULL (render fills it first).
func TestAlterSyntax(t *testing.T) {
	d := sqlitetest.New(t, `CREATE TABLE "m" ("id" INTEGER NOT NULL, "name" VARCHAR, "n" INTEGER, PRIMARY KEY ("id"));
INSERT INTO m VALUES (1, 'a', 1), (2, NULL, 2);`)
	if v := d.Strings("SELECT sqlite_version() >= '3.53'"); v[0] != "1" {
		t.Fatalf("SQLite %v is older than 3.53", d.Strings("SELECT sqlite_version()"))
	}
	if err := d.TryScript(`ALTER TABLE "m" ALTER COLUMN "name" SET NOT NULL`); err == nil {
		t.Error("SET NOT NULL accepted a column holding NULL")
	}
	for _, s := range []string{
		`UPDATE "m" SET "name" = 'x' WHERE "name" IS NULL`,
		`ALTER TABLE "m" ALTER COLUMN "name" SET NOT NULL`,
		`ALTER TABLE "m" ALTER COLUMN "name" DROP NOT NULL`,
		`ALTER TABLE "m" ADD CONSTRAINT "ck" CHECK (n > 0)`,
		`ALTER TABLE "m" ADD CHECK (n < 10)`,
		`ALTER TABLE "m" DROP CONSTRAINT "ck"`,
		`ALTER TABLE "m" ADD COLUMN "age" INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE "m" DROP COLUMN "age"`,
	} {
		if err := d.TryScript(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	want := `table m m: CREATE TABLE "m" ("id" INTEGER NOT NULL, "name" VARCHAR, "n" INTEGER, PRIMARY KEY ("id"), CHECK (n < 10))`
	if got := d.Master(); len(got) != 1 || got[0] != want {
		t.Errorf("sqlite_master holds %q, want %q", got, want)
	}
	if err := d.TryScript(`ALTER TABLE "m" ADD CHECK (n > 1)`); err == nil {
		t.Error("ADD CHECK accepted a constraint a row breaks")
	}
}
