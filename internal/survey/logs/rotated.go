package logs

import (
	"path"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// rotatedCopy is the suffix a rotated log carries: messages.1, maillog-20150222,
// secure.2.gz, access_log.old.
var rotatedCopy = regexp.MustCompile(`(\.[0-9]+|-[0-9]{8}(-[0-9]+)?|\.old)?(\.(gz|bz2|xz|Z|zst|lzma))?$`)

// selfLimiting are files under /var/log that do not grow without end, so nothing
// needs to rotate them: fixed-size records per user, rewritten at each boot, a
// shipper's position file (one line per log), or kept by their own tool
// (sysstat's sa files, one per day of the month; the journal).
func selfLimiting(p string) bool {
	switch path.Base(p) {
	case "lastlog", "faillog", "tallylog", "dmesg", "dmesg.old":
		return true
	}
	return strings.HasSuffix(p, ".pos") || strings.HasPrefix(p, "/var/log/sa/") || strings.HasPrefix(p, "/var/log/journal/")
}

// liveLog is the log a file is, or was before rotation renamed it.
func liveLog(p string) (live string, copy bool) {
	dir, base := path.Split(p)
	if loc := rotatedCopy.FindStringIndex(base); loc != nil && loc[0] > 0 && loc[0] < len(base) {
		return dir + base[:loc[0]], true
	}
	return p, false
}

// markRotation says of each log which logrotate stanza rotates it; when the whole
// rotation configuration was read, a live log no stanza names is unrotated.
func markRotation(files []snapshot.LogFile, rot []snapshot.LogRotate, complete bool) {
	for i := range files {
		f := &files[i]
		live, copy := liveLog(f.Path)
		for _, r := range rot {
			for _, pat := range r.Paths {
				// A stanza names the live log (or, with a wide glob, the copy itself).
				if matches(pat, live) || matches(pat, f.Path) {
					f.RotatedBy = r.Source
					break
				}
			}
			if f.RotatedBy != "" {
				break
			}
		}
		if f.RotatedBy == "" && complete && !copy && !selfLimiting(f.Path) {
			f.Unrotated = true
		}
	}
}

func matches(pattern, p string) bool {
	ok, _ := path.Match(pattern, p)
	return ok || pattern == p
}
