package sqltext

import (
	"database/sql"
	"testing"

	_ "modernc.org/sqlite"
)

// TypeAffinity must read a declared type as SQLite does (section 3.1 of its
// datatype page), which folds ASCII letters only: "ınt" with a dotless i
// upper-cases to "INT" in Go but has NUMERIC affinity in SQLite. SQLite is
// asked through CAST, whose result tells the five affinities apart.
func TestTypeAffinityAsSQLite(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, typ := range []string{
		"INTEGER", "bigint", "TINYINT", "VARCHAR(20)", "clob", "Text", "BLOB", "NONE",
		"REAL", "double precision", "FLOAT", "NUMERIC", "DECIMAL(10,2)", "BOOLEAN",
		"DATETIME", "POINT", "FLOATING POINT", "ınt", "ınteger", "ſtring", "chaR", "\u212Aint",
	} {
		var got string
		if err := db.QueryRow(`SELECT typeof(CAST('1.5' AS ` + typ + `)) || ' ' || typeof(CAST('2' AS ` + typ + `))`).Scan(&got); err != nil {
			t.Fatalf("CAST AS %q: %v", typ, err)
		}
		want := map[string]Affinity{
			"integer integer": AffinityInteger, "real real": AffinityReal, "real integer": AffinityNumeric,
			"text text": AffinityText, "blob blob": AffinityBlob,
		}[got]
		if a := TypeAffinity(typ); a != want {
			t.Errorf("TypeAffinity(%q) = %s; SQLite's CAST gives %q (%s)", typ, a, got, want)
		}
	}
}
