package ask

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Plan is what will be asked, and what will not.
type Plan struct {
	Requests []answer.Request
	LeftOut  []answer.Request
	Blind    string
}

// webProcesses are the programs whose listeners speak HTTP.
var webProcesses = map[string]bool{"apache2": true, "httpd": true, "nginx": true, "lighttpd": true}

// PlanFor decides what to ask a host from its snapshot: every vhost of its web servers
// and every other web listener, and its MTA on :25 (and :587 when it listens there).
// wants are extra questions (a spec's expectations): they are asked first, at the
// address the host's own listeners suggest for their port. Pure: it reads the
// snapshot only.
func PlanFor(s *snapshot.Snapshot, wants []answer.Request) Plan {
	pl := planner{s: s, seen: map[string]bool{}}
	for _, w := range wants {
		if w.Address == "" {
			w.Address = pl.addressFor(w.Port, "")
		}
		pl.add(w)
	}
	pl.web()
	pl.mail()
	var p Plan
	if len(pl.reqs) > answer.MaxRequests {
		p.Requests, p.LeftOut = pl.reqs[:answer.MaxRequests], pl.reqs[answer.MaxRequests:]
	} else {
		p.Requests = pl.reqs
	}
	if c, ok := s.Coverage[snapshot.SectionListeners]; !ok || !c.Known() {
		p.Blind = "the listeners section was not collected in full, so only services named in a configuration were asked"
	}
	return p
}

type planner struct {
	s    *snapshot.Snapshot
	reqs []answer.Request
	seen map[string]bool
}

func (p *planner) add(r answer.Request) {
	if r.Proto != "smtp" && r.Path == "" {
		r.Path = "/"
	}
	if k := r.Name(); !p.seen[k] {
		p.seen[k] = true
		p.reqs = append(p.reqs, r)
	}
}

func (p *planner) web() {
	vhostPorts := map[int]bool{}
	for _, w := range p.s.Middleware.WebServers {
		for _, vh := range w.VHosts {
			addr, port := splitListen(vh.Listen, vh.TLS)
			name := vhostName(vh)
			if port == 0 || name == "" {
				continue
			}
			vhostPorts[port] = true
			proto := "http"
			if vh.TLS {
				proto = "https"
			}
			p.add(answer.Request{Proto: proto, Address: p.addressFor(port, addr), Port: port, Host: name,
				Why: fmt.Sprintf("%s vhost %s at %s", w.Kind, name, vh.Source)})
		}
	}
	host := p.s.Host.FQDN
	if host == "" {
		host = p.s.Host.Hostname
	}
	if host == "" {
		host = "localhost"
	}
	ports := map[int]snapshot.Listener{}
	for _, l := range p.s.Listeners {
		if strings.HasPrefix(l.Proto, "tcp") && webProcesses[l.Process] && !vhostPorts[l.Port] {
			if _, ok := ports[l.Port]; !ok {
				ports[l.Port] = l
			}
		}
	}
	for _, port := range sortedPorts(ports) {
		l := ports[port]
		proto := "http"
		if port == 443 || port == 8443 {
			proto = "https"
		}
		p.add(answer.Request{Proto: proto, Address: p.addressFor(port, ""), Port: port, Host: host,
			Why: fmt.Sprintf("%s listening on %s", l.Process, l.HostPort())})
	}
}

func (p *planner) mail() {
	domain, mta := p.mailDomain()
	for _, port := range []int{25, 587} {
		var l *snapshot.Listener
		for i := range p.s.Listeners {
			if strings.HasPrefix(p.s.Listeners[i].Proto, "tcp") && p.s.Listeners[i].Port == port {
				l = &p.s.Listeners[i]
				break
			}
		}
		why := ""
		switch {
		case l != nil:
			why = fmt.Sprintf("%s listening on %s", orWord(l.Process, "a process"), l.HostPort())
		case port == 25 && mta != "":
			why = mta + " is installed (mail is accepted on :25)"
		default:
			continue
		}
		p.add(answer.Request{Proto: "smtp", Address: p.addressFor(port, ""), Port: port, Domain: domain, Why: why})
	}
}

// mailDomain is the domain the MTA takes mail for as its own: Postfix's myhostname
// (in mydestination by default), else mydomain, else the host's names.
func (p *planner) mailDomain() (domain, mta string) {
	for _, m := range p.s.Middleware.Mail {
		if m.Kind == "dovecot" {
			continue
		}
		mta = m.Kind
		for _, key := range []string{"myhostname", "mydomain"} {
			for _, st := range m.Settings {
				if st.Key == key && st.Value != "" && !strings.Contains(st.Value, "$") {
					return st.Value, mta
				}
			}
		}
	}
	for _, h := range []string{p.s.Host.FQDN, p.s.Host.Hostname} {
		if h != "" {
			return h, mta
		}
	}
	return "localhost", mta
}

// addressFor picks where to dial a port from the target's side: the address a
// listener is bound to, loopback for a wildcard one, and the vhost's own address or
// loopback when nothing listens (then the refusal is the answer).
func (p *planner) addressFor(port int, vhostAddr string) string {
	var v4any, v6any bool
	var specific string
	for _, l := range p.s.Listeners {
		if !strings.HasPrefix(l.Proto, "tcp") || l.Port != port {
			continue
		}
		switch l.Address {
		case "0.0.0.0", "*", "":
			v4any = true
		case "::", "[::]":
			v6any = true
		default:
			if specific == "" || strings.HasPrefix(l.Address, "127.") || l.Address == "::1" {
				specific = l.Address
			}
		}
	}
	pick := "127.0.0.1"
	switch {
	case vhostAddr != "" && (v4any || v6any || specific == ""):
		pick = vhostAddr
	case v4any:
	case specific != "":
		pick = specific
	case v6any:
		pick = "::1"
	}
	return net.JoinHostPort(strings.Trim(pick, "[]"), strconv.Itoa(port))
}

// splitListen reads an Apache or nginx listen value ("*:80", "10.0.0.5:443",
// "[::]:80", "443", "_default_:443") into a specific address ("" for any) and port.
func splitListen(listen string, tls bool) (string, int) {
	f := strings.Fields(listen)
	if len(f) == 0 {
		return "", 0
	}
	listen = f[0]
	host, n := snapshot.SplitListen(listen)
	if n <= 0 || n > 65535 {
		// "localhost" or an address alone: the default port of the scheme.
		host, n = listen, 80
		if tls {
			n = 443
		}
	}
	host = strings.Trim(host, "[]")
	switch host {
	case "", "*", "_default_", "0.0.0.0", "::":
		host = ""
	}
	if host != "" && net.ParseIP(host) == nil {
		host = "" // a name: dial where the listener is
	}
	return host, n
}

// vhostName is the name to ask a vhost by: its ServerName, else its first alias that
// is a plain name (not a wildcard, regex or nginx's catch-all "_").
func vhostName(vh snapshot.VHost) string {
	for _, n := range append([]string{vh.ServerName}, vh.Aliases...) {
		n = strings.TrimSpace(n)
		if i := strings.IndexByte(n, ':'); i > 0 && !strings.Contains(n, "]") {
			n = n[:i] // ServerName may carry a port
		}
		if n == "" || n == "_" || strings.ContainsAny(n, "*~^$() ") {
			continue
		}
		return n
	}
	return ""
}

func sortedPorts(m map[int]snapshot.Listener) []int {
	var out []int
	for p := range m {
		out = append(out, p)
	}
	sort.Ints(out)
	return out
}

func orWord(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}
