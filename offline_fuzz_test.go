package autogen

import (
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// FuzzNewAlterForm checks the recogniser of SQLite 3.53's ALTER TABLE forms
// on statements built from arbitrary names in every form it must take and
// in the older forms it must leave alone, in either case with
// a comment after ALTER; and that no text makes it panic or both take a
// form and fail.
func FuzzNewAlterForm(f *testing.F) {
	f.Add("members", "team_id", "ck", uint8(0), "ALTER TABLE t ALTER COLUMN a SET NOT NULL")
	f.Add("a\nDROP TABLE b;--", `"check"`, "constraint", uint8(3), "alter table [x] add check (1)")
	f.Add("main", "ALTER", "", uint8(7), "ALTER TABLE temp.t DROP CONSTRAINT c")
	f.Add("ſelect", "K", "σ", uint8(9), "ALTER TABLE `t` ADD CONSTRAINT \"c\" CHECK (a)")
	f.Fuzz(func(t *testing.T, table, column, name string, form uint8, text string) {
		if got, ok, err := newAlterForm(text); ok && err != nil {
			t.Fatalf("newAlterForm(%q) = %q, %v, %v", text, got, ok, err)
		}
		if strings.ContainsRune(table+column+name, 0) {
			return
		}
		stmt, want := alterStatement(table, column, name, form)
		got, ok, err := newAlterForm(stmt)
		if err != nil || ok != want || ok && got != table {
			t.Fatalf("newAlterForm(%q) = %q, %v, %v; want %q, %v", stmt, got, ok, err, table, want)
		}
	})
}

// alterStatement is an ALTER TABLE statement on table in the form form
// picks, and whether that form is one of 3.53's. Its keywords are lower
// case when form's high bit is set, with a comment after ALTER.
func alterStatement(table, column, name string, form uint8) (string, bool) {
	q := sqltext.QuoteIdent
	k := func(s string) string {
		if form&0x80 != 0 {
			return strings.ToLower(s)
		}
		return s
	}
	check := k("CHECK (") + q(column) + " > 0)"
	forms := []struct {
		tail  string
		isNew bool
	}{
		{k("ALTER COLUMN ") + q(column) + k(" SET NOT NULL"), true},
		{k("ALTER ") + q(column) + k(" DROP NOT NULL"), true},
		{k("ADD CONSTRAINT ") + q(name) + " " + check, true},
		{k("ADD ") + check, true},
		{k("DROP CONSTRAINT ") + q(name), true},
		{k("ADD COLUMN ") + q(column) + k(" INT ") + check, false},
		{k("ADD ") + q(column) + k(" INT CONSTRAINT ") + q(name) + " " + check, false},
		{k("DROP COLUMN ") + q(column), false},
		{k("DROP ") + q(column), false},
		{k("RENAME COLUMN ") + q(column) + k(" TO ") + q(name), false},
		{k("RENAME TO ") + q(name), false},
	}
	f := forms[int(form&0x3f)%len(forms)]
	target := q(table)
	if form&0x40 != 0 {
		target = "main." + target
	}
	head := k("ALTER") + " /* " + strings.ReplaceAll(name, "*/", "") + " */ " + k("TABLE ")
	return head + target + " " + f.tail, f.isNew
}
