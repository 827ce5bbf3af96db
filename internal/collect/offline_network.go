package collect

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
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
func (r *rootReader) duData() ([]byte, error) {
	deadline := time.Now().Add(duBudget)
	var b bytes.Buffer
	for _, d := range probe.DataDirs {
		link := r.readlink(d)
		hp, err := r.inside(d)
		if err != nil {
			continue
		}
		fi, err := os.Stat(hp)
		if err != nil || !fi.IsDir() {
			continue
		}
		kib, complete := diskUsage(hp, deadline)
		note := ""
		if !complete {
			note = "partial"
		}
		fmt.Fprintf(&b, "%s\t%d\t%s\t%s\n", d, kib, strings.ReplaceAll(link, "\n", " "), note)
	}
	return b.Bytes(), nil
}

// diskUsage is `du -sk -x`: allocated blocks, one filesystem, links not followed,
// hard-linked files counted once. complete is false when something could not be read
// or the deadline passed.
func diskUsage(dir string, deadline time.Time) (kib int64, complete bool) {
	complete = true
	top, ok := statT(dir)
	if !ok {
		return 0, false
	}
	type ino struct{ dev, ino uint64 }
	seen := map[ino]bool{}
	var blocks int64
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
		blocks += int64(st.Blocks)
		return nil
	})
	return blocks * 512 / 1024, complete
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
