package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/autogen-dev/autogen/render"
)

// checkModelTables refuses a model whose table autogen or SQLite keeps for
// itself: the version table, the rebuild's temporary tables and SQLite's
// sqlite_ names. Tables maps each table to its model type.
func checkModelTables(tables map[string]string, versionTable string) error {
	names := make([]string, 0, len(tables))
	for t := range tables {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, t := range names {
		model := "model " + tables[t]
		if tables[t] == "" {
			model = "a model"
		}
		switch {
		case strings.EqualFold(t, versionTable):
			return fmt.Errorf("%s uses table %q, which is the version table (version_table in alembic.ini, %q by default) where autogen records the applied revisions; give the model another table: tag or set version_table to another name", model, t, "alembic_version")
		case hasPrefixFold(t, render.TempPrefix):
			return fmt.Errorf("%s uses table %q, but autogen keeps the prefix %s for the temporary tables of its table rebuilds; give the model another table: tag", model, t, render.TempPrefix)
		case hasPrefixFold(t, "sqlite_"):
			return fmt.Errorf("%s uses table %q, but SQLite reserves names starting with sqlite_ for itself; give the model another table: tag", model, t)
		}
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
