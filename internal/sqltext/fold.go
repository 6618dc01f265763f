package sqltext

// SQLite folds case in ASCII only, for keywords and for names alike
// (sqlite3StrICmp): "ſ" (U+017F) is not "s" and the Kelvin sign is not "k",
// where Go's strings.EqualFold, ToLower and ToUpper say they are. Every
// comparison of SQL words here goes through EqualIdent and these functions.

// FoldIdent is name with its ASCII letters lower-cased: a map key under
// which two names collide exactly when EqualIdent says they are the same.
func FoldIdent(name string) string {
	return mapASCII(name, lowerASCII)
}

// UpperASCII is s with its ASCII letters upper-cased, as SQLite reads
// keywords and type names.
func UpperASCII(s string) string {
	return mapASCII(s, func(c byte) byte {
		if 'a' <= c && c <= 'z' {
			return c - 'a' + 'A'
		}
		return c
	})
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// mapASCII applies f to every byte; it allocates only when a byte changes.
func mapASCII(s string, f func(byte) byte) string {
	for i := 0; i < len(s); i++ {
		if f(s[i]) != s[i] {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = f(b[j])
			}
			return string(b)
		}
	}
	return s
}
