package apache

import "testing"

func FuzzParseConfig(f *testing.F) {
	for _, n := range []string{"apache2.conf", "ports.conf", "redmine.conf", "envvars"} {
		f.Add(fixture(f, n))
	}
	f.Add("<VirtualHost *:80\nServerName \"x\nInclude /a\\\n")
	f.Fuzz(func(t *testing.T, text string) {
		lines, _ := ParseConfig("/etc/httpd/conf/httpd.conf", text)
		files := map[string]string{"/etc/httpd/conf/httpd.conf": text, "/etc/httpd/conf.d/a.conf": text}
		cfg := Resolve("/etc/httpd/conf/httpd.conf", "/etc/httpd", files, ParseEnvvars(text), map[string]bool{"ssl_module": true})
		Analyze(cfg.Lines, "/etc/httpd")
		Legacy(lines)
	})
}

func FuzzParseV(f *testing.F) {
	f.Add(fixture(f, "debian11-apache2ctl-V.txt"))
	f.Add(fixture(f, "rhel6-httpd-V.txt"))
	f.Add(fixture(f, "debian11-apache2ctl-M.txt"))
	f.Fuzz(func(t *testing.T, text string) {
		ParseV(text)
		ParseM(text)
	})
}
