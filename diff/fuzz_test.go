package diff

import (
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

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
		toks, err := schema.Tokenize(expr)
		if err != nil {
			return
		}
		for _, tok := range toks {
			// the new name must not already appear, or the way back is ambiguous
			if schema.EqualIdent(tok.Value, "zz_new") {
				return
			}
		}
		there := RenameIdents(expr, map[string]string{"nick": "zz_new"})
		if _, err := schema.Tokenize(there); err != nil {
			t.Fatalf("RenameIdents(%q) = %q, which does not tokenize: %v", expr, there, err)
		}
		back := RenameIdents(there, map[string]string{"zz_new": "nick"})
		if schema.NormalizeExpr(back) != schema.NormalizeExpr(RenameIdents(expr, map[string]string{"nick": "nick"})) {
			t.Fatalf("round trip of %q gave %q", expr, back)
		}
	})
}
