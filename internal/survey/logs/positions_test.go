package logs

import (
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The probe's log-positions output, as _logpos prints it: a td-agent pos_file that
// still remembers the rotated access log, an rsyslog imfile state file (rsyslog
// escapes the slashes), filebeat's log.json registry, and one file of no known
// format.
const positionsSample = `==> pos 1763700000 120 /var/log/td-agent/access.pos <==
/var/log/httpd/access_log	0000000000001000	0000000000000011
/var/log/httpd/access_log	0000000000000200	0000000000000022
/var/log/httpd/gone_log	ffffffffffffffff	0000000000000033

==> pos 1763700100 90 /var/lib/rsyslog/imfile-state:16646217 <==
{ "filename": "\/var\/log\/app\/app.log", "prev_was_nl": 0, "curr_offs": 11145894890, "strt_offs": 11145894890 }

==> pos 1763700200 300 /var/lib/filebeat/registry/filebeat/log.json <==
{"op":"set","id":1}
{"k":"filebeat::logs::native::7-2049","v":{"source":"/var/log/messages","offset":10,"FileStateOS":{"inode":7,"device":2049}}}
{"op":"set","id":2}
{"k":"filebeat::logs::native::7-2049","v":{"source":"/var/log/messages","offset":4096,"FileStateOS":{"inode":7,"device":2049}}}

==> pos 1763700300 3 /var/lib/logship/odd.pos <==
???

==> log 512 1763700050 34 /var/log/httpd/access_log <==
==> log 11145894890 1763700090 16646217 /var/log/app/app.log <==
==> log garbage 1 2 /var/log/bad <==
`

func TestParsePositions(t *testing.T) {
	files, stats := ParsePositions(positionsSample)
	if len(files) != 4 {
		t.Fatalf("%d files: %+v", len(files), files)
	}
	td := files[0]
	if td.Path != "/var/log/td-agent/access.pos" || !td.Modified.Equal(time.Unix(1763700000, 0)) || len(td.Entries) != 2 {
		t.Errorf("td-agent: %+v", td)
	}
	if e := files[1].Entries; len(e) != 1 || e[0] != (PosEntry{Log: "/var/log/app/app.log", Offset: 11145894890, Inode: 16646217}) {
		t.Errorf("imfile: %+v", files[1])
	}
	if e := files[2].Entries; len(e) != 1 || e[0] != (PosEntry{Log: "/var/log/messages", Offset: 4096, Inode: 7}) {
		t.Errorf("filebeat, the last state wins: %+v", files[2])
	}
	if files[3].Problem == "" || len(files[3].Entries) != 0 {
		t.Errorf("an unknown format must say so: %+v", files[3])
	}
	if len(stats) != 2 || stats["/var/log/httpd/access_log"] != (LogStat{Bytes: 512, Modified: time.Unix(1763700050, 0).UTC(), Inode: 34}) {
		t.Errorf("stats: %+v", stats)
	}
	// The rotated access log: the entry for the file now at the path is the one
	// that counts, however the pos_file orders them.
	cur := current(td.Entries, map[string]LogStat{"/var/log/httpd/access_log": {Inode: 0x11}})
	if len(cur) != 1 || cur[0].Offset != 0x1000 {
		t.Errorf("current: %+v", cur)
	}
}

func TestFollowing(t *testing.T) {
	at := func(s int64) *time.Time { t := time.Unix(1763700000+s, 0); return &t }
	size := func(n int64) *int64 { return &n }
	for _, c := range []struct {
		name      string
		p         snapshot.LogPosition
		ok, known bool
		behind    int64
	}{
		{"caught up", snapshot.LogPosition{Offset: 512, Inode: 1, LogBytes: size(512), LogInode: 1}, true, true, 0},
		{"behind but moved after the last write", snapshot.LogPosition{Offset: 100, Inode: 1, LogBytes: size(512), LogInode: 1, Recorded: at(10), LogModified: at(11)}, true, true, 412},
		{"stuck: the log was written long after", snapshot.LogPosition{Offset: 100, Inode: 1, LogBytes: size(512), LogInode: 1, Recorded: at(0), LogModified: at(3600)}, false, true, 412},
		{"still on the rotated file", snapshot.LogPosition{Offset: 512, Inode: 1, LogBytes: size(512), LogInode: 2, Recorded: at(0), LogModified: at(3600)}, false, true, 512},
		{"the log is not there", snapshot.LogPosition{Offset: 5}, false, false, 0},
		{"no times to compare", snapshot.LogPosition{Offset: 5, LogBytes: size(9)}, false, false, 4},
	} {
		ok, known := c.p.Following()
		if ok != c.ok || known != c.known || c.p.Behind() != c.behind {
			t.Errorf("%s: following %v known %v behind %d, want %v %v %d", c.name, ok, known, c.p.Behind(), c.ok, c.known, c.behind)
		}
	}
}

func TestPosFileKeys(t *testing.T) {
	if c := ParseFluentd("<source>\n  @type tail\n  path /var/log/a\n  pos_file /var/log/td-agent/a.pos\n</source>\n"); len(c.PosFiles) != 1 || c.PosFiles[0] != "/var/log/td-agent/a.pos" {
		t.Errorf("fluentd: %+v", c)
	}
	if c := ParseKeyValue("[logship]\npath = /var/log/apache2/access.log\npos_file = /var/lib/logship/access.pos\n"); len(c.PosFiles) != 1 || c.PosFiles[0] != "/var/lib/logship/access.pos" {
		t.Errorf("key=value: %+v", c)
	}
}
