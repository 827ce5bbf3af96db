#!/usr/bin/python3
"""lab/aptproxy.py - tiny HTTP proxy for apt inside the trowel lab.

The lab namespaces have no route to anything outside 10.231.0.0/24. So that
tests can still apply generated Ansible (apt installs) to the "new" host, its
apt is configured to use this proxy on the bridge (10.231.0.1:3142). The proxy
forwards plain-HTTP GET/HEAD requests to deb.debian.org ONLY (the Debian
mirror) and refuses everything else. No cache; started by lab/up.sh, stopped
by lab/down.sh.
"""
import http.client
import http.server
import sys
import urllib.parse

ALLOWED = {"deb.debian.org"}
PASS_HEADERS = ("Range", "If-Modified-Since", "If-Range", "If-None-Match", "Cache-Control", "User-Agent")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _forward(self, method):
        u = urllib.parse.urlsplit(self.path)
        if u.scheme != "http" or u.hostname not in ALLOWED or (u.port or 80) != 80:
            self.send_error(403, "trowel lab apt proxy: only http://deb.debian.org/ is allowed")
            return
        hdrs = {h: self.headers[h] for h in PASS_HEADERS if self.headers[h]}
        try:
            c = http.client.HTTPConnection(u.hostname, 80, timeout=120)
            c.request(method, (u.path or "/") + ("?" + u.query if u.query else ""), headers=hdrs)
            r = c.getresponse()
            body = r.read()
        except OSError as e:
            self.send_error(502, "upstream: %s" % e)
            return
        self.send_response(r.status, r.reason)
        for k, v in r.getheaders():
            if k.lower() in ("content-type", "last-modified", "etag", "content-range", "accept-ranges", "date", "expires", "cache-control", "location"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(body)
        c.close()

    def do_GET(self):
        self._forward("GET")

    def do_HEAD(self):
        self._forward("HEAD")

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stderr.flush()


def main():
    addr, port = sys.argv[1], int(sys.argv[2])
    srv = http.server.ThreadingHTTPServer((addr, port), Handler)
    srv.daemon_threads = True
    srv.serve_forever()


if __name__ == "__main__":
    main()
