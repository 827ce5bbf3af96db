// Package roottest copies a host's root kept as test data to where a test needs it:
// as it is, for the offline reader, or moved under a prefix, so the probe can run
// against the same files on this machine (its paths are absolute, and the probe
// cannot be told to read under a root).
package roottest

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Moved are the top directories whose absolute paths Copy moves under the prefix, in
// files and link targets; /usr stays, so an interpreter in /usr/bin is still a
// system program.
var Moved = []string{"etc", "var", "srv", "opt", "home"}

var movedPath = regexp.MustCompile(`(^|[\s"'=:(,])/(` + strings.Join(Moved, "|") + `)/`)

// Copy copies the tree src to dst. With a prefix, every absolute path of a moved
// directory in a file or a link target gains it: "/var/www/x" becomes
// prefix+"/var/www/x".
func Copy(t testing.TB, src, dst, prefix string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if prefix != "" && movedPath.MatchString(target) {
				target = prefix + target
			}
			return os.Symlink(target, to)
		case d.IsDir():
			return os.MkdirAll(to, info.Mode().Perm()|0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if prefix != "" {
			b = movedPath.ReplaceAll(b, []byte("${1}"+prefix+"/${2}/"))
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
