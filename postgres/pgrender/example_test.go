package pgrender_test

import (
	"fmt"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/postgres/pgrender"
	"github.com/autogen-dev/autogen/schema"
)

// A column the models gained becomes ALTER TABLE ... ADD COLUMN, undone by
// DROP COLUMN, each with its lock note.
func ExampleRender() {
	id := &schema.Column{Name: "id", Type: "bigint", NotNull: true}
	current := &schema.Schema{Tables: []*schema.Table{{Name: "members", Columns: []*schema.Column{id}}}}
	age := &schema.Column{Name: "age", Type: "integer", Default: "0", NotNull: true}
	target := &schema.Schema{Tables: []*schema.Table{{Name: "members", Columns: []*schema.Column{id, age}}}}
	ops, err := diff.Compare(current, target, diff.Options{})
	if err != nil {
		panic(err)
	}
	res, err := pgrender.Render(ops, current, target)
	if err != nil {
		panic(err)
	}
	fmt.Print(res.Up, "--\n", res.Down)
	// Output:
	// -- lock: ACCESS EXCLUSIVE on members, brief: no rewrite unless the default is volatile (such as random())
	// ALTER TABLE members ADD COLUMN age integer DEFAULT 0 NOT NULL;
	// --
	// -- lock: ACCESS EXCLUSIVE on members, brief (no scan, no rewrite)
	// ALTER TABLE members DROP COLUMN age;
}
