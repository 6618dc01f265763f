package config

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestDialectOf(t *testing.T) {
	tests := map[string]Dialect{
		"sqlite:///app.db":                  SQLite,
		"sqlite://":                         SQLite,
		"postgresql://u@h/db":               PostgreSQL,
		"postgres://h/db":                   PostgreSQL,
		"postgresql+psycopg2://u:p@h/db":    PostgreSQL,
		"postgresql+asyncpg://h/db":         PostgreSQL,
		"postgresql+://h/db":                "",
		"postgresql+Psycopg2://h/db":        "",
		"postgres+psycopg2://h/db":          "",
		"mysql+pymysql://h/db":              "",
		"app.db":                            "",
		"":                                  "",
		"POSTGRESQL://h/db":                 "",
		"postgresql:/h/db":                  "",
		"postgresql+psycopg2:///db?host=/x": PostgreSQL,
	}
	for url, want := range tests {
		if got := DialectOf(url); got != want {
			t.Errorf("DialectOf(%q) = %q, want %q", url, got, want)
		}
	}
}

func TestParsePostgres(t *testing.T) {
	none := map[string]string{}
	tests := []struct {
		url  string
		want Postgres
	}{
		{"postgresql://alice:s3cret@db.example.com:6543/app",
			Postgres{Host: "db.example.com", Port: 6543, User: "alice", Password: "s3cret", Database: "app", Params: none}},
		{"postgres://db/app", Postgres{Host: "db", Database: "app", Params: none}},
		{"postgresql+psycopg2://scott:tiger@localhost/test",
			Postgres{Host: "localhost", User: "scott", Password: "tiger", Database: "test", Params: none}},
		{"postgresql:///app?host=/var/run/postgresql",
			Postgres{Host: "/var/run/postgresql", Database: "app", Params: none}},
		{"postgresql://%2Ftmp%2Fsock:5433/app", Postgres{Host: "/tmp/sock", Port: 5433, Database: "app", Params: none}},
		{"postgresql://[::1]:5432/app", Postgres{Host: "::1", Port: 5432, Database: "app", Params: none}},
		{"postgresql://[fe80::1%25eth0]/app", Postgres{Host: "fe80::1%eth0", Database: "app", Params: none}},
		{"postgresql://u:p%40ss%3Aw%2Fd@h/d%20b", Postgres{Host: "h", User: "u", Password: "p@ss:w/d", Database: "d b", Params: none}},
		{"postgresql://u:@h/db", Postgres{Host: "h", User: "u", Database: "db", Params: none}},
		{"postgresql://", Postgres{Params: none}},
		{"postgresql://h/db?sslmode=verify-full&sslrootcert=/ca.pem&application_name=my+app&connect_timeout=5",
			Postgres{Host: "h", Database: "db", SSLMode: "verify-full",
				Params: map[string]string{"sslrootcert": "/ca.pem", "application_name": "my app", "connect_timeout": "5"}}},
		{"postgresql:///?user=bob&password=pw&dbname=x&port=7&options=-c%20search_path%3Dapp",
			Postgres{User: "bob", Password: "pw", Database: "x", Port: 7, Params: map[string]string{"options": "-c search_path=app"}}},
	}
	for _, tt := range tests {
		got, err := ParsePostgres(tt.url)
		if err != nil {
			t.Errorf("ParsePostgres(%q): %v", tt.url, err)
			continue
		}
		tt.want.url = tt.url
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("ParsePostgres(%q) =\n%+v, want\n%+v", tt.url, *got, tt.want)
		}
	}
}

// Every refusal is one sentence naming the URL, password masked.
func TestParsePostgresErrors(t *testing.T) {
	tests := []struct{ url, want string }{
		{"postgresql://u:hunter2@h:99999/db", `port "99999"`},
		{"postgresql://u:hunter2@h:x/db", `port "x"`},
		{"postgresql://u:hunter2@h:/db", `port ""`},
		{"postgresql://u:hunter2@h:+5/db", `port "+5"`},
		{"postgresql://u:hunter2@h1,h2/db", "several hosts"},
		{"postgresql://u:hunter2@h/db?host=a,b", "several hosts"},
		{"postgresql://u:hunter2@h/db#frag", "fragment"},
		{"postgresql://u:hun%zzter2@h/db", "password that is not percent-encoded"},
		{"postgresql://u:hunter2@h/db?sslmode=maybe", `sslmode "maybe"`},
		{"postgresql://u:hunter2@h/db?search_path=x", `query parameter "search_path"`},
		{"postgresql://u:hunter2@h/db?sslmode=require&sslmode=disable", "twice"},
		{"postgresql://u:hunter2@h/db?sslmode", "no =value"},
		{"postgresql://u:hunter2@h/db?connect_timeout=soon", "connect_timeout"},
		{"postgresql://u:hunter2@[::1/db", "closing ]"},
		{"postgresql://u:hunter2@[::1]x/db", "after the IPv6 address"},
		{"mysql://u:hunter2@h/db", "not a PostgreSQL URL"},
	}
	for _, tt := range tests {
		_, err := ParsePostgres(tt.url)
		var ue *URLError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUnsupportedURL) {
			t.Errorf("ParsePostgres(%q) error = %v; want a *URLError", tt.url, err)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.want) || strings.Contains(msg, "hunter2") || strings.Contains(msg, "hun%zzter2") ||
			!strings.Contains(msg, `"`+Redact(tt.url)+`"`) || strings.Contains(msg, "\n") {
			t.Errorf("ParsePostgres(%q) error = %q; want one line naming the masked URL and %q", tt.url, msg, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"postgresql://u:pw@h/db":                 "postgresql://u:xxxxx@h/db",
		"postgresql://u@h/db":                    "postgresql://u@h/db",
		"postgresql://h:5432/db":                 "postgresql://h:5432/db",
		"postgresql://u:p/w@h/db":                "postgresql://u:xxxxx@h/db",
		"postgresql://u:p@w@h/db":                "postgresql://u:xxxxx@h/db",
		"postgresql:///db?password=pw&user=u":    "postgresql:///db?password=xxxxx&user=u",
		"postgresql:///db?pass%77ord=pw":         "postgresql:///db?pass%77ord=xxxxx",
		"postgresql:///db?user=u&%zz=pw":         "postgresql:///db?user=u&%zz=xxxxx",
		"sqlite:///app.db":                       "sqlite:///app.db",
		"not a url":                              "not a url",
		"postgresql+psycopg2://s:t@h:1/d?x=y#ab": "postgresql+psycopg2://s:xxxxx@h:1/d?x=y#ab",
	}
	for in, want := range tests {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func env(m map[string]string) Environment { return func(k string) string { return m[k] } }

func writePgpass(t *testing.T, body string, perm os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pgpass")
	if err := os.WriteFile(p, []byte(body), perm); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResolve(t *testing.T) {
	pass := writePgpass(t, "# comment\nother:*:*:*:nope\nlocalhost:5432:app:alice:from\\:file\\\\\n*:*:*:bob:bobs\n", 0o600)
	tests := []struct {
		name, url string
		env       map[string]string
		want      Postgres // Params and url are not compared
	}{
		{"URL password wins", "postgresql://alice:url@localhost/app",
			map[string]string{"PGPASSWORD": "envpw", "PGPASSFILE": pass},
			Postgres{Host: "localhost", Port: 5432, User: "alice", Password: "url", Database: "app", SSLMode: "prefer"}},
		{"PGPASSWORD before the file", "postgresql://alice@localhost/app",
			map[string]string{"PGPASSWORD": "envpw", "PGPASSFILE": pass},
			Postgres{Host: "localhost", Port: 5432, User: "alice", Password: "envpw", Database: "app", SSLMode: "prefer"}},
		{"password file, escapes", "postgresql://alice@localhost/app",
			map[string]string{"PGPASSFILE": pass},
			Postgres{Host: "localhost", Port: 5432, User: "alice", Password: `from:file\`, Database: "app", SSLMode: "prefer"}},
		{"socket at a default folder matches localhost", "postgresql://alice@/app?host=/var/run/postgresql",
			map[string]string{"PGPASSFILE": pass},
			Postgres{Host: "/var/run/postgresql", Port: 5432, User: "alice", Password: `from:file\`, Database: "app", SSLMode: "prefer"}},
		{"wildcards", "postgresql://bob@elsewhere:6000/x",
			map[string]string{"PGPASSFILE": pass},
			Postgres{Host: "elsewhere", Port: 6000, User: "bob", Password: "bobs", Database: "x", SSLMode: "prefer"}},
		{"no match", "postgresql://carol@h/x",
			map[string]string{"PGPASSFILE": pass},
			Postgres{Host: "h", Port: 5432, User: "carol", Database: "x", SSLMode: "prefer"}},
		{"~/.pgpass", "postgresql://bob@h/x", map[string]string{"HOME": filepath.Dir(pass)},
			Postgres{Host: "h", Port: 5432, User: "bob", Database: "x", SSLMode: "prefer"}},
		{"libpq environment", "postgresql://",
			map[string]string{"PGHOST": "envhost", "PGPORT": "6001", "PGUSER": "eve", "PGDATABASE": "envdb", "PGSSLMODE": "require"},
			Postgres{Host: "envhost", Port: 6001, User: "eve", Database: "envdb", SSLMode: "require"}},
		{"database defaults to the user", "postgresql://h?user=zed",
			nil, Postgres{Host: "h", Port: 5432, User: "zed", Database: "zed", SSLMode: "prefer"}},
	}
	if runtime.GOOS == "windows" {
		t.Skip("password file permissions and socket folders are Unix's")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePostgres(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Resolve(env(tt.env)); err != nil {
				t.Fatal(err)
			}
			p.Params, p.url = nil, ""
			if !reflect.DeepEqual(*p, tt.want) {
				t.Fatalf("got %+v\nwant %+v", *p, tt.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PGPORT": "abc"}, `$PGPORT port "abc"`},
		{map[string]string{"PGSSLMODE": "on"}, `$PGSSLMODE is "on"`},
	} {
		p, err := ParsePostgres("postgresql://u:secret@h/db")
		if err != nil {
			t.Fatal(err)
		}
		err = p.Resolve(env(tt.env))
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("Resolve with %v: %v; want an error naming %s, password masked", tt.env, err, tt.want)
		}
	}
}

// libpq ignores a password file others can read, and one that is not a
// regular file (reading a FIFO would block).
func TestLookupPasswordIgnores(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	open := writePgpass(t, "*:*:*:*:pw\n", 0o644)
	if got := LookupPassword(open, "h", "5432", "d", "u"); got != "" {
		t.Errorf("world-readable file gave %q", got)
	}
	if got := LookupPassword(t.TempDir(), "h", "5432", "d", "u"); got != "" {
		t.Errorf("a folder gave %q", got)
	}
	if got := LookupPassword(filepath.Join(t.TempDir(), "missing"), "h", "5432", "d", "u"); got != "" {
		t.Errorf("a missing file gave %q", got)
	}
}

func TestPasswordIn(t *testing.T) {
	tests := []struct {
		file, host, port, db, user, want string
	}{
		{"h:5432:d:u:pw", "h", "5432", "d", "u", "pw"},
		{"h:5432:d:u:pw\r\n", "h", "5432", "d", "u", "pw"},
		{"h:5432:d:u:pw:extra", "h", "5432", "d", "u", "pw"},
		{"h:5432:d:u:", "h", "5432", "d", "u", ""},
		{"h:5432:d:u", "h", "5432", "d", "u", ""},
		{"#h:5432:d:u:pw", "h", "5432", "d", "u", ""},
		{"*:*:*:*:all", "x", "1", "y", "z", "all"},
		{"**:*:*:*:all", "x", "1", "y", "z", ""},
		{`a\:b:*:*:*:esc`, "a:b", "1", "y", "z", "esc"},
		{"::1:*:*:*:v6", "::1", "1", "y", "z", "v6"},
		{`h:*:*:*:p\\w\:x`, "h", "1", "y", "z", `p\w:x`},
		{"H:*:*:*:case", "h", "1", "y", "z", ""},
		{"h:*:*:*:first\nh:*:*:*:second", "h", "1", "y", "z", "first"},
		{"x:*:*:*:no\n\nh:*:*:*:yes", "h", "1", "y", "z", "yes"},
	}
	for _, tt := range tests {
		if got := passwordIn([]byte(tt.file), tt.host, tt.port, tt.db, tt.user); got != tt.want {
			t.Errorf("passwordIn(%q, %s:%s:%s:%s) = %q, want %q", tt.file, tt.host, tt.port, tt.db, tt.user, got, tt.want)
		}
	}
}

// The DSN reads back through pgx as the same connection, whatever the
// values hold.
func TestDSNThroughPgx(t *testing.T) {
	p := &Postgres{Host: "/tmp/so ck", Port: 6000, User: `we'ird\user`, Password: `p'w\ d=`,
		Database: "d b", SSLMode: "disable", Params: map[string]string{"application_name": "a'b"}}
	cfg, err := pgx.ParseConfig(p.DSN())
	if err != nil {
		t.Fatalf("pgx cannot read %s: %v", p.DSN(), err)
	}
	if cfg.Host != p.Host || cfg.Port != 6000 || cfg.User != p.User || cfg.Password != p.Password ||
		cfg.Database != p.Database || cfg.RuntimeParams["application_name"] != "a'b" || cfg.TLSConfig != nil {
		t.Fatalf("pgx read %+v from %s", cfg.Config, p.DSN())
	}
}

func TestLoadDevURL(t *testing.T) {
	p := writeIni(t, "[alembic]\nscript_location = m\ndev_url = postgresql://u:pw@h/dev\n")
	c, err := Load(p, "")
	if err != nil || c.DevURL != "postgresql://u:pw@h/dev" {
		t.Fatalf("DevURL = %q, %v", c.DevURL, err)
	}
	p = writeIni(t, "[alembic]\nscript_location = m\ndev_url = sqlite:///x.db\n")
	if _, err := Load(p, ""); err == nil || !strings.Contains(err.Error(), `"dev_url"`) {
		t.Fatalf("dev_url of SQLite: %v", err)
	}
	p = writeIni(t, "[alembic]\nscript_location = m\ndev_url = postgresql://u:pw@h:x/dev\n")
	if _, err := Load(p, ""); err == nil || strings.Contains(err.Error(), "pw@") || !strings.Contains(err.Error(), `port "x"`) {
		t.Fatalf("bad dev_url: %v", err)
	}
}

func TestConfigPostgres(t *testing.T) {
	p := writeIni(t, "[alembic]\nscript_location = m\nsqlalchemy.url = postgresql+psycopg2://u:pw@h:1/db\n")
	c, err := Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvURL, "")
	if c.Dialect("") != PostgreSQL || c.Dialect("sqlite:///x.db") != SQLite {
		t.Fatalf("Dialect: %q %q", c.Dialect(""), c.Dialect("sqlite:///x.db"))
	}
	pg, err := c.Postgres("")
	if err != nil || pg.Host != "h" || pg.Port != 1 || pg.Password != "pw" {
		t.Fatalf("Postgres() = %+v, %v", pg, err)
	}
	if _, err := c.Database(""); err == nil || strings.Contains(err.Error(), "pw@") || !strings.Contains(err.Error(), "PostgreSQL URL") {
		t.Fatalf("Database() of a PostgreSQL URL: %v", err)
	}
	c.URL = ""
	if _, err := c.Postgres(""); !errors.Is(err, ErrMissingKey) {
		t.Fatalf("no URL: %v", err)
	}
}
