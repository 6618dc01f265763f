package loader

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite"

	"github.com/autogen-dev/autogen/bench/workload"
	"github.com/autogen-dev/autogen/loader/bunddl"
	"github.com/autogen-dev/autogen/loader/internal/buntest"
)

// testGoMod is the go.mod of the temporary modules: a bun-on-SQLite
// application's, which also requires uuid for the model that lacks a type.
const testGoMod = workload.GoMod + "\nrequire github.com/google/uuid v1.6.0\n"

// newModule writes a Go module with files (path -> content) into a fresh
// temporary folder and returns that folder. The go command may not reach
// the network: everything comes from the module cache.
func newModule(t testing.TB, files map[string]string) string {
	t.Helper()
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "")
	dir := t.TempDir()
	sum, err := os.ReadFile(filepath.Join("..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{"go.mod": testGoMod, "go.sum": string(sum)}
	for k, v := range files {
		all[k] = v
	}
	for name, content := range all {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return dir
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testModelFiles returns the sources of package testmodels, to be placed in
// a temporary module under models/.
func testModelFiles(t testing.TB) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("internal", "testmodels", "*.go"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test model sources: %v", err)
	}
	files := map[string]string{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files["models/"+filepath.Base(p)] = string(data)
	}
	return files
}

// bunDDL creates each model's table with bun on a real SQLite database and
// returns the statements bun ran for each table (hooks included), keyed by
// table name, and the database.
func bunDDL(t testing.TB, junctions []any, models ...any) (map[string][]string, *sql.DB) {
	t.Helper()
	byType, db := buntest.Create(t, junctions, models...)
	byTable := map[string][]string{}
	for typ, stmts := range byType {
		byTable[bunddl.TableName(sqlitedialect.New(), typ)] = stmts
	}
	return byTable, db
}

// groups splits loader statements into per-table groups: each group starts
// at a CREATE TABLE statement. It returns the table order and the groups.
func groups(t testing.TB, stmts []string) ([]string, map[string][]string) {
	t.Helper()
	var order []string
	out := map[string][]string{}
	for _, s := range stmts {
		if rest, ok := strings.CutPrefix(s, "CREATE TABLE "); ok {
			name := strings.Trim(strings.Fields(rest)[0], `"`)
			order = append(order, name)
		}
		if len(order) == 0 {
			t.Fatalf("statement before any CREATE TABLE: %s", s)
		}
		cur := order[len(order)-1]
		out[cur] = append(out[cur], s)
	}
	return order, out
}

// masterRows returns sqlite_master's rows as "type name tbl_name sql", sorted.
func masterRows(t testing.TB, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var typ, name, tbl, text string
		if err := rows.Scan(&typ, &name, &tbl, &text); err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Join([]string{typ, name, tbl, text}, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// execAll runs stmts into a fresh in-memory SQLite database.
func execAll(t testing.TB, stmts []string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("executing %q: %v", s, err)
		}
	}
	return db
}

// treeHash hashes every file under dir (paths and contents), so a test can
// tell that a load left the user's module exactly as it was.
func treeHash(t testing.TB, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		h.Write([]byte(rel + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func fileHash(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func reflectElem(m any) reflect.Type { return reflect.TypeOf(m).Elem() }
