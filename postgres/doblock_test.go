package postgres

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

func TestCreateOnce(t *testing.T) {
	const create = `CREATE TYPE mood AS ENUM ('a', 'b; c')`
	tests := []struct {
		stmt, inner string
		ok          bool
	}{
		{"DO $$ BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN null; END $$;", create, true},
		{"do $body$\nbegin\n  " + create + ";\nexception\n  when duplicate_object then null;\nend;\n$body$ language plpgsql", create, true},
		{"DO LANGUAGE plpgsql $$ BEGIN " + create + "; EXCEPTION WHEN DUPLICATE_OBJECT THEN NULL; END $$", create, true},
		{"-- shared type\nDO /* once */ $$ BEGIN " + create + " ; EXCEPTION WHEN duplicate_object THEN null; END $$", create + " ", true},
		{"DO $$ BEGIN " + create + "; EXCEPTION WHEN others THEN null; END $$", "", false},
		{"DO $$ BEGIN " + create + "; DROP TABLE users; EXCEPTION WHEN duplicate_object THEN null; END $$", "", false},
		{"DO $$ BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN DROP TABLE users; END $$", "", false},
		{"DO $$ BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN null; END; DROP TABLE users; $$", "", false},
		{"DO $$ DECLARE x int; BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN null; END $$", "", false},
		{"DO $$ BEGIN " + create + "; END $$", "", false},
		{"DO 'BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN null; END'", "", false},
		{"DO $$ BEGIN ; EXCEPTION WHEN duplicate_object THEN null; END $$", "", false},
		{"DO LANGUAGE plperl $$ BEGIN " + create + "; EXCEPTION WHEN duplicate_object THEN null; END $$", "", false},
		{create, "", false},
		{"DO $$", "", false},
	}
	for _, tt := range tests {
		inner, ok := createOnce(tt.stmt)
		if ok != tt.ok || inner != tt.inner {
			t.Errorf("createOnce(%q) = %q, %v; want %q, %v", tt.stmt, inner, ok, tt.inner, tt.ok)
		}
	}
}

// FuzzCreateOnce: whatever the text, a block createOnce takes runs nothing
// but the one statement it returns: the statement holds no semicolon, and
// the block written around it again is read back to the same statement.
func FuzzCreateOnce(f *testing.F) {
	f.Add("DO $$ BEGIN CREATE TYPE mood AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN null; END $$;")
	f.Add("DO $x$ BEGIN CREATE TYPE \"m;\" AS ENUM ('$$'); EXCEPTION WHEN duplicate_object THEN null; END; $x$ LANGUAGE plpgsql")
	f.Add("DO $$ BEGIN CREATE TYPE m AS ENUM ('a') /* ; */; EXCEPTION WHEN duplicate_object THEN null; END $$ -- ;")
	f.Fuzz(func(t *testing.T, stmt string) {
		inner, ok := createOnce(stmt)
		if !ok {
			return
		}
		toks, err := Tokenize(inner)
		if err != nil {
			t.Fatalf("createOnce(%q) gave %q, which does not tokenize: %v", stmt, inner, err)
		}
		for _, tok := range toks {
			if tok.Text == ";" {
				t.Fatalf("createOnce(%q) gave %q, holding a semicolon", stmt, inner)
			}
		}
		tag := "$autogen$"
		if strings.Contains(inner, tag) {
			return
		}
		again, ok := createOnce("DO " + tag + " BEGIN " + inner + "; EXCEPTION WHEN duplicate_object THEN null; END " + tag)
		if !ok || strings.TrimSpace(again) != strings.TrimSpace(inner) {
			t.Fatalf("createOnce(%q) gave %q; written again it reads %q, %v", stmt, inner, again, ok)
		}
	})
}

// Two models sharing one enum type each create it with the DO block apps
// use; the target has the type once. The statement inside is held to the
// same rules as any other, and the live schema is left as it was.
func TestTargetCreateOnce(t *testing.T) {
	ctx := context.Background()
	d := pgtest.New(t)
	if _, err := d.DB.ExecContext(ctx, `CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	before := inspect(t, d.DB).String()
	once := func(stmt string) string {
		return "DO $$ BEGIN " + stmt + "; EXCEPTION WHEN duplicate_object THEN null; END $$"
	}
	mood := once(`CREATE TYPE mood AS ENUM ('happy', 'sad')`)
	target, err := Target(ctx, d.DB, []string{
		mood, `CREATE TABLE people (id bigserial PRIMARY KEY, mood mood NOT NULL)`,
		mood, `CREATE TABLE pets (id bigserial PRIMARY KEY, mood mood)`,
	}, TargetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(target.Enums) != 1 || target.Enums[0].Name != "mood" || strings.Join(target.Enums[0].Values, ",") != "happy,sad" || len(target.Tables) != 2 {
		t.Fatalf("target:\n%s", target)
	}
	for _, tt := range []struct{ stmt, want string }{
		{once(`DROP TABLE users`), "is a DROP statement"},
		{once(`CREATE TYPE public.mood AS ENUM ('x')`), `names schema "public"`},
		{once(`CREATE TYPE mood AS ENUM ('x'`), "inside its DO block"},
		{`DO $$ BEGIN EXECUTE 'DROP TABLE users'; END $$`, "the only DO block autogen runs is one that creates a type once"},
	} {
		_, err := Target(ctx, d.DB, []string{mood, tt.stmt}, TargetOptions{})
		var se *StatementError
		if !errors.As(err, &se) || se.Index != 2 || se.SQL != tt.stmt || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %v; want statement 2 refused: %s", tt.stmt, err, tt.want)
		}
	}
	if after := inspect(t, d.DB).String(); after != before {
		t.Fatalf("the live schema changed:\n%s\nwas\n%s", after, before)
	}
	assertNoScratch(t, d.DB)
}
