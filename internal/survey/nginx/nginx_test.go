package nginx

import (
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

const mainConf = `user www-data;
events { worker_connections 768; }
http {
	access_log /var/log/nginx/access.log;
	include /etc/nginx/conf.d/*.conf;
	include /etc/nginx/sites-enabled/*;
}
`

const site = `server {
	listen 443 ssl;
	listen [::]:443 ssl;
	server_name shop.example.com "www.shop.example.com";
	root /srv/shop/public;
	ssl_certificate /etc/ssl/certs/shop.pem;
	ssl_certificate_key /etc/ssl/private/shop.key;
	location /api/ { proxy_pass http://127.0.0.1:3000; } # the app
	access_log /var/log/nginx/shop.log combined;
}
`

func TestSurvey(t *testing.T) {
	a := kittest.Archive(
		kittest.Cmd("nginx-V", "nginx -V 2>&1", "nginx version: nginx/1.20.1\nbuilt by gcc 8.5.0\nconfigure arguments: --prefix=/usr/share/nginx --with-http_ssl_module --with-http_v2_module --add-dynamic-module=/build/echo-nginx-module\n"),
		kittest.File("/etc/nginx/nginx.conf", mainConf),
		kittest.File("/etc/nginx/sites-enabled/shop", site),
	)
	in := kittest.Input(a, nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionNginx]; c.Status != snapshot.Collected {
		t.Errorf("coverage %+v", c)
	}
	ws := in.Snap.Middleware.WebServers[0]
	if ws.Version != "1.20.1" || !reflect.DeepEqual(ws.Modules, []string{"http_ssl_module", "http_v2_module", "echo-nginx-module"}) {
		t.Errorf("version %q modules %v", ws.Version, ws.Modules)
	}
	want := []snapshot.VHost{{ServerName: "shop.example.com", Aliases: []string{"www.shop.example.com"}, Listen: "443 [::]:443", TLS: true,
		DocumentRoot: "/srv/shop/public", Proxies: []string{"http://127.0.0.1:3000"}, Logs: []string{"/var/log/nginx/shop.log"},
		Paths:  []snapshot.VHostPath{{Directive: "root", Path: "/srv/shop/public", Source: "/etc/nginx/sites-enabled/shop:5"}},
		Source: "/etc/nginx/sites-enabled/shop:1"}}
	if !reflect.DeepEqual(ws.VHosts, want) {
		t.Errorf("vhosts\n got %+v\nwant %+v", ws.VHosts, want)
	}
}

func TestParseErrorsKeepWhatWasRead(t *testing.T) {
	ds, err := Parse("f", "server { listen 80;\n server_name \"a;\n")
	if err == nil || len(ds) != 1 || ds[0].Name != "server" || len(ds[0].Block) == 0 {
		t.Errorf("ds %+v err %v", ds, err)
	}
}
