package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// commentModels is a models package: table t with a column whose bun tag
// name is an injection through a comment (when withD), and table victims.
// The `\n` in the tags are Go escapes, which reflect's tag lookup turns
// into line feeds.
func commentModels(withD bool, extra string) string {
	d := ""
	if withD {
		d = "\tD    string `bun:\"d\\nDELETE FROM t;\\n--x\"`\n" +
			"\tE    string `bun:\"e\\r\\nDELETE FROM t;\\r\\n--y\\u2028DELETE FROM t;\"`\n"
	}
	return "package models\n\nimport \"github.com/uptrace/bun\"\n\n" +
		"type T struct {\n\tbun.BaseModel `bun:\"table:t\"`\n\n" +
		"\tID   int64  `bun:\"id,pk,autoincrement\"`\n" + d +
		"\tName string `bun:\"name\"`\n}\n\n" +
		"type Victim struct {\n\tbun.BaseModel `bun:\"table:victims\"`\n\n" +
		"\tID   int64  `bun:\"id,pk,autoincrement\"`\n" +
		"\tName string `bun:\"name\"`\n}\n" + extra
}

// TestCommentNameDroppedColumn is issue 11's first repro: a column whose
// name holds "\nDELETE FROM t;\n", once dropped from the model, gave a
// revision whose DESTRUCTIVE line ran as DELETE FROM t. The name is carried
// escaped in the comments, and the rows of t survive the upgrade and the
// downgrade. A second column's name holds CR LF and U+2028, which the
// revision file must carry exactly (CR LF is a line ending elsewhere).
func TestCommentNameDroppedColumn(t *testing.T) {
	a := relApp(t, map[string]string{"models/models.go": commentModels(true, "")})
	a.ok("revision", "-m", "with d")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO t (id, "d` + "\n" + `DELETE FROM t;` + "\n" + `--x", "e` + "\r\n" + `DELETE FROM t;` + "\r\n" + `--y` + "\u2028" + `DELETE FROM t;", name)
		VALUES (1, 'one', 'e1', 'ann'), (2, 'two', 'e2', 'bob');
		INSERT INTO victims (name) VALUES ('v1'), ('v2')`)

	a.write("models/models.go", commentModels(false, ""))
	_, e := a.ok("revision", "-m", "drop d")
	want := `Detected removed column 't.d\nDELETE FROM t;\n--x'`
	if !strings.Contains(e, want) {
		t.Errorf("revision's INFO line does not show the name escaped (%s):\n%s", want, e)
	}
	body := newestRevision(t, a)
	if !strings.Contains(body, `-- DESTRUCTIVE: drops column t.d\nDELETE FROM t;\n--x and its data`) {
		t.Errorf("the DESTRUCTIVE line does not carry the name escaped:\n%s", body)
	}
	assertCommentsStay(t, body)

	a.ok("upgrade", "head")
	if got := a.rows("SELECT id, name FROM t ORDER BY id"); !slices.Equal(got, []string{"1|ann", "2|bob"}) {
		t.Fatalf("t after upgrade: %q, want its two rows", got)
	}
	a.ok("downgrade", "-1")
	if got := a.rows("SELECT id, name FROM t ORDER BY id"); !slices.Equal(got, []string{"1|ann", "2|bob"}) {
		t.Fatalf("t after downgrade: %q, want its two rows", got)
	}
	if got := a.rows(`SELECT count(*) FROM pragma_table_info('t') WHERE name = 'e` + "\r\n" + `DELETE FROM t;` + "\r\n" + `--y` + "\u2028" + `DELETE FROM t;'`); !slices.Equal(got, []string{"1"}) {
		t.Fatalf("the downgrade did not bring back the column named with CR LF exactly: %q", got)
	}
	if got := a.rows("SELECT name FROM victims ORDER BY id"); !slices.Equal(got, []string{"v1", "v2"}) {
		t.Fatalf("victims: %q", got)
	}
}

// TestCommentNameDowngrade is issue 11's second repro: a table named
// "a\nDROP TABLE victims;\n--x" put DROP TABLE victims in the downgrade of
// the revision creating it.
func TestCommentNameDowngrade(t *testing.T) {
	a := relApp(t, map[string]string{"models/models.go": commentModels(false, "")})
	a.ok("revision", "-m", "first")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO victims (name) VALUES ('v1'), ('v2'); INSERT INTO t (name) VALUES ('ann')`)

	evil := "\ntype A struct {\n\tbun.BaseModel `bun:\"table:a\\nDROP TABLE victims;\\n--x\"`\n\n\tID int64 `bun:\"id,pk\"`\n}\n"
	a.write("models/models.go", commentModels(false, evil))
	a.ok("revision", "-m", "evil table")
	body := newestRevision(t, a)
	assertCommentsStay(t, body)
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO "a` + "\n" + `DROP TABLE victims;` + "\n" + `--x" (id) VALUES (7)`)
	a.ok("downgrade", "-1")
	if got := a.rows("SELECT name FROM victims ORDER BY id"); !slices.Equal(got, []string{"v1", "v2"}) {
		t.Fatalf("victims after the downgrade: %q, want its two rows", got)
	}
	if got := a.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"); !slices.Equal(got, []string{"alembic_version", "sqlite_sequence", "t", "victims"}) {
		t.Fatalf("tables after the downgrade: %q", got)
	}
	a.ok("upgrade", "head")
	if got := a.rows("SELECT count(*) FROM victims"); !slices.Equal(got, []string{"2"}) {
		t.Fatalf("victims after upgrading again: %q", got)
	}
}

// newestRevision is the body of the one revision file not yet applied.
func newestRevision(t *testing.T, a *app) string {
	t.Helper()
	files := a.versions()
	var newest string
	var mod int64
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.ModTime().UnixNano() >= mod {
			newest, mod = f, fi.ModTime().UnixNano()
		}
	}
	return readFile(t, newest)
}

// assertCommentsStay fails when a comment of a revision file (as SQLite's
// tokenizer reads it) holds anything an editor could end a line at, or
// when the file does not tokenize.
func assertCommentsStay(t *testing.T, body string) {
	t.Helper()
	toks, err := sqltext.Tokenize(body)
	if err != nil {
		t.Fatalf("the revision does not tokenize: %v\n%s", err, body)
	}
	for _, tok := range toks {
		if tok.Kind != sqltext.TokenComment {
			continue
		}
		if j := strings.IndexFunc(tok.Text, func(r rune) bool {
			return r != '\t' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029')
		}); j >= 0 {
			t.Errorf("the comment %q holds %q", tok.Text, tok.Text[j:])
		}
	}
}

// TestTerminalEscapes gives tables, columns, a revision file name and a
// hand-edited message control characters: nothing autogen prints holds
// one raw (issue 11, item 6).
func TestTerminalEscapes(t *testing.T) {
	models := "package models\n\nimport \"github.com/uptrace/bun\"\n\n" +
		"type T struct {\n\tbun.BaseModel `bun:\"table:t\\x1b[2J\"`\n\n" +
		"\tID   int64  `bun:\"id,pk\"`\n" +
		"\tName string `bun:\"na\\rme\\u2028x\\u202e\"`\n}\n"
	a := relApp(t, map[string]string{"models/models.go": models})
	var out []string
	run := func(code int, args ...string) {
		t.Helper()
		o, e, got := a.run(args...)
		if got != code {
			t.Fatalf("autogen %s: exit %d, want %d\n%s%s", strings.Join(args, " "), got, code, o, e)
		}
		out = append(out, "autogen "+strings.Join(args, " ")+"\n"+o+e)
	}
	run(1, "check")
	// Piped, --dry-run's SQL is the revision as it will be written (the
	// names raw inside their quotes); on a terminal it is shown escaped.
	if _, e, code := a.run("revision", "-m", "first", "--dry-run"); code != 0 {
		t.Fatalf("revision --dry-run: exit %d\n%s", code, e)
	} else {
		out = append(out, "autogen revision --dry-run (stderr)\n"+e)
	}
	tt := startTTY(t, a, "revision", "-m", "first", "--dry-run")
	<-tt.copied
	if err := tt.cmd.Wait(); err != nil {
		t.Fatalf("revision --dry-run on a terminal: %v\n%s", err, tt.out.String())
	}
	shown := strings.ReplaceAll(tt.out.String(), "\r\n", "\n")
	if !strings.Contains(shown, `CREATE TABLE "t\x1b[2J"`) {
		t.Errorf("revision --dry-run on a terminal does not show the name escaped:\n%s", shown)
	}
	out = append(out, "autogen revision --dry-run (terminal)\n"+shown)
	run(0, "revision", "-m", "first")
	run(0, "upgrade", "head")
	a.writeRevision(revisionFile{ID: "bbbbbbbbbbbb", Message: "hand\x1b]0;title\x07 edited", Parents: []string{onlyID(t, a)}})
	if err := os.Rename(filepath.Join(a.dir, "migrations", "versions", "bbbbbbbbbbbb_hand\x1b]0;title\x07_edited.sql"),
		filepath.Join(a.dir, "migrations", "versions", "b\x1b[31m\r.sql")); err != nil {
		t.Fatal(err)
	}
	run(0, "upgrade", "head")
	for _, args := range [][]string{{"history", "--verbose"}, {"history"}, {"show", "head"}, {"current", "--verbose"}, {"heads", "--verbose"}} {
		run(0, args...)
	}
	run(0, "downgrade", "-1")
	run(0, "upgrade", "head")
	// Errors naming tables: --rename-table of one that does not exist, and
	// SQLite's own message about a table a revision names.
	a.write("models/models.go", strings.Replace(models, "t\\x1b[2J", "u\\x1b[2J", 1))
	run(2, "revision", "-m", "x", "--rename-table", "nope\x1b[1m=u\x1b[2J")
	a.writeRevision(revisionFile{ID: "cccccccccccc", Message: "bad", Parents: []string{"bbbbbbbbbbbb"},
		Upgrade: "INSERT INTO \"zz\x1b[31m\u2028\" VALUES (1);"})
	run(2, "upgrade", "head")
	for _, o := range out {
		body := strings.SplitN(o, "\n", 2)[1]
		if i := strings.IndexFunc(body, func(r rune) bool {
			return r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u202e')
		}); i >= 0 {
			t.Errorf("%q printed raw at byte %d:\n%s", body[i:i+1], i, o)
		}
	}
	t.Logf("%s", strings.Join(out, "\n"))
}

// onlyID is the id of the module's one revision.
func onlyID(t *testing.T, a *app) string {
	t.Helper()
	files := a.versions()
	if len(files) != 1 {
		t.Fatalf("revision files %v, want one", files)
	}
	return revisionHeader(t, readFile(t, files[0]), "Revision ID")
}

// hostileNames are table names (and, with "_c" after them, column names)
// that end a line comment, hide a statement from a reader, or act on a
// terminal in one way or another.
var hostileNames = []string{
	"a\nDROP TABLE victims;\n--x",
	"b\r\nDELETE FROM victims;\r\n--",
	"c\rDELETE FROM victims;",
	"d\u2028DELETE FROM victims;",
	"e\u0085x\u2029y",
	"f\x1b[2J\x1b[H",
	"g\n-- +autogen downgrade\nDELETE FROM victims;",
	"h */ DELETE FROM victims; /*",
	"i\vj\fk",
	"j\u202egnp_exe",
}

// hostileModels is a models package with one table per hostile name, each
// with a column named after it when withColumn, and table victims.
func hostileModels(withColumn bool) string {
	var b strings.Builder
	b.WriteString("package models\n\nimport \"github.com/uptrace/bun\"\n\n")
	b.WriteString("type Victim struct {\n\tbun.BaseModel `bun:\"table:victims\"`\n\n\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tName string `bun:\"name\"`\n}\n")
	for i, n := range hostileNames {
		tag := strconv.Quote(n)
		tag = tag[1 : len(tag)-1] // the Go escapes, inside the tag's own quotes
		fmt.Fprintf(&b, "\ntype H%d struct {\n\tbun.BaseModel `bun:\"table:%s\"`\n\n\tID   int64  `bun:\"id,pk,autoincrement\"`\n\tKeep string `bun:\"keep\"`\n", i, tag)
		if withColumn {
			fmt.Fprintf(&b, "\tC    string `bun:\"%s_c\"`\n", tag)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// TestHostileNamesCarried carries every hostile name through revision,
// upgrade and downgrade with rows in every table: the names stay quoted
// names in SQL and escaped text in comments and output, and no statement
// but the intended ones runs (victims keeps its rows; each table keeps its
// row count; the dropped columns come back in the downgrade).
func TestHostileNamesCarried(t *testing.T) {
	a := relApp(t, map[string]string{"models/models.go": hostileModels(true)})
	var out []string
	step := func(args ...string) {
		t.Helper()
		o, e := a.ok(args...)
		out = append(out, o+e)
	}
	step("revision", "-m", "hostile names")
	first := newestRevision(t, a)
	step("upgrade", "head")
	a.exec(`INSERT INTO victims (name) VALUES ('v1'), ('v2')`)
	for _, n := range hostileNames {
		a.exec(`INSERT INTO ` + sqltext.QuoteIdent(n) + ` (keep, ` + sqltext.QuoteIdent(n+"_c") + `) VALUES ('k', 'c')`)
	}
	a.write("models/models.go", hostileModels(false))
	step("revision", "-m", "drop the hostile columns")
	second := newestRevision(t, a)
	for _, body := range []string{first, second} {
		assertCommentsStay(t, body)
	}
	check := func(when string, columns bool) {
		t.Helper()
		if got := a.rows("SELECT name FROM victims ORDER BY id"); !slices.Equal(got, []string{"v1", "v2"}) {
			t.Fatalf("%s: victims holds %q", when, got)
		}
		for _, n := range hostileNames {
			want := "1|k"
			cols := "count(*), max(keep)"
			if columns {
				want, cols = "1|k|c", cols+", max("+sqltext.QuoteIdent(n+"_c")+")"
			}
			if got := a.rows("SELECT " + cols + " FROM " + sqltext.QuoteIdent(n)); !slices.Equal(got, []string{want}) {
				t.Errorf("%s: table %q holds %q, want %q", when, n, got, want)
			}
		}
	}
	step("upgrade", "head")
	check("after dropping the columns", false)
	step("downgrade", "-1")
	check("after the downgrade", false)
	if got := a.rows("SELECT count(*) FROM pragma_table_info(" + sqltext.QuoteString(hostileNames[0]) + ") WHERE name = " + sqltext.QuoteString(hostileNames[0]+"_c")); !slices.Equal(got, []string{"1"}) {
		t.Errorf("the downgrade did not bring the column back under its exact name: %q", got)
	}
	step("upgrade", "head")
	step("check")
	step("history", "--verbose")
	for _, o := range out {
		if i := strings.IndexFunc(o, func(r rune) bool {
			return r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u202e')
		}); i >= 0 {
			t.Errorf("%q printed raw:\n%s", o[i:i+1], o)
		}
	}
}
