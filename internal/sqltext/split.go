package sqltext

import (
	"strings"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// SplitStatements splits a script into its statements where SQLite would:
// a statement ends at the first semicolon at which sqlite3_complete accepts
// the text so far. Semicolons in strings, quoted names and comments do not
// end one; inside CREATE TRIGGER, only "; END ;" does. Keywords are matched
// in ASCII only, as SQLite matches them. Comments between statements are
// dropped; each statement is returned as written, trimmed and without its
// semicolon. An unterminated string or quoted name, a NUL byte and a
// trigger without END are errors wrapping ErrSyntax.
func SplitStatements(sql string) ([]string, error) {
	var out []string
	sc := completeScanner{sql: sql}
	start, end := -1, 0 // the statement so far, comments left out
	for {
		from, class, err := sc.next()
		if err != nil {
			return out, err
		}
		if class == classEOF {
			break
		}
		switch {
		case class == classSpace:
		case class == classSemi && sc.state == stateStart:
			if start >= 0 {
				out = append(out, sql[start:end])
			}
			start = -1
		default:
			if start < 0 {
				start = from
			}
			end = sc.pos
		}
	}
	switch sc.state {
	case stateTrigger, stateTriggerSemi:
		return out, syntaxErr(len(sql), "CREATE TRIGGER at offset %d has no END", start)
	}
	if start >= 0 {
		out = append(out, sql[start:end])
	}
	return out, nil
}

// The classes of token sqlite3_complete tells apart. Any word other than
// its five keywords, and any other character, is classOther.
type completeClass int

const (
	classEOF completeClass = iota
	classSemi
	classSpace // white space and comments
	classOther
	classExplain
	classCreate
	classTemp // TEMP or TEMPORARY
	classTrigger
	classEnd
)

// The states of sqlite3_complete's machine: a statement is complete when a
// semicolon leads to stateStart.
type completeState int

const (
	stateBlank       completeState = iota // nothing but white space yet
	stateStart                            // just after a statement's semicolon
	stateNormal                           // inside a statement
	stateExplain                          // after EXPLAIN and words that are not CREATE
	stateCreate                           // after CREATE [TEMP]
	stateTrigger                          // inside CREATE TRIGGER
	stateTriggerSemi                      // just after a semicolon inside a trigger
	stateTriggerEnd                       // after "; END" inside a trigger
)

// step is sqlite3_complete's transition on a token of class c.
func (s completeState) step(c completeClass) completeState {
	switch {
	case c == classSpace:
		return s
	case c == classSemi:
		if s == stateTrigger || s == stateTriggerSemi {
			return stateTriggerSemi
		}
		return stateStart
	case s == stateTriggerSemi && c == classEnd:
		return stateTriggerEnd
	case s >= stateTrigger:
		return stateTrigger
	case s == stateNormal:
		return stateNormal
	case c == classCreate && s != stateCreate:
		return stateCreate
	case s == stateCreate && c == classTemp:
		return stateCreate
	case s == stateCreate && c == classTrigger:
		return stateTrigger
	case c == classExplain && s != stateExplain && s != stateCreate:
		return stateExplain
	case s == stateExplain && c == classOther:
		return stateExplain
	}
	return stateNormal
}

// completeScanner reads SQL as sqlite3_complete does, which is coarser than
// SQLite's tokenizer but agrees with it on where strings, quoted names and
// comments start and end.
type completeScanner struct {
	sql   string
	pos   int
	state completeState
}

// next scans one token and moves the state; from is where it started.
func (sc *completeScanner) next() (from int, class completeClass, err error) {
	from = sc.pos
	rest := sc.sql[sc.pos:]
	if rest == "" {
		return from, classEOF, nil
	}
	n, class := 1, classOther
	switch c := rest[0]; {
	case c == 0:
		return from, 0, syntaxErr(from, "NUL byte: SQLite stops reading there")
	case c == ';':
		class = classSemi
	case c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r':
		class = classSpace
	case strings.HasPrefix(rest, "/*"):
		// SQLite accepts a comment left open at the end of the text.
		n, class = len(rest), classSpace
		if i := strings.Index(rest[2:], "*/"); i >= 0 {
			n = i + 4
		}
	case strings.HasPrefix(rest, "--"):
		n, class = len(rest), classSpace
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			n = i + 1
		}
	case c == '[' || c == '`' || c == '"' || c == '\'':
		closer := c
		if c == '[' {
			closer = ']'
		}
		i := strings.IndexByte(rest[1:], closer)
		if i < 0 {
			what := "quoted identifier"
			if c == '\'' {
				what = "string"
			}
			return from, 0, syntaxErr(from, "unterminated %s", what)
		}
		n = i + 2
	case IsIDChar(c):
		for n < len(rest) && IsIDChar(rest[n]) {
			n++
		}
		class = wordClass(rest[:n])
	}
	if i := strings.IndexByte(rest[:n], 0); i >= 0 {
		return from, 0, syntaxErr(from+i, "NUL byte: SQLite stops reading there")
	}
	sc.pos += n
	sc.state = sc.state.step(class)
	return from, class, nil
}

func wordClass(w string) completeClass {
	switch {
	case EqualIdent(w, "CREATE"):
		return classCreate
	case EqualIdent(w, "TEMP"), EqualIdent(w, "TEMPORARY"):
		return classTemp
	case EqualIdent(w, "TRIGGER"):
		return classTrigger
	case EqualIdent(w, "EXPLAIN"):
		return classExplain
	case EqualIdent(w, "END"):
		return classEnd
	}
	return classOther
}

// CompleteEnd returns where SQLite itself ends the first statement of sql:
// the length of the shortest prefix ending in a semicolon that SQLite's own
// sqlite3_complete (modernc's translation of it, not SplitStatements)
// accepts, or -1 when there is none. For a text with a NUL byte, where
// SQLite stops reading, it returns the offset of that byte. The only error
// is running out of memory.
func CompleteEnd(sql string) (int, error) {
	if i := strings.IndexByte(sql, 0); i >= 0 {
		return i, nil
	}
	tls := libc.NewTLS()
	defer tls.Close()
	for i := 0; i < len(sql); i++ {
		if sql[i] != ';' {
			continue
		}
		p, err := libc.CString(sql[:i+1])
		if err != nil {
			return 0, err
		}
		complete := sqlite3.Xsqlite3_complete(tls, p) != 0
		libc.Xfree(tls, p)
		if complete {
			return i + 1, nil
		}
	}
	return -1, nil
}
