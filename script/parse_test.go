package script

import (
	"errors"
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
				Upgrade:    `ALTER TABLE "members" ADD COLUMN "age" INTEGER;`, Downgrade: `ALTER TABLE "members" DROP COLUMN "age";`},
		},
		{
			name: "merge, labels, depends, multi-line message, CRLF",
			in:   "-- Merge heads\r\n-- second line\r\n--\r\n-- Revision ID: m1\r\n-- Revises: a, b\r\n-- Create Date: x\r\n-- Branch Labels: lab1, lab2\r\n-- Depends On: dep\r\n\r\n-- +autogen upgrade\r\n  -- +autogen downgrade  \r\nSELECT 1;\r\n\r\n  SELECT 2;\r\n\r\n",
			want: Revision{ID: "m1", Parents: []string{"a", "b"}, BranchLabels: []string{"lab1", "lab2"}, DependsOn: []string{"dep"},
				Message: "Merge heads\nsecond line", CreateDate: "x", Downgrade: "SELECT 1;\n\n  SELECT 2;"},
		},
		{
			name: "base with Alembic None, no optional fields, fields-looking message",
			in:   "-- Revises: not a field\n--\n-- Revision ID: abc\n-- Revises: None\n-- +autogen upgrade\nX;\n-- +autogen downgrade\n",
			want: Revision{ID: "abc", Message: "Revises: not a field", Upgrade: "X;"},
		},
		{
			name: "no blank separator: message runs to the first field",
			in:   "-- msg\n-- Revision ID: abc\n-- some note\n-- +autogen upgrade\n-- +autogen downgrade\n",
			want: Revision{ID: "abc", Message: "msg"},
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
		{"repeated field", head + "-- Revision ID: d\n-- +autogen upgrade\n-- +autogen downgrade\n", 4, `repeats "Revision ID" (first on line 3)`},
		{"SQL before upgrade", head + "\nDROP TABLE x;\n-- +autogen upgrade\n-- +autogen downgrade\n", 5, `"DROP TABLE x;" before`},
		{"text before header", "DROP TABLE x;\n" + head + "-- +autogen upgrade\n-- +autogen downgrade\n", 1, `"DROP TABLE x;" before`},
		{"missing downgrade", head + "-- +autogen upgrade\nX;\n", 0, `has no "-- +autogen downgrade" line`},
		{"downgrade first", head + "-- +autogen downgrade\n-- +autogen upgrade\n", 4, "before any"},
		{"upgrade after downgrade", head + "-- +autogen upgrade\n-- +autogen downgrade\n-- +autogen upgrade\n", 6, "repeats"},
		{"repeated downgrade", head + "-- +autogen upgrade\n-- +autogen downgrade\n-- +autogen downgrade\n", 6, `repeats "-- +autogen downgrade" (first on line 5)`},
		{"typo directive", head + "-- +autogen upgrade\n-- +autogen downgrad\n", 5, "unknown directive"},
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
