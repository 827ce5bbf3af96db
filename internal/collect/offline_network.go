package collect

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/trowel-dev/trowel/internal/probe"
)

// duBudget bounds the offline walk as the probe's watchdog bounds du on a live host.
const duBudget = 120 * time.Second

// duData is the probe's _net_du read from a disk image: per data directory, the KiB
// its files occupy on one filesystem, in the same "path\tKiB\tlink target\tnote"
// lines. Symlinked directories are measured at their target inside the image.
func (r *rootReader) duData() ([]byte, error) { return r.dataDirLines(diskUsage, "partial"), nil }

// dataDirLines measures each data directory that is there, in the lines of the
// probe's _net_du; a measure that could not read everything gets the note partial,
// "" for a step whose probe twin writes none.
func (r *rootReader) dataDirLines(measure func(dir string, deadline time.Time) (int64, bool), partial string) []byte {
	deadline := time.Now().Add(duBudget)
	var b bytes.Buffer
	for _, d := range probe.DataDirs {
		hp, ok := r.dir(d)
		if !ok {
			continue
		}
		n, complete := measure(hp, deadline)
		note := ""
		if !complete {
			note = partial
		}
		fmt.Fprintf(&b, "%s\t%d\t%s\t%s\n", d, n, strings.ReplaceAll(r.readlink(d), "\n", " "), note)
	}
	return b.Bytes()
}

// diskUsage is `du -sk -x`: allocated blocks, one filesystem, links not followed,
// hard-linked files counted once. complete is false when something could not be read
// or the deadline passed.
func diskUsage(dir string, deadline time.Time) (kib int64, complete bool) {
	var blocks int64
	complete = walkOnce(dir, deadline, func(st *syscall.Stat_t, _ fs.DirEntry) { blocks += int64(st.Blocks) })
	return blocks * 512 / 1024, complete
}

// walkOnce calls visit for every entry below dir on dir's filesystem, links not
// followed, a hard-linked file once, as du and the probe's _apparent walk. It
// reports whether everything was read before the deadline.
func walkOnce(dir string, deadline time.Time, visit func(*syscall.Stat_t, fs.DirEntry)) (complete bool) {
	complete = true
	top, ok := statT(dir)
	if !ok {
		return false
	}
	type ino struct{ dev, ino uint64 }
	seen := map[ino]bool{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			complete = false
			return nil
		}
		if time.Now().After(deadline) {
			complete = false
			return filepath.SkipAll
		}
		st, ok := lstatT(p)
		if !ok {
			complete = false
			return nil
		}
		if uint64(st.Dev) != uint64(top.Dev) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if st.Nlink > 1 && !d.IsDir() {
			k := ino{uint64(st.Dev), uint64(st.Ino)}
			if seen[k] {
				return nil
			}
			seen[k] = true
		}
		visit(st, d)
		return nil
	})
	return complete
}

func statT(p string) (*syscall.Stat_t, bool) {
	var st syscall.Stat_t
	if syscall.Stat(p, &st) != nil {
		return nil, false
	}
	return &st, true
}

func lstatT(p string) (*syscall.Stat_t, bool) {
	var st syscall.Stat_t
	if syscall.Lstat(p, &st) != nil {
		return nil, false
	}
	return &st, true
}
