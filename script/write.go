package script

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/autogen-dev/autogen/internal/printable"
	"github.com/autogen-dev/autogen/internal/sqltext"
)

// DefaultTemplate is the script.sql.tmpl that autogen init writes: a Go
// text/template producing the revision file format of ARCHITECTURE.md.
const DefaultTemplate = `{{comment .Message}}
--
-- Revision ID: {{.ID}}
-- Revises:{{with .Revises}} {{.}}{{end}}
-- Create Date: {{.CreateDate}}
-- Branch Labels:{{with .BranchLabels}} {{.}}{{end}}
-- Depends On:{{with .DependsOn}} {{.}}{{end}}

` + UpgradeMarker + `
{{if .Upgrade}}{{.Upgrade}}
{{end}}
` + DowngradeMarker + `
{{if .Downgrade}}{{.Downgrade}}
{{end}}`

// Alembic's file_template and truncate_slug_length.
const (
	DefaultFileTemplate       = "%(rev)s_%(slug)s"
	DefaultTruncateSlugLength = 40
)

// DefaultVersionTable is Alembic's version_table, defined here, below both
// the runner and the configuration that name it.
const DefaultVersionTable = "alembic_version"

// ErrRevisionFile is matched with errors.Is by every WriteRevision error.
var ErrRevisionFile = errors.New("cannot write revision file")

// RevisionFile is the content of a new revision file.
type RevisionFile struct {
	ID           string
	Parents      []string
	BranchLabels []string
	DependsOn    []string
	Message      string
	Created      time.Time // already in the configured time zone
	// ShowOffset writes Create Date's UTC offset, as Alembic does when
	// alembic.ini sets timezone.
	ShowOffset bool
	Upgrade    string
	Downgrade  string
}

// FileOptions says how WriteRevision names and renders the file.
type FileOptions struct {
	TemplatePath       string // script.sql.tmpl; empty means DefaultTemplate
	FileTemplate       string // empty means DefaultFileTemplate
	TruncateSlugLength int    // 0 means 40
}

// TemplateData is what script.sql.tmpl sees; lists are comma-separated.
// The template also has the function comment, which prefixes every line
// with "-- ".
type TemplateData struct {
	ID, Revises, CreateDate, BranchLabels, DependsOn string
	Message                                          string
	Upgrade, Downgrade                               string // without surrounding blank lines
	Parents                                          []string
}

// WriteRevision renders r and writes it into versionsDir under the name
// file_template gives, atomically and never over an existing file. It
// returns the path written.
func WriteRevision(versionsDir string, r RevisionFile, o FileOptions) (string, error) {
	if err := fileCheckID(r.ID); err != nil {
		return "", err
	}
	name, err := FileName(o.FileTemplate, o.TruncateSlugLength, r)
	if err != nil {
		return "", err
	}
	tmpl, tmplName := DefaultTemplate, "default script.sql.tmpl"
	if o.TemplatePath != "" {
		b, err := os.ReadFile(o.TemplatePath)
		if err != nil {
			return "", fmt.Errorf("%w: template %s cannot be read: %w", ErrRevisionFile, o.TemplatePath, err)
		}
		tmpl, tmplName = string(b), o.TemplatePath
	}
	data, err := RenderRevision(tmplName, tmpl, r)
	if err != nil {
		return "", err
	}
	path := filepath.Join(versionsDir, name)
	if err := fileWriteNew(path, data); err != nil {
		return "", err
	}
	return path, nil
}

// RenderRevision executes the template text (named name in errors) for r
// and checks that the result parses back to r's header.
func RenderRevision(name, text string, r RevisionFile) ([]byte, error) {
	if err := fileCheckID(r.ID); err != nil {
		return nil, err
	}
	t, err := template.New(name).Funcs(template.FuncMap{"comment": fileComment}).Option("missingkey=error").Parse(text)
	if err != nil {
		return nil, fmt.Errorf("%w: template %s: %w", ErrRevisionFile, name, err)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, fileData(r)); err != nil {
		return nil, fmt.Errorf("%w: template %s: %w", ErrRevisionFile, name, err)
	}
	if err := fileCheck(name, buf.Bytes(), r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fileCheckID(id string) error {
	if !ValidID(id) {
		return fmt.Errorf("%w: revision id %q is not 1 to 32 letters, digits or underscores", ErrRevisionFile, id)
	}
	return nil
}

func fileData(r RevisionFile) TemplateData {
	return TemplateData{
		ID:           r.ID,
		Revises:      strings.Join(r.Parents, ", "),
		CreateDate:   FormatCreateDate(r.Created, r.ShowOffset),
		BranchLabels: strings.Join(r.BranchLabels, ", "),
		DependsOn:    strings.Join(r.DependsOn, ", "),
		Message:      fileMessage(r.Message),
		Upgrade:      trimSQL(sqltext.LineEndings(r.Upgrade)),
		Downgrade:    trimSQL(sqltext.LineEndings(r.Downgrade)),
		Parents:      slices.Clone(r.Parents),
	}
}

// fileCheck parses the rendered file back, so that neither a template nor
// a message or SQL holding a section marker can produce a file whose graph
// differs from what was asked.
func fileCheck(name string, out []byte, r RevisionFile) error {
	got, err := Parse(name, out)
	if err != nil {
		return fmt.Errorf("%w: the rendered file does not parse back: %w", ErrRevisionFile, err)
	}
	data := fileData(r)
	// The template may write around the SQL, never into it.
	if !strings.Contains(got.Upgrade, data.Upgrade) || !strings.Contains(got.Downgrade, data.Downgrade) {
		return fmt.Errorf("%w: the file rendered with %s for revision %s does not read back with the SQL it was given (a name or value holding a section marker line?)", ErrRevisionFile, name, r.ID)
	}
	same := got.ID == r.ID &&
		slices.Equal(got.Parents, r.Parents) &&
		slices.Equal(got.BranchLabels, r.BranchLabels) &&
		slices.Equal(got.DependsOn, r.DependsOn) &&
		got.Message == fileMessage(r.Message)
	if !same {
		return fmt.Errorf("%w: the file rendered with %s for revision %s does not carry its message, id, parents, branch labels and depends-on in the header", ErrRevisionFile, name, r.ID)
	}
	return nil
}

// fileMessage drops blank lines and trailing spaces, which the header
// format cannot carry inside a message, and shows control characters (and
// the other runes printable.Escape rewrites: line separators, bidi
// controls) as U+FFFD: an escape sequence in -m would otherwise reach every
// terminal that prints the history, and a comment line would carry the
// rune escaped, not as given.
func fileMessage(m string) string {
	m = strings.ReplaceAll(m, "\r\n", "\n")
	m = strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && printable.Escaped(r) {
			return unicode.ReplacementChar
		}
		return r
	}, m)
	var lines []string
	for l := range strings.SplitSeq(m, "\n") {
		if l = strings.TrimRight(l, " \t\r"); strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// fileComment prefixes each line with "-- " (sqltext.Comment), without
// the last line feed: the template writes it.
func fileComment(s string) string {
	return strings.TrimSuffix(sqltext.Comment(s), "\n")
}

// FormatCreateDate formats t as Python's str(datetime) does, which is what
// Alembic writes: microseconds when non-zero, the offset when zone-aware.
func FormatCreateDate(t time.Time, showOffset bool) string {
	layout := "2006-01-02 15:04:05"
	if t.Nanosecond()/1000 != 0 {
		layout += ".000000"
	}
	if showOffset {
		layout += "-07:00"
	}
	return t.Format(layout)
}

// FileName is the revision's file name: file_template filled in the way
// Alembic's %-formatting does, plus ".sql". It is always one plain name.
func FileName(fileTemplate string, truncate int, r RevisionFile) (string, error) {
	if fileTemplate == "" {
		fileTemplate = DefaultFileTemplate
	}
	if truncate <= 0 {
		truncate = DefaultTruncateSlugLength
	}
	t := r.Created
	vals := map[string]any{
		"rev": r.ID, "slug": Slug(r.Message, truncate), "epoch": t.Unix(),
		"year": t.Year(), "month": int(t.Month()), "day": t.Day(),
		"hour": t.Hour(), "minute": t.Minute(), "second": t.Second(),
	}
	name, err := filePercent(fileTemplate, vals)
	if err != nil {
		return "", fmt.Errorf("%w: file_template %q: %w", ErrRevisionFile, fileTemplate, err)
	}
	name += ".sql"
	if len(name) > 255 {
		return "", fmt.Errorf("%w: file_template %q gives a name of %d bytes; file names end at 255", ErrRevisionFile, fileTemplate, len(name))
	}
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || name != filepath.Base(name) {
		return "", fmt.Errorf("%w: file_template %q gives %q, which is not a plain file name inside versions/", ErrRevisionFile, fileTemplate, name)
	}
	return name, nil
}

// filePercent implements the part of Python's "%(name)spec" formatting that
// file templates use: flags -, 0, +, space, a width, a precision, and the
// conversions s, d and i.
func filePercent(tmpl string, vals map[string]any) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '%')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String(), nil
		}
		b.WriteString(tmpl[:i])
		tmpl = tmpl[i+1:]
		if strings.HasPrefix(tmpl, "%") {
			b.WriteByte('%')
			tmpl = tmpl[1:]
			continue
		}
		s, rest, err := fileDirective(tmpl, vals)
		if err != nil {
			return "", err
		}
		b.WriteString(s)
		tmpl = rest
	}
}

// fileDirective formats one "(name)spec" (the text after a %).
func fileDirective(tmpl string, vals map[string]any) (string, string, error) {
	if !strings.HasPrefix(tmpl, "(") {
		return "", "", fmt.Errorf("has a %% not followed by (name), such as %%(rev)s")
	}
	end := strings.IndexByte(tmpl, ')')
	if end < 0 {
		return "", "", fmt.Errorf("has an unclosed %%(")
	}
	key := tmpl[1:end]
	v, ok := vals[key]
	if !ok {
		return "", "", fmt.Errorf("uses unknown token %q (known: rev, slug, epoch, year, month, day, hour, minute, second)", key)
	}
	rest := tmpl[end+1:]
	j := 0
	for j < len(rest) && strings.IndexByte("-0+ .123456789", rest[j]) >= 0 {
		j++
	}
	if j == len(rest) || strings.IndexByte("sdi", rest[j]) < 0 {
		return "", "", fmt.Errorf("has %%(%s) without a conversion s or d", key)
	}
	spec, conv := rest[:j], rest[j]
	if conv != 's' {
		if _, isText := v.(string); isText {
			return "", "", fmt.Errorf("formats the text token %s with %%%c; use %%(%s)s", key, conv, key)
		}
		conv = 'd'
	} else if n, isInt := v.(int); isInt {
		v = strconv.Itoa(n)
	} else if n, isInt64 := v.(int64); isInt64 {
		v = strconv.FormatInt(n, 10)
	}
	if strings.Count(spec, ".") > 1 || !fileSmallNumbers(spec) {
		return "", "", fmt.Errorf("has a bad format %%(%s)%s%c (widths above 255 make no file name)", key, spec, conv)
	}
	// Python's precision on integers pads with zeros, which Go's %d also does.
	return fmt.Sprintf("%"+spec+string(conv), v), rest[j+1:], nil
}

// fileSmallNumbers reports whether every width and precision in spec is at
// most 255, the longest file name most systems allow.
func fileSmallNumbers(spec string) bool {
	for _, f := range strings.FieldsFunc(spec, func(r rune) bool { return r < '0' || r > '9' }) {
		if n, err := strconv.Atoi(f); err != nil || n > 255 {
			return false
		}
	}
	return true
}

// fileWriteNew writes data to path atomically: a temporary file in the same
// folder, synced, then hard-linked into place, which fails rather than
// replace an existing file.
func fileWriteNew(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".autogen-*.tmp")
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRevisionFile, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %s: %w", ErrRevisionFile, tmp.Name(), err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %s: %w", ErrRevisionFile, tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%w: %s: %w", ErrRevisionFile, tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrRevisionFile, tmp.Name(), err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s already exists", ErrRevisionFile, path)
		}
		return fileWriteExcl(path, data)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // durability of the new name; not all systems allow it
		d.Close()
	}
	return nil
}

// fileWriteExcl is the fallback where hard links are not supported: O_EXCL
// still refuses to replace a file.
func fileWriteExcl(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s already exists", ErrRevisionFile, path)
		}
		return fmt.Errorf("%w: %w", ErrRevisionFile, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("%w: %s: %w", ErrRevisionFile, path, err)
	}
	return nil
}
