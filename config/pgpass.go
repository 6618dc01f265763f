package config

import (
	"bufio"
	"bytes"
	"os"
	"runtime"
)

// LookupPassword returns the password libpq would take from the password
// file at path for a connection to host, port, database and user: from the
// first line host:port:database:user:password whose first four fields
// match, each field literal or *, with \: and \\ escaping. As libpq does,
// it returns "" when there is no such line and ignores a file that is
// missing, unreadable, not a regular file (a pipe would block the read), or
// on Unix readable by group or others.
func LookupPassword(path, host, port, database, user string) string {
	if path == "" {
		return ""
	}
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() {
		return ""
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return ""
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return passwordIn(data, host, port, database, user)
}

// passwordIn finds the password in the contents of a password file.
func passwordIn(data []byte, host, port, database, user string) string {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	for sc.Scan() {
		line := bytes.TrimRight(sc.Bytes(), "\r\n")
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		rest, ok := line, true
		for _, want := range []string{host, port, database, user} {
			if rest, ok = matchField(rest, want); !ok {
				break
			}
		}
		if ok {
			return unescapeField(rest)
		}
	}
	return ""
}

// matchField reports whether the line's next field is * or want (a
// backslash escaping the next byte), and returns what follows its colon.
// As in libpq, an unescaped colon ends the field only once want is used
// up; before that it matches a colon in want (an IPv6 address).
func matchField(line []byte, want string) ([]byte, bool) {
	if len(line) >= 2 && line[0] == '*' && line[1] == ':' {
		return line[2:], true
	}
	i, j := 0, 0
	for i < len(line) {
		c, escaped := line[i], false
		if c == '\\' && i+1 < len(line) {
			i++
			c, escaped = line[i], true
		}
		if c == ':' && !escaped && j == len(want) {
			return line[i+1:], true
		}
		if j == len(want) || want[j] != c {
			return nil, false
		}
		i++
		j++
	}
	return nil, false
}

// unescapeField reads the password field: up to an unescaped colon, with
// each backslash taking the next byte literally.
func unescapeField(field []byte) string {
	var out []byte
	for i := 0; i < len(field) && field[i] != ':'; i++ {
		if field[i] == '\\' && i+1 < len(field) {
			i++
		}
		out = append(out, field[i])
	}
	return string(out)
}
