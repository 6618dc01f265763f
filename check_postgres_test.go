package autogen

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"

	"github.com/autogen-dev/autogen/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type pgTeam struct {
	bun.BaseModel `bun:"table:teams"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Name string `bun:"name,notnull,unique"`
}

type pgMember struct {
	bun.BaseModel `bun:"table:members"`

	ID     int64   `bun:"id,pk,autoincrement"`
	TeamID int64   `bun:"team_id,notnull"`
	Team   *pgTeam `bun:"rel:belongs-to,join:team_id=id"`
	Email  string  `bun:"email"`
}

// pgMemberNick is pgMember with a column no revision adds.
type pgMemberNick struct {
	bun.BaseModel `bun:"table:members"`

	ID     int64   `bun:"id,pk,autoincrement"`
	TeamID int64   `bun:"team_id,notnull"`
	Team   *pgTeam `bun:"rel:belongs-to,join:team_id=id"`
	Email  string  `bun:"email"`
	Nick   string  `bun:"nick"`
}

const pgRevision = `-- teams and members
--
-- Revision ID: 1a2b3c4d5e6f
-- Revises:
-- Create Date: 2026-12-03 10:00:00

-- +autogen upgrade
CREATE TABLE teams (id BIGSERIAL NOT NULL, name VARCHAR NOT NULL, PRIMARY KEY (id), UNIQUE (name));
CREATE TABLE members (id BIGSERIAL NOT NULL, team_id BIGINT NOT NULL, email VARCHAR, PRIMARY KEY (id),
    FOREIGN KEY (team_id) REFERENCES teams (id));

-- +autogen downgrade
DROP TABLE members;
DROP TABLE teams;
`

// CheckMigrationsPostgres replays the revisions on a scratch database of
// the server, compares them with the models recorded with pgdialect, and
// leaves no database behind; the database the DSN names is not touched.
func TestCheckMigrationsPostgres(t *testing.T) {
	ctx := context.Background()
	pg := pgtest.New(t)
	if _, err := pg.DB.ExecContext(ctx, `CREATE TABLE keep (id int); INSERT INTO keep VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	scripts := fstest.MapFS{"versions/1a2b3c4d5e6f_teams.sql": {Data: []byte(pgRevision)}}
	diffs, err := CheckMigrationsPostgres(ctx, pg.URL, scripts, (*pgTeam)(nil), (*pgMember)(nil))
	if err != nil || len(diffs) != 0 {
		t.Fatalf("models and revisions agreeing: %v %v", diffs, err)
	}
	diffs, err = CheckMigrationsPostgres(ctx, pg.URL, scripts, (*pgTeam)(nil), (*pgMemberNick)(nil))
	if err != nil || len(diffs) != 1 || !strings.Contains(diffs[0].String(), "members.nick") {
		t.Fatalf("a model column no revision adds: %v %v", diffs, err)
	}
	if _, err := CheckMigrationsPostgres(ctx, pg.URL, fstest.MapFS{"versions/x.sql": {Data: []byte(strings.Replace(pgRevision, "BIGINT NOT NULL", "BIGINT NOT NULL REFERENCES nowhere", 1))}},
		(*pgTeam)(nil), (*pgMember)(nil)); err == nil || !strings.Contains(err.Error(), "replaying the revisions") {
		t.Fatalf("a revision that fails: %v", err)
	}
	var left int
	if err := pg.DB.QueryRowContext(ctx, `SELECT count(*) FROM pg_database WHERE datname LIKE 'autogen\_%'`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d scratch databases left (%v)", left, err)
	}
	var rows int
	if err := pg.DB.QueryRowContext(ctx, `SELECT count(*) FROM keep`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("the DSN's database changed: %d rows (%v)", rows, err)
	}
}
