package main

import (
	"io"
	"slices"
	"strings"
	"testing"
)

func TestNormalizeArgs(t *testing.T) {
	app := newCLI(io.Discard, io.Discard)
	tests := []struct{ in, want string }{
		{"downgrade -1", "downgrade -- -1"},
		{"upgrade head --sql", "upgrade --sql -- head"},
		{"upgrade base:head --sql", "upgrade --sql -- base:head"},
		{"downgrade -2 -c x.ini", "-c x.ini downgrade -- -2"},
		{"-c x.ini downgrade -1", "-c x.ini downgrade -- -1"},
		{"history -r -3:current -v", "history -r -3:current -v"},
		{"history --verbose", "history --verbose"},
		{"revision -m -1 --empty", "revision -m -1 --empty"},
		{"revision -m=msg --rename a.b=c", "revision -m=msg --rename a.b=c"},
		{"upgrade --url=sqlite:///x.db head", "--url=sqlite:///x.db upgrade -- head"},
		{"upgrade -- -1", "upgrade -- -1"},
		{"upgrade --bogus head", "upgrade --bogus -- head"},
		{"merge a b -m both", "merge -m both -- a b"},
		{"frobnicate -1", "frobnicate -1"},
		// argparse reads a one-letter flag's value attached to it.
		{"history -r1975ea:ae1027", "history -r 1975ea:ae1027"},
		{"history -r-3:current", "history -r -3:current"},
		{"history -rev-range a:b", "history -rev-range a:b"},
		{"revision -mfoo --empty", "revision -m foo --empty"},
		{"revision -mfoo=bar", "revision -m foo=bar"},
		{"-calembic.ini current", "-c alembic.ini current"},
		{"-nprod -cx.ini current", "-n prod -c x.ini current"},
		{"current -calembic.ini -v", "-c alembic.ini current -v"},
		{"downgrade -nprod -1", "-n prod downgrade -- -1"},
		// and bundled one-letter booleans.
		{"history -vi", "history -v -i"},
		{"history -vi -r-2:", "history -v -i -r -2:"},
		{"current -vx", "current -vx"},
		{"upgrade -- -rx", "upgrade -- -rx"},
		{"", ""},
	}
	for _, tt := range tests {
		in := append([]string{"autogen"}, strings.Fields(tt.in)...)
		want := append([]string{"autogen"}, strings.Fields(tt.want)...)
		if got := normalizeArgs(app, in); !slices.Equal(got, want) {
			t.Errorf("normalizeArgs(%q) = %q, want %q", tt.in, got[1:], want[1:])
		}
	}
}
