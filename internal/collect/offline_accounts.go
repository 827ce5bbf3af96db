package collect

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/probe"
)

// homeFiles is the probe's _home_files in Go: the file below every absolute home
// of /etc/passwd that is a directory, each home once.
func (r *rootReader) homeFiles(st probe.Step) {
	f, _, err := r.open("/etc/passwd")
	if err != nil || f == nil {
		return
	}
	data, _ := io.ReadAll(io.LimitReader(f, 4<<20))
	f.Close()
	seen := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Split(line, ":")
		if len(fields) < 7 {
			continue
		}
		home := fields[5]
		if !strings.HasPrefix(home, "/") || strings.ContainsAny(home, "\n\t") || seen[home] {
			continue
		}
		seen[home] = true
		if !r.isDir(home) {
			continue
		}
		p := strings.TrimSuffix(home, "/") + "/" + strings.TrimPrefix(st.Path, "/")
		r.file(p, st.Limit, filterOf(st))
	}
}

// sudoersIncludes is the probe's _sudoers_includes in Go: the files /etc/sudoers
// includes, four levels deep and at most 64, each read as its own item.
func (r *rootReader) sudoersIncludes(st probe.Step) {
	queue := []string{"/etc/sudoers"}
	seen := map[string]bool{"/etc/sudoers": true}
	count := 0
	for depth := 0; depth < 4 && len(queue) > 0; depth++ {
		var next []string
		for _, file := range queue {
			f, _, err := r.open(file)
			if err != nil || f == nil {
				continue
			}
			sc := bufio.NewScanner(io.LimitReader(f, 4<<20))
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				w := strings.Fields(sc.Text())
				if len(w) < 2 || (w[0] != "#include" && w[0] != "@include" && w[0] != "#includedir" && w[0] != "@includedir") {
					continue
				}
				target := strings.TrimSuffix(strings.TrimPrefix(w[1], `"`), `"`)
				if !strings.HasPrefix(target, "/") {
					target = path.Join(path.Dir(file), target)
				}
				var list []string
				dir := strings.HasSuffix(w[0], "dir")
				if dir {
					for _, m := range r.glob(path.Join(target, "*")) {
						if r.isRegular(m) && !probe.SudoIncludeDirSkips(path.Base(m)) {
							list = append(list, m)
						}
					}
				} else if r.isRegular(target) {
					list = append(list, target)
				}
				for _, p := range list {
					if seen[p] || strings.ContainsAny(p, " \t*?[") || count >= 64 {
						continue
					}
					seen[p] = true
					count++
					next = append(next, p)
					r.file(p, st.Limit, filterOf(st))
				}
			}
			f.Close()
		}
		queue = next
	}
}

// lastlog prints /var/log/lastlog as lastlog(8) does, for the accounts of
// /etc/passwd: struct lastlog is int32 ll_time, char ll_line[32], char ll_host[256],
// one record per uid. Times are printed in UTC with their offset, so nothing depends
// on the zone of the machine reading the disk.
func (r *rootReader) lastlog() ([]byte, error) {
	pf, _, err := r.open("/etc/passwd")
	if err != nil {
		return nil, missing("/etc/passwd", err)
	}
	if pf == nil {
		return nil, fmt.Errorf("/etc/passwd is not a regular file")
	}
	passwd, _ := io.ReadAll(io.LimitReader(pf, 4<<20))
	pf.Close()
	lf, _, err := r.open("/var/log/lastlog")
	if err != nil {
		return nil, missing("/var/log/lastlog", err)
	}
	if lf == nil {
		return nil, fmt.Errorf("/var/log/lastlog is not a regular file")
	}
	defer lf.Close()
	return LastlogText(passwd, lf)
}

const lastlogRecord = 4 + 32 + 256

// LastlogText formats lastlog records read at each uid's offset.
func LastlogText(passwd []byte, ll io.ReaderAt) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%-16s %-8s %-16s %s\n", "Username", "Port", "From", "Latest")
	type acct struct {
		name string
		uid  int64
	}
	var list []acct
	for _, line := range strings.Split(string(passwd), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 7 {
			continue
		}
		uid, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || uid < 0 || uid > 1<<31 {
			continue
		}
		list = append(list, acct{f[0], uid})
	}
	rec := make([]byte, lastlogRecord)
	for _, a := range list {
		n, err := ll.ReadAt(rec, a.uid*lastlogRecord)
		if err != nil && err != io.EOF {
			// A read error is not "never logged in": say it, keep nothing half-known.
			return nil, fmt.Errorf("reading /var/log/lastlog for %s: %w", a.name, err)
		}
		t := int32(0)
		if n == lastlogRecord {
			t = int32(binary.LittleEndian.Uint32(rec[:4]))
		}
		if t == 0 {
			fmt.Fprintf(&b, "%-16s %-8s %-16s %s\n", a.name, "", "", "**Never logged in**")
			continue
		}
		line := cString(rec[4:36])
		host := cString(rec[36:])
		when := time.Unix(int64(t), 0).UTC().Format("Mon Jan _2 15:04:05 -0700 2006")
		fmt.Fprintf(&b, "%-16s %-8.8s %-16s %s\n", a.name, line, host, when)
	}
	return b.Bytes(), nil
}

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return '?'
		}
		return r
	}, string(b))
}
