package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartUpMigrates runs the app as it starts: the first start upgrades a
// fresh database to head and the models work on it; later starts run no
// revision.
func TestStartUpMigrates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "app.db")
	start := func(args ...string) (string, string, error) {
		var out, log bytes.Buffer
		err := run(context.Background(), append([]string{"-db", db}, args...), &out, &log)
		return out.String(), log.String(), err
	}
	out, log, err := start("ann", "red", "30")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Running upgrade  -> 84a704d3541a, Initial Tables\n",
		"Running upgrade 84a704d3541a -> f3ba2abbb081, Column age added to Member\n",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("first start's log lacks %q:\n%s", want, log)
		}
	}
	if out != "ann (red, 30)\n1 member(s)\n" {
		t.Errorf("first start printed %q", out)
	}
	out, log, err = start("bob", "red")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(log, "Running") {
		t.Errorf("a start on a database at head ran revisions:\n%s", log)
	}
	if out != "ann (red, 30)\nbob (red, 0)\n2 member(s)\n" {
		t.Errorf("second start printed %q", out)
	}
	if _, _, err := start("cy", "blue", "old"); err == nil || !strings.Contains(err.Error(), `"old"`) {
		t.Errorf("a bad age: %v", err)
	}
}
