package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// duplicateObject is the SQLSTATE of CREATE TYPE (or any CREATE) for a name
// that is taken.
const duplicateObject = "42710"

// createOnce reads the DO block apps run in every hook of the models that
// share an enum type, since PostgreSQL has no CREATE TYPE IF NOT EXISTS:
//
//	DO $$ BEGIN CREATE TYPE mood AS ENUM ('a', 'b');
//	EXCEPTION WHEN duplicate_object THEN null; END $$;
//
// It returns the statement inside and true; false for any other text,
// which Target then refuses as it refuses every DO block, since what
// PL/pgSQL would do cannot be checked before it runs.
func createOnce(stmt string) (string, bool) {
	code, err := codeTokens(stmt)
	if err != nil || len(code) < 2 || !isWord(code[0], "do") {
		return "", false
	}
	body := code[1]
	if len(code) == 4 && isWord(code[1], "language") && isWord(code[2], "plpgsql") {
		body = code[3]
	} else if len(code) == 4 && isWord(code[2], "language") && isWord(code[3], "plpgsql") {
		code = code[:2]
	}
	if len(code) != 2 && len(code) != 4 || body.Kind != TokenString || !strings.HasPrefix(body.Text, "$") {
		return "", false
	}
	tag := body.Text[:strings.IndexByte(body.Text[1:], '$')+2]
	text := body.Text[len(tag) : len(body.Text)-len(tag)]
	toks, err := codeTokens(text)
	if err != nil || len(toks) < 2 || !isWord(toks[0], "begin") {
		return "", false
	}
	semi := slices.IndexFunc(toks, func(t Token) bool { return t.Text == ";" })
	if semi < 2 {
		return "", false
	}
	var rest []string
	for _, t := range toks[semi+1:] {
		rest = append(rest, strings.ToLower(t.Text))
	}
	tail := strings.Join(rest, " ")
	if tail != "exception when duplicate_object then null ; end" && tail != "exception when duplicate_object then null ; end ;" {
		return "", false
	}
	return text[toks[1].Offset:toks[semi].Offset], true
}

// codeTokens is stmt's tokens without comments and a final semicolon.
func codeTokens(stmt string) ([]Token, error) {
	toks, err := Tokenize(stmt)
	if err != nil {
		return nil, err
	}
	code := slices.DeleteFunc(toks, func(t Token) bool { return t.Kind == TokenComment })
	if len(code) > 0 && code[len(code)-1].Text == ";" {
		code = code[:len(code)-1]
	}
	return code, nil
}

func isWord(t Token, w string) bool { return t.Kind == TokenIdent && t.Value == w }

// runOnce runs the statement of a createOnce block as the block would: a
// name that is taken (another model's hook made it) is not an error.
func (b *builder) runOnce(ctx context.Context, inner string) error {
	if _, err := b.tx.ExecContext(ctx, "SAVEPOINT autogen_create_once"); err != nil {
		return err
	}
	err := b.run(ctx, inner)
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == duplicateObject {
		_, err = b.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT autogen_create_once")
	}
	if err != nil {
		return fmt.Errorf("inside its DO block: %w", err)
	}
	_, err = b.tx.ExecContext(ctx, "RELEASE SAVEPOINT autogen_create_once")
	return err
}
