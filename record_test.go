package autogen

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/autogen-dev/autogen/models"
	"github.com/autogen-dev/autogen/schema"
)

// TestRecordModelsMatchesLoader: the models linked in give the DDL the
// loader's program gives for the same package inside the module.
func TestRecordModelsMatchesLoader(t *testing.T) {
	ctx := context.Background()
	rec, err := RecordModels(ctx, (*models.Team)(nil), (*models.Member)(nil))
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadModels(ctx, ".", []string{"./models"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	got, want := slices.Sorted(slices.Values(rec.Statements)), slices.Sorted(slices.Values(loaded.Statements))
	if !slices.Equal(got, want) {
		t.Errorf("RecordModels:\n%s\nLoadModels:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rec.Tables["members"] != "github.com/autogen-dev/autogen/models.Member" {
		t.Errorf("Tables = %v", rec.Tables)
	}
}

type recUser struct {
	bun.BaseModel `bun:"table:rec_users"`

	ID     int64      `bun:",pk,autoincrement"`
	Email  string     `bun:",notnull"`
	Groups []recGroup `bun:"m2m:rec_user_groups,join:User=Group"`
}

var _ bun.AfterCreateTableHook = (*recUser)(nil)

func (*recUser) AfterCreateTable(ctx context.Context, q *bun.CreateTableQuery) error {
	_, err := q.DB().NewCreateIndex().Model((*recUser)(nil)).Index("rec_users_email_idx").Column("email").Exec(ctx)
	return err
}

type recGroup struct {
	bun.BaseModel `bun:"table:rec_groups"`

	ID    int64     `bun:",pk,autoincrement"`
	Users []recUser `bun:"m2m:rec_user_groups,join:Group=User"`
}

type recUserGroup struct {
	bun.BaseModel `bun:"table:rec_user_groups"`

	UserID  int64     `bun:",pk"`
	User    *recUser  `bun:"rel:belongs-to,join:user_id=id"`
	GroupID int64     `bun:",pk"`
	Group   *recGroup `bun:"rel:belongs-to,join:group_id=id"`
}

// TestRecordModels: the m2m junction is registered before the models that
// name it (bun panics otherwise), a hook's index is part of the DDL, and a
// value that is not a pointer to a model struct is an error naming it.
func TestRecordModels(t *testing.T) {
	ctx := context.Background()
	m, err := RecordModels(ctx, (*recUser)(nil), (*recGroup)(nil), (*recUserGroup)(nil))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(m.Statements, "\n")
	for _, want := range []string{`CREATE TABLE "rec_users"`, `CREATE TABLE "rec_groups"`, `CREATE TABLE "rec_user_groups"`, `CREATE INDEX "rec_users_email_idx" ON "rec_users" ("email")`} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s in:\n%s", want, all)
		}
	}
	if _, err := schema.FromDDL(ctx, m.Statements); err != nil {
		t.Errorf("the recorded DDL does not run: %v", err)
	}
	for _, bad := range []any{recUser{}, nil, "x", (*int)(nil)} {
		if _, err := RecordModels(ctx, bad); err == nil || !strings.Contains(err.Error(), "is not a pointer to a struct") {
			t.Errorf("RecordModels(%#v): %v", bad, err)
		}
	}
}
