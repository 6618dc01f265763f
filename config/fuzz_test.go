package config

import (
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/autogen-dev/autogen/runner"
)

func FuzzConfig(f *testing.F) {
	f.Add([]byte("[alembic]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite:///app.db\n"), "alembic")
	f.Add([]byte("[DEFAULT]\nx = 1\n[alembic]\nscript_location = m\nfile_template = %%(rev)s_%(x)s\ntruncate_slug_length = 3\n"), "")
	f.Add([]byte("[alembic\nscript_location"), "alembic")
	f.Add([]byte("[a]\nk = v\n  continued\n\tmore\n[b]\nscript_location = :memory:\ntimezone = UTC\n"), "b")
	f.Fuzz(func(t *testing.T, data []byte, section string) {
		c, err := Parse("/cfg/alembic.ini", data, section)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.Path != "/cfg/alembic.ini" || ce.Err == nil || !errors.Is(err, ce.Err) {
				t.Fatalf("error %v is not a *Error naming the file", err)
			}
			return
		}
		if !filepath.IsAbs(c.ScriptLocation) || c.TruncateSlugLength <= 0 || len(c.Models) == 0 || c.VersionTable == "" {
			t.Fatalf("accepted config with bad values: %+v", c)
		}
		if c.URL != "" {
			if p, err := DatabasePath(c.URL, c.Here); err == nil && p != runner.Memory && !filepath.IsAbs(p) {
				t.Fatalf("DatabasePath(%q) = %q is not absolute", c.URL, p)
			} else if err != nil && !strings.Contains(err.Error(), strconv.Quote(c.URL)) {
				t.Fatalf("URL error %v does not name the URL", err)
			}
		}
	})
}
