package collect

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// errLoop is returned for symlink chains too long to be real.
var errLoop = errors.New("too many levels of symbolic links")

// outsideError is a symlink whose target the mounted root cannot answer for: one
// that climbs above the root, or one whose target is not in the root at all (a
// filesystem the running host mounts there, such as /run, or a link made on
// another machine). Saying "does not exist" would be a claim about a place nobody
// looked at; the reader refuses the link and says why.
type outsideError struct {
	link, target, why string
}

func (e *outsideError) Error() string {
	return "refused: outside the root: " + e.link + " -> " + e.target + " " + e.why
}

// resolve maps a path as the surveyed host sees it to a path on this machine inside
// root, following symlinks the way the host itself would: an absolute target starts
// again at root. A disk image's /etc/localtime -> /usr/share/zoneinfo/Asia/Tokyo
// resolves inside the image. A link whose target climbs above the root (a hostile
// /etc/passwd -> ../../../../etc/shadow) or is not in the root at all is refused with
// an outsideError; a path that is simply missing resolves to where it would be.
func resolve(root, p string) (string, error) {
	parts := splitPath(p)
	var done []string // components already resolved, none a symlink
	hops := 0
	// fromLink counts the parts ahead that came from link targets, so a missing
	// component can be told apart: inside a target (the link dangles in this root)
	// or after it (the file is simply not there).
	fromLink := 0
	var link, target string
	for len(parts) > 0 {
		name := parts[0]
		parts = parts[1:]
		inTarget := fromLink > 0
		if fromLink > 0 {
			fromLink--
		}
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
				if inTarget {
					return "", &outsideError{link, target, "leads to nothing in the mounted root (it may be on a filesystem only the running host mounts)"}
				}
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
		t, err := os.Readlink(hostPath(root, next))
		if err != nil {
			return "", err
		}
		link, target = "/"+strings.Join(next, "/"), t
		tparts := splitPath(t)
		if strings.HasPrefix(t, "/") {
			done = nil
		} else if climbs(len(done), tparts) {
			return "", &outsideError{link, target, "climbs above the root"}
		}
		parts = append(tparts, parts...)
		fromLink += len(tparts)
	}
	return hostPath(root, done), nil
}

// climbs reports whether a relative link target, read from a directory depth
// components below the root, climbs above the root as written. The host would stop
// at its "/", but no link made for this host points there by climbing.
func climbs(depth int, target []string) bool {
	for _, c := range target {
		switch c {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
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
	return p == root || strings.HasPrefix(p, strings.TrimSuffix(root, "/")+"/")
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

// surveyed is the surveyed host's path of hp, a path on this machine inside the
// root (resolve's result): where the host's links lead.
func (r *rootReader) surveyed(hp string) string {
	rel, err := filepath.Rel(r.root, hp)
	if err != nil || rel == "." {
		return "/"
	}
	return "/" + filepath.ToSlash(rel)
}

// readlink is the target of the link at p as written in the link, with p's parent
// resolved inside the root; "" when p is not a link.
func (r *rootReader) readlink(p string) string {
	dir, err := r.inside(path.Dir(p))
	if err != nil {
		return ""
	}
	t, err := os.Readlink(path.Join(dir, path.Base(p)))
	if err != nil {
		return ""
	}
	return t
}
