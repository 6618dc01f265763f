package autogen_test

import (
	"context"
	"fmt"

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
