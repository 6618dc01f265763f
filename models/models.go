// Package models holds the example application's bun models. autogen reads
// them the way Alembic reads Base.metadata: every struct here that embeds
// bun.BaseModel is one table of the target schema.
package models

import "github.com/uptrace/bun"

// Team is a group of members; its name is unique.
type Team struct {
	bun.BaseModel `bun:"table:teams"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Name string `bun:"name,notnull,unique"`
}

// Member belongs to one Team. The belongs-to relation makes bun write a
// FOREIGN KEY on team_id when the table is created WithForeignKeys.
type Member struct {
	bun.BaseModel `bun:"table:members"`

	ID     int64  `bun:"id,pk,autoincrement"`
	Name   string `bun:"name,notnull"`
	TeamID int64  `bun:"team_id,notnull"`
	Team   *Team  `bun:"rel:belongs-to,join:team_id=id"`
	Age    int    `bun:"age"`
}
