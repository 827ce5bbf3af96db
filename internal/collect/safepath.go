package collect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
)

// errLoop is returned for symlink chains too long to be real.
var errLoop = errors.New("too many levels of symbolic links")

// resolve maps a path as the surveyed host sees it to a path on this machine inside
// root, following symlinks the way the host itself would: an absolute target starts
// again at root, and ".." never climbs above it. A disk image's /etc/localtime ->
// /usr/share/zoneinfo/Asia/Tokyo resolves inside the image, and a hostile
// /etc/passwd -> ../../../../etc/shadow stays inside it too.
func resolve(root, p string) (string, error) {
	parts := splitPath(p)
	var done []string // components already resolved, none a symlink
	hops := 0
	for len(parts) > 0 {
		name := parts[0]
		parts = parts[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
			}
			continue
		}
		next := append(append([]string{}, done...), name)
		fi, err := os.Lstat(hostPath(root, next))
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				// The rest cannot exist either; report the path as it would be.
				return hostPath(root, append(next, parts...)), nil
			}
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = next
			continue
		}
		hops++
		if hops > 40 {
			return "", errLoop
		}
		target, err := os.Readlink(hostPath(root, next))
		if err != nil {
			return "", err
		}
		if strings.HasPrefix(target, "/") {
			done = nil
		}
		parts = append(splitPath(target), parts...)
	}
	return hostPath(root, done), nil
}

func splitPath(p string) []string { return strings.Split(p, "/") }

func hostPath(root string, parts []string) string {
	return path.Join(root, "/"+strings.Join(parts, "/"))
}

// within reports whether a resolved host path lies inside root: a last check, so a
// bug in resolve can never become a read outside the image.
func within(root, p string) bool {
	root = path.Clean(root)
	p = path.Clean(p)
	return p == root || strings.HasPrefix(p, root+"/")
}

func checkWithin(root, p string) error {
	if !within(root, p) {
		return fmt.Errorf("refusing %s: outside the root %s", p, root)
	}
	return nil
}

// inside is a path of the surveyed host resolved inside the root (see resolve) and
// checked to be there: every offline read goes through it.
func (r *rootReader) inside(p string) (string, error) {
	hp, err := resolve(r.root, p)
	if err != nil {
		return "", err
	}
	if err := checkWithin(r.root, hp); err != nil {
		return "", err
	}
	return hp, nil
}
