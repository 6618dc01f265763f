package runner

import "github.com/autogen-dev/autogen/internal/sqltext"

// versionTableDDL is the contract's version table, Alembic's exactly.
func versionTableDDL(table string) string {
	return "CREATE TABLE " + quoteIdent(table) +
		" (version_num VARCHAR(32) NOT NULL, CONSTRAINT " + quoteIdent(table+"_pkc") +
		" PRIMARY KEY (version_num))"
}

// quoteIdent leaves a plain lowercase identifier bare, as Alembic writes
// alembic_version, and double-quotes anything else.
func quoteIdent(name string) string {
	if plainIdent(name) && !sqltext.IsKeyword(name) {
		return name
	}
	return sqltext.QuoteIdent(name)
}

func plainIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c == '_':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
