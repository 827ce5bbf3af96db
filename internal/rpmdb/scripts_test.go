package rpmdb

import (
	"os"
	"strings"
	"testing"
)

// The %post scriptlets of real databases of every format: the lines that write
// files under /etc are there, byte for byte as rpm -q --qf '%{POSTIN}' prints them.
func TestScriptletsOfEveryFormat(t *testing.T) {
	want := map[string][2]string{
		"centos5-plain":   {"iscsi-initiator-utils", `echo "InitiatorName=` + "`/sbin/iscsi-iname`" + `" > /etc/iscsi/initiatorname.iscsi`},
		"centos7-httpd24": {"systemd", `[ -n "$LANG" ] && echo LANG=$LANG > /etc/locale.conf 2>&1 || :`},
	}
	for _, fx := range fixtures {
		ss, err := Scriptlets(fx.path())
		if err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		if len(ss) < 5 {
			t.Errorf("%s: only %d scriptlets", fx.name, len(ss))
		}
		for _, s := range ss {
			if s.Package == "" || s.PostIn == "" || s.PostIn == none {
				t.Errorf("%s: %+v", fx.name, s)
			}
		}
		w, ok := want[fx.name]
		if !ok {
			continue
		}
		found := false
		for _, s := range ss {
			found = found || s.Package == w[0] && strings.Contains(s.PostIn, w[1])
		}
		if !found {
			t.Errorf("%s: no %%post of %s holds %q", fx.name, w[0], w[1])
		}
	}
}

// A damaged database is an error, never a panic or a partial list.
func TestScriptletsOfADamagedDatabase(t *testing.T) {
	if _, err := Scriptlets("testdata/fuzz"); err == nil {
		t.Error("a directory was read as a database")
	}
	blobs, _ := smallHeaders(t, 3)
	blobs[1] = blobs[1][:len(blobs[1])/2]
	p := t.TempDir() + "/rpmdb.sqlite"
	if err := os.WriteFile(p, buildSQLite(t, blobs), 0o644); err != nil {
		t.Fatal(err)
	}
	if ss, err := Scriptlets(p); err == nil {
		t.Errorf("a cut header was read: %+v", ss)
	}
}
