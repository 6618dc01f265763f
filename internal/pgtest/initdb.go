package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
)

// initdbArgs are the options every test cluster is created with.
var initdbArgs = []string{"-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"}

// initCluster puts a new cluster's files in data. initdb takes seconds on a
// busy machine, and every test binary that uses PostgreSQL needs a cluster,
// so the first run keeps a pristine copy in the user's cache folder (keyed
// by the server's version and folder) and later runs copy it, which takes a
// fraction of that. Without a usable cache folder it runs initdb each time.
func initCluster(ctx context.Context, bin, data string, owner *account) error {
	cache := cachedCluster(ctx, bin)
	if cache != "" {
		if _, err := os.Stat(filepath.Join(cache, "PG_VERSION")); err == nil {
			if err := copyTree(cache, data); err == nil {
				return owner.chownTree(data)
			}
			os.RemoveAll(data)
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), append([]string{"-D", data}, initdbArgs...)...)
	owner.apply(cmd)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb -D %s: %w\n%s", data, err, out)
	}
	if cache != "" {
		saveCache(data, cache)
	}
	return nil
}

// cachedCluster is where the pristine cluster of the server in bin is kept,
// "" when there is no cache folder.
func cachedCluster(ctx context.Context, bin string) string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	out, err := exec.CommandContext(ctx, filepath.Join(bin, "postgres"), "--version").Output()
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%q", bin, out, initdbArgs)
	return filepath.Join(base, "autogen-pgtest", hex.EncodeToString(h.Sum(nil))[:16])
}

// saveCache copies data to cache through a temporary folder and a rename,
// so that test binaries starting at once never see half a copy. Failing
// to save only costs the next run an initdb.
func saveCache(data, cache string) {
	if err := os.MkdirAll(filepath.Dir(cache), 0o700); err != nil {
		return
	}
	tmp, err := os.MkdirTemp(filepath.Dir(cache), "tmp-")
	if err != nil {
		return
	}
	defer os.RemoveAll(tmp)
	if copyTree(data, filepath.Join(tmp, "data")) != nil {
		return
	}
	os.Rename(filepath.Join(tmp, "data"), cache) // another run may have won
}

// copyTree copies the folder src to dst (which must not exist) with the
// permission bits of every file and folder.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.Mkdir(to, info.Mode().Perm())
		case info.Mode().IsRegular():
			return copyFile(p, to, info.Mode().Perm())
		}
		return fmt.Errorf("%s is not a regular file", p)
	})
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
