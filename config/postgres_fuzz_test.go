package config

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// escapeAll percent-encodes every byte, so any value survives in any part
// of a URL.
func escapeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, "%%%02X", s[i])
	}
	return b.String()
}

// FuzzParsePostgres checks that any text either parses, to a connection
// pgx reads back the same from DSN, or is refused by a *URLError that masks
// the password; and that a URL built from any parts parses back to them.
func FuzzParsePostgres(f *testing.F) {
	f.Add("postgresql://alice:s3cret@db.example.com:6543/app?sslmode=require", "u", "p@ss:/?#", "h", uint16(5432), "d b")
	f.Add("postgresql+psycopg2://scott:tiger@localhost/test", "", "", "/var/run/postgresql", uint16(0), "")
	f.Add("postgres:///app?host=%2Ftmp&user=x&password=y", "ü", "'\\", "::1", uint16(1), "'")
	f.Add("postgresql://[::1]:5432/app#x", "a", "b", "h,i", uint16(65535), "%")
	f.Add("postgresql://u:%zz@h:99999/d?options=-c+x%3Dy&application_name=a", "x", "", "", uint16(2), "db")
	f.Fuzz(func(t *testing.T, raw, user, password, host string, port uint16, db string) {
		p, err := ParsePostgres(raw)
		if err != nil {
			var ue *URLError
			if !errors.As(err, &ue) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("ParsePostgres(%q): %v is not a one-line *URLError", raw, err)
			}
		} else {
			cfg, err := pgx.ParseConfig(p.DSN())
			if err != nil {
				t.Fatalf("pgx cannot read the DSN of %q: %s: %v", raw, p.DSN(), err)
			}
			if p.User != "" && cfg.User != p.User || p.Password != "" && cfg.Password != p.Password ||
				p.Database != "" && cfg.Database != p.Database {
				t.Fatalf("pgx read %q as user %q password %q db %q; parsed %+v", p.DSN(), cfg.User, cfg.Password, cfg.Database, p)
			}
		}

		if strings.IndexByte(user+password+host+db, 0) >= 0 || strings.Contains(host, ",") {
			return
		}
		url := "postgresql://" + escapeAll(user)
		if password != "" {
			url += ":" + escapeAll(password)
		}
		url += "@" + escapeAll(host)
		if port != 0 {
			url += fmt.Sprintf(":%d", port)
		}
		url += "/" + escapeAll(db)
		p, err = ParsePostgres(url)
		if err != nil {
			t.Fatalf("ParsePostgres(%q): %v", url, err)
		}
		if p.User != user || p.Password != password || p.Host != host || p.Port != int(port) || p.Database != db {
			t.Fatalf("ParsePostgres(%q) = %+v; want %q %q %q %d %q", url, p, user, password, host, port, db)
		}
		if want := strings.Replace(url, ":"+escapeAll(password)+"@", ":xxxxx@", 1); password != "" && p.String() != want {
			t.Fatalf("String() = %q, want %q (password masked)", p.String(), want)
		}
	})
}

// FuzzPasswordIn checks that a line written with libpq's escapes for any
// connection gives back its password, and that no file makes the reader
// fail.
func FuzzPasswordIn(f *testing.F) {
	f.Add([]byte("h:5432:d:u:pw\n*:*:*:*:x"), "h", "5432", "d", "u", "pw")
	f.Add([]byte(`a\:b:*:*:*:p\\w`), "a:b", "1", "db", "user", `p:w\`)
	f.Add([]byte("#c\n\r\n::1:*:*:*:v6"), "::1", "1", "*", "", "")
	f.Fuzz(func(t *testing.T, file []byte, host, port, db, user, password string) {
		passwordIn(file, host, port, db, user)
		if strings.ContainsAny(host+port+db+user+password, "\r\n") || host == "*" || port == "*" || db == "*" || user == "*" {
			return
		}
		esc := strings.NewReplacer(`\`, `\\`, `:`, `\:`)
		line := strings.Join([]string{esc.Replace(host), esc.Replace(port), esc.Replace(db), esc.Replace(user), esc.Replace(password)}, ":")
		if strings.HasPrefix(line, "#") {
			return
		}
		if got := passwordIn([]byte(line+"\n"), host, port, db, user); got != password {
			t.Fatalf("line %q gave %q, want %q", line, got, password)
		}
	})
}
