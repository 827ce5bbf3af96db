package snapshot

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSchemaAcceptsWhatTrowelWrites(t *testing.T) {
	s := Snapshot{
		SchemaVersion: SchemaVersion, TrowelVersion: "test", CollectedAt: time.Unix(1700000000, 0).UTC(),
		Source:    Source{Kind: "ssh", Target: "h", UID: Int(0), Privileged: true},
		Packages:  []Package{{Name: "bash", Epoch: Int(0), Version: "5.2", Manager: "dpkg", Evidence: "file:/var/lib/dpkg/status"}},
		Services:  []Service{{Name: "ssh", Init: "sysv", Enabled: Bool(true), Evidence: []string{"list:/etc/rc2.d"}}},
		Processes: []Process{}, Listeners: []Listener{},
		Coverage: map[Section]Coverage{SectionPackages: {Status: Collected},
			SectionCron: {Status: Partial, Reason: "timers: offline", Sources: []SourceCoverage{
				{Name: CronCrontabs, Status: Collected, Evidence: []string{"file:/etc/crontab"}},
				{Name: CronTimers, Status: Unavailable, Reason: "offline"}, {Name: CronAtq, Status: Cut}}}},
		Evidence: map[string]EvidenceRef{},
		Logs:     Logs{Shippers: []LogShipper{{Name: "rsyslog"}}},
	}
	gem := Software{Name: "fluentd", Version: "1.16.5", VersionFrom: "/var/lib/gems/2.7.0/specifications/fluentd-1.16.5.gemspec",
		Installer: "gem", Path: "/var/lib/gems/2.7.0/gems/fluentd-1.16.5", Programs: []string{"/usr/local/bin/fluentd"}, Evidence: []string{"cmd:files-software"}}
	s.Logs.Shippers = append(s.Logs.Shippers, LogShipper{Name: "fluentd", Software: &gem})
	s.Files.Unmanaged = []UnmanagedTree{{Path: "/var/lib/gems/2.7.0", Software: []Software{gem}, Evidence: []string{"cmd:files-trees"}}}
	// Every kind of time field, so a definition that shadows time.Time's (a model
	// type named Time) fails here and not on a real host.
	now := time.Unix(1700000000, 0).UTC()
	s.Time = Clock{LocaltimeChanged: &now, StaleDaemons: []StaleDaemon{{PID: 1, Command: "crond", Started: now}}}
	s.CronJobs = []CronJob{{Kind: "spool", Source: "/x", Schedule: "@daily", Command: "y", NextRuns: []time.Time{now}, Evidence: "file:/x"}}
	s.Processes = []Process{{PID: 1, Command: "init", Seen: Seen{FirstSeen: &now, LastSeen: &now, Samples: 2}, Evidence: "cmd:ps"}}
	s.Normalize()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(b); err != nil {
		t.Fatalf("valid snapshot rejected: %v", err)
	}
}

func TestSchemaRejectsWhatTrowelNeverWrites(t *testing.T) {
	for name, doc := range map[string]string{
		"bad coverage status":  `"coverage":{"packages":{"status":"maybe"}}`,
		"bad source status":    `"coverage":{"cron":{"status":"partial","sources":[{"name":"atq","status":"maybe"}]}}`,
		"bad source kind":      `"source":{"kind":"ftp","target":"x","privileged":false}`,
		"package without name": `"packages":[{"version":"1","manager":"rpm","evidence":"x"}]`,
	} {
		base := map[string]json.RawMessage{}
		empty := Snapshot{Source: Source{Kind: "local"}}
		empty.Normalize()
		good, _ := json.Marshal(empty)
		_ = json.Unmarshal(good, &base)
		k, v, _ := strings.Cut(doc, ":")
		base[strings.Trim(k, `"`)] = json.RawMessage(v)
		b, _ := json.Marshal(base)
		if err := Validate(b); err == nil {
			t.Errorf("%s: accepted %s", name, b)
		}
	}
}
