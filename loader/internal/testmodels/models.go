// Package testmodels holds bun models that use every tag form affecting DDL.
// The loader tests copy these files into a temporary module and compare what
// the loader reports with what bun itself creates for the same types.
package testmodels

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Timestamps is embedded by value; it is not a model itself.
type Timestamps struct {
	CreatedAt time.Time `bun:",nullzero,notnull,default:current_timestamp"`
	UpdatedAt time.Time `bun:",nullzero"`
}

// Address is embedded with a column prefix.
type Address struct {
	Street string
	City   string `bun:",notnull"`
}

// Organization uses a table alias, unique groups, defaults, user types,
// embedded structs, a has-many relation and fields bun leaves out.
type Organization struct {
	bun.BaseModel `bun:"table:organizations,alias:o"`

	ID     int64   `bun:",pk,autoincrement"`
	Name   string  `bun:",notnull,unique"`
	Slug   string  `bun:"slug,type:varchar(64),unique:org_slug_region"`
	Region string  `bun:",unique:org_slug_region,default:'eu'"`
	Budget float64 `bun:",type:decimal(10,2)"`
	Timestamps
	HQ     Address `bun:"embed:hq_"`
	Users  []*User `bun:"rel:has-many,join:id=org_id"`
	Cache  string  `bun:"-"`
	Score  int     `bun:",scanonly"`
	secret string  // unexported fields are not columns
}

// Secret reads the unexported field, which bun leaves out of the table.
func (o *Organization) Secret() string { return o.secret }

// User belongs to an Organization with referential actions, is soft-deleted,
// has an m2m relation to Group and creates an index in its hook.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID        int64         `bun:",pk,autoincrement"`
	OrgID     int64         `bun:",notnull"`
	Org       *Organization `bun:"rel:belongs-to,join:org_id=id,on_delete:CASCADE,on_update:RESTRICT"`
	Email     string        `bun:",notnull,unique"`
	Nickname  *string
	Active    bool      `bun:",notnull,default:true"`
	Data      []byte    `bun:",nullzero"`
	DeletedAt time.Time `bun:",soft_delete,nullzero"`
	Groups    []Group   `bun:"m2m:user_groups,join:User=Group"`
}

var _ bun.AfterCreateTableHook = (*User)(nil)

// AfterCreateTable creates the index bun users make in this hook.
func (*User) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	_, err := q.DB().NewCreateIndex().Model((*User)(nil)).Index("users_org_id_email_idx").Column("org_id", "email").Exec(ctx)
	return err
}

// Group is the other side of the m2m relation.
type Group struct {
	bun.BaseModel `bun:"table:groups"`

	ID    int64  `bun:",pk,autoincrement"`
	Name  string `bun:",notnull"`
	Users []User `bun:"m2m:user_groups,join:Group=User"`
}

// UserGroup is the m2m junction model, with a composite primary key.
type UserGroup struct {
	bun.BaseModel `bun:"table:user_groups"`

	UserID  int64  `bun:",pk"`
	User    *User  `bun:"rel:belongs-to,join:user_id=id"`
	GroupID int64  `bun:",pk"`
	Group   *Group `bun:"rel:belongs-to,join:group_id=id"`
}

// auditBase carries bun.BaseModel for the models that embed it. Being
// unexported, it cannot be imported and so is not a model of its own.
type auditBase struct {
	bun.BaseModel

	ID int64 `bun:",pk,autoincrement"`
}

// AuditEntry is a model through an embedded struct.
type AuditEntry struct {
	auditBase

	Action string `bun:",notnull"`
}

// NotAModel has no bun.BaseModel.
type NotAModel struct {
	Name string
}
