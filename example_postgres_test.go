package autogen_test

import (
	"context"
	"fmt"
	"os"

	"github.com/uptrace/bun"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/postgres"
)

// On PostgreSQL the models are read with bun's pgdialect and compared
// with a live database; the plan's SQL is native ALTER TABLE, checked on a
// scratch schema that is rolled back. (Compiled, not run: it needs a
// server.)
func ExampleLoadPostgresModels() {
	ctx := context.Background()
	models, err := autogen.LoadPostgresModels(ctx, ".", []string{"./models"}, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	db, err := postgres.Open(ctx, "host=/run/postgresql dbname=app")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()
	cmp, err := autogen.Compare(ctx, models, db, autogen.Options{Name: "app"})
	if err != nil {
		fmt.Println(err)
		return
	}
	plan, err := cmp.Plan(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(plan.Up())
}

// A test in the application's module checks the models against its
// embedded PostgreSQL revisions, replayed on a scratch database of a
// test server (made and dropped by the call). (Compiled, not run: it needs
// a server.)
func ExampleCheckMigrationsPostgres() {
	ctx := context.Background()
	type Team struct {
		bun.BaseModel `bun:"table:teams"`
		ID            int64  `bun:"id,pk,autoincrement"`
		Name          string `bun:"name,notnull"`
	}
	scripts := os.DirFS("migrations_pg") // or an embed.FS sub-tree holding versions/
	diffs, err := autogen.CheckMigrationsPostgres(ctx, "postgresql://postgres@localhost/postgres", scripts, (*Team)(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range diffs {
		fmt.Println("no revision for:", d)
	}
}
