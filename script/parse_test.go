package script

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Revision
	}{
		{
			name: "architecture example",
			in: `-- Column age added to Member
--
-- Revision ID: 3f2a9c1b7d4e
-- Revises: 8b1c0d2e4f6a
-- Create Date: 2026-11-25 09:41:07.512344
-- Branch Labels: 
-- Depends On: 

-- +autogen upgrade
ALTER TABLE "members" ADD COLUMN "age" INTEGER;

-- +autogen downgrade
ALTER TABLE "members" DROP COLUMN "age";
`,
			want: Revision{ID: "3f2a9c1b7d4e", Parents: []string{"8b1c0d2e4f6a"}, Message: "Column age added to Member",
				CreateDate: "2026-11-25 09:41:07.512344",
				Upgrade:    `ALTER TABLE "members" ADD COLUMN "age" INTEGER;`, Downgrade: `ALTER TABLE "members" DROP COLUMN "age";`,
				UpgradeLine: 10, DowngradeLine: 13},
		},
		{
			name: "merge, labels, depends, multi-line message, CRLF",
			in:   "-- Merge heads\r\n-- second line\r\n--\r\n-- Revision ID: m1\r\n-- Revises: a, b\r\n-- Create Date: x\r\n-- Branch Labels: lab1, lab2\r\n-- Depends On: dep\r\n\r\n-- +autogen upgrade\r\n  -- +autogen downgrade  \r\nSELECT 1;\r\n\r\n  SELECT 2;\r\n\r\n",
			want: Revision{ID: "m1", Parents: []string{"a", "b"}, BranchLabels: []string{"lab1", "lab2"}, DependsOn: []string{"dep"},
				Message: "Merge heads\nsecond line", CreateDate: "x", Downgrade: "SELECT 1;\n\n  SELECT 2;", DowngradeLine: 12},
		},
		{
			name: "base with Alembic None, no optional fields, fields-looking message",
			in:   "-- Revises: not a field\n--\n-- Revision ID: abc\n-- Revises: None\n-- +autogen upgrade\nX;\n-- +autogen downgrade\n",
			want: Revision{ID: "abc", Message: "Revises: not a field", Upgrade: "X;", UpgradeLine: 6},
		},
		{
			name: "no blank separator: message runs to the first field",
			in:   "-- msg\n-- Revision ID: abc\n-- Revises:\n-- some note\n-- +autogen upgrade\n-- +autogen downgrade\n",
			want: Revision{ID: "abc", Message: "msg"},
		},
		{
			name: "no-transaction directive in the header",
			in:   "-- msg\n-- +autogen no-transaction\n--\n-- Revision ID: abc\n-- Revises:\n-- +autogen upgrade\nX;\n-- +autogen downgrade\n",
			want: Revision{ID: "abc", Message: "msg", Upgrade: "X;", UpgradeLine: 7, NoTransaction: true},
		},
		{
			name: "no-transaction directive opening the upgrade section",
			in:   "-- msg\n--\n-- Revision ID: abc\n-- Revises:\n\n-- +autogen upgrade\n-- +autogen no-transaction\nX;\n-- +autogen downgrade\nY;\n",
			want: Revision{ID: "abc", Message: "msg", Upgrade: "-- +autogen no-transaction\nX;", UpgradeLine: 7,
				Downgrade: "Y;", DowngradeLine: 10, NoTransaction: true},
		},
		{
			name: "directive text inside a string is not a directive",
			in:   "-- msg\n--\n-- Revision ID: abc\n-- Revises:\n\n-- +autogen upgrade\nSELECT '\n-- +autogen no-transaction\n';\n-- +autogen downgrade\n",
			want: Revision{ID: "abc", Message: "msg", Upgrade: "SELECT '\n-- +autogen no-transaction\n';", UpgradeLine: 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("f.sql", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Path = "f.sql"
			if !reflect.DeepEqual(*got, tt.want) {
				t.Fatalf("got  %#v\nwant %#v", *got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const head = "-- m\n--\n-- Revision ID: abc\n"
	// down is a file whose downgrade section holds line, on line 6.
	down := func(line string) string { return head + "-- +autogen upgrade\n-- +autogen downgrade\n" + line + "\n" }
	tests := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"empty file", "", 0, `has no "-- +autogen upgrade" line`},
		{"no header", "\n-- +autogen upgrade\n-- +autogen downgrade\n", 0, "has no header"},
		{"no revision id", "-- m\n--\n-- Revises: x\n-- +autogen upgrade\n-- +autogen downgrade\n", 1, `without a "Revision ID" line`},
		{"bad id", "-- m\n--\n-- Revision ID: ab-c\n-- +autogen upgrade\n-- +autogen downgrade\n", 3, `revision id "ab-c"`},
		{"id too long", "-- m\n--\n-- Revision ID: " + strings.Repeat("a", 33) + "\n-- +autogen upgrade\n-- +autogen downgrade\n", 3, "1 to 32"},
		{"bad parent", head + "-- Revises: a b\n-- +autogen upgrade\n-- +autogen downgrade\n", 4, `"a b" is not a revision id`},
		{"parent twice", head + "-- Revises: a, b, a\n-- +autogen upgrade\n-- +autogen downgrade\n", 4, `"a" is listed twice`},
		{"label twice", head + "-- Revises:\n-- Branch Labels: x, x\n-- +autogen upgrade\n-- +autogen downgrade\n", 5, `"x" is listed twice`},
		{"repeated field", head + "-- Revision ID: d\n-- +autogen upgrade\n-- +autogen downgrade\n", 4, `repeats "Revision ID" (first on line 3)`},
		{"SQL before upgrade", head + "\nDROP TABLE x;\n-- +autogen upgrade\n-- +autogen downgrade\n", 5, `"DROP TABLE x;" before`},
		{"text before header", "DROP TABLE x;\n" + head + "-- +autogen upgrade\n-- +autogen downgrade\n", 1, `"DROP TABLE x;" before`},
		{"missing downgrade", head + "-- +autogen upgrade\nX;\n", 0, `has no "-- +autogen downgrade" line`},
		{"downgrade first", head + "-- +autogen downgrade\n-- +autogen upgrade\n", 4, "before any"},
		{"upgrade after downgrade", head + "-- +autogen upgrade\n-- +autogen downgrade\n-- +autogen upgrade\n", 6, "repeats"},
		{"repeated downgrade", head + "-- +autogen upgrade\n-- +autogen downgrade\n-- +autogen downgrade\n", 6, `repeats "-- +autogen downgrade" (first on line 5)`},
		{"no-transaction twice", head + "-- +autogen no-transaction\n-- +autogen upgrade\n-- +autogen no-transaction\n-- +autogen downgrade\n", 6, `repeats "-- +autogen no-transaction" (first on line 4)`},
		{"typo directive", head + "-- +autogen upgrade\n-- +autogen downgrad\n", 5, "unknown directive"},
		{"orphans in header", head + "-- +autogen orphans a -> b\n-- +autogen upgrade\n-- +autogen downgrade\n", 4, "belongs in the section"},
		{"orphans one name", down("-- +autogen orphans a"), 6, "is not `-- +autogen orphans"},
		{"orphans no arrow", down("-- +autogen orphans a b"), 6, "is not `-- +autogen orphans"},
		{"orphans string", down("-- +autogen orphans 'a' -> b"), 6, "is not `-- +autogen orphans"},
		{"orphans open quote", down("-- +autogen orphans \"a -> b"), 6, "is not `-- +autogen orphans"},
		{"orphans extra", down("-- +autogen orphans a -> b; DROP TABLE c"), 6, "is not `-- +autogen orphans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v/f.sql", []byte(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrParse) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line || pe.Path != "v/f.sql" {
				t.Errorf("at %s:%d, want v/f.sql:%d", pe.Path, pe.Line, tt.line)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "v/f.sql") {
				t.Errorf("message %q lacks %q or the file name", err, tt.msg)
			}
		})
	}
}

// TestParseOrphans reads orphans directives in both sections, with names
// bare and quoted, and keeps each line in the
// section's SQL, where it is a comment.
func TestParseOrphans(t *testing.T) {
	child, parent := `a "b";--c`, "Teams"
	directive := `-- +autogen orphans "a ""b"";--c" -> Teams`
	in := "-- m\n--\n-- Revision ID: abc\n-- Revises:\n\n-- +autogen upgrade\n-- +autogen orphans x -> y\nDROP TABLE t;\n\n-- +autogen downgrade\n" +
		directive + "\nCREATE TABLE t (a);\n"
	r, err := Parse("f.sql", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []Orphans{{Table: "x", Parent: "y", Line: 7}}; !reflect.DeepEqual(r.UpgradeOrphans, want) {
		t.Errorf("upgrade orphans %+v, want %+v", r.UpgradeOrphans, want)
	}
	if want := []Orphans{{Table: child, Parent: parent, Line: 11}}; !reflect.DeepEqual(r.DowngradeOrphans, want) {
		t.Errorf("downgrade orphans %+v, want %+v", r.DowngradeOrphans, want)
	}
	if !strings.HasPrefix(r.Downgrade, OrphansDirective) {
		t.Errorf("the directive is not kept in the section:\n%s", r.Downgrade)
	}
}

func TestSlug(t *testing.T) {
	// Expected values are what Alembic's _rev_path computes.
	tests := []struct {
		msg  string
		n    int
		want string
	}{
		{"Column age added to Member", 40, "column_age_added_to_member"},
		{"../../etc/passwd", 40, "etc_passwd"},
		{`..\..\x.y:z`, 40, "x_y_z"},
		{"a very long message that goes beyond forty characters for sure", 40, "a_very_long_message_that_goes_beyond_"},
		{"supercalifragilistic", 5, "super_"},
		{"exactly five", 12, "exactly_five"},
		{"Ünïcode Straße", 40, "ünïcode_straße"},
		{"snake__case  -- spaced!!", 40, "snake__case_spaced"},
		{"", 40, ""},
		{"!!!", 40, ""},
	}
	for _, tt := range tests {
		if got := Slug(tt.msg, tt.n); got != tt.want {
			t.Errorf("Slug(%q, %d) = %q, want %q", tt.msg, tt.n, got, tt.want)
		}
	}
}

func TestNewID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id, err := NewID()
		if err != nil {
			t.Fatal(err)
		}
		if len(id) != 12 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("id %q is not 12 lowercase hex", id)
		}
		if seen[id] {
			t.Fatalf("id %q repeated", id)
		}
		seen[id] = true
	}
}

// tmplRev is a revision file as the default template writes it, with the
// header lines given.
func tmplRev(header string) string {
	return "-- Column age added\n--\n" + header + "\n-- +autogen upgrade\nSELECT 1;\n\n-- +autogen downgrade\nSELECT 2;\n"
}

const tmplFields = "-- Revision ID: 222222222222\n-- Revises: e69f9d916825\n-- Create Date: 2026-11-25 09:41:07.512344\n-- Branch Labels:\n-- Depends On:\n"

func TestParseHeaderMistakes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int
		msg  string
	}{
		{"Revises deleted", tmplRev("-- Revision ID: 222222222222\n-- Create Date: x\n"), 0,
			`without a "Revises" line; write "-- Revises: <parent id>", or "-- Revises:" with nothing after it for a base`},
		{"no colon", tmplRev("-- Revision ID: 222222222222\n-- Revises e69f9d916825\n-- Create Date: x\n"), 4,
			`"Revises e69f9d916825", which looks like the "Revises" header field`},
		{"Revision for Revises", tmplRev("-- Revision ID: 222222222222\n-- Revision: e69f9d916825\n"), 4,
			`looks like the "Revises" header field`},
		{"down_revision", tmplRev("-- Revision ID: 222222222222\n-- down_revision: e69f9d916825\n"), 4,
			`looks like the "Revises" header field`},
		{"Depends_On typo", tmplRev("-- Revision ID: 222222222222\n-- Revises:\n-- Depend On: x\n"), 5,
			`looks like the "Depends On" header field`},
		{"blank line before Revises", tmplRev("-- Revision ID: 222222222222\n\n-- Revises: e69f9d916825\n"), 5,
			`has the "Revises" header field after a blank line`},
		{"blank line before misspelt field", tmplRev("-- Revision ID: 222222222222\n-- Revises:\n\n-- Revises e69f9d916825\n"), 6,
			`looks like the "Revises" header field`},
		{"Revision ID detached", "-- m\n--\n-- Revises:\n\n-- Revision ID: abc\n-- +autogen upgrade\n-- +autogen downgrade\n", 5,
			`has the "Revision ID" header field after a blank line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("v/f.sql", []byte(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", pe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), "v/f.sql") {
				t.Errorf("message %q lacks %q or the file name", err, tt.msg)
			}
		})
	}
}

// Comments that merely resemble nothing in particular stay free comments.
func TestParseFreeComments(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"note after fields", tmplRev(tmplFields + "-- Note: edited by hand\n-- Revised by hand after review\n")},
		{"comment after blank line", tmplRev(tmplFields + "\n-- TODO: backfill later\n-- see ticket 12\n")},
		{"message looking like a field", "-- Revision: 2 of the schema\n--\n" + tmplFields + "\n-- +autogen upgrade\n-- +autogen downgrade\n"},
		{"base with empty Revises", tmplRev("-- Revision ID: 222222222222\n-- Revises:\n")},
		{"marker-like SQL comment", tmplRev(tmplFields) + "-- autogen upgraded this table\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse("f.sql", []byte(tt.in)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParseNearMarker(t *testing.T) {
	const head = "-- m\n--\n-- Revision ID: abc\n-- Revises:\n\n"
	tests := []struct {
		name string
		in   string
		line int
		want string
	}{
		{"two spaces before +", head + "--  +autogen upgrade\nX;\n-- +autogen downgrade\n", 6, "`-- +autogen upgrade`"},
		{"capital A", head + "-- +Autogen upgrade\nX;\n-- +autogen downgrade\n", 6, "`-- +autogen upgrade`"},
		{"two spaces inside", head + "-- +autogen  upgrade\nX;\n-- +autogen downgrade\n", 6, "`-- +autogen upgrade`"},
		{"no space after dashes", head + "-- +autogen upgrade\nX;\n--+autogen downgrade\n", 8, "`-- +autogen downgrade`"},
		{"upper-case downgrade", head + "-- +autogen upgrade\nX;\n-- +AUTOGEN DOWNGRADE\n", 8, "`-- +autogen downgrade`"},
		{"no plus", head + "-- autogen upgrade\nX;\n-- +autogen downgrade\n", 6, "`-- +autogen upgrade`"},
		{"goose's spelling of no-transaction", head + "-- +autogen NO TRANSACTION\n-- +autogen upgrade\nX;\n-- +autogen downgrade\n", 6, "`-- +autogen no-transaction`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.sql", []byte(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != tt.line {
				t.Fatalf("err = %v, want one at line %d", err, tt.line)
			}
			want := fmt.Sprintf("line %d looks like a section marker but is not exactly %s", tt.line, tt.want)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		})
	}
}

func TestParseBOM(t *testing.T) {
	plain := tmplRev(tmplFields)
	want, err := Parse("f.sql", []byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{"\ufeff" + plain, "\ufeff" + strings.ReplaceAll(plain, "\n", "\r\n")} {
		got, err := Parse("f.sql", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("with a BOM got %#v\nwant %#v", got, want)
		}
	}
}
