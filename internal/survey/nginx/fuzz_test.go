package nginx

import "testing"

func FuzzParse(f *testing.F) {
	f.Add(mainConf)
	f.Add(site)
	f.Add("a { b { c \"d")
	f.Fuzz(func(t *testing.T, text string) {
		ds, _ := Parse("/etc/nginx/nginx.conf", text)
		ds, _, _ = Expand(ds, "/etc/nginx", map[string]string{"/etc/nginx/nginx.conf": text}, 0)
		Servers(ds)
		ParseV(text)
	})
}
