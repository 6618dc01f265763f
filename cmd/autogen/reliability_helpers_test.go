package main

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// relApp is a user's module with `autogen init migrations` run in it.
func relApp(t testing.TB, files map[string]string) *app {
	t.Helper()
	a := newApp(t, files)
	a.ok("init", "migrations")
	return a
}

// relTree maps every file below dir (slash-separated relative path) to a hash
// of its mode and content: two equal trees mean nothing was written.
func relTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[filepath.ToSlash(rel)+"/"] = info.Mode().String()
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[filepath.ToSlash(rel)] = info.Mode().String() + " " + hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// relTreeDiff lists the paths added, removed or changed between two trees.
func relTreeDiff(before, after map[string]string) []string {
	var out []string
	for p, h := range after {
		if b, ok := before[p]; !ok {
			out = append(out, "added "+p)
		} else if b != h {
			out = append(out, "changed "+p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, "removed "+p)
		}
	}
	sort.Strings(out)
	return out
}

// relFingerprint checks PRAGMA integrity_check and sums up the database:
// its sqlite_master, and for every table its row count and a SHA-256 of all
// its rows in a fixed order. Two equal fingerprints mean the same schema,
// the same version rows and the same data.
func relFingerprint(t testing.TB, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("%s: PRAGMA integrity_check = %q, %v", path, check, err)
	}
	master := queryStrings(t, db, "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	var b strings.Builder
	for _, m := range master {
		b.WriteString(m + "\n")
	}
	for _, m := range master {
		f := strings.SplitN(m, "|", 4)
		if f[0] != "table" || strings.HasPrefix(f[1], "sqlite_") {
			continue
		}
		b.WriteString(relTableSum(t, db, f[1]) + "\n")
		if f[1] == "alembic_version" {
			v := queryStrings(t, db, "SELECT version_num FROM alembic_version ORDER BY 1")
			b.WriteString("versions: " + strings.Join(v, ", ") + "\n")
		}
	}
	return b.String()
}

// relTableSum is a table's row count and the hash of its rows ordered by
// every column.
func relTableSum(t testing.TB, db *sql.DB, table string) string {
	t.Helper()
	q := `"` + strings.ReplaceAll(table, `"`, `""`) + `"`
	var ncol int
	if err := db.QueryRow("SELECT count(*) FROM pragma_table_info(?)", table).Scan(&ncol); err != nil {
		t.Fatal(err)
	}
	order := make([]string, ncol)
	for i := range order {
		order[i] = fmt.Sprint(i + 1)
	}
	rows, err := db.Query("SELECT * FROM " + q + " ORDER BY " + strings.Join(order, ", "))
	if err != nil {
		t.Fatalf("reading table %s: %v", table, err)
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	vals := make([]any, ncol)
	ptrs := make([]any, ncol)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%T:%v\x00", v, v)
		}
		h.Write([]byte{'\n'})
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("reading table %s: %v", table, err)
	}
	return fmt.Sprintf("table %s: %d rows, sha256 %x", table, n, h.Sum(nil))
}

// relCopy copies a file.
func relCopy(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// relOneSentence checks that stderr, apart from the runner's INFO log lines,
// is exactly one "FAILED: ..." line.
func relOneSentence(t testing.TB, stderr string) {
	t.Helper()
	var other []string
	for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if !strings.HasPrefix(l, "INFO ") {
			other = append(other, l)
		}
	}
	if len(other) != 1 || !strings.HasPrefix(other[0], "FAILED: ") || !strings.HasSuffix(other[0], ".") {
		t.Errorf("stderr is not one FAILED sentence:\n%s", stderr)
	}
}
