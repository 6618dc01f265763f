package script

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func fileExample(t *testing.T) RevisionFile {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return RevisionFile{
		ID:        "3f2a9c1b7d4e",
		Parents:   []string{"8b1c0d2e4f6a"},
		Message:   "Column age added to Member",
		Created:   time.Date(2026, 11, 25, 9, 41, 7, 512344000, paris),
		Upgrade:   "\n" + `ALTER TABLE "members" ADD COLUMN "age" INTEGER;` + "\n\n",
		Downgrade: `ALTER TABLE "members" DROP COLUMN "age";`,
	}
}

func fileGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestWriteRevisionGolden(t *testing.T) {
	tests := []struct {
		golden string
		edit   func(*RevisionFile)
	}{
		{"revision_file.golden", func(*RevisionFile) {}},
		{"revision_merge.golden", func(r *RevisionFile) {
			r.ID, r.Parents, r.Message = "aa11bb22cc33", []string{"111111111111", "222222222222"}, "merge heads\nsecond line\n\n  indented"
			r.BranchLabels, r.DependsOn = []string{"feature", "ui"}, []string{"333333333333"}
			r.Upgrade, r.Downgrade, r.ShowOffset = "", "", true
			r.Created = r.Created.Add(-512344 * time.Microsecond)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			r := fileExample(t)
			tt.edit(&r)
			dir := t.TempDir()
			path, err := WriteRevision(dir, r, FileOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			fileGolden(t, tt.golden, got)
			st, err := os.Stat(path)
			if err != nil || st.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, %v; want 0644", st.Mode(), err)
			}
			left, _ := os.ReadDir(dir)
			if len(left) != 1 {
				t.Errorf("versions holds %d entries, want only the revision", len(left))
			}
		})
	}
}

func TestWriteRevisionRoundTrip(t *testing.T) {
	base := fileExample(t)
	cases := []RevisionFile{base}
	for _, edit := range []func(*RevisionFile){
		func(r *RevisionFile) { r.Parents = nil; r.Message = "" },
		func(r *RevisionFile) {
			r.ID, r.Parents, r.BranchLabels, r.DependsOn = "merge_1", []string{"a1", "b2"}, []string{"lab"}, []string{"c3", "lab2"}
			r.Message = "Two\nline message -- with dashes"
			r.ShowOffset = true
		},
		func(r *RevisionFile) {
			r.Upgrade = "  -- a comment\n  SELECT 1;\n\nSELECT 2;"
			r.Created = r.Created.Truncate(time.Second)
		},
	} {
		r := base
		edit(&r)
		cases = append(cases, r)
	}
	for i, r := range cases {
		path, err := WriteRevision(t.TempDir(), r, FileOptions{})
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(path, data)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		want := &Revision{
			ID: r.ID, Parents: r.Parents, BranchLabels: r.BranchLabels, DependsOn: r.DependsOn,
			Message: r.Message, CreateDate: FormatCreateDate(r.Created, r.ShowOffset),
			Upgrade: strings.TrimSpace(r.Upgrade), Downgrade: r.Downgrade, Path: path,
		}
		if i == 3 {
			want.Upgrade = r.Upgrade
		}
		// The section lines must point at each section's first line.
		lines := strings.Split(string(data), "\n")
		for _, sec := range []struct {
			line int
			sql  string
		}{{got.UpgradeLine, got.Upgrade}, {got.DowngradeLine, got.Downgrade}} {
			first, _, _ := strings.Cut(sec.sql, "\n")
			if sec.line < 1 || sec.line > len(lines) || lines[sec.line-1] != first {
				t.Errorf("case %d: section line %d does not hold %q", i, sec.line, first)
			}
		}
		want.UpgradeLine, want.DowngradeLine = got.UpgradeLine, got.DowngradeLine
		if !reflect.DeepEqual(got, want) {
			t.Errorf("case %d:\ngot  %#v\nwant %#v", i, got, want)
		}
	}
}

func TestFormatCreateDate(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		t    time.Time
		zone bool
		want string
	}{
		{time.Date(2026, 11, 25, 9, 41, 7, 512344999, time.UTC), false, "2026-11-25 09:41:07.512344"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), false, "2026-01-02 03:04:05"},
		{time.Date(2026, 1, 2, 3, 4, 5, 1000, tokyo), true, "2026-01-02 03:04:05.000001+09:00"},
		{time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), true, "2026-01-02 03:04:05+00:00"},
	}
	for _, tt := range tests {
		if got := FormatCreateDate(tt.t, tt.zone); got != tt.want {
			t.Errorf("FormatCreateDate(%v, %v) = %q, want %q", tt.t, tt.zone, got, tt.want)
		}
	}
}

func TestFileName(t *testing.T) {
	r := fileExample(t)
	r.Created = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		tmpl, msg string
		trunc     int
		want      string
	}{
		{"", "", 0, "3f2a9c1b7d4e_.sql"},
		{"", "Column age added to Member", 0, "3f2a9c1b7d4e_column_age_added_to_member.sql"},
		{"%(rev)s_%(slug)s", "a very long message that goes beyond forty characters", 0, "3f2a9c1b7d4e_a_very_long_message_that_goes_beyond_.sql"},
		{"%(rev)s_%(slug)s", "a very long message", 8, "3f2a9c1b7d4e_a_very_.sql"},
		{"%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s", "x", 0, "2026_03_04_0506-3f2a9c1b7d4e_x.sql"},
		{"%(epoch)s_%(second)02d_%(rev).4s%%", "x", 0, "1772600767_07_3f2a%.sql"},
		{"%(rev)s_%(slug)s", "../../etc/passwd", 0, "3f2a9c1b7d4e_etc_passwd.sql"},
		{"%(slug)s", `..\..\windows`, 0, "windows.sql"},
	}
	for _, tt := range tests {
		r.Message = tt.msg
		got, err := FileName(tt.tmpl, tt.trunc, r)
		if err != nil || got != tt.want {
			t.Errorf("FileName(%q, %q) = %q, %v; want %q", tt.tmpl, tt.msg, got, err, tt.want)
		}
	}
	for _, bad := range []string{"%(rev)9999999s", "%(rev)300s", "%(rev)s%(rev)250s", "%(rev)d", "%(nope)s", "%(rev)", "%(rev", "50%", "../%(rev)s", "%(year)d/%(rev)s", "%(slug)s"} {
		r.Message = ""
		if bad == "%(slug)s" {
			r.Message = "..."
		}
		if _, err := FileName(bad, 40, r); !errors.Is(err, ErrRevisionFile) || !strings.Contains(err.Error(), bad) {
			t.Errorf("FileName(%q) error = %v, want one naming the template", bad, err)
		}
	}
}

func TestWriteRevisionStaysInVersions(t *testing.T) {
	root := t.TempDir()
	versions := filepath.Join(root, "versions")
	if err := os.Mkdir(versions, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"../../etc/passwd", "/etc/passwd", `..\..\evil`, "a/../../b", "\x00../x"} {
		r := fileExample(t)
		r.Message = msg
		path, err := WriteRevision(versions, r, FileOptions{})
		if err != nil {
			t.Fatalf("%q: %v", msg, err)
		}
		if filepath.Dir(path) != versions {
			t.Errorf("message %q wrote %s outside %s", msg, path, versions)
		}
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("root holds %d entries, want only versions/", len(entries))
	}
}

func TestWriteRevisionNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	r := fileExample(t)
	path, err := WriteRevision(dir, r, FileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	r.Upgrade = "DROP TABLE everything;"
	_, err = WriteRevision(dir, r, FileOptions{})
	if !errors.Is(err, ErrRevisionFile) || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), path) {
		t.Fatalf("second write: err = %v", err)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Error("existing file changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries left behind, want 1", len(entries))
	}
}

func TestWriteRevisionConcurrent(t *testing.T) {
	dir := t.TempDir()
	r := fileExample(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			if _, err := WriteRevision(dir, r, FileOptions{}); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d writers created the same file, want exactly 1", wins)
	}
}

func TestWriteRevisionRejects(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "script.sql.tmpl")
	tests := []struct {
		name     string
		template string // written to script.sql.tmpl when not empty
		edit     func(*RevisionFile)
		msg      string
	}{
		{"marker in message", "", func(r *RevisionFile) { r.Message = "x\n+autogen upgrade" }, "does not parse back"},
		{"marker in SQL", "", func(r *RevisionFile) { r.Upgrade = "-- +autogen downgrade" }, "does not parse back"},
		{"bad id", "", func(r *RevisionFile) { r.ID = "../x" }, `"../x"`},
		{"template syntax", "{{.ID", func(*RevisionFile) {}, tmpl},
		{"template unknown field", "{{.Nope}}", func(*RevisionFile) {}, "Nope"},
		{"template drops parents", "-- m\n--\n-- Revision ID: {{.ID}}\n-- +autogen upgrade\n-- +autogen downgrade\n", func(*RevisionFile) {}, `without a "Revises" line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := FileOptions{}
			if tt.template != "" {
				if err := os.WriteFile(tmpl, []byte(tt.template), 0o644); err != nil {
					t.Fatal(err)
				}
				o.TemplatePath = tmpl
			}
			r := fileExample(t)
			tt.edit(&r)
			out := t.TempDir()
			_, err := WriteRevision(out, r, o)
			if !errors.Is(err, ErrRevisionFile) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want ErrRevisionFile mentioning %q", err, tt.msg)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("%d files written despite the error", len(entries))
			}
		})
	}
	if _, err := WriteRevision(dir, fileExample(t), FileOptions{TemplatePath: filepath.Join(dir, "missing.tmpl")}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing template: %v", err)
	}
}

func TestCustomTemplate(t *testing.T) {
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "script.sql.tmpl")
	body := DefaultTemplate + "-- generated for {{range .Parents}}{{.}} {{end}}\n"
	if err := os.WriteFile(tmpl, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	path, err := WriteRevision(dir, fileExample(t), FileOptions{TemplatePath: tmpl, FileTemplate: "%(slug)s"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if filepath.Base(path) != "column_age_added_to_member.sql" || !strings.HasSuffix(string(data), "-- generated for 8b1c0d2e4f6a \n") {
		t.Errorf("%s:\n%s", path, data)
	}
}

// TestDefaultTemplateMatchesArchitecture renders ARCHITECTURE.md's example
// and compares it byte for byte with the format given there.
func TestDefaultTemplateMatchesArchitecture(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "## Revision file format\n```\n")
	want, _, ok2 := strings.Cut(after, "```")
	if !ok || !ok2 {
		t.Fatal("ARCHITECTURE.md has no revision file format block")
	}
	r := fileExample(t)
	got, err := RenderRevision("default", DefaultTemplate, r)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("rendered:\n%q\nARCHITECTURE.md:\n%q", got, want)
	}
}

func FuzzFileName(f *testing.F) {
	f.Add("%(rev)s_%(slug)s", "Column age added", 40)
	f.Add("%(year)d_%(month).2d_%(epoch)s-%(rev).4s%%", "../../etc/passwd", 3)
	f.Add("%(slug)-50s|%(day)+05d", "ünï\x00/\\..", 0)
	f.Fuzz(func(t *testing.T, tmpl, msg string, trunc int) {
		r := RevisionFile{ID: "3f2a9c1b7d4e", Message: msg, Created: time.Date(2026, 11, 25, 9, 41, 7, 0, time.UTC)}
		name, err := FileName(tmpl, trunc, r)
		if err != nil {
			if !errors.Is(err, ErrRevisionFile) {
				t.Fatalf("error %v is not ErrRevisionFile", err)
			}
			return
		}
		if name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".sql") {
			t.Fatalf("FileName(%q, %q) = %q is not a plain .sql name", tmpl, msg, name)
		}
	})
}

func TestFileMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Column age added", "Column age added"},
		{"two\r\nlines  \n\n", "two\nlines"},
		{"tab\tkept", "tab\tkept"},
		{"esc \x1b[31mred\x1b[0m", "esc \uFFFD[31mred\uFFFD[0m"},
		{"del\x7f and bell\a", "del\uFFFD and bell\uFFFD"},
		{"lone\rcarriage", "lone\uFFFDcarriage"},
	}
	for _, tt := range tests {
		if got := fileMessage(tt.in); got != tt.want {
			t.Errorf("fileMessage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
