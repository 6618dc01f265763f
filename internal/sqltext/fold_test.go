package sqltext

import "testing"

// SQLite folds ASCII letters only; Go's Unicode folding (ſ is s, the Kelvin
// sign is k, É is é) must not make two different words one.
func TestASCIIFolding(t *testing.T) {
	const kelvin = "\u212A"
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"CASE", "case", true}, {"CASE", "caſe", false}, {"KEY", kelvin + "EY", false},
		{"É", "é", false}, {"Members", "mEMBERS", true},
	} {
		if got := EqualIdent(c.a, c.b); got != c.same {
			t.Errorf("EqualIdent(%q, %q) = %t", c.a, c.b, got)
		}
		if got := FoldIdent(c.a) == FoldIdent(c.b); got != c.same {
			t.Errorf("FoldIdent(%q) == FoldIdent(%q) is %t", c.a, c.b, got)
		}
	}
	for _, w := range []string{"ſelect", "caſe", kelvin + "ey", "ınteger"} {
		if IsKeyword(w) {
			t.Errorf("IsKeyword(%q) is true; SQLite reads it as a name", w)
		}
	}
}
