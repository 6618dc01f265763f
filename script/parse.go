package script

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// The lines that open a revision file's two sections.
const (
	UpgradeMarker   = "-- +autogen upgrade"
	DowngradeMarker = "-- +autogen downgrade"
	markerPrefix    = "-- +autogen"
	// OrphansDirective opens a section's `-- +autogen orphans "child" ->
	// "parent"` line (see Orphans).
	OrphansDirective = "-- +autogen orphans"
)

// NoTransactionMarker is the line that makes a revision run outside a
// transaction (Revision.NoTransaction), for statements PostgreSQL refuses
// inside one such as CREATE INDEX CONCURRENTLY. It may stand once anywhere
// in the file outside quoted text, and holds for both sections.
const NoTransactionMarker = "-- +autogen no-transaction"

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
	// A UTF-8 byte order mark is dropped, as Python's reading of a script
	// with "utf-8-sig" does, so that files saved by some editors parse.
	text := strings.TrimPrefix(string(data), "\ufeff")
	// CR LF ends a line, but not inside a quoted name or string.
	lines := strings.Split(sqltext.LineEndings(text), "\n")
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
	noTxLine int // 1-based line of NoTransactionMarker, 0 without one
}

func (p *parser) errf(line int, format string, args ...any) error {
	return &ParseError{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// sections finds the two markers and cuts the SQL between them. A line
// inside a quoted name or string is never a marker: a table may be named
// "a\n-- +autogen downgrade".
func (p *parser) sections(lines []string) error {
	quoted := sqltext.QuotedLines(strings.Join(lines, "\n"))
	for i, raw := range lines {
		if quoted[i] {
			continue
		}
		line := strings.TrimSpace(raw)
		n := i + 1
		if !strings.HasPrefix(line, markerPrefix) {
			if want := nearMarker(line); want != "" {
				return p.errf(n, "line %d looks like a section marker but is not exactly `%s`: %q", n, want, clip(line))
			}
			continue
		}
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
		case NoTransactionMarker:
			if p.noTxLine != 0 {
				return p.errf(n, "repeats %q (first on line %d)", NoTransactionMarker, p.noTxLine)
			}
			p.noTxLine = n
			p.r.NoTransaction = true
		default:
			if want := nearMarker(line); want != "" {
				return p.errf(n, "line %d looks like a section marker but is not exactly `%s`: %q", n, want, clip(line))
			}
			if rest, ok := strings.CutPrefix(line, OrphansDirective+" "); ok {
				if err := p.orphans(n, rest); err != nil {
					return err
				}
				continue
			}
			return p.errf(n, "has unknown directive %q (only %q, %q, %q and %q exist)", line, UpgradeMarker, DowngradeMarker, OrphansDirective, NoTransactionMarker)
		}
	}
	if p.upLine == 0 {
		return p.errf(0, "has no %q line", UpgradeMarker)
	}
	if p.downLine == 0 {
		return p.errf(0, "has no %q line", DowngradeMarker)
	}
	p.r.Upgrade = trimSQL(strings.Join(lines[p.upLine:p.downLine-1], "\n"))
	p.r.Downgrade = trimSQL(strings.Join(lines[p.downLine:], "\n"))
	p.r.UpgradeLine = firstSQLLine(lines, p.upLine, p.downLine-1)
	p.r.DowngradeLine = firstSQLLine(lines, p.downLine, len(lines))
	return nil
}

// orphans reads the rest of an orphans directive on line n: two table
// names, bare or quoted, with "->" between them.
func (p *parser) orphans(n int, rest string) error {
	if p.upLine == 0 {
		return p.errf(n, "has %q before %q: it belongs in the section it declares", OrphansDirective, UpgradeMarker)
	}
	toks, err := sqltext.Tokenize(rest)
	name := func(t sqltext.Token) bool {
		return t.Kind == sqltext.TokenIdent || t.Kind == sqltext.TokenQuotedIdent
	}
	if err != nil || len(toks) != 3 || !name(toks[0]) || toks[1].Text != "->" || !name(toks[2]) {
		return p.errf(n, "line %d is not `%s \"child table\" -> \"parent table\"`: %q", n, OrphansDirective, clip(rest))
	}
	o := Orphans{Table: toks[0].Value, Parent: toks[2].Value, Line: n}
	if p.downLine == 0 {
		p.r.UpgradeOrphans = append(p.r.UpgradeOrphans, o)
	} else {
		p.r.DowngradeOrphans = append(p.r.DowngradeOrphans, o)
	}
	return nil
}

// firstSQLLine is the 1-based line of the first non-blank line of
// lines[from:to], where trimSQL starts a section; 0 when there is none.
func firstSQLLine(lines []string, from, to int) int {
	for i := from; i < to; i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return i + 1
		}
	}
	return 0
}

// nearMarker returns the section marker a line was probably meant to be
// ("--  +autogen upgrade", "-- +Autogen upgrade", "--+autogen  downgrade"),
// or "" when it does not look like one. Exact markers are not near misses.
func nearMarker(line string) string {
	rest, ok := strings.CutPrefix(line, "--")
	if !ok || line == UpgradeMarker || line == DowngradeMarker || line == NoTransactionMarker {
		return ""
	}
	squeezed := strings.ToLower(strings.Join(strings.Fields(rest), ""))
	squeezed = strings.TrimPrefix(squeezed, "+")
	switch squeezed {
	case "autogenupgrade":
		return UpgradeMarker
	case "autogendowngrade":
		return DowngradeMarker
	case "autogenno-transaction", "autogennotransaction", "autogenno_transaction":
		return NoTransactionMarker
	}
	return ""
}

// trimSQL drops blank lines around a section and keeps its inner layout.
func trimSQL(s string) string {
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
// comments there would be SQL that never runs, so it is an error. The
// header ends at its first blank line; a comment after that which looks
// like a header field is an error rather than a field silently lost.
func (p *parser) header(lines []string) error {
	var comments []string
	var first int
	ended := false
	type detached struct {
		n    int
		text string
	}
	var after []detached
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		switch {
		case i+1 == p.noTxLine:
			continue // a directive, not part of the header
		case line == "":
			ended = ended || len(comments) > 0
		case !strings.HasPrefix(line, "--"):
			return p.errf(i+1, "has %q before the %q line; only \"--\" comments may precede it", clip(line), UpgradeMarker)
		case !ended:
			if len(comments) == 0 {
				first = i + 1
			}
			comments = append(comments, strings.TrimPrefix(strings.TrimPrefix(line, "--"), " "))
		default:
			after = append(after, detached{i + 1, strings.TrimPrefix(strings.TrimPrefix(line, "--"), " ")})
		}
	}
	if len(comments) == 0 {
		return p.errf(0, "has no header (the \"-- Revision ID: ...\" comment lines before %q)", UpgradeMarker)
	}
	seen, err := p.fields(first, comments)
	if err != nil {
		return err
	}
	for _, d := range after {
		if key, _, ok := field(d.text); ok {
			return p.errf(d.n, "has the %q header field after a blank line, where it is only a comment; the header ends at its first blank line, so remove the blank lines above it", key)
		}
		if key, ok := nearField(d.text); ok {
			return p.errf(d.n, "has %q after the header, which looks like the %q header field; write it as \"-- %s: value\" in the header, above the first blank line", clip(d.text), key, key)
		}
	}
	if _, ok := seen[fieldID]; !ok {
		return p.errf(first, "has a header without a %q line", fieldID)
	}
	if _, ok := seen[fieldRevises]; !ok {
		return p.errf(0, "has a header without a %q line; write \"-- Revises: <parent id>\", or \"-- Revises:\" with nothing after it for a base", fieldRevises)
	}
	return nil
}

// fields reads the message and the "Key: value" lines and returns the line
// of each field seen. Everything before the first blank "--" line is the
// message, even when it looks like a field; without such a line the message
// runs up to the first field. A later comment that misspells a field name
// or drops its colon is an error, not a free comment.
func (p *parser) fields(first int, comments []string) (map[string]int, error) {
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
				continue
			}
			if key, ok := nearField(c); ok {
				return nil, p.errf(n, "has %q, which looks like the %q header field; write it as \"-- %s: value\"", clip(c), key, key)
			}
			continue // a free comment after the fields
		}
		if prev, ok := seen[key]; ok {
			return nil, p.errf(n, "repeats %q (first on line %d)", key, prev)
		}
		seen[key] = n
		if err := p.set(n, key, val); err != nil {
			return nil, err
		}
	}
	p.r.Message = strings.Join(msg, "\n")
	return seen, nil
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
	for _, name := range fieldNames {
		if strings.EqualFold(k, name) {
			return name, strings.TrimSpace(v), true
		}
	}
	return "", "", false
}

// fieldNames are the header keys in their written form.
var fieldNames = []string{fieldID, fieldRevises, fieldCreate, fieldLabels, fieldDependsOn}

// aliases are other names a header field is likely written under: Alembic's
// Python attribute names and common slips.
var aliases = map[string]string{
	"revision": fieldRevises, "revisionid": fieldID, "revid": fieldID,
	"downrevision": fieldRevises, "downrevisions": fieldRevises, "parent": fieldRevises, "parents": fieldRevises,
	"revise": fieldRevises, "revised": fieldRevises,
	"branchlabel": fieldLabels, "label": fieldLabels, "labels": fieldLabels,
	"dependson": fieldDependsOn, "dependency": fieldDependsOn, "dependencies": fieldDependsOn, "depends": fieldDependsOn,
	"createdate": fieldCreate, "createdat": fieldCreate,
}

// nearField reports which header field a comment that field does not accept
// was probably meant to be: "Revises e69f..." (no colon), "Revision: ..."
// or "Depends_On: ..." (a misspelt name). A comment that merely mentions a
// word ("-- Revised by hand") is not one.
func nearField(c string) (string, bool) {
	norm := func(s string) string {
		s = strings.ToLower(s)
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '_' || r == '-' {
				return -1
			}
			return r
		}, s)
	}
	if k, _, found := strings.Cut(c, ":"); found {
		k = strings.TrimSpace(k)
		if k == "" || len(k) > 20 || strings.ContainsFunc(k, func(r rune) bool {
			return !(r == ' ' || r == '_' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
		}) {
			return "", false
		}
		nk := norm(k)
		if name, ok := aliases[nk]; ok {
			return name, true
		}
		for _, name := range fieldNames {
			if editDistance(nk, norm(name)) <= 2 {
				return name, true
			}
		}
		return "", false
	}
	// No colon: the field's exact name followed by a value or nothing.
	for _, name := range fieldNames {
		if len(c) >= len(name) && strings.EqualFold(c[:len(name)], name) {
			rest := c[len(name):]
			if rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '=' {
				return name, true
			}
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance of two short ASCII strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
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
		// A parent listed twice would make a merge of one branch, whose
		// step deletes the same version row twice.
		if slices.Contains(out, part) {
			return nil, fmt.Errorf("%q is listed twice", part)
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
