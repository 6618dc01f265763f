package main

import (
	"slices"
	"strings"
	"testing"
)

// morePatternModels: further ways public bun apps write models (the apps
// are listed in the loader's status report for issue 12): a shared base
// struct without bun.BaseModel holding pk,autoincrement, timestamps with
// nullzero,notnull,default:current_timestamp, bun.NullTime and a
// soft_delete *time.Time; unique,notnull,type:varchar(60); a type name
// with a typo SQLite takes as any other (vargchar); []string with an
// option bun does not know (jsonb, not type:jsonb) and with array; a map
// type with Scan/Value under type:jsonb; a PostgreSQL array type (text[],
// which SQLite takes as a type name); scanonly, bun:"-" and unexported
// fields (no columns); a tag missing its colon (bun reads none); a
// composite primary key; a model with a BeforeAppendModel hook.
const morePatternModels = `package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"
)

type Base struct {
	ID        int64        ` + "`json:\"id\" bun:\",pk,autoincrement\"`" + `
	CreatedAt time.Time    ` + "`bun:\",nullzero,notnull,default:current_timestamp\"`" + `
	UpdatedAt bun.NullTime
	DeletedAt *time.Time   ` + "`bun:\",soft_delete,nullzero\"`" + `
}

type JSONB map[string]any

func (j JSONB) Value() (driver.Value, error) { return json.Marshal(j) }

func (j *JSONB) Scan(v any) error {
	b, ok := v.([]byte)
	if !ok {
		return errors.New("not bytes")
	}
	return json.Unmarshal(b, j)
}

type Post struct {
	bun.BaseModel ` + "`bun:\"table:posts,alias:p\"`" + `
	Base
	GUID   string   ` + "`bun:\"guid,unique,notnull,type:varchar(60)\"`" + `
	Slug   string   ` + "`bun:\"type:vargchar(26)\"`" + `
	Tags   []string ` + "`bun:\"tags,jsonb\"`" + `
	Labels []string ` + "`bun:\",array\"`" + `
	Meta   JSONB    ` + "`bun:\"type:jsonb\"`" + `
	Words  []string ` + "`bun:\"words,type:text[]\"`" + `
	Score  float64  ` + "`bun:\",scanonly\"`" + `
	Cache  string   ` + "`bun:\"-\"`" + `
	secret string
}

func (p *Post) BeforeAppendModel(ctx context.Context, q bun.Query) error {
	p.UpdatedAt = bun.NullTime{Time: time.Now()}
	return nil
}

type Player struct {
	bun.BaseModel ` + "`bun:\"table:players\"`" + `
	ID   int64  ` + "`bun\"id,pk,autoincrement\"`" + `
	Name string ` + "`bun:\"name,notnull\"`" + `
}

type PostTag struct {
	bun.BaseModel ` + "`bun:\"table:post_tags\"`" + `
	PostID int64  ` + "`bun:\",pk\"`" + `
	Tag    string ` + "`bun:\",pk\"`" + `
}
`

// TestMorePublicAppPatterns: those models load, the database holding rows
// upgrades and checks clean, takes a change, and goes down to base and up.
func TestMorePublicAppPatterns(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": morePatternModels})
	a.ok("init", "migrations")
	a.ok("revision", "-m", "patterns")
	a.ok("upgrade", "head")
	a.exec(`INSERT INTO posts (guid, slug, tags, labels, meta) VALUES ('g1', 's', '["a"]', '["x"]', '{"k":1}'), ('g2', NULL, NULL, NULL, NULL);
INSERT INTO players (name) VALUES ('ann');
INSERT INTO post_tags VALUES (1, 'go'), (1, 'sql');`)
	a.ok("check")

	cols := a.rows(`SELECT name || ':' || type || ':' || "notnull" || ':' || pk FROM pragma_table_info('posts') ORDER BY cid`)
	// No score, cache or secret: bun creates no column for them.
	wantCols := []string{"id:INTEGER:1:1", "created_at:TIMESTAMP:1:0", "updated_at:TIMESTAMP:0:0", "deleted_at:TIMESTAMP:0:0",
		"guid:varchar(60):1:0", "slug:vargchar(26):0:0", "tags:VARCHAR:0:0", "labels:VARCHAR:0:0", "meta:jsonb:0:0", "words:text[]:0:0"}
	if !slices.Equal(cols, wantCols) {
		t.Errorf("posts columns:\n got %q\nwant %q", cols, wantCols)
	}
	if got := a.rows(`SELECT name FROM pragma_table_info('post_tags') WHERE pk > 0 ORDER BY pk`); !slices.Equal(got, []string{"post_id", "tag"}) {
		t.Errorf("post_tags primary key: %q", got)
	}
	// The tag without its colon is no bun tag: id is a plain column, as bun
	// creates it (bun v1.2 picks no primary key by name).
	if got := a.rows(`SELECT name || ':' || type || ':' || pk FROM pragma_table_info('players') ORDER BY cid`); !slices.Equal(got, []string{"id:INTEGER:0", "name:VARCHAR:0"}) {
		t.Errorf("players columns: %q", got)
	}

	a.write("models/models.go", strings.Replace(morePatternModels, "\tName string ", "\tRank int64 `bun:\",notnull,default:0\"`\n\tName string ", 1))
	a.fails(1, "", "check")
	a.ok("revision", "-m", "rank")
	a.ok("upgrade", "head")
	a.ok("check")
	if got := a.rows(`SELECT name, rank FROM players`); !slices.Equal(got, []string{"ann|0"}) {
		t.Errorf("players after the change: %q", got)
	}
	a.ok("downgrade", "base")
	a.ok("upgrade", "head")
	a.ok("check")
}
