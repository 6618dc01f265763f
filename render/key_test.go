package render

import (
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/schema"
)

func TestKeyChange(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           string // a part of the sentence; "" for none
	}{
		{"type", `CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, a TEXT)`, `CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, a TEXT)`,
			"t.id is no longer an alias of the rowid (BIGINT PRIMARY KEY, not INTEGER PRIMARY KEY) and loses AUTOINCREMENT: an INSERT that omits id no longer gets a new key, it fails (NOT NULL constraint failed)"},
		{"nullable", `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)`, `CREATE TABLE t (id TEXT PRIMARY KEY, a TEXT)`, "it stores NULL in it"},
		{"without rowid", `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)`, `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT) WITHOUT ROWID`, "(the table is WITHOUT ROWID)"},
		{"autoincrement only", `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)`, `CREATE TABLE t (id INTEGER PRIMARY KEY)`, "t.id loses AUTOINCREMENT: an INSERT that omits it gets one more than the largest key"},
		{"autoincrement added", `CREATE TABLE t (id INTEGER PRIMARY KEY)`, `CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)`, "t.id gains AUTOINCREMENT"},
		{"alias gained", `CREATE TABLE t (id BIGINT PRIMARY KEY)`, `CREATE TABLE t (id integer PRIMARY KEY)`, "t.id becomes an alias of the rowid"},
		{"type case only", `CREATE TABLE t (id INTEGER PRIMARY KEY)`, `CREATE TABLE t (id integer PRIMARY KEY)`, ""},
		{"no alias either side", `CREATE TABLE t (id BIGINT PRIMARY KEY)`, `CREATE TABLE t (id TEXT PRIMARY KEY)`, ""},
		{"key column dropped", `CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT)`, `CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b))`, ""},
		{"key column added", `CREATE TABLE t (a INT, b INT, PRIMARY KEY (a, b))`, `CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT)`, ""},
		{"other column changes", `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)`, `CREATE TABLE t (id INTEGER PRIMARY KEY, a INT)`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, err := schema.ParseCreateTable(tt.from)
			if err != nil {
				t.Fatal(err)
			}
			to, err := schema.ParseCreateTable(tt.to)
			if err != nil {
				t.Fatal(err)
			}
			got := KeyChange(from, to)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("KeyChange = %q, want one holding %q", got, tt.want)
			}
		})
	}
}
