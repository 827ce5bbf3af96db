package collect

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"

	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/redact"
)

// softwareTraces is the probe's _traces read from a disk image: the servers'
// programs in the program directories with the package owning each, the
// /usr/share/doc/NAME-VERSION directories, and the version lines of version files.
func (r *rootReader) softwareTraces() ([]byte, error) {
	var b bytes.Buffer
	owner := r.owners()
	for _, g := range probe.ProgramDirs {
		for _, d := range r.glob(g) {
			if _, ok := r.dir(d); !ok {
				continue
			}
			for _, n := range distro.AllPrograms() {
				if x, ok := r.executable(d + "/" + n); ok && x {
					fmt.Fprintf(&b, "program\t%s/%s\t%s\n", d, n, owner(d+"/"+n))
				}
			}
		}
	}
	for _, n := range distro.AllDocNames() {
		for _, d := range r.glob("/usr/share/doc/" + n + "-[0-9]*") {
			if _, ok := r.dir(d); ok {
				fmt.Fprintf(&b, "doc\t%s\n", d)
			}
		}
	}
	for _, g := range distro.AllVersionFiles() {
		for _, f := range r.glob(g) {
			data, err := r.readHead(f, 1<<20)
			if err != nil {
				continue
			}
			n := 0
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() && n < 5 {
				if strings.Contains(strings.ToLower(sc.Text()), "version") {
					fmt.Fprintf(&b, "version\t%s\t%s\n", f, sc.Text())
					n++
				}
			}
		}
	}
	return redact.Text(b.Bytes()), nil
}

// owners returns _owner's answer for a path: the RPM package listing it, else the
// dpkg package, "" when a database was read and none does, "?" when there is none.
// The databases are read once, on the first question.
func (r *rootReader) owners() func(p string) string {
	var rpmOwner, dpkgOwner map[string]string
	loaded, anyDB := false, false
	load := func() {
		loaded = true
		if files, err := r.rpmFiles(); err == nil {
			anyDB = true
			rpmOwner = map[string]string{}
			for _, f := range files {
				if _, seen := rpmOwner[f.Path]; !seen {
					rpmOwner[f.Path] = f.Package
				}
			}
		}
		if lists := r.glob("/var/lib/dpkg/info/*.list"); len(lists) > 0 {
			anyDB = true
			dpkgOwner = map[string]string{}
			for _, l := range lists {
				data, err := r.readSmall(l)
				if err != nil {
					continue
				}
				pkg := strings.TrimSuffix(l[strings.LastIndexByte(l, '/')+1:], ".list")
				pkg, _, _ = strings.Cut(pkg, ":")
				for _, line := range strings.Split(string(data), "\n") {
					if _, seen := dpkgOwner[line]; !seen && line != "" {
						dpkgOwner[line] = pkg
					}
				}
			}
		}
	}
	return func(p string) string {
		if !loaded {
			load()
		}
		if o := rpmOwner[p]; o != "" {
			return o
		}
		if o := dpkgOwner[p]; o != "" {
			return o
		}
		if anyDB {
			return ""
		}
		return "?"
	}
}
