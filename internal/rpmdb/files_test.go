package rpmdb

import "testing"

// The real CentOS databases: %config flags and the digest algorithm of each era.
func TestFilesConfigDigests(t *testing.T) {
	for _, tc := range []struct {
		db, path, pkg string
		digestLen     int
	}{
		{"testdata/centos5-plain/var/lib/rpm/Packages", "/etc/yum.conf", "yum", 32},
		// EL6 already records SHA-256 (rpm 4.8); only EL5 has MD5.
		{"testdata/centos6-plain/var/lib/rpm/Packages", "/etc/yum.conf", "yum", 64},
		// Software Collections keep their %config files under /opt/rh.
		{"testdata/centos7-httpd24/var/lib/rpm/Packages", "/opt/rh/httpd24/root/etc/httpd/conf.d/ssl.conf", "httpd24-mod_ssl", 64},
	} {
		fs, err := Files(tc.db)
		if err != nil {
			t.Fatalf("%s: %v", tc.db, err)
		}
		var found *File
		configs := 0
		for i := range fs {
			if fs[i].Config {
				configs++
			}
			if fs[i].Path == tc.path {
				found = &fs[i]
			}
		}
		if found == nil || !found.Config || found.Package != tc.pkg || len(found.Digest) != tc.digestLen {
			t.Errorf("%s: %s = %+v", tc.db, tc.path, found)
		}
		if configs < 50 {
			t.Errorf("%s: only %d config files", tc.db, configs)
		}
		t.Logf("%s: %d files, %d config", tc.db, len(fs), configs)
	}
}
