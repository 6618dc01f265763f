// Package config reads alembic.ini the way Alembic's configparser does,
// turns SQLite URLs into database paths and reads PostgreSQL URLs as libpq
// does (environment variables and password file included).
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/ini.v1"

	"github.com/autogen-dev/autogen/internal/filemode"
	"github.com/autogen-dev/autogen/script"
)

// Defaults Alembic uses when alembic.ini leaves a key out; the others are
// the packages' own: script.DefaultVersionTable (which runner uses too),
// script.DefaultFileTemplate and script.DefaultTruncateSlugLength.
const (
	DefaultVersionTable = script.DefaultVersionTable
	DefaultSection      = "alembic"
	DefaultModels       = "./models"
	// EnvConfig names the environment variable that points at alembic.ini.
	EnvConfig = "AUTOGEN_CONFIG"
)

// Config is one section of alembic.ini with its defaults applied.
type Config struct {
	Path           string // the ini file, absolute
	Here           string // the folder holding the ini file, absolute
	Section        string
	ScriptLocation string // absolute
	URL            string // sqlalchemy.url as written (after interpolation); may be empty
	// DevURL is dev_url as written: a PostgreSQL database autogen may use
	// as scratch space to build the models' schema in (Atlas's dev
	// database), instead of a scratch schema in the live database.
	DevURL             string
	Models             []string
	FileTemplate       string
	TruncateSlugLength int
	Timezone           string // IANA name; empty means local time
	VersionTable       string
	// VersionTableSchema is version_table_schema (Alembic's): on
	// PostgreSQL, the schema holding the version table; "" is the current
	// schema.
	VersionTableSchema string
	// BusyTimeout is how long to wait for another connection's lock; zero
	// means the runner's default.
	BusyTimeout time.Duration
	// LoaderTimeout bounds each step of reading the models (building the
	// program that describes them, running it); zero means the loader's
	// default.
	LoaderTimeout time.Duration
	// LockTimeout and StatementTimeout are PostgreSQL's lock_timeout and
	// statement_timeout for each revision (lock_timeout, statement_timeout
	// keys); nil leaves the server's setting, zero means no limit.
	LockTimeout, StatementTimeout *time.Duration
	// SafeForms is postgresql_safe_forms: PostgreSQL revisions made only of
	// index and constraint changes are written in the forms that hold
	// lighter locks (CONCURRENTLY, NOT VALID then VALIDATE), outside a
	// transaction.
	SafeForms bool
	Keys      map[string]string // every key of the section and DEFAULT, interpolated
	// Env is where $AUTOGEN_URL and libpq's PG* variables are read; nil
	// means os.Getenv. A program running commands for others (a test
	// harness, a server) sets it per run.
	Env Environment
}

// env is c.Env, else os.Getenv.
func (c *Config) env() Environment {
	if c.Env == nil {
		return os.Getenv
	}
	return c.Env
}

// Location returns the time zone Create Date is written in.
func (c *Config) Location() *time.Location {
	if c.Timezone == "" {
		return time.Local
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil { // Load already checked the name
		return time.Local
	}
	return loc
}

// Sentinel errors, matched with errors.Is.
var (
	ErrNotFound       = errors.New("configuration file not found")
	ErrSyntax         = errors.New("malformed configuration file")
	ErrNoSection      = errors.New("section not found")
	ErrMissingKey     = errors.New("required key missing")
	ErrInvalidValue   = errors.New("invalid value")
	ErrUnsupportedURL = errors.New("unsupported database URL")
)

// Error is a problem with one configuration file; Line is 0 when unknown.
type Error struct {
	Path    string
	Line    int
	Section string
	Key     string
	Msg     string
	Err     error // one of the sentinel errors
}

func (e *Error) Error() string {
	loc := e.Path
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	var where string
	switch {
	case e.Key != "":
		where = fmt.Sprintf(" key %q in section [%s]", e.Key, e.Section)
	case e.Section != "":
		where = fmt.Sprintf(" section [%s]", e.Section)
	}
	return fmt.Sprintf("%s:%s %s", loc, where, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Find returns the configuration file to use: flagPath when given, else
// $AUTOGEN_CONFIG as env reads it (os.Getenv when env is nil), else
// ./alembic.ini.
func Find(flagPath string, env Environment) string {
	if flagPath != "" {
		return flagPath
	}
	if env == nil {
		env = os.Getenv
	}
	if v := env(EnvConfig); v != "" {
		return v
	}
	return "alembic.ini"
}

// Load reads section (DefaultSection when empty) of the ini file at path.
func Load(path, section string) (*Config, error) {
	if section == "" {
		section = DefaultSection
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &Error{Path: path, Msg: err.Error(), Err: ErrNotFound}
	}
	// A FIFO would block the read for ever and /dev/zero never end it.
	if info, err := os.Stat(abs); err == nil && !info.Mode().IsRegular() {
		return nil, &Error{Path: abs, Msg: "is not a regular file (" + filemode.Kind(info.Mode()) + "); give the path of an ini file such as alembic.ini", Err: ErrNotFound}
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, &Error{Path: abs, Msg: "does not exist (use -c PATH, $AUTOGEN_CONFIG, or run autogen init)", Err: ErrNotFound}
		}
		return nil, &Error{Path: abs, Msg: "cannot be read: " + err.Error(), Err: ErrNotFound}
	}
	return Parse(abs, data, section)
}

// Parse reads section of ini data as if it were the file at path (absolute).
func Parse(path string, data []byte, section string) (*Config, error) {
	if section == "" {
		section = DefaultSection
	}
	here := filepath.Dir(path)
	keys, err := fileReadSection(path, data, section)
	if err != nil {
		return nil, err
	}
	vals := make(map[string]string, len(keys))
	x := &expander{keys: keys, here: here, done: map[string]string{}, active: map[string]bool{}}
	for k := range keys {
		v, err := x.key(k, 1)
		if err != nil {
			return nil, &Error{Path: path, Section: section, Key: k, Msg: err.Error(), Err: ErrInvalidValue}
		}
		vals[k] = v
	}
	return build(path, here, section, vals)
}

func build(path, here, section string, vals map[string]string) (*Config, error) {
	bad := func(key, msg string, sentinel error) error {
		return &Error{Path: path, Section: section, Key: key, Msg: msg, Err: sentinel}
	}
	c := &Config{
		Path: path, Here: here, Section: section, Keys: vals,
		URL:                vals["sqlalchemy.url"],
		DevURL:             strings.TrimSpace(vals["dev_url"]),
		FileTemplate:       script.DefaultFileTemplate,
		TruncateSlugLength: script.DefaultTruncateSlugLength,
		VersionTable:       DefaultVersionTable,
		Timezone:           strings.TrimSpace(vals["timezone"]),
	}
	loc := strings.TrimSpace(vals["script_location"])
	if loc == "" {
		return nil, bad("script_location", "is required and names the script directory", ErrMissingKey)
	}
	c.ScriptLocation = resolve(here, loc)
	if c.DevURL != "" {
		if _, err := ParsePostgres(c.DevURL); err != nil {
			return nil, bad("dev_url", "must be a PostgreSQL URL: "+err.Error(), ErrInvalidValue)
		}
	}
	if v, ok := vals["file_template"]; ok && strings.TrimSpace(v) != "" {
		c.FileTemplate = strings.TrimSpace(v)
	}
	if v, ok := vals["truncate_slug_length"]; ok && strings.TrimSpace(v) != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 {
			return nil, bad("truncate_slug_length", fmt.Sprintf("must be a positive whole number, not %q", v), ErrInvalidValue)
		}
		c.TruncateSlugLength = n
	}
	if c.Timezone != "" {
		name, ok := zoneName(c.Timezone)
		if !ok {
			return nil, bad("timezone", fmt.Sprintf("names unknown time zone %q (use an IANA name such as Europe/Paris)", c.Timezone), ErrInvalidValue)
		}
		c.Timezone = name
	}
	if v := strings.TrimSpace(vals["version_table"]); v != "" {
		c.VersionTable = v
	}
	c.VersionTableSchema = strings.TrimSpace(vals["version_table_schema"])
	if v := strings.TrimSpace(vals["busy_timeout"]); v != "" {
		d, err := parseSeconds(v)
		if err != nil {
			return nil, bad("busy_timeout", fmt.Sprintf("must be a duration such as 30 (seconds) or 500ms, not %q", v), ErrInvalidValue)
		}
		c.BusyTimeout = d
	}
	if v := strings.TrimSpace(vals["loader_timeout"]); v != "" {
		d, err := parseSeconds(v)
		if err != nil {
			return nil, bad("loader_timeout", fmt.Sprintf("must be a duration such as 120 (seconds) or 5m, not %q", v), ErrInvalidValue)
		}
		c.LoaderTimeout = d
	}
	for _, k := range []struct {
		key string
		to  **time.Duration
	}{{"lock_timeout", &c.LockTimeout}, {"statement_timeout", &c.StatementTimeout}} {
		if v := strings.TrimSpace(vals[k.key]); v != "" {
			d, err := parseTimeout(v)
			if err != nil {
				return nil, bad(k.key, fmt.Sprintf("must be a duration such as 5 (seconds), 500ms or 0 (no limit), not %q", v), ErrInvalidValue)
			}
			*k.to = &d
		}
	}
	if v := strings.TrimSpace(vals["postgresql_safe_forms"]); v != "" {
		b, ok := parseBool(v)
		if !ok {
			return nil, bad("postgresql_safe_forms", fmt.Sprintf("must be true or false, not %q", v), ErrInvalidValue)
		}
		c.SafeForms = b
	}
	c.Models = splitList(vals["models"])
	if len(c.Models) == 0 {
		c.Models = []string{DefaultModels}
	}
	return c, nil
}

// zoneName is the time zone name that loads: as written, else upper-cased,
// as Alembic retries ZoneInfo(timezone.upper()), so "utc" is "UTC". Go's
// "Local" is not a zone name Alembic knows.
func zoneName(tz string) (string, bool) {
	if strings.EqualFold(tz, "local") {
		return "", false
	}
	for _, name := range []string{tz, strings.ToUpper(tz)} {
		if _, err := time.LoadLocation(name); err == nil {
			return name, true
		}
	}
	return "", false
}

// parseSeconds reads a positive duration written as seconds ("30", "0.5")
// or as a Go duration ("500ms").
// parseBool reads a boolean as configparser's getboolean does.
func parseBool(v string) (value, ok bool) {
	switch strings.ToLower(v) {
	case "1", "yes", "true", "on":
		return true, true
	case "0", "no", "false", "off":
		return false, true
	}
	return false, false
}

func parseSeconds(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f <= 0 || f > 86400 {
			return 0, fmt.Errorf("out of range")
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("not a positive duration")
	}
	return d, nil
}

// parseTimeout reads a PostgreSQL timeout: parseSeconds's forms, or 0 for
// no limit.
func parseTimeout(v string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil && f == 0 {
		return 0, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d == 0 {
		return 0, nil
	}
	return parseSeconds(v)
}

// resolve makes p absolute against here.
func resolve(here, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(here, p)
}

// splitList splits on spaces, commas and newlines, as Alembic does for lists.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	})
}

// fileReadSection returns the raw values of section, DEFAULT keys included.
func fileReadSection(path string, data []byte, section string) (map[string]string, error) {
	if err := duplicates(path, data); err != nil {
		return nil, err
	}
	f, err := ini.LoadSources(ini.LoadOptions{
		InsensitiveKeys:            true,
		IgnoreInlineComment:        true,
		AllowPythonMultilineValues: true,
		PreserveSurroundedQuote:    true,
		KeyValueDelimiters:         "=:",
	}, data)
	if err != nil {
		return nil, &Error{Path: path, Line: lineOf(data, err), Msg: strings.TrimSpace(describeSyntax(err)), Err: ErrSyntax}
	}
	sec, err := f.GetSection(section)
	if err != nil {
		return nil, &Error{Path: path, Section: section,
			Msg: fmt.Sprintf("does not exist (the file has %s)", sectionList(f)), Err: ErrNoSection}
	}
	keys := make(map[string]string)
	if def, err := f.GetSection(ini.DefaultSection); err == nil {
		for _, k := range def.Keys() {
			keys[k.Name()] = k.Value()
		}
	}
	for _, k := range sec.Keys() {
		keys[k.Name()] = k.Value()
	}
	for k, v := range keys {
		keys[k] = joinContinuation(v)
	}
	return keys, nil
}

// duplicates refuses a section or a key given twice, as configparser in
// its default strict mode does (DuplicateSectionError, DuplicateOptionError)
// where the ini library would silently keep the last. It follows
// configparser's reading: "#" and ";" lines are comments, a line indented
// deeper than its key continues the value, keys are case-insensitive and
// section names are not; [DEFAULT] may be opened twice but not repeat a key.
func duplicates(path string, data []byte) error {
	sections := map[string]int{}
	keys := map[[2]string]int{}
	section := ""
	inValue := false
	keyIndent := 0
	for i, raw := range strings.Split(string(data), "\n") {
		n := i + 1
		raw = strings.TrimRight(raw, "\r")
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		indent := len(raw) - len(strings.TrimLeft(raw, " \t"))
		if inValue && indent > keyIndent {
			continue // a continuation line
		}
		inValue = false
		if line[0] == '[' {
			if end := strings.LastIndexByte(line, ']'); end > 1 {
				section = line[1:end]
				if first, ok := sections[section]; ok && section != ini.DefaultSection {
					return &Error{Path: path, Line: n, Section: section, Msg: fmt.Sprintf("is repeated (first on line %d); Alembic's configparser refuses a section given twice", first), Err: ErrSyntax}
				}
				if _, ok := sections[section]; !ok {
					sections[section] = n
				}
				continue
			}
		}
		cut := strings.IndexAny(line, "=:")
		if cut < 0 {
			continue // not a key line; the ini library reports it
		}
		key := strings.ToLower(strings.TrimSpace(line[:cut]))
		inValue, keyIndent = true, indent
		id := [2]string{section, key}
		if first, ok := keys[id]; ok {
			name := section
			if name == "" {
				name = ini.DefaultSection
			}
			return &Error{Path: path, Line: n, Section: name, Key: key, Msg: fmt.Sprintf("is repeated (first on line %d); Alembic's configparser refuses a key given twice in a section", first), Err: ErrSyntax}
		}
		keys[id] = n
	}
	return nil
}

// joinContinuation strips each line of a multi-line value, as configparser does.
func joinContinuation(v string) string {
	lines := strings.Split(v, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, "\n")
}

func sectionList(f *ini.File) string {
	var names []string
	for _, n := range f.SectionStrings() {
		if n != ini.DefaultSection {
			names = append(names, "["+n+"]")
		}
	}
	if len(names) == 0 {
		return "no sections"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func describeSyntax(err error) string {
	var d ini.ErrDelimiterNotFound
	if errors.As(err, &d) {
		return fmt.Sprintf("is not valid ini: %q is neither a [section], a key = value line nor a comment", strings.TrimSpace(d.Line))
	}
	return "is not valid ini: " + err.Error()
}

// lineOf finds the line the ini library complained about; the library names
// the line's text but not its number.
func lineOf(data []byte, err error) int {
	var text string
	var d ini.ErrDelimiterNotFound
	if errors.As(err, &d) {
		text = d.Line
	} else if msg := err.Error(); strings.HasPrefix(msg, "unclosed section: ") {
		text = strings.TrimPrefix(msg, "unclosed section: ")
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return 0
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		if strings.TrimSpace(string(line)) == text {
			return i + 1
		}
	}
	return 0
}

// fileTemplateTokens are the names file_template may use.
var fileTemplateTokens = map[string]bool{
	"rev": true, "slug": true, "epoch": true, "year": true, "month": true,
	"day": true, "hour": true, "minute": true, "second": true,
}

// maxDepth is configparser's MAX_INTERPOLATION_DEPTH; maxLen keeps a
// value that references another many times from growing without bound.
const (
	maxDepth = 10
	maxLen   = 1 << 20
)

// expander expands values as configparser's BasicInterpolation does:
// %(name)s is another key (or here), %% is a literal %. It memoises each key's expansion, so that references fanning out
// cost linear time rather than exponential.
type expander struct {
	keys   map[string]string
	here   string
	done   map[string]string
	active map[string]bool
}

func (x *expander) key(name string, depth int) (string, error) {
	if v, ok := x.done[name]; ok {
		return v, nil
	}
	if x.active[name] || depth > maxDepth {
		return "", fmt.Errorf("has %%(...)s references nested more than %d deep (a reference loop through %%(%s)s?)", maxDepth, name)
	}
	x.active[name] = true
	v, err := x.expand(x.keys[name], depth)
	delete(x.active, name)
	if err != nil {
		return "", err
	}
	x.done[name] = v
	return v, nil
}

func (x *expander) expand(v string, depth int) (string, error) {
	var b strings.Builder
	for {
		if b.Len() > maxLen {
			return "", fmt.Errorf("expands to more than %d bytes", maxLen)
		}
		i := strings.IndexByte(v, '%')
		if i < 0 {
			b.WriteString(v)
			return b.String(), nil
		}
		b.WriteString(v[:i])
		v = v[i:]
		switch {
		case strings.HasPrefix(v, "%%"):
			b.WriteByte('%')
			v = v[2:]
		case strings.HasPrefix(v, "%("):
			end := strings.IndexByte(v, ')')
			if end < 0 {
				return "", fmt.Errorf("has a bad reference %q (write %%(name)s, or %%%% for a literal %%)", clip(v))
			}
			name := strings.ToLower(v[2:end])
			_, ok := x.keys[name]
			switch {
			case !ok && fileTemplateTokens[name]:
				// Alembic needs %%(rev)s; a single % is kept for the
				// file_template formatter rather than rejected.
				b.WriteString(v[:end+1])
				v = v[end+1:]
				continue
			case !strings.HasPrefix(v[end:], ")s"):
				return "", fmt.Errorf("has a bad reference %q (write %%(name)s, or %%%% for a literal %%)", clip(v))
			case !ok && name == "here":
				b.WriteString(x.here)
			case !ok:
				return "", fmt.Errorf("refers to %%(%s)s, which is not a key of the section or [DEFAULT]", name)
			default:
				s, err := x.key(name, depth+1)
				if err != nil {
					return "", err
				}
				b.WriteString(s)
			}
			v = v[end+2:]
		default:
			return "", fmt.Errorf("has a lone %% in %q (write %%%% for a literal %%)", clip(v))
		}
	}
}

// clip shortens a value quoted in an error.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:37]) + "..."
	}
	return s
}
