package autogen_test

import (
	"context"
	"fmt"

	"github.com/autogen-dev/autogen"
	"github.com/autogen-dev/autogen/migrations"
	"github.com/autogen-dev/autogen/models"
)

// A test in the application's module checks that its revisions build what
// its models say; models.Team and models.Member are the example app's, and
// migrations.Scripts() its revisions, embedded. No go command and no
// autogen binary are involved.
func ExampleCheckMigrations() {
	diffs, err := autogen.CheckMigrations(context.Background(), migrations.Scripts(), (*models.Team)(nil), (*models.Member)(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range diffs {
		fmt.Println("no revision for:", d) // in a test: t.Errorf
	}
	fmt.Println(len(diffs), "differences")
	// Output: 0 differences
}

// Leaving a model out shows what a difference looks like: the revisions
// create a table the models no longer have.
func ExampleCheckMigrations_difference() {
	diffs, err := autogen.CheckMigrations(context.Background(), migrations.Scripts(), (*models.Team)(nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range diffs {
		fmt.Println(d)
	}
	// Output: removed table 'members'
}
