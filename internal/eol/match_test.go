package eol

import (
	"testing"
	"time"
)

func TestMatchShippedData(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		product, version, cycle, eol, extended, status string
	}{
		{"centos", "5.11", "5", "2017-03-31", "", EOL},
		{"rhel", "5.11", "5", "2017-03-31", "2020-11-30", EOL},
		{"debian", "11", "11", "2024-08-14", "2026-08-31", EOL},
		{"debian", "12", "12", "2026-06-10", "2028-06-10", EOL},
		{"ubuntu", "24.04", "24.04", "2029-05-31", "2036-05-31", Supported},
		{"amazon-linux", "2", "2", "2025-06-30", "", EOL},
		{"amazon-linux", "2023", "2023", "2028-03-15", "", Supported},
		{"mariadb", "10.5.21", "10.5", "2025-06-24", "", EOL},
		{"mariadb", "10.6.12", "10.6", "2026-07-06", "", EOL},
		{"apache-http-server", "2.2.34", "2.2", "2017-07-11", "", EOL},
		// Apache 2.4 has no announced end, but the shipped data is older than a year
		// at this date: unknown, never a stale "supported".
		{"apache-http-server", "2.4.62", "2.4", "", "", Unknown},
		{"php", "5.1.6", "5.1", "2006-08-24", "", EOL},
		{"php", "8.3.1", "8.3", "2027-12-31", "", Supported},
		{"postgresql", "9.6.24", "9.6", "2021-11-11", "", EOL},
		{"tomcat", "8.5.83", "8", "", "", Unknown},
		{"ruby", "2.0.0", "2.0.0", "2016-02-24", "", EOL},
		{"ruby", "2.7.4", "2.7", "2023-03-31", "", EOL},
		{"alpine-linux", "3.18.4", "3.18", "2025-05-09", "", EOL},
		{"sles", "15.5", "15.5", "2024-12-31", "2027-12-31", EOL},
		// MySQL 5.0 predates the data (which starts at 5.5, ended 2018): eol by
		// inference, without a date of its own.
		{"mysql", "5.0.95", "", "", "", EOL},
		{"mysql", "8.0.36", "8.0", "2026-04-30", "", EOL},
		// A version newer than any cycle is unknown, not supported.
		{"debian", "14", "", "", "", Unknown},
		{"centos", "", "", "", "", Unknown},
		{"fedora", "40", "", "", "", Unknown},
	} {
		v := d.Match(c.product, c.version, at)
		if v.Cycle != c.cycle || v.EOL != c.eol || v.Extended != c.extended || v.Status != c.status {
			t.Errorf("%s %s: got cycle %q eol %q ext %q %s (%s), want %q %q %q %s",
				c.product, c.version, v.Cycle, v.EOL, v.Extended, v.Status, v.Note, c.cycle, c.eol, c.extended, c.status)
		}
		if v.Status == Unknown && v.Note == "" {
			t.Errorf("%s %s: unknown without a reason", c.product, c.version)
		}
	}
	// The day of the end is already past support.
	if v := d.Match("centos", "5", time.Date(2017, 3, 31, 0, 0, 0, 0, time.UTC)); v.Status != EOL {
		t.Errorf("on the EOL date: %s", v.Status)
	}
	if v := d.Match("centos", "5", time.Date(2017, 3, 30, 0, 0, 0, 0, time.UTC)); v.Status != Supported {
		t.Errorf("the day before: %s", v.Status)
	}
	// Within a year of the data's date, "no end announced" is supported.
	if v := d.Match("apache-http-server", "2.4.62", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); v.Status != Supported {
		t.Errorf("fresh data: %s %s", v.Status, v.Note)
	}
}

func TestEndedWithoutDate(t *testing.T) {
	d := &Data{Products: map[string]*Product{"x": {AsOf: "2020-01-01", Releases: []Release{{Cycle: "1", EOL: Ended}}}}}
	v := d.Match("x", "1.2", time.Now())
	if v.Status != EOL || v.EOL != "" || v.Note == "" {
		t.Fatalf("%+v", v)
	}
}

func TestUpstreamAndComponents(t *testing.T) {
	for in, want := range map[string]string{
		"1:10.5.21-0+deb11u1": "10.5.21", "2.4.62-1~deb11u1": "2.4.62", "1:2.7+2": "2.7",
		"5.0.95": "5.0.95", "7.4.33-1+deb11u5": "7.4.33", "": "",
	} {
		if got := Upstream(in); got != want {
			t.Errorf("Upstream(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"5.11": "5.11", "10.5.21-MariaDB-0+deb11u1": "10.5.21", "2.0.0p648": "2.0.0",
		"7 (2009)": "7", "20.04": "20.04", "v1": "", "2018.03": "2018.03",
	} {
		got := ""
		for i, c := range Components(in) {
			if i > 0 {
				got += "."
			}
			got += c
		}
		if got != want {
			t.Errorf("Components(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"5.11", "10.5.21-MariaDB", "", "..", "1:2.7+2", "99999999999999999999.1"} {
		f.Add("mysql", s)
	}
	d, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, product, version string) {
		v := d.Match(product, Upstream(version), time.Now())
		if v.Status != Supported && v.Status != EOL && v.Status != Unknown {
			t.Fatalf("status %q", v.Status)
		}
	})
}
