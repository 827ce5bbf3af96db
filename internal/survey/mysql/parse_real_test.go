package mysql

import "testing"

// The probe says where links lead the datadir; the listing after it is read as before.
func TestParseDatadirBehindALink(t *testing.T) {
	d, err := ParseDatadir("datadir\t/usr/local/mysql/data\nreal\t/opt/mariadb-10.5.23-linux-x86_64/data\nd\tredmine\ntotal\t1024\t2048\n")
	if err != nil || d.Path != "/usr/local/mysql/data" || d.Real != "/opt/mariadb-10.5.23-linux-x86_64/data" || len(d.Entries) != 1 {
		t.Errorf("%+v, %v", d, err)
	}
}
