package rpmdb

import (
	"fmt"
	"sort"
)

// File is one file an installed package lists.
type File struct {
	Package string
	Path    string
	// Digest is the hex digest rpm recorded: MD5 before rpm 4.6 (EL5/6), SHA-256
	// on EL7 and later; empty for directories, links and %ghost files.
	Digest string
	Config bool
}

// rpmfileConfig is RPMFILE_CONFIG, the %config bit of RPMTAG_FILEFLAGS.
const rpmfileConfig = 1

// Files reads every file every package of the database at path lists, sorted by
// path, for the offline equivalents of the probe's config-file steps.
func Files(path string) (out []File, err error) {
	pkgs, err := readPackages(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: %s: the file list decoder failed: %v", ErrCorrupt, path, r)
		}
	}()
	for _, p := range pkgs {
		fs, err := p.InstalledFiles()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %s: %v", ErrCorrupt, path, p.Name, err)
		}
		for _, f := range fs {
			out = append(out, File{Package: p.Name, Path: f.Path, Digest: f.Digest, Config: int32(f.Flags)&rpmfileConfig != 0})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
