package main

import (
	"strings"
	"testing"
)

// TestRenameOptionsConflicts: one column or table renamed twice on the
// command line is an error naming both hints; the same hint twice is one.
func TestRenameOptionsConflicts(t *testing.T) {
	tests := []struct {
		name         string
		cols, tables []string
		want         string // "" for no error
	}{
		{name: "column twice", cols: []string{"members.name=x", "members.name=y"},
			want: "--rename members.name=x and --rename members.name=y both rename column members.name; give one"},
		{name: "table twice", tables: []string{"teams=squads", "teams=crews"},
			want: "--rename-table teams=squads and --rename-table teams=crews both rename table teams; give one"},
		{name: "same column hint repeated", cols: []string{"members.name=x", "members.name=x"}},
		{name: "same table hint repeated", tables: []string{"teams=squads", "teams=squads"}},
		{name: "two columns", cols: []string{"members.name=x", "members.age=y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := renameOptions(tt.cols, tt.tables)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
