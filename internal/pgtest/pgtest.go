// Package pgtest starts a private PostgreSQL cluster for a test binary and
// hands each test a fresh database in it, so that tests of PostgreSQL code
// run against a real server, never a mock.
//
// The cluster lives in a temporary folder, listens only on a unix socket in
// that folder, trusts every local connection and runs with fsync off. It is
// started on the first call to New and stopped by Main when the tests end:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
// When the tests run as root (as in CI), initdb and the server run as the
// postgres user, which PostgreSQL requires. Under CI=true a test that cannot
// start the cluster fails; elsewhere it is skipped with the reason.
package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// EnvBinDir names the environment variable that points at the folder
// holding initdb and postgres, when they are not found by themselves.
const EnvBinDir = "AUTOGEN_PG_BINDIR"

// Superuser is the role the cluster is created with; every database New
// makes is owned by it.
const Superuser = "postgres"

// PasswordGroup is the role whose members must give their password
// (scram-sha-256); everyone else is trusted. PasswordRole makes members.
const PasswordGroup = "autogen_password"

// The one cluster of this test binary. A package variable because TestMain
// and every test share it; it is started lazily so that a test binary whose
// selected tests use no PostgreSQL pays nothing.
var shared struct {
	once    sync.Once
	cluster *Cluster
	err     error
	mu      sync.Mutex // guards stopped
	stopped bool
	seq     atomic.Int64
}

// Main runs the tests and then stops the cluster if one was started; it
// calls os.Exit with the tests' exit code.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main for a TestMain with work of its own to do after the tests:
// it runs them, stops the cluster if one was started, and returns the exit
// code.
func Run(m *testing.M) int {
	code := m.Run()
	shared.mu.Lock()
	shared.stopped = true
	c := shared.cluster
	shared.mu.Unlock()
	if c != nil {
		if err := c.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
			if code == 0 {
				code = 1
			}
		}
	}
	return code
}

// Database is one fresh database of the test cluster.
type Database struct {
	DB   *sql.DB // connected as Superuser
	Name string
	// URL names the database as a user writes it:
	// postgresql://postgres@/NAME?host=/socket/dir.
	URL     string
	Cluster *Cluster
}

// New creates a database for t from template0 and returns it connected;
// the database is dropped when t ends. Under CI=true a cluster that cannot
// start fails t; otherwise t is skipped.
func New(t testing.TB) *Database {
	t.Helper()
	c, err := start()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL test cluster: %v", err)
		}
		t.Skipf("PostgreSQL test cluster not available (set CI=true to make this a failure): %v", err)
	}
	name := fmt.Sprintf("t%d_%d", os.Getpid(), shared.seq.Add(1))
	ctx := context.Background()
	if err := c.exec(ctx, "postgres", `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` TEMPLATE template0 STRATEGY FILE_COPY`); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	db, err := c.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		if err := c.exec(ctx, "postgres", `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return &Database{DB: db, Name: name, URL: c.URL(name), Cluster: c}
}

// start returns the shared cluster, starting it on the first call.
func start() (*Cluster, error) {
	shared.once.Do(func() {
		c, err := Start(context.Background())
		shared.mu.Lock()
		defer shared.mu.Unlock()
		if err == nil && shared.stopped { // Main already returned from m.Run
			err = errors.Join(errors.New("tests already ended"), c.Stop())
		}
		shared.cluster, shared.err = c, err
	})
	return shared.cluster, shared.err
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	Dir       string // holds the data folder, the socket folder and the log
	SocketDir string
	Port      int
	BinDir    string
	// Startup is how long initdb and the server start took, Initdb the
	// first part of it.
	Startup, Initdb time.Duration

	server *exec.Cmd
	exited chan error // receives the server's Wait result
	admin  *sql.DB    // connected to the postgres database
}

// Start creates a cluster in a new temporary folder and starts its server.
// The caller must Stop it.
func Start(ctx context.Context) (*Cluster, error) {
	begin := time.Now()
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	owner, err := serverUser()
	if err != nil {
		return nil, err
	}
	base := tempBase(owner != nil)
	removeStale(base)
	dir, err := os.MkdirTemp(base, "autogen-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, SocketDir: filepath.Join(dir, "sock"), Port: 5432, BinDir: bin}
	fail := func(err error) (*Cluster, error) {
		return nil, errors.Join(err, c.Stop())
	}
	if err := os.Mkdir(c.SocketDir, 0o700); err != nil {
		return fail(err)
	}
	if err := owner.chown(dir, c.SocketDir); err != nil {
		return fail(err)
	}
	data := filepath.Join(dir, "data")
	if err := initCluster(ctx, bin, data, owner); err != nil {
		return fail(err)
	}
	c.Initdb = time.Since(begin)
	if err := requirePasswords(data); err != nil {
		return fail(err)
	}
	if err := c.run(owner, data); err != nil {
		return fail(err)
	}
	if err := c.wait(ctx); err != nil {
		return fail(err)
	}
	c.Startup = time.Since(begin)
	return c, nil
}

// run starts the server as a child process rather than a pg_ctl daemon, so
// that it dies with the test binary (owner.apply asks for a signal when the
// parent goes) instead of outliving a test binary that crashed.
func (c *Cluster) run(owner *account, data string) error {
	log, err := os.Create(filepath.Join(c.Dir, "server.log"))
	if err != nil {
		return err
	}
	defer log.Close()
	c.server = exec.Command(filepath.Join(c.BinDir, "postgres"), "-D", data,
		"-k", c.SocketDir, "-p", strconv.Itoa(c.Port),
		"-c", "listen_addresses=",
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "wal_level=minimal", "-c", "max_wal_senders=0",
		"-c", "max_connections=200", "-c", "shared_buffers=32MB",
		"-c", "log_min_messages=warning")
	c.server.Stdout, c.server.Stderr = log, log
	owner.apply(c.server)
	if err := c.server.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.exited = make(chan error, 1)
	go func() { c.exited <- c.server.Wait() }()
	return nil
}

// wait polls until the server accepts connections, it exits, or 60 s pass.
func (c *Cluster) wait(ctx context.Context) error {
	db, err := c.Open("postgres")
	if err != nil {
		return err
	}
	c.admin = db
	deadline := time.Now().Add(60 * time.Second)
	for {
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		err := db.PingContext(pctx)
		cancel()
		if err == nil {
			_, err := db.ExecContext(ctx, `CREATE ROLE `+PasswordGroup+` NOLOGIN`)
			return err
		}
		select {
		case werr := <-c.exited:
			c.exited <- werr
			return fmt.Errorf("postgres exited while starting (%v): %s", werr, c.logTail())
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("postgres did not accept connections within 60 s (%v): %s", err, c.logTail())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (c *Cluster) logTail() string {
	b, _ := os.ReadFile(filepath.Join(c.Dir, "server.log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// Stop shuts the server down (fast shutdown: sessions are ended) and
// removes the cluster's folder.
func (c *Cluster) Stop() error {
	var errs []error
	if c.admin != nil {
		c.admin.Close()
	}
	if c.server != nil && c.server.Process != nil {
		if err := interrupt(c.server.Process); err != nil {
			errs = append(errs, err)
		}
		select {
		case <-c.exited:
		case <-time.After(30 * time.Second):
			errs = append(errs, c.server.Process.Kill())
			<-c.exited
		}
	}
	if c.Dir != "" {
		errs = append(errs, os.RemoveAll(c.Dir))
	}
	return errors.Join(errs...)
}

// DSN is the keyword/value connection string for database name.
func (c *Cluster) DSN(name string) string {
	return fmt.Sprintf("host='%s' port=%d user=%s dbname='%s' sslmode=disable",
		c.SocketDir, c.Port, Superuser, strings.ReplaceAll(name, "'", `\'`))
}

// URL is database name's URL in the form users write.
func (c *Cluster) URL(name string) string {
	q := url.Values{"host": {c.SocketDir}}
	if c.Port != 5432 {
		q.Set("port", strconv.Itoa(c.Port))
	}
	return (&url.URL{Scheme: "postgresql", User: url.User(Superuser), Host: "",
		Path: "/" + name, RawQuery: q.Encode()}).String()
}

// Open connects to database name as Superuser through pgx.
func (c *Cluster) Open(name string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(c.DSN(name))
	if err != nil {
		return nil, err
	}
	return stdlib.OpenDB(*cfg), nil
}

// exec runs one statement in database name.
func (c *Cluster) exec(ctx context.Context, name, stmt string) error {
	db := c.admin
	if name != "postgres" {
		var err error
		if db, err = c.Open(name); err != nil {
			return err
		}
		defer db.Close()
	}
	_, err := db.ExecContext(ctx, stmt)
	return err
}

// BinDir finds the folder holding initdb and postgres: $AUTOGEN_PG_BINDIR,
// else the folder of initdb on PATH, else the newest of Debian's
// /usr/lib/postgresql/<version>/bin and the usual install folders.
func BinDir() (string, error) {
	if d := os.Getenv(EnvBinDir); d != "" {
		if !hasServer(d) {
			return "", fmt.Errorf("$%s=%s holds no initdb and postgres", EnvBinDir, d)
		}
		return d, nil
	}
	if p, err := exec.LookPath("initdb"); err == nil && hasServer(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(debian, func(i, j int) bool { return version(debian[i]) > version(debian[j]) })
	for _, d := range append(debian, "/usr/local/pgsql/bin", "/opt/homebrew/bin", "/usr/local/bin") {
		if hasServer(d) {
			return d, nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server found (looked for initdb on PATH and in /usr/lib/postgresql/*/bin); install Debian's postgresql package or set $%s", EnvBinDir)
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.IsDir() {
			return false
		}
	}
	return true
}

// version reads the major version from /usr/lib/postgresql/<version>/bin.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// tempBase is where the cluster's folder goes. A server running as the
// postgres user must reach it, which a root-only $TMPDIR would forbid; and
// a unix socket path must stay under about 100 bytes.
func tempBase(asOther bool) string {
	base := os.TempDir()
	if len(base) > 60 || (asOther && !worldReachable(base)) {
		return "/tmp"
	}
	return base
}

// worldReachable reports whether every folder on the way to dir lets
// others through.
func worldReachable(dir string) bool {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil || info.Mode().Perm()&0o001 == 0 {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// Role creates a login role for the rest of t (dropped at its end, with
// what it owns in this database) and returns a connection to d as it. The
// role has PostgreSQL's defaults: it may connect, but not create schemas or
// (since PostgreSQL 15) create in public.
func (d *Database) Role(t testing.TB, name string) *sql.DB {
	t.Helper()
	ctx := context.Background()
	role := d.Name + "_" + name
	if _, err := d.DB.ExecContext(ctx, `CREATE ROLE `+pgx.Identifier{role}.Sanitize()+` LOGIN`); err != nil {
		t.Fatalf("create role: %v", err)
	}
	cfg, err := pgx.ParseConfig(d.Cluster.DSN(d.Name))
	if err != nil {
		t.Fatal(err)
	}
	cfg.User = role
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() {
		db.Close()
		for _, q := range []string{`DROP OWNED BY `, `DROP ROLE `} {
			if _, err := d.DB.ExecContext(ctx, q+pgx.Identifier{role}.Sanitize()); err != nil {
				t.Errorf("%s%s: %v", q, role, err)
			}
		}
	})
	return db
}

// removeStale deletes the folders of clusters whose test binary died
// without stopping them (killed, or crashed): the kernel stopped the
// server, but its 40 MB stay. A folder is stale when its server is not
// running and it is older than any start-up.
func removeStale(base string) {
	dirs, _ := filepath.Glob(filepath.Join(base, "autogen-pg-*"))
	for _, d := range dirs {
		info, err := os.Stat(d)
		if err != nil || time.Since(info.ModTime()) < 10*time.Minute {
			continue
		}
		pidFile, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid"))
		if err == nil {
			line, _, _ := strings.Cut(string(pidFile), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && running(pid) {
				continue
			}
		}
		os.RemoveAll(d)
	}
}

// requirePasswords has the members of PasswordGroup authenticate by
// password, ahead of initdb's trust lines.
func requirePasswords(data string) error {
	hba := filepath.Join(data, "pg_hba.conf")
	old, err := os.ReadFile(hba)
	if err != nil {
		return err
	}
	line := "local all +" + PasswordGroup + " scram-sha-256\n"
	return os.WriteFile(hba, append([]byte(line), old...), 0o600)
}

// PasswordRole creates a login role in PasswordGroup with the password
// for the rest of t, and returns its name; connecting as it takes the
// password.
func (d *Database) PasswordRole(t testing.TB, name, password string) string {
	t.Helper()
	ctx := context.Background()
	role := d.Name + "_" + name
	q := `CREATE ROLE ` + pgx.Identifier{role}.Sanitize() + ` LOGIN IN ROLE ` + PasswordGroup + ` PASSWORD '` + strings.ReplaceAll(password, "'", "''") + `'`
	if _, err := d.DB.ExecContext(ctx, q); err != nil {
		t.Fatalf("create role: %v", err)
	}
	t.Cleanup(func() {
		if _, err := d.DB.ExecContext(ctx, `DROP ROLE `+pgx.Identifier{role}.Sanitize()); err != nil {
			t.Errorf("drop role %s: %v", role, err)
		}
	})
	return role
}
