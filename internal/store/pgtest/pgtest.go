// Package pgtest runs a real, private PostgreSQL server for tests: Debian's
// postgresql package, a fresh cluster in a temporary directory, listening only on a
// unix socket in a directory of its own (no TCP, so nothing else on the machine can
// reach it), a new database per test, and everything stopped and removed at the end.
//
// Tests that need PostgreSQL call DSN; the package's TestMain calls Main so the
// server is stopped after the last test. Where PostgreSQL is not installed the tests
// skip, unless TROWEL_PG_REQUIRED=1 (as `make test` sets), where they fail: CI must
// never pass by skipping.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// RequiredEnv names the variable that turns a missing PostgreSQL into a failure.
const RequiredEnv = "TROWEL_PG_REQUIRED"

// Server is one running PostgreSQL cluster.
type Server struct {
	bin     string // directory of initdb, pg_ctl, postgres
	dir     string // holds data/, sock/ and the log; removed by Stop
	port    int
	cred    *syscall.Credential // the account the server runs as, when we are root
	dbCount atomic.Int64
}

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
)

// Main runs the package's tests and stops the shared server afterwards. Use it as
// the body of TestMain.
func Main(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// StopShared stops the server DSN started, if it did: for a TestMain that is
// not Main.
func StopShared() {
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "pgtest:", err)
		}
	}
}

// DSN gives t a new, empty database on the shared server (started on first use) and
// returns its connection string. It skips t when PostgreSQL is not installed, or
// fails it when RequiredEnv is set.
func DSN(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = Start() })
	if sharedErr != nil {
		var missing *NotInstalledError
		if errors.As(sharedErr, &missing) && os.Getenv(RequiredEnv) != "1" {
			t.Skipf("PostgreSQL tests skipped: %v (set %s=1 to make this a failure)", sharedErr, RequiredEnv)
		}
		t.Fatalf("PostgreSQL: %v", sharedErr)
	}
	dsn, err := shared.CreateDatabase()
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// NotInstalledError says PostgreSQL's server programs were not found.
type NotInstalledError struct{ Looked []string }

func (e *NotInstalledError) Error() string {
	return "initdb not found (looked in PATH and " + strings.Join(e.Looked, ", ") + "): apt-get install postgresql"
}

// Start creates a cluster in a new temporary directory and starts it.
func Start() (*Server, error) {
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	s := &Server{bin: bin}
	// PostgreSQL refuses to run as root: as root, the cluster belongs to the
	// postgres account the Debian package creates.
	if os.Geteuid() == 0 {
		if s.cred, err = account("postgres"); err != nil {
			return nil, err
		}
	}
	// Not t.TempDir: its parents are private to root, and the server's account
	// must reach this directory.
	if s.dir, err = os.MkdirTemp("", "trowel-pg-"); err != nil {
		return nil, err
	}
	started := false
	defer func() {
		if !started {
			os.RemoveAll(s.dir)
		}
	}()
	for _, d := range []string{s.dir, s.path("sock")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		if s.cred != nil {
			if err := os.Chown(d, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
				return nil, err
			}
		}
	}
	if err := s.run("initdb", "-D", s.path("data"), "-U", "trowel", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, err
	}
	// A port is still needed with listen_addresses empty: it names the socket file.
	if s.port, err = freePort(); err != nil {
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -p %d -c fsync=off -c full_page_writes=off", s.path("sock"), s.port)
	if err := s.run("pg_ctl", "start", "-w", "-t", "60", "-D", s.path("data"), "-l", s.path("server.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(s.path("server.log"))
		return nil, fmt.Errorf("%w\nserver log:\n%s", err, log)
	}
	started = true
	return s, nil
}

// CreateDatabase makes a new database and returns its DSN.
func (s *Server) CreateDatabase() (string, error) {
	name := fmt.Sprintf("trowel_test_%d", s.dbCount.Add(1))
	db, err := sql.Open("pgx", s.dsnFor("postgres"))
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return s.dsnFor(name), nil
}

func (s *Server) dsnFor(db string) string {
	return fmt.Sprintf("postgres://trowel@localhost:%d/%s?host=%s&sslmode=disable", s.port, db, s.path("sock"))
}

// Stop stops the server and removes its directory.
func (s *Server) Stop() error {
	err := s.run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", s.path("data"))
	if rmErr := os.RemoveAll(s.dir); err == nil {
		err = rmErr
	}
	return err
}

// PID is the server's main process (the postmaster), whose children serve the
// connections: for a harness that measures what the server spends.
func (s *Server) PID() (int, error) {
	b, err := os.ReadFile(s.path("data/postmaster.pid"))
	if err != nil {
		return 0, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return strconv.Atoi(strings.TrimSpace(first))
}

func (s *Server) path(p string) string { return filepath.Join(s.dir, p) }

func (s *Server) run(prog string, args ...string) error {
	cmd := exec.Command(filepath.Join(s.bin, prog), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = s.dir
	if s.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
		cmd.Env = append(os.Environ(), "HOME="+s.dir)
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %v\n%s", prog, strings.Join(args, " "), err, out.Bytes())
	}
	return nil
}

// findBin finds the directory of initdb: on PATH, else the newest of Debian's
// /usr/lib/postgresql/VERSION/bin (Debian keeps the server programs off PATH).
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Dir(p), nil
	}
	const pattern = "/usr/lib/postgresql/*/bin/initdb"
	found, _ := filepath.Glob(pattern)
	if len(found) == 0 {
		return "", &NotInstalledError{Looked: []string{pattern}}
	}
	major := func(p string) int {
		n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(p))))
		return n
	}
	sort.Slice(found, func(i, j int) bool { return major(found[i]) > major(found[j]) })
	return filepath.Dir(found[0]), nil
}

func account(name string) (*syscall.Credential, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL needs an account of its own (the postgresql package creates %q): %v", name, err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("account %s has a non-numeric uid or gid", name)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// freePort asks the kernel for a port no one listens on. The server only names its
// socket file after it, so a race with another process taking the TCP port is
// harmless.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
