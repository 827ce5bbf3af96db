package rpmdb

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/anchore/go-rpmdb/pkg/bdb"
	dbi "github.com/anchore/go-rpmdb/pkg/db"
	"github.com/anchore/go-rpmdb/pkg/ndb"
	"github.com/anchore/go-rpmdb/pkg/sqlite3"
)

// Scriptlet is the %post scriptlet of an installed package: what rpm -q --qf
// '%{POSTIN}' prints, which go-rpmdb does not decode.
type Scriptlet struct {
	Package string
	PostIn  string
}

// Header tags, from rpm's rpmtag.h.
const (
	tagName   = 1000
	tagPostIn = 1024
)

// Scriptlets reads the %post scriptlet of every package of the database at path that
// has one, in the database's order, for the offline equivalent of the probe's
// files-rpm-scripts step.
func Scriptlets(path string) (out []Scriptlet, err error) {
	err = guarded(path, func(openPath string, f format) error {
		var db dbi.RpmDBInterface
		var err error
		switch f {
		case formatSQLite:
			db, err = sqlite3.Open(openPath)
		case formatNDB:
			db, err = ndb.Open(openPath)
		default:
			db, err = bdb.Open(openPath)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, path, err)
		}
		defer db.Close()
		var first error
		// Every entry is taken off the channel, even after an error: the reader's
		// goroutine would otherwise block on it for ever.
		for e := range db.Read() {
			if first != nil {
				continue
			}
			if e.Err != nil {
				first = fmt.Errorf("%w: %s: %v", ErrCorrupt, path, e.Err)
				continue
			}
			name, post := headerString(e.Value, tagName), headerString(e.Value, tagPostIn)
			if name != "" && post != "" {
				out = append(out, Scriptlet{Package: name, PostIn: post})
			}
		}
		return first
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// headerString returns the first string of a tag of a header blob as the database
// stores it (index count, data length, index entries, data), or "" when the header
// lacks it. The guard has checked the index against the blob's length.
func headerString(b []byte, tag int32) string {
	if len(b) < 8 {
		return ""
	}
	il := int(binary.BigEndian.Uint32(b[0:]))
	dl := int(binary.BigEndian.Uint32(b[4:]))
	if il < 1 || 8+16*il+dl > len(b) {
		return ""
	}
	data := b[8+16*il : 8+16*il+dl]
	for i := range il {
		e := b[8+16*i:]
		if int32(binary.BigEndian.Uint32(e[0:])) != tag {
			continue
		}
		switch binary.BigEndian.Uint32(e[4:]) {
		case rpmString, rpmStringArray, rpmI18NString:
		default:
			return ""
		}
		off := int(int32(binary.BigEndian.Uint32(e[8:])))
		if off < 0 || off >= len(data) {
			return ""
		}
		s := data[off:]
		if j := bytes.IndexByte(s, 0); j >= 0 {
			s = s[:j]
		}
		return string(s)
	}
	return ""
}
