package estate

import (
	"fmt"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// everyEndpoint is a host that names a remote system in every way the map reads.
func everyEndpoint() *snapshot.Snapshot {
	s := bare("web", "web.ex.com", "10.0.0.1")
	s.Network.Connections = []snapshot.Connection{
		{Proto: "tcp", RemoteAddress: "10.0.0.9", RemotePort: 443, Process: "curl", Count: 1, Evidence: "cmd:ss"},
		{Proto: "tcp", RemoteAddress: "127.0.0.1", RemotePort: 3306, Local: true, Count: 1, Evidence: "cmd:ss"},
	}
	s.Network.Clients = []snapshot.Client{{Proto: "tcp", LocalPort: 80, RemoteAddress: "10.0.0.8", Service: "httpd", Count: 2, Evidence: "cmd:ss"}}
	s.Network.Resolvers = []string{"10.0.0.53", "127.0.0.53"}
	s.Logs.Shippers = []snapshot.LogShipper{{Name: "td-agent", Destinations: []snapshot.Endpoint{{Host: "logs.ex.com", Port: 24224, Proto: "forward", Source: "/etc/td-agent/td-agent.conf:12"}}}}
	s.Middleware.Mail = []snapshot.MailServer{{Kind: "postfix", Relayhost: "[a.ex.com]:587, [b.ex.com]",
		Settings: []snapshot.Setting{{Key: "relayhost", Value: "[a.ex.com]:587, [b.ex.com]", Source: "/etc/postfix/main.cf:41"}}}}
	s.Middleware.Apps = []snapshot.App{{Kind: "rails", Path: "/srv/app", Name: "Shop 2.1", Settings: []snapshot.Setting{
		{Key: "database.adapter", Value: "postgresql", Source: "/srv/app/config/database.yml"},
		{Key: "database.host", Value: "pg.ex.com", Source: "/srv/app/config/database.yml"},
		{Key: "database.port", Value: "6432", Source: "/srv/app/config/database.yml"},
		{Key: "database.database", Value: "shop", Source: "/srv/app/config/database.yml"},
	}}}
	s.Middleware.WebServers = []snapshot.WebServer{
		{Kind: "apache", VHosts: []snapshot.VHost{{ServerName: "shop.ex.com", Listen: "*:80", Source: "/etc/httpd/conf.d/shop.conf:1",
			Proxies: []string{"http://10.0.0.7:8080/", "balancer://pool/", "passenger:/srv/app", "ajp://tomcat.ex.com/"}}}},
		{Kind: "nginx", VHosts: []snapshot.VHost{{ServerName: "api.ex.com", Listen: "443", Source: "/etc/nginx/conf.d/api.conf:3",
			Proxies: []string{"http://backend", "unix:/run/php/fpm.sock", "10.0.0.6:9000"}}}},
	}
	s.Storage.Mounts = []snapshot.Mount{{Device: "filer:/export/shop", MountPoint: "/srv/app/public/files", FSType: "nfs4", Network: true, Evidence: []string{"file:/proc/mounts"}}}
	s.Storage.Fstab = []snapshot.FstabEntry{
		{Device: "filer:/export/shop", MountPoint: "/srv/app/public/files", FSType: "nfs4", Network: true, Line: 7},
		{Device: "oldfiler:/export/x", MountPoint: "/mnt/x", FSType: "nfs", Network: true, Commented: true, Line: 8},
		{Device: "//winsrv/share", MountPoint: "/mnt/win", FSType: "cifs", Options: "noauto,ro", Network: true, Mounted: snapshot.Bool(false), Line: 9},
	}
	s.Time.NTP = snapshot.NTP{Daemon: "chronyd", Servers: []string{"ntp.ex.com", "127.127.1.0"}, Config: "/etc/chrony.conf"}
	s.Backups.Items = []snapshot.BackupTrace{
		{Kind: "job", Tool: "rsync", What: "/srv", Where: "backup@vault.ex.com:/backups/web", OffHost: true, Job: "/etc/cron.d/backup:2"},
		{Kind: "job", Tool: "aws", Where: "s3://bucket/web", OffHost: true, Job: "/etc/cron.d/backup:3"},
		{Kind: "job", Tool: "tar", Where: "/var/backups/x.tgz", Job: "/etc/cron.d/backup:4"},
	}
	return s
}

// TestEveryEndpointSource: each place the map reads gives what it names, so a
// row of endpointSources that reads nothing is caught.
func TestEveryEndpointSource(t *testing.T) {
	s := everyEndpoint()
	want := map[string][]string{
		"connections":           {"out 10.0.0.9 tcp/443 ", "in 10.0.0.8 tcp/80 "},
		"log shippers":          {"out logs.ex.com tcp/24224 fluentd forward"},
		"mail relay":            {"out a.ex.com tcp/587 smtp", "out b.ex.com tcp/25~ smtp"},
		"application databases": {"out pg.ex.com tcp/6432 postgresql shared=postgresql shop"},
		"proxied backends":      {"out 10.0.0.7 tcp/8080 http", "out tomcat.ex.com tcp/8009~ ajp", "out backend tcp/80~ http note=upstream", "out 10.0.0.6 tcp/9000 fastcgi"},
		"network filesystems":   {"out filer tcp/2049~ nfs shared=nfs /export/shop", "out filer tcp/2049~ nfs shared=nfs /export/shop", "out winsrv tcp/445~ smb note=not_mounted"},
		"time servers":          {"out ntp.ex.com udp/123~ ntp", "out 127.127.1.0 udp/123~ ntp"},
		"name servers":          {"out 10.0.0.53 udp/53~ dns", "out 127.0.0.53 udp/53~ dns"},
		"off-host backups":      {"out vault.ex.com tcp/22~ ssh"},
	}
	for _, src := range endpointSources {
		var got []string
		for _, r := range src.read(s) {
			dir := "out"
			if r.inbound {
				dir = "in"
			}
			line := fmt.Sprintf("%s %s %s/%d", dir, r.named, r.proto, r.port)
			if !r.portGiven {
				line += "~"
			}
			line += " " + r.service
			if r.shared != "" {
				line += " shared=" + r.shared
			}
			if r.ev.Note != "" {
				line += " note=" + r.ev.Note
			}
			got = append(got, line)
			if r.ev.Source == "" || r.ev.Kind == "" || r.ev.Named == "" {
				t.Errorf("%s: evidence without source, kind or name: %+v", src.name, r.ev)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want[src.name]) {
			t.Errorf("%s:\n got %q\nwant %q", src.name, got, want[src.name])
		}
		delete(want, src.name)
	}
	for name := range want {
		t.Errorf("no endpoint source %q", name)
	}
}

func TestSplitDevice(t *testing.T) {
	for dev, want := range map[string]string{
		"filer:/export/home":        "filer /export/home",
		"10.0.0.5:/data":            "10.0.0.5 /data",
		"[2001:db8::5]:/data":       "2001:db8::5 /data",
		"//winsrv/share":            "winsrv /share",
		"deploy@files.ex.com:/srv":  "files.ex.com /srv",
		"/dev/sda1":                 "",
		"UUID=1234":                 "",
		"tmpfs":                     "",
		"[2001:db8::5]":             "",
		"gluster1:/volume1":         "gluster1 /volume1",
		"mon1,mon2:/ceph/path":      "mon1,mon2 /ceph/path",
		"sshfs#user@host:/remote":   "host /remote",
		"ceph-mon.ex.com:6789:/fsx": "ceph-mon.ex.com 6789:/fsx",
	} {
		h, e, ok := splitDevice(dev)
		got := ""
		if ok {
			got = h + " " + e
		}
		if got != want {
			t.Errorf("splitDevice(%q) = %q, want %q", dev, got, want)
		}
	}
}

func TestBackupDestination(t *testing.T) {
	for where, want := range map[string]string{
		"backup@vault:/srv/backups":     "vault ssh 0",
		"vault.ex.com::dumps":           "vault.ex.com rsync 0",
		"rsync://vault/dumps/":          "vault rsync 0",
		"sftp:user@vault:/repo":         "vault ssh 0",
		"ssh://user@vault:2222/repo":    "vault ssh 2222",
		"ftp://ftp.ex.com/pub":          "ftp.ex.com ftp 0",
		"s3://bucket/path":              "",
		"s3:bucket/path":                "",
		"b2:bucket":                     "",
		"/var/backups/db.sql.gz":        "",
		"$HOME/backups":                 "",
		"rest:https://restic.ex.com/r":  "",
		"user@host with space:/x":       "",
		"/mnt/nfs/backups":              "",
		"backup@[2001:db8::1]:/backups": "2001:db8::1 ssh 0",
		"[2001:db8::1]::dumps":          "2001:db8::1 rsync 0",
		"backup@[2001:db8::1]":          "",
	} {
		h, svc, port, ok := backupDestination(where)
		got := ""
		if ok {
			got = fmt.Sprintf("%s %s %d", h, svc, port)
		}
		if got != want {
			t.Errorf("backupDestination(%q) = %q, want %q", where, got, want)
		}
	}
}
