package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/autogen-dev/autogen/internal/filemode"
	"github.com/autogen-dev/autogen/runner"
)

func writeIni(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "alembic.ini")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadDefaults(t *testing.T) {
	p := writeIni(t, "[alembic]\nscript_location = migrations\n")
	c, err := Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	here := filepath.Dir(p)
	want := &Config{
		Path: p, Here: here, Section: "alembic",
		ScriptLocation:     filepath.Join(here, "migrations"),
		Models:             []string{"./models"},
		FileTemplate:       "%(rev)s_%(slug)s",
		TruncateSlugLength: 40,
		VersionTable:       "alembic_version",
		Keys:               map[string]string{"script_location": "migrations"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v\nwant %+v", c, want)
	}
}

func TestLoadAllKeys(t *testing.T) {
	p := writeIni(t, `# comment
[DEFAULT]
dbname = app.db

[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///%(dbname)s
models = ./models, ./more  ./third
file_template = %%(year)d_%%(month).2d_%%(rev)s_%%(slug)s
truncate_slug_length = 20
timezone = Europe/Paris
version_table = my_versions
busy_timeout = 2.5
loader_timeout = 5m
custom_key = keep # not a comment
multi = first
  second

[other]
script_location = /abs/elsewhere
`)
	here := filepath.Dir(p)
	c, err := Load(p, "alembic")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"ScriptLocation", c.ScriptLocation, filepath.Join(here, "migrations")},
		{"URL", c.URL, "sqlite:///app.db"},
		{"FileTemplate", c.FileTemplate, "%(year)d_%(month).2d_%(rev)s_%(slug)s"},
		{"Timezone", c.Timezone, "Europe/Paris"},
		{"VersionTable", c.VersionTable, "my_versions"},
		{"custom_key", c.Keys["custom_key"], "keep # not a comment"},
		{"dbname from DEFAULT", c.Keys["dbname"], "app.db"},
		{"multi", c.Keys["multi"], "first\nsecond"},
		{"Location", c.Location().String(), "Europe/Paris"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
	if c.BusyTimeout != 2500*time.Millisecond {
		t.Errorf("BusyTimeout = %v, want 2.5s", c.BusyTimeout)
	}
	if c.LoaderTimeout != 5*time.Minute {
		t.Errorf("LoaderTimeout = %v, want 5m", c.LoaderTimeout)
	}
	if c.TruncateSlugLength != 20 {
		t.Errorf("TruncateSlugLength = %d", c.TruncateSlugLength)
	}
	if want := []string{"./models", "./more", "./third"}; !reflect.DeepEqual(c.Models, want) {
		t.Errorf("Models = %q, want %q", c.Models, want)
	}
	o, err := Load(p, "other")
	if err != nil {
		t.Fatal(err)
	}
	if o.ScriptLocation != "/abs/elsewhere" {
		t.Errorf("other ScriptLocation = %q", o.ScriptLocation)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name    string
		body    string // "" means the file does not exist
		section string
		want    error
		msg     []string // substrings of the message
	}{
		{"missing file", "", "", ErrNotFound, []string{"alembic.ini", "does not exist"}},
		{"malformed line", "[alembic]\nscript_location = m\nthis is not ini\n", "", ErrSyntax, []string{"alembic.ini:3", "this is not ini"}},
		{"unclosed section", "\n[alembic\nscript_location = m\n", "", ErrSyntax, []string{"alembic.ini:2", "unclosed section"}},
		{"unknown section", "[alembic]\nscript_location = m\n[x]\n", "prod", ErrNoSection, []string{"[prod]", "does not exist", "[alembic], [x]"}},
		{"missing script_location", "[alembic]\nsqlalchemy.url = sqlite://\n", "", ErrMissingKey, []string{"script_location", "[alembic]", "required"}},
		{"empty script_location", "[alembic]\nscript_location =\n", "", ErrMissingKey, []string{"script_location"}},
		{"bad truncate", "[alembic]\nscript_location = m\ntruncate_slug_length = ten\n", "", ErrInvalidValue, []string{"truncate_slug_length", `"ten"`}},
		{"negative truncate", "[alembic]\nscript_location = m\ntruncate_slug_length = -3\n", "", ErrInvalidValue, []string{"truncate_slug_length"}},
		{"bad busy_timeout", "[alembic]\nscript_location = m\nbusy_timeout = soon\n", "", ErrInvalidValue, []string{"busy_timeout", `"soon"`}},
		{"zero busy_timeout", "[alembic]\nscript_location = m\nbusy_timeout = 0\n", "", ErrInvalidValue, []string{"busy_timeout"}},
		{"bad lock_timeout", "[alembic]\nscript_location = m\nlock_timeout = -1\n", "", ErrInvalidValue, []string{"lock_timeout", `"-1"`, "0 (no limit)"}},
		{"bad statement_timeout", "[alembic]\nscript_location = m\nstatement_timeout = 1 hour\n", "", ErrInvalidValue, []string{"statement_timeout", `"1 hour"`}},
		{"bad postgresql_safe_forms", "[alembic]\nscript_location = m\npostgresql_safe_forms = sometimes\n", "", ErrInvalidValue, []string{"postgresql_safe_forms", `"sometimes"`, "true or false"}},
		{"bad loader_timeout", "[alembic]\nscript_location = m\nloader_timeout = forever\n", "", ErrInvalidValue, []string{"loader_timeout", `"forever"`}},
		{"unknown timezone", "[alembic]\nscript_location = m\ntimezone = Mars/Olympus\n", "", ErrInvalidValue, []string{"timezone", "Mars/Olympus"}},
		{"lone percent", "[alembic]\nscript_location = m\nfile_template = %%(rev)s_%\n", "", ErrInvalidValue, []string{"file_template", "lone %"}},
		{"unknown reference", "[alembic]\nscript_location = %(nope)s/m\n", "", ErrInvalidValue, []string{"script_location", "%(nope)s"}},
		{"fan-out blow-up", "[alembic]\nscript_location = m\n" + fanOut(8, 30), "", ErrInvalidValue, []string{"more than 1048576 bytes"}},
		{"reference loop", "[alembic]\na = %(b)s\nb = %(a)s\nscript_location = m\n", "", ErrInvalidValue, []string{"nested more than 10"}},
		{"duplicate key", "[alembic]\nscript_location = m\nsqlalchemy.url = sqlite:///a.db\n\nsqlalchemy.url = sqlite:///b.db\n", "", ErrSyntax,
			[]string{"alembic.ini:5", `key "sqlalchemy.url" in section [alembic]`, "first on line 3"}},
		{"duplicate key in other case", "[alembic]\nscript_location = m\nScript_Location: n\n", "", ErrSyntax,
			[]string{"alembic.ini:3", `key "script_location"`, "first on line 2"}},
		{"duplicate key in another section", "[alembic]\nscript_location = m\n[post_write_hooks]\nhooks = a\n# comment\nhooks = b\n", "", ErrSyntax,
			[]string{"alembic.ini:6", `key "hooks" in section [post_write_hooks]`, "first on line 4"}},
		{"duplicate section", "[alembic]\nscript_location = m\n\n[alembic]\nsqlalchemy.url = sqlite://\n", "", ErrSyntax,
			[]string{"alembic.ini:4", "section [alembic] is repeated", "first on line 1"}},
		{"duplicate key across DEFAULT sections", "[DEFAULT]\nx = 1\n[alembic]\nscript_location = m\n[DEFAULT]\nx = 2\n", "", ErrSyntax,
			[]string{"alembic.ini:6", `key "x" in section [DEFAULT]`, "first on line 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p string
			if tt.body == "" {
				p = filepath.Join(t.TempDir(), "alembic.ini")
			} else {
				p = writeIni(t, tt.body)
			}
			_, err := Load(p, tt.section)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Path != p {
				t.Fatalf("err %v is not a *Error naming %s", err, p)
			}
			for _, s := range tt.msg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message %q lacks %q", err, s)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("message %q is not one line", err)
			}
		})
	}
}

func TestFind(t *testing.T) {
	t.Setenv(EnvConfig, "/os/alembic.ini")
	env := func(v string) Environment {
		return func(k string) string {
			if k == EnvConfig {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name, flag string
		env        Environment
		want       string
	}{
		{"nothing set", "", env(""), "alembic.ini"},
		{"from env", "", env("/env/alembic.ini"), "/env/alembic.ini"},
		{"flag over env", "flag.ini", env("/env/alembic.ini"), "flag.ini"},
		{"nil env reads the process's", "", nil, "/os/alembic.ini"},
	}
	for _, tt := range tests {
		if got := Find(tt.flag, tt.env); got != tt.want {
			t.Errorf("%s: Find(%q) = %q, want %q", tt.name, tt.flag, got, tt.want)
		}
	}
}

// The URL in force and the PostgreSQL connection read Config.Env, not the
// process's environment, when it is set.
func TestConfigEnv(t *testing.T) {
	t.Setenv(EnvURL, "sqlite:///os.db")
	t.Setenv("PGPASSWORD", "from-os")
	c := &Config{URL: "sqlite:///ini.db"}
	if got := c.URLInForce(""); got != "sqlite:///os.db" {
		t.Errorf("nil Env: URLInForce = %q", got)
	}
	vars := map[string]string{EnvURL: "postgresql://alice@db.example/app", "PGPASSWORD": "from-env", "PGPORT": "6543"}
	c.Env = func(k string) string { return vars[k] }
	if got := c.URLInForce(""); got != vars[EnvURL] {
		t.Errorf("URLInForce = %q", got)
	}
	if got := c.URLInForce("sqlite:///flag.db"); got != "sqlite:///flag.db" {
		t.Errorf("flag: URLInForce = %q", got)
	}
	p, err := c.Postgres("")
	if err != nil {
		t.Fatal(err)
	}
	if p.Password != "from-env" || p.Port != 6543 {
		t.Errorf("Postgres read password %q port %d, want from-env 6543", p.Password, p.Port)
	}
}

func TestDatabasePath(t *testing.T) {
	tests := []struct {
		url, want string
		ok        bool
	}{
		{"sqlite:///app.db", "/here/app.db", true},
		{"sqlite:///data/app.db", "/here/data/app.db", true},
		{"sqlite:///../app.db", "/app.db", true},
		{"sqlite:////var/db/app.db", "/var/db/app.db", true},
		{"sqlite:///:memory:", runner.Memory, true},
		{"sqlite://", runner.Memory, true},
		{"sqlite:///", "", false},
		{"postgres://u@h/db", "", false},
		{"app.db", "", false},
		{"", "", false},
		{"sqlite:///app.db?mode=ro", "", false},
		{"sqlite://host/app.db", "", false},
		{"mysql+pymysql://x", "", false},
	}
	for _, tt := range tests {
		got, err := DatabasePath(tt.url, "/here")
		if tt.ok {
			if err != nil || got != tt.want {
				t.Errorf("DatabasePath(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
			}
			continue
		}
		if !errors.Is(err, ErrUnsupportedURL) || !strings.Contains(err.Error(), "\""+tt.url+"\"") {
			t.Errorf("DatabasePath(%q) error = %v; want ErrUnsupportedURL naming the URL", tt.url, err)
		}
	}
}

func TestFileTemplateSinglePercent(t *testing.T) {
	p := writeIni(t, "[alembic]\nscript_location = m\nfile_template = %(year)d_%(month).2d_%(rev)s\n")
	c, err := Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.FileTemplate != "%(year)d_%(month).2d_%(rev)s" {
		t.Errorf("FileTemplate = %q", c.FileTemplate)
	}
}

func TestDatabase(t *testing.T) {
	p := writeIni(t, "[alembic]\nscript_location = m\nsqlalchemy.url = sqlite:///ini.db\n")
	c, err := Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	here := filepath.Dir(p)
	t.Setenv(EnvURL, "")
	tests := []struct{ flag, env, want string }{
		{"", "", filepath.Join(here, "ini.db")},
		{"", "sqlite:///env.db", filepath.Join(here, "env.db")},
		{"sqlite:////abs/flag.db", "sqlite:///env.db", "/abs/flag.db"},
	}
	for _, tt := range tests {
		t.Setenv(EnvURL, tt.env)
		if got, err := c.Database(tt.flag); err != nil || got != tt.want {
			t.Errorf("Database(%q) with env %q = %q, %v; want %q", tt.flag, tt.env, got, err, tt.want)
		}
	}
	t.Setenv(EnvURL, "")
	c.URL = ""
	if _, err := c.Database(""); !errors.Is(err, ErrMissingKey) || !strings.Contains(err.Error(), "sqlalchemy.url") {
		t.Errorf("no URL: %v", err)
	}
}

// fanOut makes keys k0..k(levels-1) where each refers to the next n times.
func fanOut(levels, n int) string {
	var b strings.Builder
	for i := 0; i < levels; i++ {
		b.WriteString(fmt.Sprintf("k%d = %s\n", i, strings.Repeat(fmt.Sprintf("%%(k%d)s", i+1), n)))
	}
	b.WriteString(fmt.Sprintf("k%d = xxxxxxxxxxxxxxxx\n", levels))
	return b.String()
}

// What configparser accepts stays accepted: a key name inside a multi-line
// value, sections differing in case, a second [DEFAULT] with new keys, the
// same key in two sections.
func TestLoadNotDuplicates(t *testing.T) {
	tests := []struct{ name, body string }{
		{"continuation holding a key", "[alembic]\nscript_location = m\nmodels = ./a\n    script_location = ./b\n"},
		{"section names are case-sensitive", "[alembic]\nscript_location = m\n[Alembic]\nscript_location = n\n"},
		{"DEFAULT twice", "[DEFAULT]\nx = 1\n[alembic]\nscript_location = m\n[DEFAULT]\ny = 2\n"},
		{"same key in two sections", "[alembic]\nscript_location = m\n[other]\nscript_location = n\n"},
		{"commented-out duplicate", "[alembic]\nscript_location = m\n# script_location = n\n; script_location = o\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Load(writeIni(t, tt.body), ""); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Alembic retries an unknown time zone upper-cased: "utc" is "UTC".
func TestTimezoneCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"UTC", "UTC"},
		{"utc", "UTC"},
		{"Europe/Paris", "Europe/Paris"},
		{"est", "EST"},
	}
	for _, tt := range tests {
		c, err := Load(writeIni(t, "[alembic]\nscript_location = m\ntimezone = "+tt.in+"\n"), "")
		if err != nil {
			t.Fatalf("timezone %q: %v", tt.in, err)
		}
		if c.Timezone != tt.want || c.Location().String() != tt.want {
			t.Errorf("timezone %q: Timezone %q, Location %q, want %q", tt.in, c.Timezone, c.Location(), tt.want)
		}
	}
	for _, bad := range []string{"local", "Local", "europe/nowhere"} {
		if _, err := Load(writeIni(t, "[alembic]\nscript_location = m\ntimezone = "+bad+"\n"), ""); !errors.Is(err, ErrInvalidValue) {
			t.Errorf("timezone %q: err = %v, want ErrInvalidValue", bad, err)
		}
	}
}

// A config path that is not a regular file is refused before it is read:
// a FIFO would block for ever, /dev/zero never end.
func TestLoadNotRegular(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "alembic.ini")
	if err := filemode.MakeFIFO(fifo); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for path, kind := range map[string]string{fifo: "a named pipe", "/dev/zero": "a character device", t.TempDir(): "a directory"} {
		_, err := Load(path, "")
		var ce *Error
		if !errors.As(err, &ce) || ce.Path != path || !strings.Contains(err.Error(), "is not a regular file ("+kind+")") {
			t.Errorf("Load(%s) = %v, want a *Error saying it is not a regular file", path, err)
		}
	}
}

// config repeats two of runner's constants, which it cannot import.
func TestConstantsMatchRunner(t *testing.T) {
	if Memory != runner.Memory || DefaultVersionTable != runner.DefaultVersionTable {
		t.Errorf("config has %q, %q; runner has %q, %q", Memory, DefaultVersionTable, runner.Memory, runner.DefaultVersionTable)
	}
}

func TestPostgresTimeouts(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "alembic.ini")
	tests := []struct {
		in         string
		lock, stmt string // "" when unset
	}{
		{"", "", ""},
		{"lock_timeout = 5\nstatement_timeout = 0\n", "5s", "0s"},
		{"lock_timeout = 250ms\n", "250ms", ""},
		{"statement_timeout = 0s\nlock_timeout = 1.5\n", "1.5s", "0s"},
	}
	show := func(d *time.Duration) string {
		if d == nil {
			return ""
		}
		return d.String()
	}
	for _, tt := range tests {
		if err := os.WriteFile(p, []byte("[alembic]\nscript_location = m\n"+tt.in), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(p, "alembic")
		if err != nil {
			t.Fatal(err)
		}
		if show(c.LockTimeout) != tt.lock || show(c.StatementTimeout) != tt.stmt {
			t.Errorf("%q: lock %q statement %q, want %q %q", tt.in, show(c.LockTimeout), show(c.StatementTimeout), tt.lock, tt.stmt)
		}
	}
}

func TestSafeForms(t *testing.T) {
	p := filepath.Join(t.TempDir(), "alembic.ini")
	for in, want := range map[string]bool{"": false, "postgresql_safe_forms = true\n": true, "postgresql_safe_forms = On\n": true,
		"postgresql_safe_forms = 0\n": false, "postgresql_safe_forms = no\n": false} {
		if err := os.WriteFile(p, []byte("[alembic]\nscript_location = m\n"+in), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := Load(p, "alembic")
		if err != nil {
			t.Fatal(err)
		}
		if c.SafeForms != want {
			t.Errorf("%q: SafeForms %v, want %v", in, c.SafeForms, want)
		}
	}
}
