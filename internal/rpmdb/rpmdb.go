// Package rpmdb reads an RPM database offline, in pure Go, so a disk whose rpm is too
// old, too new or simply not runnable here can still say what is installed. It renders
// what it reads exactly as the probe's `rpm -qa --qf` does, so the packages surveyor
// reads one format whether the evidence came over SSH or from a mounted disk.
//
// The formats are those rpm has used: the Berkeley DB hash `Packages` of EL5–EL8, the
// SQLite `rpmdb.sqlite` of EL9 and Fedora 33+, and the NDB `Packages.db` of SUSE. The
// headers themselves are decoded by github.com/anchore/go-rpmdb; this package guards
// it against damaged files first (see guard.go), because its readers run in goroutines
// of their own where a panic cannot be recovered by a caller.
package rpmdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	gorpmdb "github.com/anchore/go-rpmdb/pkg"

	// go-rpmdb opens SQLite through database/sql under the driver name "sqlite" and
	// registers none itself; modernc's driver has that name and needs no cgo.
	_ "modernc.org/sqlite"
)

// DatabasePaths are where an RPM database may live below a root, most preferred
// first. A conversion (EL8→EL9 by leapp, Fedora 33, SUSE's move to NDB) can leave the
// older file behind but never creates an older format beside a newer one, so the
// newer formats come first. /var/lib/rpm is rpm's %_dbpath on EL and Mariner;
// Fedora 36+ and SUSE keep the files in /usr/lib/sysimage/rpm and leave /var/lib/rpm
// as a symbolic link to it, which a resolver may or may not follow.
var DatabasePaths = []string{
	"/var/lib/rpm/rpmdb.sqlite",
	"/usr/lib/sysimage/rpm/rpmdb.sqlite",
	"/var/lib/rpm/Packages.db",
	"/usr/lib/sysimage/rpm/Packages.db",
	"/var/lib/rpm/Packages",
	"/usr/lib/sysimage/rpm/Packages",
}

// QueryFormat is the rpm --qf format whose output QueryAll reproduces; the probe's
// plan uses the same columns.
const QueryFormat = `%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{INSTALLTIME}\t%{VENDOR}\t%{SOURCERPM}\n`

// none is what rpm prints for a tag the header lacks.
const none = "(none)"

// ErrCorrupt is wrapped by every error about the content of a database, as opposed
// to one about opening it.
var ErrCorrupt = errors.New("corrupt or unsupported RPM database")

// QueryAll reads the RPM database file at path and returns one line per installed
// package (gpg-pubkey entries included, as rpm -qa lists them) in the format of
// QueryFormat, in the database's own order. A database that cannot be read entirely
// gives an error and no output: the reader decodes all or nothing.
//
// The file must not change while it is read; it is meant for a mounted disk.
func QueryAll(path string) ([]byte, error) {
	pkgs, err := readPackages(path)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(len(pkgs) * 120)
	for _, p := range pkgs {
		writeLine(&b, p)
	}
	return []byte(b.String()), nil
}

// readPackages decodes every package header of the database at path, guarded.
func readPackages(path string) (out []*gorpmdb.PackageInfo, err error) {
	err = guarded(path, func(openPath string, _ format) error {
		db, err := gorpmdb.Open(openPath)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		defer db.Close()
		pkgs, err := db.ListPackages()
		if err != nil {
			// go-rpmdb's reader goroutine may stay blocked on its channel after an
			// early return; only a header the guard passed but rpm's rules reject gets
			// here, so that leak is bounded by how often callers meet such files.
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		out = pkgs
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// guarded checks the database at path and hands read a path go-rpmdb can open it by
// (SQLite through a plain-named link when its name would be taken for URI syntax),
// with the format it is in. A panic of go-rpmdb's decoding in this goroutine ends as
// an error.
func guarded(path string, read func(openPath string, f format) error) (err error) {
	defer func() {
		// go-rpmdb's header decoding runs in this goroutine and indexes slices by
		// offsets read from the file; what the guard does not catch ends here.
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: the header decoder failed: %v", ErrCorrupt, path, r)
		}
	}()

	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	format, err := detect(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}

	openPath := path
	switch format {
	case formatSQLite:
		// go-rpmdb builds a "file:" URI from the path, where ?, # and % mean
		// something; a link with a plain name sidesteps that.
		if strings.ContainsAny(path, "?#%") {
			dir, err := os.MkdirTemp("", "trowel-rpmdb-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			openPath = filepath.Join(dir, "rpmdb.sqlite")
			if err := os.Symlink(abs, openPath); err != nil {
				return err
			}
		}
		err = guardSQLite(openPath)
	case formatNDB:
		// Held until go-rpmdb has read everything: its own lock is a blocking one,
		// and a shared lock of ours keeps a writer from slipping in between.
		var unlock func()
		unlock, err = lockShared(f)
		if err == nil {
			defer unlock()
			err = guardNDB(f, st.Size())
		}
	case formatBDB:
		err = guardBDB(f, st.Size())
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return read(openPath, format)
}

func writeLine(b *strings.Builder, p *gorpmdb.PackageInfo) {
	epoch := none
	if p.Epoch != nil {
		// rpm prints INT32 tags as unsigned.
		epoch = strconv.FormatUint(uint64(uint32(*p.Epoch)), 10)
	}
	installed := none
	if p.InstallTime != 0 {
		installed = strconv.FormatUint(uint64(uint32(p.InstallTime)), 10)
	}
	for i, v := range []string{p.Name, epoch, p.Version, p.Release, p.Arch, installed, p.Vendor, p.SourceRpm} {
		if i > 0 {
			b.WriteByte('\t')
		}
		b.WriteString(field(v))
	}
	b.WriteByte('\n')
}

// field renders a string tag as rpm does, except that a tab or newline inside it
// (never seen in a real header, but a header is only bytes) becomes a space so one
// package stays one line.
func field(v string) string {
	if v == "" {
		// go-rpmdb turns a missing tag, and for a few tags the literal "(none)",
		// into "", so rpm's placeholder is restored here.
		return none
	}
	if strings.ContainsAny(v, "\t\n\r") {
		v = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(v)
	}
	return v
}
