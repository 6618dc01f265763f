package sqltext_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
	"github.com/autogen-dev/autogen/schema"
)

// seeds is the CREATE TABLE statements of testdata/ddl/seeds.sql at the
// module root, shared with package schema's fuzz tests.
func seeds(f *testing.F) []string {
	f.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ddl", "seeds.sql"))
	if err != nil {
		f.Fatal(err)
	}
	stmts, err := sqltext.SplitStatements(string(data))
	if err != nil {
		f.Fatal(err)
	}
	return stmts
}

func FuzzTokenize(f *testing.F) {
	for _, s := range append(seeds(f), `x'0A' ?1 :a @b $c #d ->> || 0x1F 1_000 .5e-3 /* open`) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		toks, err := sqltext.Tokenize(in)
		if err != nil {
			return
		}
		end := 0
		for _, tok := range toks {
			if tok.Offset < end || tok.Text == "" || in[tok.Offset:tok.Offset+len(tok.Text)] != tok.Text {
				t.Fatalf("token %+v does not follow offset %d in %q", tok, end, in)
			}
			if sqltext.TrimSpace(in[end:tok.Offset]) != "" {
				t.Fatalf("text %q before token %+v was skipped", in[end:tok.Offset], tok)
			}
			end = tok.Offset + len(tok.Text)
		}
		if sqltext.TrimSpace(in[end:]) != "" {
			t.Fatalf("trailing text %q was skipped", in[end:])
		}
		// Re-tokenizing the canonical form must work: it is built from tokens.
		if _, err := sqltext.Tokenize(schema.NormalizeExpr(in)); err != nil {
			t.Fatalf("NormalizeExpr(%q) = %q does not tokenize: %v", in, schema.NormalizeExpr(in), err)
		}
	})
}

func FuzzSplitStatements(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s + ";\n-- x\n" + s)
	}
	f.Add("CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 2 END; END; SELECT ';'")
	f.Fuzz(func(t *testing.T, in string) {
		stmts, err := sqltext.SplitStatements(in)
		if err != nil {
			return
		}
		at := 0
		for _, s := range stmts {
			i := strings.Index(in[at:], s)
			if s == "" || s != sqltext.TrimSpace(s) || i < 0 {
				t.Fatalf("statement %q is empty, untrimmed or not in order in %q", s, in)
			}
			at += i + len(s)
			again, err := sqltext.SplitStatements(s)
			if err != nil || !reflect.DeepEqual(again, []string{s}) {
				t.Fatalf("statement %q splits again into %q (%v)", s, again, err)
			}
		}
	})
}

// FuzzRenameIdents checks that renaming a column in an expression and
// renaming it back gives an expression that normalises to the original.
func FuzzRenameIdents(f *testing.F) {
	for _, s := range []string{
		`nick <> ''`,
		`"nick" || 'nick' || [nick] || nick_name`,
		`upper(Nick) COLLATE NOCASE`,
		`CASE WHEN nick IS NULL THEN x'00' ELSE -1.5e3 END`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		toks, err := sqltext.Tokenize(expr)
		if err != nil {
			return
		}
		for _, tok := range toks {
			// the new name must not already appear, or the way back is ambiguous
			if sqltext.EqualIdent(tok.Value, "zz_new") {
				return
			}
		}
		there := sqltext.RenameIdents(expr, map[string]string{"nick": "zz_new"})
		if _, err := sqltext.Tokenize(there); err != nil {
			t.Fatalf("RenameIdents(%q) = %q, which does not tokenize: %v", expr, there, err)
		}
		back := sqltext.RenameIdents(there, map[string]string{"zz_new": "nick"})
		if schema.NormalizeExpr(back) != schema.NormalizeExpr(sqltext.RenameIdents(expr, map[string]string{"nick": "nick"})) {
			t.Fatalf("round trip of %q gave %q", expr, back)
		}
	})
}
