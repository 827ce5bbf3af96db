package eol

import (
	"testing"
	"time"
)

// The verdicts a survey on 2026-12-07 gets from the shipped data (endoflife.date of
// 2026-08-22): products whose cycles have no announced end (Apache 2.4, Tomcat 10.1,
// Redis 8.x, memcached 1.6) are supported, since the data is less than a year old.
func TestMatchShippedData(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		product, version, cycle, eol, extended, status string
	}{
		{"centos", "5.11", "5", "2017-03-31", "", EOL},
		{"centos-stream", "9", "9", "2027-05-31", "", Supported},
		{"rhel", "5.11", "5", "2017-03-31", "2020-11-30", EOL},
		{"debian", "11", "11", "2024-08-14", "2026-08-31", EOL},
		{"debian", "12", "12", "2026-07-11", "2028-06-30", EOL},
		{"debian", "13", "13", "2028-08-09", "2030-06-30", Supported},
		{"ubuntu", "24.04", "24.04", "2029-05-31", "2036-05-31", Supported},
		{"amazon-linux", "2", "2", "2026-06-30", "", EOL},
		{"amazon-linux", "2023", "2023", "2029-06-30", "", Supported},
		{"amazon-linux", "2018.03", "2018.03", "2023-12-31", "", EOL},
		{"fedora", "40", "40", "2025-05-13", "", EOL},
		// Two days before its end.
		{"fedora", "43", "43", "2026-12-09", "", Supported},
		// os-release says "15" for SLES 15 GA, whose cycle the data calls "15.0".
		{"sles", "15", "15.0", "2019-12-31", "2022-12-31", EOL},
		{"sles", "15.5", "15.5", "2024-12-31", "2027-12-31", EOL},
		{"sles", "15.7", "15.7", "2031-07-31", "2034-07-31", Supported},
		{"mariadb", "10.5.21", "10.5", "2025-06-24", "2025-07-16", EOL},
		{"mariadb", "10.11.6", "10.11", "2028-02-16", "2028-02-16", Supported},
		{"apache-http-server", "2.2.34", "2.2", "2017-07-11", "", EOL},
		{"apache-http-server", "2.4.62", "2.4", "", "", Supported},
		{"php", "5.1.6", "5.1", "2006-08-24", "", EOL},
		{"php", "7.4.33", "7.4", "2022-11-28", "", EOL},
		{"php", "8.3.1", "8.3", "2027-12-31", "", Supported},
		{"postgresql", "9.6.24", "9.6", "2021-11-11", "", EOL},
		{"postgresql", "14.10", "14", "2026-11-12", "", EOL},
		{"tomcat", "9.0.43", "9.0", "2027-03-31", "", Supported},
		{"tomcat", "9", "9.0", "2027-03-31", "", Supported},
		{"tomcat", "8.5.83", "8.5", "2024-03-31", "", EOL},
		{"tomcat", "10.1.16", "10.1", "", "", Supported},
		{"ruby", "2.0.0", "2.0.0", "2016-02-24", "", EOL},
		{"ruby", "2.7.4", "2.7", "2023-03-31", "", EOL},
		{"ruby-on-rails", "5.2.8.1", "5.2", "2022-06-01", "", EOL},
		{"ruby-on-rails", "8.0.2", "8.0", "2026-11-07", "", EOL},
		{"ruby-on-rails", "8.1.0", "8.1", "2027-10-10", "", Supported},
		{"redis", "6.0.16", "6.0", "2022-05-31", "", EOL},
		{"redis", "7.2.4", "7.2", "2029-12-01", "", Supported},
		{"redis", "8.4.0", "8.4", "", "", Supported},
		{"memcached", "1.6.9", "1.6", "", "", Supported},
		{"memcached", "1.4.4", "1.4", "2017-07-21", "", EOL},
		{"python", "3.9.2", "3.9", "2025-10-31", "", EOL},
		{"python", "3.12.3", "3.12", "2028-10-31", "", Supported},
		{"python", "2.7.5", "2.7", "2020-01-01", "", EOL},
		// Python 2.4 (CentOS 5) predates the data, which starts at 2.6.
		{"python", "2.4.3", "", "", "", EOL},
		{"docker-engine", "20.10.5", "20.10", "2023-12-10", "", EOL},
		{"docker-engine", "27.3.1", "27", "2025-05-03", "", EOL},
		{"red-hat-build-of-openjdk", "8.0.392", "8", "2026-11-30", "", EOL},
		{"red-hat-build-of-openjdk", "17.0.9", "17", "2027-12-31", "", Supported},
		{"eclipse-temurin", "11.0.21", "11", "2027-10-31", "", Supported},
		{"alpine-linux", "3.18.4", "3.18", "2025-05-09", "", EOL},
		// MySQL 5.0 predates the data (which starts at 5.5, ended 2018): eol by
		// inference, without a date of its own.
		{"mysql", "5.0.95", "", "", "", EOL},
		{"mysql", "8.0.36", "8.0", "2026-04-30", "", EOL},
		// A version newer than any cycle is unknown, not supported.
		{"debian", "14", "", "", "", Unknown},
		{"centos", "", "", "", "", Unknown},
		{"gentoo", "2.15", "", "", "", Unknown},
	} {
		v := d.Match(c.product, c.version, at)
		if v.Cycle != c.cycle || v.EOL != c.eol || v.Extended != c.extended || v.Status != c.status {
			t.Errorf("%s %s: got cycle %q eol %q ext %q %s (%s), want %q %q %q %s",
				c.product, c.version, v.Cycle, v.EOL, v.Extended, v.Status, v.Note, c.cycle, c.eol, c.extended, c.status)
		}
		if v.Status == Unknown && v.Note == "" {
			t.Errorf("%s %s: unknown without a reason", c.product, c.version)
		}
		if v.Status == Supported && v.EOL == "" && v.Note == "" {
			t.Errorf("%s %s: supported without an end and without saying as of when", c.product, c.version)
		}
	}
	// The day of the end is already past support.
	if v := d.Match("centos", "5", time.Date(2017, 3, 31, 0, 0, 0, 0, time.UTC)); v.Status != EOL {
		t.Errorf("on the EOL date: %s", v.Status)
	}
	if v := d.Match("centos", "5", time.Date(2017, 3, 30, 0, 0, 0, 0, time.UTC)); v.Status != Supported {
		t.Errorf("the day before: %s", v.Status)
	}
	// More than a year after the data's date, "no end announced" is no longer
	// believed: Apache 2.4 becomes unknown, never a stale "supported".
	asOf, err := time.Parse(time.DateOnly, d.Products["apache-http-server"].AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if v := d.Match("apache-http-server", "2.4.62", asOf.Add(staleAfter+24*time.Hour)); v.Status != Unknown || v.Note == "" {
		t.Errorf("stale data: %s %s", v.Status, v.Note)
	}
	if v := d.Match("apache-http-server", "2.4.62", asOf.Add(staleAfter-24*time.Hour)); v.Status != Supported {
		t.Errorf("data within a year: %s %s", v.Status, v.Note)
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
