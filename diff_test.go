package autogen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/schema"
)

// TestDiffKinds checks that every operation type of package diff has its
// own kind and none falls through to "unknown". The list of types is read
// from diff's source (the types with the rank method that seals diff.Op),
// so a new operation fails this test until diffOf and the table know it.
func TestDiffKinds(t *testing.T) {
	tbl := &schema.Table{Name: "t"}
	strict := &schema.Table{Name: "t", Strict: true}
	col := &schema.Column{Name: "c", Type: "INTEGER"}
	col2 := &schema.Column{Name: "d", Type: "TEXT"}
	ix := &schema.Index{Name: "ix", Table: "t", Columns: []schema.IndexColumn{{Name: "c"}}}
	uq := &schema.Unique{Name: "uq", Columns: []string{"c"}}
	fk := &schema.ForeignKey{Name: "fk", Columns: []string{"c"}, RefTable: "p", RefColumns: []string{"id"}}
	ck := &schema.Check{Name: "ck", Expr: "c > 0"}
	view := &schema.View{Name: "v", SQL: "CREATE VIEW v AS SELECT 1"}
	trig := &schema.Trigger{Name: "tr", Table: "t", SQL: "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END"}
	mood := &schema.Enum{Name: "mood", Values: []string{"a"}}
	moreMood := &schema.Enum{Name: "mood", Values: []string{"a", "c"}}
	tests := []struct {
		op       diff.Op
		kind     string
		from, to string
	}{
		{&diff.CreateTable{New: tbl}, "create_table", "", ""},
		{&diff.DropTable{Old: tbl}, "drop_table", "", ""},
		{&diff.RenameTable{Old: &schema.Table{Name: "s"}, New: tbl}, "rename_table", "", ""},
		{&diff.AddColumn{TableName: "t", Column: col}, "add_column", "", ""},
		{&diff.DropColumn{TableName: "t", Column: col}, "drop_column", "", ""},
		{&diff.RenameColumn{TableName: "t", Old: col, New: col2}, "rename_column", "", ""},
		{&diff.AlterColumn{TableName: "t", Attr: diff.AttrType, Old: col, New: &schema.Column{Name: "c", Type: "TEXT"}}, "alter_column", "INTEGER", "TEXT"},
		{&diff.AddIndex{Index: ix}, "add_index", "", ""},
		{&diff.DropIndex{Index: ix}, "drop_index", "", ""},
		{&diff.AddUnique{TableName: "t", Unique: uq}, "add_unique", "", ""},
		{&diff.DropUnique{TableName: "t", Unique: uq}, "drop_unique", "", ""},
		{&diff.AddForeignKey{TableName: "t", ForeignKey: fk}, "add_foreign_key", "", ""},
		{&diff.DropForeignKey{TableName: "t", ForeignKey: fk}, "drop_foreign_key", "", ""},
		{&diff.AlterForeignKey{TableName: "t", Old: fk, New: fk}, "alter_foreign_key", "", ""},
		{&diff.AddCheck{TableName: "t", Check: ck}, "add_check", "", ""},
		{&diff.DropCheck{TableName: "t", Check: ck}, "drop_check", "", ""},
		{&diff.AlterPrimaryKey{TableName: "t", New: &schema.PrimaryKey{Columns: []string{"c"}}}, "alter_primary_key", "", ""},
		{&diff.AlterOptions{TableName: "t", Old: tbl, New: strict}, "alter_table_options", "", "STRICT"},
		{&diff.CreateView{View: view}, "create_view", "", ""},
		{&diff.DropView{View: view}, "drop_view", "", ""},
		{&diff.CreateTrigger{Trigger: trig}, "create_trigger", "", ""},
		{&diff.DropTrigger{Trigger: trig}, "drop_trigger", "", ""},
		{&diff.CreateEnum{Enum: mood}, "create_enum", "", ""},
		{&diff.DropEnum{Enum: mood}, "drop_enum", "", ""},
		{&diff.AddEnumValues{Old: mood, New: moreMood}, "add_enum_values", "", ""},
		{&diff.RenameEnumValue{Old: mood, New: mood, From: "a", To: "b"}, "rename_enum_value", "a", "b"},
		{&diff.ChangeEnumValues{Old: moreMood, New: mood}, "change_enum_values", "", ""},
	}
	listed := map[string]bool{}
	kinds := map[string]string{}
	for _, tt := range tests {
		name := strings.TrimPrefix(fmt.Sprintf("%T", tt.op), "*diff.")
		listed[name] = true
		j := diffOf(tt.op)
		if j.Kind != tt.kind {
			t.Errorf("%s: kind %q, want %q", name, j.Kind, tt.kind)
		}
		if other, ok := kinds[j.Kind]; ok {
			t.Errorf("%s and %s share kind %q", other, name, j.Kind)
		}
		kinds[j.Kind] = name
		if tt.from != "" || tt.to != "" {
			if j.From == nil || j.To == nil || *j.From != tt.from || *j.To != tt.to {
				t.Errorf("%s: from/to %v/%v, want %q/%q", name, j.From, j.To, tt.from, tt.to)
			}
		}
	}
	ops := diffOpTypes(t)
	if !slices.Equal(ops, slices.Sorted(maps.Keys(listed))) {
		t.Errorf("package diff's operation types are %v; this test lists %v", ops, slices.Sorted(maps.Keys(listed)))
	}
}

// diffOpTypes lists, sorted, the types of package diff's source (tests
// left out) that have a rank method: the implementations of the sealed
// diff.Op.
func diffOpTypes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("diff", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "rank" {
				continue
			}
			typ := fn.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			if id, ok := typ.(*ast.Ident); ok {
				out = append(out, id.Name)
			}
		}
	}
	if len(out) == 0 {
		t.Fatal("found no type with a rank method in diff")
	}
	slices.Sort(out)
	return out
}
