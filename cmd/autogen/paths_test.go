package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// init writes a % in the script location as %%, so that the alembic.ini it
// writes reads back; and it refuses a path that is a file, saying "done"
// only for what it made.
func TestInitPercentAndFile(t *testing.T) {
	a := newApp(t, map[string]string{"models/models.go": rvBaseModels(t)})
	a.ok("init", "mig%rations")
	ini, err := os.ReadFile(a.dir + "/alembic.ini")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ini), "script_location = mig%%rations\n") {
		t.Errorf("alembic.ini:\n%s", ini)
	}
	a.ok("heads")
	o, _, _ := a.run("init", "alembic.ini")
	if strings.Contains(o, "done") {
		t.Errorf("init on a file printed done:\n%s", o)
	}
	a.fails(2, "alembic.ini already exists and is a file, not a directory", "init", "alembic.ini")
}

// Output lost to a full device fails the command (branches, with no
// branch here, writes nothing); --sql with --backup is
// refused; a database path that is not a regular file or under a file is
// refused by name.
func TestWriteErrorsAndBadPaths(t *testing.T) {
	a := rvTutorial(t)
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer full.Close()
	for _, args := range [][]string{{"history"}, {"heads"}, {"show", "head"}, {"current"}, {"check"}} {
		cmd := exec.Command(bin, args...)
		cmd.Dir = a.dir
		cmd.Stdout = full
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if cmd.ProcessState.ExitCode() != 2 || !strings.Contains(stderr.String(), "writing to standard output") {
			t.Errorf("autogen %s > /dev/full: %v, stderr %q", strings.Join(args, " "), err, stderr.String())
		}
	}
	a.fails(2, "--backup copies the database before applying revisions, and --sql applies nothing", "upgrade", "head", "--sql", "--backup")
	a.fails(2, "database /dev/null is not a regular file", "--url", "sqlite:////dev/null", "current")
	a.fails(2, "alembic.ini is a file, not a folder", "--url", "sqlite:///alembic.ini/x.db", "upgrade", "head")
}

// $AUTOGEN_CONFIG and $AUTOGEN_URL are read from the run's environment.
func TestConfigAndURLFromEnvironment(t *testing.T) {
	a := newApp(t, map[string]string{
		"conf/other.ini":          "[alembic]\nscript_location = %(here)s/mig\nsqlalchemy.url = sqlite:///%(here)s/other.db\n",
		"conf/mig/versions/.keep": "",
	})
	a.fails(2, "alembic.ini", "current")
	a.env = []string{"AUTOGEN_CONFIG=conf/other.ini"}
	a.fails(2, "other.db", "current")
	db, err := sql.Open("sqlite", filepath.Join(a.dir, "conf", "other.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	a.ok("current")
	a.env = append(a.env, "AUTOGEN_URL=sqlite:///"+filepath.Join(a.dir, "env.db"))
	a.fails(2, "env.db", "current")
}
