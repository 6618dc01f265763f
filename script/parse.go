package script

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// The lines that open a revision file's two sections.
const (
	UpgradeMarker   = "-- +autogen upgrade"
	DowngradeMarker = "-- +autogen downgrade"
	markerPrefix    = "-- +autogen"
)

// ErrParse is matched with errors.Is by every *ParseError.
var ErrParse = errors.New("invalid revision file")

// ParseError is a problem in one revision file; Line is 0 for the whole file.
type ParseError struct {
	Path string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Is makes errors.Is(err, ErrParse) true.
func (e *ParseError) Is(target error) bool { return target == ErrParse }

// Header field names as written in the file.
const (
	fieldID        = "Revision ID"
	fieldRevises   = "Revises"
	fieldCreate    = "Create Date"
	fieldLabels    = "Branch Labels"
	fieldDependsOn = "Depends On"
)

// Parse reads one revision file; path is used in errors and kept in Path.
func Parse(path string, data []byte) (*Revision, error) {
	p := &parser{path: path, r: &Revision{Path: path}}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	if err := p.sections(lines); err != nil {
		return nil, err
	}
	if err := p.header(lines[:p.upLine-1]); err != nil {
		return nil, err
	}
	return p.r, nil
}

type parser struct {
	path     string
	r        *Revision
	upLine   int // 1-based line of the upgrade marker
	downLine int
}

func (p *parser) errf(line int, format string, args ...any) error {
	return &ParseError{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// sections finds the two markers and cuts the SQL between them.
func (p *parser) sections(lines []string) error {
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if !strings.HasPrefix(line, markerPrefix) {
			continue
		}
		n := i + 1
		switch line {
		case UpgradeMarker:
			if p.upLine != 0 {
				return p.errf(n, "repeats %q (first on line %d)", UpgradeMarker, p.upLine)
			}
			if p.downLine != 0 {
				return p.errf(n, "has %q after %q (line %d); the upgrade section comes first", UpgradeMarker, DowngradeMarker, p.downLine)
			}
			p.upLine = n
		case DowngradeMarker:
			if p.downLine != 0 {
				return p.errf(n, "repeats %q (first on line %d)", DowngradeMarker, p.downLine)
			}
			if p.upLine == 0 {
				return p.errf(n, "has %q before any %q line", DowngradeMarker, UpgradeMarker)
			}
			p.downLine = n
		default:
			return p.errf(n, "has unknown directive %q (only %q and %q exist)", line, UpgradeMarker, DowngradeMarker)
		}
	}
	if p.upLine == 0 {
		return p.errf(0, "has no %q line", UpgradeMarker)
	}
	if p.downLine == 0 {
		return p.errf(0, "has no %q line", DowngradeMarker)
	}
	p.r.Upgrade = trimSQL(lines[p.upLine : p.downLine-1])
	p.r.Downgrade = trimSQL(lines[p.downLine:])
	return nil
}

// trimSQL drops blank lines around a section and keeps its inner layout.
func trimSQL(lines []string) string {
	s := strings.Join(lines, "\n")
	s = strings.TrimRight(s, " \t\r\n")
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 || strings.TrimSpace(s[:i]) != "" {
			break
		}
		s = s[i+1:]
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// header reads the comment lines before the upgrade marker; anything but
// comments there would be SQL that never runs, so it is an error.
func (p *parser) header(lines []string) error {
	var comments []string
	var first int
	ended := false
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		switch {
		case line == "":
			ended = ended || len(comments) > 0
		case !strings.HasPrefix(line, "--"):
			return p.errf(i+1, "has %q before the %q line; only \"--\" comments may precede it", clip(line), UpgradeMarker)
		case !ended:
			if len(comments) == 0 {
				first = i + 1
			}
			comments = append(comments, strings.TrimPrefix(strings.TrimPrefix(line, "--"), " "))
		}
	}
	if len(comments) == 0 {
		return p.errf(0, "has no header (the \"-- Revision ID: ...\" comment lines before %q)", UpgradeMarker)
	}
	return p.fields(first, comments)
}

// fields reads the message and the "Key: value" lines. Everything before
// the first blank "--" line is the message, even when it looks like a field;
// without such a line the message runs up to the first field.
func (p *parser) fields(first int, comments []string) error {
	split := slices.IndexFunc(comments, func(c string) bool { return strings.TrimSpace(c) == "" })
	var msg []string
	seen := map[string]int{}
	for i, c := range comments {
		n := first + i
		if split >= 0 && i <= split {
			if i < split {
				msg = append(msg, strings.TrimRight(c, " \t"))
			}
			continue
		}
		key, val, isField := field(c)
		if !isField {
			if split < 0 && len(seen) == 0 {
				msg = append(msg, strings.TrimRight(c, " \t"))
			}
			continue // a free comment after the fields
		}
		if prev, ok := seen[key]; ok {
			return p.errf(n, "repeats %q (first on line %d)", key, prev)
		}
		seen[key] = n
		if err := p.set(n, key, val); err != nil {
			return err
		}
	}
	p.r.Message = strings.Join(msg, "\n")
	if _, ok := seen[fieldID]; !ok {
		return p.errf(first, "has a header without a %q line", fieldID)
	}
	return nil
}

func (p *parser) set(n int, key, val string) error {
	switch key {
	case fieldID:
		if !ValidID(val) {
			return p.errf(n, "has revision id %q; ids are 1 to 32 letters, digits or underscores", val)
		}
		p.r.ID = val
	case fieldCreate:
		p.r.CreateDate = val
	default:
		list, err := splitIDs(val)
		if err != nil {
			return p.errf(n, "has %s %q: %v", key, val, err)
		}
		switch key {
		case fieldRevises:
			p.r.Parents = list
		case fieldLabels:
			p.r.BranchLabels = list
		case fieldDependsOn:
			p.r.DependsOn = list
		}
	}
	return nil
}

// field recognises "Key: value" for the known header keys.
func field(c string) (key, val string, ok bool) {
	k, v, found := strings.Cut(c, ":")
	if !found {
		return "", "", false
	}
	k = strings.TrimSpace(k)
	for _, name := range []string{fieldID, fieldRevises, fieldCreate, fieldLabels, fieldDependsOn} {
		if strings.EqualFold(k, name) {
			return name, strings.TrimSpace(v), true
		}
	}
	return "", "", false
}

// splitIDs reads a comma-separated header list; "None" is Alembic's empty.
func splitIDs(s string) ([]string, error) {
	if s == "" || s == "None" || s == "()" {
		return nil, nil
	}
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !ValidID(part) {
			return nil, fmt.Errorf("%q is not a revision id or label (letters, digits, underscores)", part)
		}
		out = append(out, part)
	}
	return out, nil
}

// ValidID reports whether s can be a revision id or branch label: 1 to 32
// ASCII letters, digits or underscores, so it fits alembic_version and
// cannot be mistaken for specifier syntax.
func ValidID(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !isWordByte(c) {
			return false
		}
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// clip shortens a line quoted in an error.
func clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}
