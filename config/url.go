package config

import (
	"fmt"
	"path/filepath"
	"strings"
)

// DatabasePath turns a SQLAlchemy-style SQLite URL into the path to open
// (see ParsePostgres for PostgreSQL URLs):
// sqlite:///rel.db is relative to here, sqlite:////abs.db is absolute, and
// sqlite:///:memory: or sqlite:// is an in-memory database (Memory, as Memory).
func DatabasePath(url, here string) (string, error) {
	bad := func(why string) error {
		return fmt.Errorf("%w %q: %s", ErrUnsupportedURL, Redact(url), why)
	}
	if strings.TrimSpace(url) == "" {
		return "", bad("no URL given (set sqlalchemy.url, $AUTOGEN_URL or --url)")
	}
	rest, ok := strings.CutPrefix(url, "sqlite://")
	if DialectOf(url) == PostgreSQL {
		return "", bad("is a PostgreSQL URL where a SQLite one such as sqlite:///app.db is needed")
	}
	if !ok {
		return "", bad("only SQLite URLs such as sqlite:///app.db are supported")
	}
	if strings.ContainsAny(rest, "?#") {
		return "", bad("query parameters and fragments are not supported")
	}
	switch {
	case rest == "":
		return Memory, nil
	case !strings.HasPrefix(rest, "/"):
		return "", bad("a host is not allowed; write sqlite:///relative.db or sqlite:////absolute.db")
	}
	p := rest[1:]
	switch {
	case p == "":
		return "", bad("names no database file")
	case p == Memory:
		return Memory, nil
	case filepath.IsAbs(p):
		return filepath.Clean(p), nil
	}
	return filepath.Join(here, p), nil
}

// Memory is the path DatabasePath returns for an in-memory database, the
// same as runner.Memory (config cannot import runner).
const Memory = ":memory:"

// EnvURL names the environment variable that overrides sqlalchemy.url.
const EnvURL = "AUTOGEN_URL"

// URLInForce is the database URL a command uses: flagURL when given, else
// $AUTOGEN_URL (read through c.Env), else sqlalchemy.url; "" when none is
// set.
func (c *Config) URLInForce(flagURL string) string {
	if flagURL != "" {
		return flagURL
	}
	if url := c.env()(EnvURL); url != "" {
		return url
	}
	return c.URL
}

// Database returns the database path to open for URLInForce(flagURL),
// relative to the ini's folder.
func (c *Config) Database(flagURL string) (string, error) {
	url := c.URLInForce(flagURL)
	if url == "" {
		return "", &Error{Path: c.Path, Section: c.Section, Key: "sqlalchemy.url",
			Msg: "is not set (set it, $AUTOGEN_URL, or --url)", Err: ErrMissingKey}
	}
	return DatabasePath(url, c.Here)
}

// Postgres returns the PostgreSQL connection URLInForce(flagURL) names,
// with libpq's environment variables, defaults and password file applied
// (Resolve with c.Env).
func (c *Config) Postgres(flagURL string) (*Postgres, error) {
	url := c.URLInForce(flagURL)
	if url == "" {
		return nil, &Error{Path: c.Path, Section: c.Section, Key: "sqlalchemy.url",
			Msg: "is not set (set it, $AUTOGEN_URL, or --url)", Err: ErrMissingKey}
	}
	p, err := ParsePostgres(url)
	if err != nil {
		return nil, err
	}
	if err := p.Resolve(c.env()); err != nil {
		return nil, err
	}
	return p, nil
}
