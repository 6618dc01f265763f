package render

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/diff"
)

func TestAssess(t *testing.T) {
	const data = `INSERT INTO teams VALUES (1, 'red'), (2, 'blue'), (3, 'red');
INSERT INTO members VALUES (1, 1, 'ann', 'a'), (2, 1, NULL, 'a'), (3, 2, 'cid', NULL), (4, 9, NULL, 'a'), (5, 3, 'ann', 'b');`
	tests := []struct {
		name   string
		target string
		opts   diff.Options
		want   string // one "table.column kind rows fatal" line per finding
	}{
		{name: "drop table", target: teamsDDL,
			want: "members. drop table 5 false\n"},
		{name: "drop column", target: members(`"name" VARCHAR(100)`),
			want: "members.nick drop column 4 false\n"},
		{name: "narrowing", target: members(`"name" VARCHAR(2), "nick" VARCHAR`),
			want: "members. rebuild 5 false\nmembers.name narrowing 3 false\n"},
		{name: "narrowing that every value fits", target: members(`"name" VARCHAR(3), "nick" VARCHAR`),
			want: "members. rebuild 5 false\n"},
		{name: "narrowing to a numeric affinity", target: members(`"name" VARCHAR(100), "nick" INTEGER`),
			want: "members. rebuild 5 false\nmembers.nick narrowing 4 false\n"},
		{name: "not null with default", target: members(`"name" VARCHAR(100) NOT NULL DEFAULT 'x', "nick" VARCHAR`),
			want: "members. rebuild 5 false\nmembers.name not null 2 false\n"},
		{name: "not null without default", target: members(`"name" VARCHAR(100) NOT NULL, "nick" VARCHAR`),
			want: "members.name not null 2 true\n"},
		{name: "new not null column", target: members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER NOT NULL`),
			want: "members. rebuild 5 false\nmembers.age new not null 5 true\n"},
		{name: "unique constraint", target: members(`"name" VARCHAR(100), "nick" VARCHAR UNIQUE`),
			want: "members. rebuild 5 false\nmembers.nick unique 3 true\n"},
		{name: "unique index", target: teamsDDL + membersDDL + `CREATE UNIQUE INDEX "ux" ON "members" ("team_id", "name");`,
			want: ""},
		{name: "unique index over duplicates", target: teamsDDL + membersDDL + `CREATE UNIQUE INDEX "ux" ON "teams" (lower(name));`,
			want: "teams. unique 2 true\n"},
		{name: "check", target: members(`"name" VARCHAR(100), "nick" VARCHAR, CONSTRAINT "ck" CHECK (team_id < 3)`),
			want: "members. check 2 true\n"},
		{name: "renamed column", target: members(`"name" VARCHAR(100) NOT NULL, "handle" VARCHAR UNIQUE`),
			opts: diff.Options{ColumnRenames: map[string]map[string]string{"members": {"nick": "handle"}}},
			want: "members. rebuild 5 false\nmembers.handle unique 3 true\nmembers.name not null 2 true\n"},
		{name: "foreign key", target: teamsDDL + `CREATE TABLE "members" ("id" INTEGER NOT NULL, "team_id" INTEGER REFERENCES "teams" ("id"), "name" VARCHAR(100), "nick" VARCHAR, PRIMARY KEY ("id"));`,
			want: "members. rebuild 5 false\nmembers.team_id foreign key 1 true\n"},
		{name: "added column is fine", target: members(`"name" VARCHAR(100), "nick" VARCHAR, "age" INTEGER`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The members table starts without its foreign key, so a row can
			// name a missing team.
			cur := teamsDDL + strings.Replace(membersDDL, `, FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE`, "", 1)
			target := tt.target
			if tt.name != "foreign key" {
				target = strings.ReplaceAll(target, `, FOREIGN KEY ("team_id") REFERENCES "teams" ("id") ON UPDATE NO ACTION ON DELETE CASCADE`, "")
			}
			d := newDB(t, cur, data)
			from, to := d.inspect(), newDB(t, target).inspect()
			ops, err := diff.Compare(from, to, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Render(ops, from, to)
			if err != nil {
				t.Fatal(err)
			}
			fs, err := Assess(context.Background(), d.conn, ops, res.Rebuilt)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, f := range fs {
				fmt.Fprintf(&b, "%s.%s %s %d %v\n", f.Table, f.Column, f.Kind, f.Rows, f.Fatal)
				if f.Message == "" {
					t.Errorf("finding %+v has no message", f)
				}
			}
			if got := b.String(); got != tt.want {
				t.Errorf("findings:\n%s\nwant:\n%s\n(ops: %s)", got, tt.want, describeOps(ops))
			}
		})
	}
}

func describeOps(ops []diff.Op) string {
	var s []string
	for _, op := range ops {
		s = append(s, op.Describe())
	}
	return strings.Join(s, "; ")
}
