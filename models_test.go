package autogen

import (
	"strings"
	"testing"
)

// TestModelsCheckTables: a model may not use the version table, the
// rebuild's temporary prefix or SQLite's sqlite_ names, in any case.
func TestModelsCheckTables(t *testing.T) {
	tests := []struct {
		name    string
		tables  map[string]string
		version string
		want    string // "" for no error
	}{
		{"ordinary", map[string]string{"teams": "m.Team", "members": "m.Member"}, "alembic_version", ""},
		{"default version table", map[string]string{"alembic_version": "m.Ver"}, "alembic_version",
			`model m.Ver uses table "alembic_version", which is the version table (version_table in alembic.ini`},
		{"version table other case", map[string]string{"Alembic_Version": "m.Ver"}, "alembic_version",
			`model m.Ver uses table "Alembic_Version", which is the version table`},
		{"configured version table", map[string]string{"my_versions": "m.Ver"}, "my_versions",
			`model m.Ver uses table "my_versions", which is the version table`},
		{"alembic_version is free when another is configured", map[string]string{"alembic_version": "m.Ver"}, "my_versions", ""},
		{"rebuild prefix", map[string]string{"_autogen_new_teams": "m.T"}, "alembic_version",
			`model m.T uses table "_autogen_new_teams", but autogen keeps the prefix _autogen_new_`},
		{"rebuild prefix other case", map[string]string{"_AUTOGEN_NEW_x": "m.T"}, "alembic_version",
			`model m.T uses table "_AUTOGEN_NEW_x", but autogen keeps`},
		{"sqlite prefix", map[string]string{"SQLite_stat": "m.S"}, "alembic_version",
			`model m.S uses table "SQLite_stat", but SQLite reserves names starting with sqlite_`},
		{"no type known", map[string]string{"sqlite_x": ""}, "alembic_version", `a model uses table "sqlite_x"`},
		{"first by table name", map[string]string{"sqlite_b": "m.B", "alembic_version": "m.A"}, "alembic_version", `model m.A uses`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (&Models{Tables: tt.tables}).checkTables(tt.version)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
