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

// A value added to an enum type in the middle becomes ALTER TYPE ... ADD
// VALUE ... AFTER; the downgrade makes the type anew without it, converting
// the column that uses it.
func ExampleRender_enum() {
	mood := &schema.Column{Name: "mood", Type: "mood", Default: "'sad'::mood"}
	table := []*schema.Table{{Name: "people", Columns: []*schema.Column{mood}}}
	current := &schema.Schema{Tables: table, Enums: []*schema.Enum{{Name: "mood", Values: []string{"happy", "sad"}}}}
	target := &schema.Schema{Tables: table, Enums: []*schema.Enum{{Name: "mood", Values: []string{"happy", "meh", "sad"}}}}
	ops, err := diff.Compare(current, target, diff.Options{})
	if err != nil {
		panic(err)
	}
	res, err := pgrender.Render(ops, current, target)
	if err != nil {
		panic(err)
	}
	fmt.Print(ops[0].Describe(), "\n--\n", res.Up, "--\n", res.Down)
	// Output:
	// added value 'meh' to enum type 'mood'
	// --
	// -- lock: brief, on type mood only (no table is locked or scanned); the new value can be used once the revision has committed; needs PostgreSQL 12 or later inside a transaction
	// ALTER TYPE mood ADD VALUE 'meh' AFTER 'happy';
	// --
	// -- DESTRUCTIVE: enum type mood loses 'meh'; the statements below fail while a row holds one
	// -- lock: brief, on type mood only
	// ALTER TYPE mood RENAME TO autogen_enum_old;
	// -- lock: none on any table (a new type)
	// CREATE TYPE mood AS ENUM ('happy', 'sad');
	// -- lock: ACCESS EXCLUSIVE on people; rewrites the table and its indexes (each value converted through text)
	// ALTER TABLE people ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE mood USING mood::text::mood, ALTER COLUMN mood SET DEFAULT 'sad'::mood;
	// -- lock: brief, on the old type only (no column uses it any more)
	// DROP TYPE autogen_enum_old;
}
