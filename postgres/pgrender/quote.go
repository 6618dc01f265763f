package pgrender

import (
	"strings"

	"github.com/autogen-dev/autogen/internal/sqltext"
)

// reserved are PostgreSQL's reserved key words and those that cannot name
// a function or type (Appendix C of its manual): an identifier spelled as
// one is quoted even when it is lower-case.
var reserved = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`all analyse analyze and any array as asc asymmetric authorization
	binary both case cast check collate collation column concurrently constraint create cross
	current_catalog current_date current_role current_schema current_time current_timestamp
	current_user default deferrable desc distinct do else end except false fetch for foreign
	freeze from full grant group having ilike in initially inner intersect into is isnull join
	lateral leading left like limit localtime localtimestamp natural not notnull null offset on
	only or order outer overlaps placing primary references returning right select session_user
	similar some symmetric system_user table tablesample then to trailing true union unique user
	using variadic verbose when where window with between bigint bit boolean char character
	coalesce dec decimal exists extract float greatest grouping inout int integer interval least
	national nchar none normalize nullif numeric out overlay position precision real row setof
	smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat
	xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`) {
		m[k] = true
	}
	return m
}()

// ident writes a name as PostgreSQL reads it back unchanged: bare when it
// is lower-case letters, digits and underscores not starting with a digit
// and is no key word, else double-quoted with quotes doubled.
func ident(name string) string {
	if name == "" || reserved[name] {
		return sqltext.QuoteIdent(name)
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return sqltext.QuoteIdent(name)
		}
	}
	return name
}

// Ident is name as PostgreSQL reads it back unchanged, quoted only where
// need be.
func Ident(name string) string { return ident(name) }

// idents is names written by ident and joined with ", ".
func idents(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ident(n)
	}
	return strings.Join(out, ", ")
}
