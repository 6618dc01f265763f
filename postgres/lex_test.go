package postgres

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		sql  string
		want []string // Kind:Value
	}{
		{`CREATE TABLE "Ab""c" (x int)`, []string{"1:create", "1:table", `2:Ab"c`, "6:(", "1:x", "1:int", "6:)"}},
		{`a.b::text`, []string{"1:a", "6:.", "1:b", "6:::", "1:text"}},
		{`E'it\'s' 'it''s' $$a;b$$ $x$ $$ $x$`, []string{`3:E'it\'s'`, `3:'it''s'`, "3:$$a;b$$", "3:$x$ $$ $x$"}},
		{`/* a /* nested */ ; */ x -- ; y`, []string{"7:/* a /* nested */ ; */", "1:x", "7:-- ; y"}},
		{`a$b $1 1.5e3 .5 5..6`, []string{"1:a$b", "5:$1", "4:1.5e3", "4:.5", "4:5", "6:.", "4:.6"}},
		{`x<=-1 a--b`, []string{"1:x", "6:<=", "6:-", "4:1", "1:a", "7:--b"}},
		{`@-1 a|/-b`, []string{"6:@-", "4:1", "1:a", "6:|/-", "1:b"}},
		{`U&"d\0061t" U&'x' B'10' X'1f' N'n'`, []string{`2:U&"d\0061t"`, "3:U&'x'", "3:B'10'", "3:X'1f'", "3:N'n'"}},
		{"ÄbC", []string{"1:Äbc"}},
	}
	for _, tt := range tests {
		toks, err := Tokenize(tt.sql)
		if err != nil {
			t.Errorf("Tokenize(%q): %v", tt.sql, err)
			continue
		}
		var got []string
		for _, tok := range toks {
			got = append(got, string(rune('0'+tok.Kind))+":"+tok.Value)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.sql, got, tt.want)
		}
	}
	for _, bad := range []string{`'open`, `"open`, `/* open`, `$a$ open`, `E'\'`, `$ x`, "a \x00"} {
		if _, err := Tokenize(bad); !errors.Is(err, ErrSyntax) {
			t.Errorf("Tokenize(%q) error = %v; want ErrSyntax", bad, err)
		}
	}
}

// tricky are scripts whose statement boundaries hide inside strings,
// quoted names, dollar quotes and comments.
var tricky = []string{
	`SELECT 1`,
	`SELECT 1; SELECT 2`,
	`SELECT ';'`,
	`SELECT 'a'';'`,
	`SELECT E'\';' ; SELECT 2`,
	`SELECT '\'; SELECT 2 --'`,
	`SELECT $$;$$`,
	`SELECT $a$ $$ ; $b$ $a$`,
	`SELECT $a$;$b$;$a$; SELECT 1`,
	`SELECT 1 /* ; /* ; */ ; */`,
	`SELECT 1 -- ; SELECT 2`,
	`SELECT "a;b" FROM (SELECT 1 AS "a;b") x`,
	`SELECT 1 AS a$b; SELECT 2`,
	`SELECT 2 --; comment` + "\n" + `; SELECT 3`,
	`SELECT U&'\0041;'; SELECT 1`,
	`SELECT 1 /**/; /**/`,
	`SELECT 1 */ ;`,
}

// Our statement splitter agrees with the server about how many statements
// a text holds: the server refuses to prepare more than one.
func TestSplitAgreesWithServer(t *testing.T) {
	d := pgtest.New(t)
	ctx := context.Background()
	for _, sql := range tricky {
		stmts, lexErr := SplitStatements(sql)
		err := execOne(ctx, d.DB, true, sql)
		switch {
		case err != nil && strings.Contains(err.Error(), "cannot insert multiple commands"):
			if lexErr != nil || len(stmts) < 2 {
				t.Errorf("%q: the server sees several statements, we see %d (%v)", sql, len(stmts), lexErr)
			}
		case err == nil:
			if lexErr != nil || len(stmts) != 1 {
				t.Errorf("%q: the server runs one statement, we see %q (%v)", sql, stmts, lexErr)
			}
		}
	}
}

func TestSplitStatements(t *testing.T) {
	got, err := SplitStatements("-- head\nCREATE TABLE a (x int);\n\n/* only */;\nCREATE RULE r AS ON INSERT TO a DO (SELECT 1; SELECT 2);\nSELECT $$;$$")
	want := []string{"-- head\nCREATE TABLE a (x int)", "CREATE RULE r AS ON INSERT TO a DO (SELECT 1; SELECT 2)", "SELECT $$;$$"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, %v; want %q", got, err, want)
	}
}

// FuzzTokenize checks that tokens tile the input with only whitespace
// between them, and that splitting is stable: the statements of a split,
// joined again, split the same way.
func FuzzTokenize(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Add(`CREATE TABLE "x""y" (a int DEFAULT E'\\', b text DEFAULT $q$'$q$); COMMENT ON TABLE x IS U&'\0041'`)
	f.Fuzz(func(t *testing.T, sql string) {
		toks, err := Tokenize(sql)
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error %v is not ErrSyntax", err)
			}
			return
		}
		pos := 0
		for _, tok := range toks {
			if tok.Offset < pos || sql[tok.Offset:tok.Offset+len(tok.Text)] != tok.Text || tok.Text == "" {
				t.Fatalf("token %+v out of place (pos %d)", tok, pos)
			}
			if gap := sql[pos:tok.Offset]; strings.TrimLeft(gap, " \t\n\r\f\v") != "" {
				t.Fatalf("%q between tokens", gap)
			}
			pos = tok.Offset + len(tok.Text)
		}
		if rest := sql[pos:]; strings.TrimLeft(rest, " \t\n\r\f\v") != "" {
			t.Fatalf("%q after the last token", rest)
		}
		stmts, err := SplitStatements(sql)
		if err != nil {
			t.Fatal(err)
		}
		again, err := SplitStatements(strings.Join(stmts, ";\n"))
		if err != nil || !reflect.DeepEqual(again, stmts) {
			t.Fatalf("split %q, joined and split again: %q (%v)", stmts, again, err)
		}
	})
}

// FuzzCheckTarget checks that the guard never lets through a text that
// splits into several statements or names a schema with a dot.
func FuzzCheckTarget(f *testing.F) {
	f.Add(`CREATE TABLE public.x (id int)`)
	f.Add(`CREATE TABLE x (id int); DROP TABLE y`)
	f.Add(`CREATE INDEX i ON "public" . t (a)`)
	f.Add(`COMMENT ON TABLE x IS 'public.y; DROP'`)
	f.Fuzz(func(t *testing.T, stmt string) {
		schemas := map[string]bool{"public": true, "app": true, "scratch": true}
		if _, err := checkTarget(stmt, schemas, "scratch"); err != nil {
			return
		}
		stmts, err := SplitStatements(stmt)
		if err != nil || len(stmts) != 1 {
			t.Fatalf("%q passed the guard but splits into %q (%v)", stmt, stmts, err)
		}
		toks, _ := Tokenize(stmt)
		var code []Token
		for _, tok := range toks {
			if tok.Kind != TokenComment {
				code = append(code, tok)
			}
		}
		for i := 0; i+1 < len(code); i++ {
			if (code[i].Value == "public" || code[i].Value == "app") && code[i+1].Text == "." {
				t.Fatalf("%q passed the guard but names schema %s", stmt, code[i].Value)
			}
		}
	})
}
