package pgrender_test

import (
	"strings"
	"testing"
)

const (
	mood    = `CREATE TYPE mood AS ENUM ('happy', 'sad')`
	people  = `CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sad', moods mood[])`
	peopleR = `INSERT INTO people (name, mood, moods) VALUES ('ann', 'happy', '{happy,sad}'), ('bob', 'sad', NULL), ('cid', NULL, '{}')`
)

// longLabel is the longest label PostgreSQL takes: 63 bytes, here of
// two-byte letters and one quote.
var longLabel = strings.Repeat("é", 31) + "'"

var enumCases = []renderCase{
	{name: "enum_checks_indexes", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`, people, peopleR,
		`ALTER TABLE people ADD CONSTRAINT not_sad CHECK (mood <> 'sad' OR moods = '{sad}')`,
		`CREATE INDEX people_happy ON people (name) WHERE mood = 'happy'`,
		`CREATE INDEX people_sadness ON people ((mood = 'sad'))`}, target: []string{
		mood, people, `ALTER TABLE people ADD CONSTRAINT not_sad CHECK (mood <> 'sad' OR moods = '{sad}')`,
		`CREATE INDEX people_happy ON people (name) WHERE mood = 'happy'`,
		`CREATE INDEX people_sadness ON people ((mood = 'sad'))`,
	}, diffs: 1},
	{name: "enum_create", current: []string{teams, `INSERT INTO teams (name) VALUES ('a')`}, target: []string{
		teams, mood, `ALTER TABLE teams ADD COLUMN mood mood NOT NULL DEFAULT 'happy'`,
		`CREATE TABLE moods (id int PRIMARY KEY, seen mood[] NOT NULL DEFAULT '{}')`,
	}, diffs: 3},
	{name: "enum_drop", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL)`,
	}, diffs: 3},
	{name: "enum_add_values", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('ok', 'happy', 'meh', 'sad', 'great')`, people,
	}, diffs: 1},
	{name: "enum_add_value_used", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('happy', 'meh', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'meh', moods mood[])`,
	}, diffs: 2},
	{name: "enum_remove_value", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`, people, peopleR,
		`CREATE INDEX people_mood ON people (mood)`}, target: []string{
		mood, people, `CREATE INDEX people_mood ON people (mood)`,
	}, diffs: 1},
	{name: "enum_remove_default_value", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'gone', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'gone', moods mood[])`,
		`INSERT INTO people (name, mood) VALUES ('ann', 'happy'), ('bob', 'sad')`}, target: []string{
		mood, people,
	}, diffs: 2},
	{name: "enum_reorder", current: []string{mood, people, peopleR}, target: []string{
		`CREATE TYPE mood AS ENUM ('sad', 'happy')`, people,
	}, diffs: 1},
	{name: "enum_rename_value", current: []string{`CREATE TYPE mood AS ENUM ('happy', 'sadd')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sadd', moods mood[])`,
		`INSERT INTO people (name, mood, moods) VALUES ('ann', 'sadd', '{sadd,happy}')`}, target: []string{
		`CREATE TYPE mood AS ENUM ('happy', 'sad')`,
		`CREATE TABLE people (id bigserial PRIMARY KEY, name text NOT NULL, mood mood DEFAULT 'sad', moods mood[])`,
	}, diffs: 1},
	{name: "enum_hostile_labels", current: []string{
		`CREATE TYPE "Mood ""x"" -- */" AS ENUM ('it''s', E'line\nbreak', 'back\slash')`,
		`CREATE TABLE "T" ("Mood" "Mood ""x"" -- */" DEFAULT E'line\nbreak')`,
		`INSERT INTO "T" VALUES ('it''s'), ('back\slash'), (DEFAULT)`,
	}, target: []string{
		`CREATE TYPE "Mood ""x"" -- */" AS ENUM (E'line\nbreak', 'it''s', '` + strings.ReplaceAll(longLabel, "'", "''") + `', 'back\slash', '; DROP TABLE "T"; --')`,
		`CREATE TABLE "T" ("Mood" "Mood ""x"" -- */" DEFAULT E'line\nbreak')`,
	}, diffs: 1},
}

func TestRenderEnums(t *testing.T) {
	for _, tc := range enumCases {
		t.Run(tc.name, func(t *testing.T) { renderOne(t, tc) })
	}
}
