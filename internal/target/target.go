// Package target says what a command-line argument names: this machine, a host over
// SSH, the root of a mounted disk, an evidence file, or a snapshot file. It decides
// once, from what is on disk (a snapshot file by its content, never by its name), so
// every command reads an argument the same way.
//
// A name a store keeps (HOST, HOST@2, HOST@2026-11-01) is not decided here: the
// loader asks its store first and comes here only for a name the store does not hold.
package target

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/usererr"
)

// Kind is what an argument names.
type Kind int

const (
	Local    Kind = iota + 1 // this machine, through the probe run by /bin/sh
	SSH                      // [ssh://][user@]host[:port] or a Host alias of ssh_config
	Root                     // a directory: the root of a mounted disk or image
	Evidence                 // a file the probe wrote, by hand or kept with --keep-evidence
	Snapshot                 // a file trowel survey wrote
)

func (k Kind) String() string {
	switch k {
	case Local:
		return "local"
	case SSH:
		return "ssh"
	case Root:
		return "root"
	case Evidence:
		return "evidence"
	case Snapshot:
		return "snapshot"
	}
	return "unknown"
}

// Describe names the kind in a sentence: "an evidence file".
func (k Kind) Describe() string {
	switch k {
	case Local:
		return "this machine"
	case SSH:
		return "an SSH destination"
	case Root:
		return "a directory (the root of a mounted disk)"
	case Evidence:
		return "an evidence file"
	case Snapshot:
		return "a snapshot file"
	}
	return "nothing trowel reads"
}

// Target is an argument and what it names.
type Target struct {
	Kind Kind
	// Arg is the argument as given: the path of a directory or file, or the SSH
	// destination, which internal/remote reads (scheme, user, port, alias).
	Arg string
}

// Hint is what to give when an argument names nothing trowel can read.
const Hint = "Give a snapshot written by trowel survey -o FILE, an evidence file, a directory, local, or an SSH destination ([ssh://][user@]host[:port] or a ~/.ssh/config alias)."

// scheme is the "name://" a URL starts with.
var scheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*://`)

// fileSuffixes end the names of files trowel reads and writes, and of no host name a
// person would type: such a name that is not on disk is a mistyped file.
var fileSuffixes = []string{".json", ".evidence", ".yaml", ".yml", ".gz", ".tgz", ".txt"}

// Parse says what arg names. What exists on disk is a directory or a file (a
// snapshot when it holds JSON, else evidence); what does not exist but looks like a
// path is a user error, never a host name; the rest is an SSH destination.
func Parse(arg string) (Target, error) {
	switch {
	case arg == "":
		return Target{}, usererr.Errorf(Hint, "no target given")
	case arg == "local":
		return Target{Kind: Local, Arg: arg}, nil
	case scheme.MatchString(arg):
		if !strings.HasPrefix(strings.ToLower(arg), "ssh://") {
			return Target{}, usererr.Errorf(Hint, "%s: only ssh:// addresses are supported", arg)
		}
		return Target{Kind: SSH, Arg: arg}, nil
	}
	fi, err := os.Stat(arg)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if looksLikePath(arg) {
			return Target{}, usererr.Errorf(Hint+" A host whose name looks like a file is written ssh://"+arg+".",
				"%s: no such file or directory", arg)
		}
		return Target{Kind: SSH, Arg: arg}, nil
	case err != nil:
		return Target{}, usererr.CannotRead(arg, err, "")
	case fi.IsDir():
		return Target{Kind: Root, Arg: arg}, nil
	case !fi.Mode().IsRegular():
		// A pipe or a device (sh probe.sh | trowel survey /dev/stdin) can be read
		// once only: it is not peeked at, and only evidence comes that way.
		return Target{Kind: Evidence, Arg: arg}, nil
	}
	json, err := holdsJSON(arg)
	if err != nil {
		return Target{}, usererr.CannotRead(arg, err, "")
	}
	if json {
		return Target{Kind: Snapshot, Arg: arg}, nil
	}
	return Target{Kind: Evidence, Arg: arg}, nil
}

// looksLikePath tells a mistyped file name from a host name: host names have no
// slash, do not start with a dot or a tilde, and do not end in a file's suffix.
func looksLikePath(arg string) bool {
	if strings.ContainsRune(arg, '/') || strings.HasPrefix(arg, ".") || strings.HasPrefix(arg, "~") {
		return true
	}
	ext := strings.ToLower(filepath.Ext(arg))
	for _, s := range fileSuffixes {
		if ext == s {
			return true
		}
	}
	return false
}

// holdsJSON tells a snapshot from evidence by its first bytes: the probe's output
// starts with its header line (or gzip's magic), a snapshot with "{", after blanks
// and a byte order mark.
func holdsJSON(name string) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return false, err
	}
	return bytes.HasPrefix(bytes.TrimLeft(head[:n], " \t\r\n\ufeff"), []byte("{")), nil
}
