package pgrender

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/autogen-dev/autogen/diff"
	"github.com/autogen-dev/autogen/postgres"
	"github.com/autogen-dev/autogen/render"
	"github.com/autogen-dev/autogen/schema"
)

// ErrVerify is wrapped by Verify's errors: SQL that does not do what the
// operations say on a copy of the schema.
var ErrVerify = errors.New("the generated revision does not check out")

// Verify runs a rendered revision on a copy of current's tables, built in
// a scratch schema of db inside a transaction that is rolled back: the
// upgrade must give target and the downgrade current again. The search
// path holds only the scratch schema (and extensions' schemas), and
// lock_timeout is 2 s, so a statement reaching for a live object fails
// rather than waits. When current cannot be rebuilt there (it uses a
// type or function of the live schema), the revision is left unchecked
// and a warning says so.
func Verify(ctx context.Context, db *sql.DB, res *render.Result, current, target *schema.Schema) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // nothing of it is kept
	var random [6]byte
	if _, err := rand.Read(random[:]); err != nil {
		return err
	}
	scratch := "autogen_verify_" + hex.EncodeToString(random[:])
	for _, q := range []string{"CREATE SCHEMA " + scratch, "SELECT set_config('lock_timeout', '2s', true)"} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("check the revision on a scratch schema: %w", err)
		}
	}
	current, target = subset(res, current, target)
	build, err := rebuild(current)
	if err == nil {
		err = run(ctx, tx, scratch, build)
	}
	if err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the revision was not checked on a scratch schema: the live schema cannot be copied there (%v)", err))
		return nil
	}
	var up, down []string
	for i, c := range res.Changes {
		up = append(up, c.UpStatements...)
		down = append(down, res.Changes[len(res.Changes)-1-i].DownStatements...)
	}
	if err := step(ctx, tx, scratch, "upgrade", up, target); err != nil {
		return err
	}
	return step(ctx, tx, scratch, "downgrade", down, current)
}

// subset narrows both schemas to the tables the revision touches and
// those linked to them by a foreign key either way (a key on an untouched
// table can block a change), so checking a revision costs what it
// changes, not the size of the schema. With views or triggers the whole
// schema is kept: one may depend on any table.
func subset(res *render.Result, current, target *schema.Schema) (*schema.Schema, *schema.Schema) {
	if len(current.Views)+len(current.Triggers)+len(target.Views)+len(target.Triggers) > 0 {
		return current, target
	}
	keep := map[string]bool{}
	for _, c := range res.Changes {
		for _, op := range c.Ops {
			keep[op.Table()] = true
			if r, ok := op.(*diff.RenameTable); ok {
				keep[r.Old.Name] = true
			}
			keepEnumTables(keep, op, current, target)
		}
	}
	for grown := true; grown; {
		grown = false
		for _, s := range []*schema.Schema{current, target} {
			for _, t := range s.Tables {
				for _, fk := range t.ForeignKeys {
					if fk.RefSchema == "" && keep[t.Name] != keep[fk.RefTable] {
						keep[t.Name], keep[fk.RefTable], grown = true, true, true
					}
				}
			}
		}
	}
	narrow := func(s *schema.Schema) *schema.Schema {
		out := *s
		out.Tables = nil
		for _, t := range s.Tables {
			if keep[t.Name] {
				out.Tables = append(out.Tables, t)
			}
		}
		return &out
	}
	return narrow(current), narrow(target)
}

// rebuild is the SQL that creates current's tables, views and triggers.
func rebuild(current *schema.Schema) ([]string, error) {
	ops, err := diff.Compare(&schema.Schema{}, current, diff.Options{DropUnmanaged: true})
	if err != nil {
		return nil, err
	}
	res, err := Render(ops, &schema.Schema{}, current)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range res.Changes {
		out = append(out, c.UpStatements...)
	}
	return out, nil
}

func run(ctx context.Context, tx *sql.Tx, scratch string, stmts []string) error {
	if _, err := tx.ExecContext(ctx, "SELECT set_config('search_path', $1, true)", Ident(scratch)); err != nil {
		return err
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, inTransaction(s)); err != nil {
			return fmt.Errorf("%s: %w", firstLine(s), err)
		}
	}
	return nil
}

// step runs one direction and compares the scratch schema with want.
func step(ctx context.Context, tx *sql.Tx, scratch, what string, stmts []string, want *schema.Schema) error {
	if err := run(ctx, tx, scratch, stmts); err != nil {
		return fmt.Errorf("%w: its %s fails on a copy of the schema: %w", ErrVerify, what, err)
	}
	got, err := postgres.InspectTx(ctx, tx, postgres.InspectOptions{Schema: scratch})
	if err != nil {
		return err
	}
	ops, err := diff.Compare(got, want, diff.Options{})
	if err != nil {
		return err
	}
	if len(ops) > 0 {
		var left []string
		for _, op := range ops {
			left = append(left, op.Describe())
		}
		return fmt.Errorf("%w: after its %s a copy of the schema still differs: %s", ErrVerify, what, strings.Join(left, "; "))
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
