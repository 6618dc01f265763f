package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Dialect is the kind of database a URL names.
type Dialect string

// The dialects autogen speaks.
const (
	SQLite     Dialect = "sqlite"
	PostgreSQL Dialect = "postgresql"
)

// DialectOf returns the dialect of a database URL from its scheme, "" for
// a scheme autogen does not know: sqlite:// is SQLite; postgresql://,
// postgres:// and SQLAlchemy's postgresql+DRIVER:// (postgresql+psycopg2://
// as Alembic users write it) are PostgreSQL.
func DialectOf(url string) Dialect {
	scheme, _, ok := strings.Cut(url, "://")
	if !ok {
		return ""
	}
	switch {
	case scheme == "sqlite":
		return SQLite
	case scheme == "postgresql" || scheme == "postgres":
		return PostgreSQL
	}
	driver, ok := strings.CutPrefix(scheme, "postgresql+")
	if ok && driver != "" && strings.Trim(driver, "abcdefghijklmnopqrstuvwxyz0123456789_") == "" {
		return PostgreSQL
	}
	return ""
}

// Dialect is the dialect of URLInForce(flagURL).
func (c *Config) Dialect(flagURL string) Dialect { return DialectOf(c.URLInForce(flagURL)) }

// Postgres is a PostgreSQL connection as libpq understands a URL: the
// parts the URL names, then (after Resolve) libpq's environment variables
// and defaults for the rest.
type Postgres struct {
	// Host is a host name, an IP address, or a unix socket folder (an
	// absolute path); "" until Resolve picks the default.
	Host     string
	Port     int // 0 until Resolve picks 5432
	User     string
	Password string
	Database string
	// SSLMode is libpq's sslmode: disable, allow, prefer, require,
	// verify-ca or verify-full.
	SSLMode string
	// Params holds the other libpq keywords the URL's query may set:
	// sslrootcert, sslcert, sslkey, application_name, connect_timeout,
	// options.
	Params map[string]string

	url string // as given, for errors (printed masked)
}

// postgresParams are the query parameters a PostgreSQL URL may hold,
// libpq's connection keywords that mean something to a migration tool.
var postgresParams = []string{"application_name", "connect_timeout", "dbname", "host", "options",
	"password", "port", "sslcert", "sslkey", "sslmode", "sslrootcert", "user"}

var sslModes = []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}

// ParsePostgres reads a PostgreSQL URL as libpq and SQLAlchemy do:
// postgresql://user:password@host:port/dbname?key=value, every part
// optional and percent-decoded; [::1] for an IPv6 address; ?host=/dir or a
// host of %2Fdir for a unix socket folder. It applies no defaults (see
// Resolve). Errors are *URLError and name the URL with its password masked.
func ParsePostgres(url string) (*Postgres, error) {
	p := &Postgres{url: url, Params: map[string]string{}}
	bad := func(format string, args ...any) error {
		return &URLError{URL: url, Msg: fmt.Sprintf(format, args...)}
	}
	if DialectOf(url) != PostgreSQL {
		return nil, bad("is not a PostgreSQL URL (write postgresql://user@host:port/dbname)")
	}
	_, rest, _ := strings.Cut(url, "://")
	if strings.ContainsRune(rest, '#') {
		return nil, bad("has a fragment (#...); percent-encode a # in a password as %%23")
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	authority, path, _ := strings.Cut(rest, "/")
	if userinfo, hostport, ok := strings.Cut(authority, "@"); ok {
		name, pass, hasPass := strings.Cut(userinfo, ":")
		var err error
		if p.User, err = unescape(name, false); err != nil {
			return nil, bad("has a user name that is not percent-encoded properly (%v)", err)
		}
		if hasPass {
			if p.Password, err = unescape(pass, false); err != nil {
				return nil, bad("has a password that is not percent-encoded properly (%v)", err)
			}
		}
		authority = hostport
	}
	if err := p.hostPort(authority); err != nil {
		return nil, bad("%s", err)
	}
	db, err := unescape(path, false)
	if err != nil {
		return nil, bad("has a database name that is not percent-encoded properly (%v)", err)
	}
	p.Database = db
	if hasQuery {
		if err := p.query(query); err != nil {
			return nil, bad("%s", err)
		}
	}
	return p, nil
}

// hostPort reads host[:port], [ipv6][:port] or a percent-encoded socket folder.
func (p *Postgres) hostPort(s string) error {
	if strings.Contains(s, ",") {
		return errors.New("names several hosts; autogen connects to one (give the primary's address)")
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return errors.New("has an IPv6 address with no closing ]")
		}
		host, port = s[1:end], s[end+1:]
		if port != "" && port[0] != ':' {
			return fmt.Errorf("has %q after the IPv6 address where a :port may go", port)
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(s, ':'); i >= 0 {
		host, port = s[:i], s[i+1:]
	}
	h, err := unescape(host, false)
	if err != nil {
		return fmt.Errorf("has a host that is not percent-encoded properly (%v)", err)
	}
	p.Host = h
	if port != "" || strings.HasSuffix(s, ":") {
		return p.setPort(port)
	}
	return nil
}

func (p *Postgres) setPort(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 || strings.TrimLeft(s, "0123456789") != "" {
		return fmt.Errorf("has port %q, which is not a number from 1 to 65535", s)
	}
	p.Port = n
	return nil
}

// query reads key=value&... with '+' as a space, as SQLAlchemy does.
func (p *Postgres) query(q string) error {
	seen := map[string]bool{}
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		key, err := unescape(k, true)
		if err != nil {
			return fmt.Errorf("has a query parameter that is not percent-encoded properly (%v)", err)
		}
		val, err := unescape(v, true)
		if err != nil {
			return fmt.Errorf("has a value for %q that is not percent-encoded properly (%v)", key, err)
		}
		switch {
		case !ok:
			return fmt.Errorf("has query parameter %q with no =value", key)
		case !slices.Contains(postgresParams, key):
			return fmt.Errorf("has query parameter %q, which autogen does not know (it knows %s)", key, strings.Join(postgresParams, ", "))
		case seen[key]:
			return fmt.Errorf("gives query parameter %q twice", key)
		}
		seen[key] = true
		if err := p.setParam(key, val); err != nil {
			return err
		}
	}
	return nil
}

func (p *Postgres) setParam(key, val string) error {
	switch key {
	case "host":
		if strings.Contains(val, ",") {
			return errors.New("names several hosts; autogen connects to one (give the primary's address)")
		}
		p.Host = val
	case "port":
		return p.setPort(val)
	case "user":
		p.User = val
	case "password":
		p.Password = val
	case "dbname":
		p.Database = val
	case "sslmode":
		if !slices.Contains(sslModes, val) {
			return fmt.Errorf("has sslmode %q; use one of %s", val, strings.Join(sslModes, ", "))
		}
		p.SSLMode = val
	case "connect_timeout":
		if n, err := strconv.Atoi(val); err != nil || n < 0 {
			return fmt.Errorf("has connect_timeout %q, which is not a whole number of seconds", val)
		}
		p.Params[key] = val
	default:
		p.Params[key] = val
	}
	return nil
}

// unescape percent-decodes s; plus turns '+' into a space.
func unescape(s string, plus bool) (string, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return "", errors.New("it holds a NUL byte")
	}
	if !strings.ContainsAny(s, "%+") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if i+2 >= len(s) || !ishex(s[i+1]) || !ishex(s[i+2]) {
				return "", fmt.Errorf("%q is not %%XX", s[i:min(i+3, len(s))])
			}
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			if c == 0 {
				return "", errors.New("%00 is not allowed (PostgreSQL strings hold no NUL)")
			}
			b.WriteByte(c)
			i += 2
		case c == '+' && plus:
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// URLError is a database URL autogen cannot use. Its message shows the URL
// with any password masked.
type URLError struct {
	URL string // as given; print Redact(URL)
	Msg string
}

func (e *URLError) Error() string {
	return fmt.Sprintf("database URL %q %s", Redact(e.URL), e.Msg)
}

// Unwrap makes a URLError match ErrUnsupportedURL.
func (e *URLError) Unwrap() error { return ErrUnsupportedURL }

// Redact returns url with its password, in the user information or a
// password= query parameter, replaced by "xxxxx". It errs on the side of
// hiding: when the URL is malformed, everything between the first ':'
// after the scheme and the last '@' goes.
func Redact(url string) string {
	scheme, rest, ok := strings.Cut(url, "://")
	if !ok {
		return url
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		if colon := strings.IndexByte(rest[:at], ':'); colon >= 0 {
			rest = rest[:colon+1] + "xxxxx" + rest[at:]
		}
	}
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		parts := strings.Split(rest[q+1:], "&")
		for i, part := range parts {
			if k, _, ok := strings.Cut(part, "="); ok {
				if key, err := unescape(k, true); err != nil || key == "password" {
					parts[i] = k + "=xxxxx"
				}
			}
		}
		rest = rest[:q+1] + strings.Join(parts, "&")
	}
	return scheme + "://" + rest
}

// String is the URL as given, password masked.
func (p *Postgres) String() string { return Redact(p.url) }

// Environment gives Resolve the environment variables it reads; os.Getenv
// in use, a map in tests.
type Environment func(key string) string

// Resolve fills what the URL left out as libpq does: from $PGHOST, $PGPORT,
// $PGUSER, $PGDATABASE, $PGSSLMODE, then the defaults (the first unix
// socket folder holding a server socket, else localhost; port 5432; the
// operating-system user; a database named as the user; sslmode prefer);
// and, when the URL holds no password, $PGPASSWORD or the password file
// ($PGPASSFILE, else ~/.pgpass, %APPDATA%\postgresql\pgpass.conf on
// Windows).
func (p *Postgres) Resolve(env Environment) error {
	fill := func(v *string, key string) {
		if *v == "" {
			*v = env(key)
		}
	}
	fill(&p.Host, "PGHOST")
	fill(&p.User, "PGUSER")
	fill(&p.Database, "PGDATABASE")
	fill(&p.SSLMode, "PGSSLMODE")
	if p.Port == 0 && env("PGPORT") != "" {
		if err := p.setPort(env("PGPORT")); err != nil {
			return &URLError{URL: p.url, Msg: "cannot be used: $PGPORT " + strings.TrimPrefix(err.Error(), "has ")}
		}
	}
	if p.Port == 0 {
		p.Port = 5432
	}
	if p.SSLMode == "" {
		p.SSLMode = "prefer"
	} else if !slices.Contains(sslModes, p.SSLMode) {
		return &URLError{URL: p.url, Msg: fmt.Sprintf("cannot be used: $PGSSLMODE is %q; use one of %s", p.SSLMode, strings.Join(sslModes, ", "))}
	}
	defaultHost := p.Host == ""
	if defaultHost {
		p.Host = defaultSocketDir(p.Port)
	}
	if p.User == "" {
		u, err := user.Current()
		if err != nil {
			return &URLError{URL: p.url, Msg: "names no user, and the operating-system user is unknown: " + err.Error()}
		}
		_, name, ok := strings.Cut(u.Username, `\`) // DOMAIN\user on Windows
		if !ok {
			name = u.Username
		}
		p.User = name
	}
	if p.Database == "" {
		p.Database = p.User
	}
	if p.Password != "" {
		return nil
	}
	if p.Password = env("PGPASSWORD"); p.Password != "" {
		return nil
	}
	host := p.Host
	if defaultHost || slices.Contains(socketDirs, host) {
		host = "localhost" // libpq's pgpass matches the default socket as localhost
	}
	p.Password = LookupPassword(passFile(env), host, strconv.Itoa(p.Port), p.Database, p.User)
	return nil
}

// passFile is where libpq looks for passwords.
func passFile(env Environment) string {
	if f := env("PGPASSFILE"); f != "" {
		return f
	}
	if runtime.GOOS == "windows" {
		if d := env("APPDATA"); d != "" {
			return filepath.Join(d, "postgresql", "pgpass.conf")
		}
		return ""
	}
	if h := env("HOME"); h != "" {
		return filepath.Join(h, ".pgpass")
	}
	return ""
}

// DSN is the connection in libpq's keyword/value form, every value quoted,
// which pgx, lib/pq and libpq read alike.
func (p *Postgres) DSN() string {
	kv := map[string]string{"host": p.Host, "user": p.User, "password": p.Password,
		"dbname": p.Database, "sslmode": p.SSLMode}
	if p.Port != 0 {
		kv["port"] = strconv.Itoa(p.Port)
	}
	for k, v := range p.Params {
		kv[k] = v
	}
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(kv)) {
		if kv[k] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		v := strings.ReplaceAll(kv[k], `\`, `\\`)
		fmt.Fprintf(&b, "%s='%s'", k, strings.ReplaceAll(v, `'`, `\'`))
	}
	return b.String()
}

// socketDirs are the folders libpq builds use as the default socket folder
// (Debian's, macOS's, upstream's).
var socketDirs = []string{"/var/run/postgresql", "/private/tmp", "/tmp"}

// defaultSocketDir is the first of socketDirs holding the server's socket
// for port, else localhost (as on Windows, which has no default socket).
func defaultSocketDir(port int) string {
	if runtime.GOOS != "windows" {
		for _, d := range socketDirs {
			if _, err := os.Stat(filepath.Join(d, ".s.PGSQL."+strconv.Itoa(port))); err == nil {
				return d
			}
		}
	}
	return "localhost"
}
