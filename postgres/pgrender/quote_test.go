package pgrender

import "testing"

func TestIdent(t *testing.T) {
	for name, want := range map[string]string{
		"teams":       "teams",
		"team_2":      "team_2",
		"Teams":       `"Teams"`,
		"2teams":      `"2teams"`,
		"user":        `"user"`,
		"order":       `"order"`,
		"a b":         `"a b"`,
		`x"; DROP --`: `"x""; DROP --"`,
		"":            `""`,
		"é":           `"é"`,
		"line\nbreak": "\"line\nbreak\"",
		"with$dollar": `"with$dollar"`,
		"values":      `"values"`,
		"name":        "name",
	} {
		if got := ident(name); got != want {
			t.Errorf("ident(%q) = %s, want %s", name, got, want)
		}
	}
}
