package postgresql

import "testing"

// The probe says where links lead a cluster's data directory.
func TestParseDatadirsBehindALink(t *testing.T) {
	cs, err := ParseDatadirs("datadir\t/var/lib/pgsql/data\nreal\t/data/pgsql/data\nsize\t8000\t1\n")
	if err != nil || len(cs) != 1 || cs[0].Real != "/data/pgsql/data" || cs[0].KB["1"] != 8000 {
		t.Errorf("%+v, %v", cs, err)
	}
}
