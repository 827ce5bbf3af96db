package rpmdb

import (
	"bytes"
	"database/sql"
	"encoding/binary"
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/probe"
)

// fixture is a real database and, when one was made, what rpm -qa printed for it.
type fixture struct {
	name string
	db   string // below testdata/<name>, laid out as on the host
	tsv  bool
}

var fixtures = []fixture{
	{"centos5-plain", "var/lib/rpm/Packages", true},
	{"centos6-plain", "var/lib/rpm/Packages", true},
	{"centos7-httpd24", "var/lib/rpm/Packages", true},
	{"fedora35", "var/lib/rpm/rpmdb.sqlite", true},
	{"cbl-mariner-2.0", "var/lib/rpm/rpmdb.sqlite", true},
	{"sle15-bci", "usr/lib/sysimage/rpm/Packages.db", false},
}

func (f fixture) path() string { return filepath.Join("testdata", f.name, f.db) }

// oracleLines turns QueryAll output into the columns of expected-rpm-qa.tsv, which
// was printed with %{EPOCHNUM} and so says 0 where rpm's %{EPOCH} says (none).
func oracleLines(t *testing.T, out []byte) []string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 8 {
			t.Fatalf("line %q has %d fields, want 8", l, len(f))
		}
		if f[1] == none {
			f[1] = "0"
		}
		lines = append(lines, strings.Join(f[:5], "\t"))
	}
	slices.Sort(lines)
	return lines
}

func readOracle(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name, "expected-rpm-qa.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	slices.Sort(lines)
	return lines
}

func TestQueryAllMatchesRPM(t *testing.T) {
	for _, fx := range fixtures {
		if !fx.tsv {
			continue
		}
		t.Run(fx.name, func(t *testing.T) {
			out, err := QueryAll(fx.path())
			if err != nil {
				t.Fatal(err)
			}
			got, want := oracleLines(t, out), readOracle(t, fx.name)
			if !slices.Equal(got, want) {
				for _, l := range want {
					if !slices.Contains(got, l) {
						t.Errorf("missing: %s", l)
					}
				}
				for _, l := range got {
					if !slices.Contains(want, l) {
						t.Errorf("unexpected: %s", l)
					}
				}
				t.Fatalf("got %d packages, rpm -qa listed %d", len(got), len(want))
			}
		})
	}
}

func TestQueryAllNDB(t *testing.T) {
	out, err := QueryAll(fixtures[5].path())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	// bci-minimal 15.3 is a deliberately small image.
	if len(lines) != 35 {
		t.Errorf("got %d packages, want 35", len(lines))
	}
	want := "filesystem\t(none)\t15.0\t11.3.2\tx86_64\t1638530309\tSUSE LLC <https://www.suse.com/>\tfilesystem-15.0-11.3.2.src.rpm"
	if !slices.Contains(lines, want) {
		t.Errorf("no line %q in\n%s", want, out)
	}
	for _, l := range lines {
		if f := strings.Split(l, "\t"); len(f) != 8 || f[0] == none || f[2] == none {
			t.Errorf("implausible line %q", l)
		}
	}
}

// The columns the oracle lacks, checked against what rpm prints.
func TestQueryAllRPMColumns(t *testing.T) {
	out, err := QueryAll(fixtures[2].path())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		// A public key is a header without arch, vendor or source rpm.
		"gpg-pubkey\t(none)\tf4a80eb5\t53a7ff4b\t(none)\t1554273471\t(none)\t(none)\n",
		"bind-license\t32\t9.9.4\t73.el7_6\tnoarch\t1551807283\tCentOS\tbind-9.9.4-73.el7_6.src.rpm\n",
		"bash\t(none)\t4.2.46\t31.el7\tx86_64\t1551807285\tCentOS\tbash-4.2.46-31.el7.src.rpm\n",
	} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("no line %q", want)
		}
	}
}

// The probe asks the live rpm for the very columns QueryAll writes.
func TestQueryFormatIsThePlans(t *testing.T) {
	for _, st := range probe.Plan {
		if st.Name == "rpm-qa" {
			if !strings.Contains(st.Shell, "'"+QueryFormat+"'") {
				t.Errorf("the plan runs %s, not rpm -qa --qf '%s'", st.Shell, QueryFormat)
			}
			return
		}
	}
	t.Error("the plan has no rpm-qa step")
}

func TestQueryAllPathNeedingEscape(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd?name#with%25")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(fixtures[4].path())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "rpmdb.sqlite")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := QueryAll(p)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(out, []byte("\n")); n != 129 {
		t.Errorf("got %d packages, want 129", n)
	}
}

func TestQueryAllRejects(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	noTable := filepath.Join(dir, "empty.sqlite")
	db, err := sql.Open("sqlite", noTable)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE Other (x)"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if _, err := QueryAll(filepath.Join(dir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v", err)
	}
	if _, err := QueryAll(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("directory: got %v", err)
	}
	for name, p := range map[string]string{
		"empty":             write("empty", nil),
		"text":              write("text", []byte("name-1.0-1.x86_64\nsomething else entirely\n")),
		"sqlite magic":      write("magic.sqlite", append(slices.Clone(sqliteMagic), make([]byte, 100)...)),
		"no Packages":       noTable,
		"ndb version":       write("ndb", []byte("RpmP\x01\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00")),
		"bdb hash, no rest": write("bdb", append(make([]byte, 12), 0x61, 0x15, 0x06, 0x00)),
	} {
		out, err := QueryAll(p)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %q, %v; want an ErrCorrupt", name, out, err)
		}
	}
}

// queryWithin runs QueryAll and fails the test if it does not return in time: a
// walk that loops is as bad as a panic.
func queryWithin(t *testing.T, path, what string) ([]byte, error) {
	t.Helper()
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := QueryAll(path)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(60 * time.Second):
		t.Fatalf("%s: QueryAll did not return", what)
	}
	return nil, nil
}

// checkDamaged accepts a damaged database giving ErrCorrupt, or lines that are
// well formed; it must never panic or hang.
func checkDamaged(t *testing.T, path, what string) bool {
	t.Helper()
	out, err := queryWithin(t, path, what)
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: error does not say the database is corrupt: %v", what, err)
		}
		if out != nil {
			t.Errorf("%s: output with an error", what)
		}
		return false
	}
	for _, l := range strings.SplitAfter(string(out), "\n") {
		if l != "" && (strings.Count(l, "\t") != 7 || !strings.HasSuffix(l, "\n")) {
			t.Errorf("%s: malformed line %q", what, l)
		}
	}
	return true
}

func TestQueryAllTruncated(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			full, err := os.ReadFile(fx.path())
			if err != nil {
				t.Fatal(err)
			}
			whole, err := QueryAll(fx.path())
			if err != nil {
				t.Fatal(err)
			}
			p := filepath.Join(t.TempDir(), filepath.Base(fx.db))
			n := int64(len(full))
			for _, at := range []int64{8, 16, 40, 511, 4096, 4097, 8192, n / 7, n / 3, n / 2, n - 8192, n - 4096, n - 1} {
				if err := os.WriteFile(p, full[:at], 0o644); err != nil {
					t.Fatal(err)
				}
				what := fx.name + " cut at " + itoa(at)
				if !checkDamaged(t, p, what) {
					continue
				}
				// Only a cut through padding may pass, and then nothing may be lost.
				out, _ := QueryAll(p)
				if !bytes.Equal(out, whole) {
					t.Errorf("%s: no error, but %d of %d bytes of output", what, len(out), len(whole))
				}
			}
		})
	}
}

func TestQueryAllByteFlips(t *testing.T) {
	rounds := 16
	if testing.Short() {
		rounds = 6
	}
	before := runtime.NumGoroutine()
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			full, err := os.ReadFile(fx.path())
			if err != nil {
				t.Fatal(err)
			}
			pageSize := 4096
			if bytes.Equal(full[:16], sqliteMagic) {
				pageSize = int(binary.BigEndian.Uint16(full[16:]))
			}
			rng := rand.New(rand.NewSource(int64(len(full))))
			p := filepath.Join(t.TempDir(), filepath.Base(fx.db))
			failed := 0
			for r := range rounds {
				b := slices.Clone(full)
				var at int
				switch r % 3 {
				case 0: // anywhere
					at = rng.Intn(len(b))
				case 1: // in a page header, where offsets and counts live
					at = rng.Intn(len(b)/pageSize)*pageSize + rng.Intn(32)
				default: // in the first pages, where the directory of the file is
					at = rng.Intn(min(len(b), 3*pageSize))
				}
				n := 1 + rng.Intn(8)
				for i := at; i < at+n && i < len(b); i++ {
					b[i] = byte(rng.Intn(256))
				}
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				if !checkDamaged(t, p, fx.name+" damaged at "+itoa(int64(at))) {
					failed++
				}
			}
			t.Logf("%d of %d damaged copies were refused", failed, rounds)
		})
	}
	// go-rpmdb's reader may stay blocked after a header the guard let through
	// turns out bad; it must stay the exception.
	if leaked := runtime.NumGoroutine() - before; leaked > 0 {
		t.Logf("%d reader goroutines left blocked", leaked)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
