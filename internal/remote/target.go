package remote

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// endpoint is a host as the user wrote it: on the command line, in --jump, or in a
// ProxyJump line. Zero fields were not given.
type endpoint struct {
	user string
	host string
	port int
}

func (e endpoint) String() string {
	s := e.host
	if strings.Contains(s, ":") {
		s = "[" + s + "]"
	}
	if e.port != 0 {
		s += ":" + strconv.Itoa(e.port)
	}
	if e.user != "" {
		s = e.user + "@" + s
	}
	return s
}

// parseEndpoint reads "[ssh://][user@]host[:port]". An IPv6 address needs brackets
// when a port follows ("[::1]:2222"); a bare one ("::1") is taken whole.
func parseEndpoint(s string) (endpoint, error) {
	orig := s
	s = strings.TrimSpace(s)
	bad := func(why string) (endpoint, error) {
		return endpoint{}, &UserError{
			Msg:  fmt.Sprintf("cannot understand the host %q: %s", orig, why),
			Hint: "Write it as host, user@host, user@host:port or ssh://user@host:port, or use a Host alias from your ssh config",
		}
	}
	if s == "" {
		return bad("it is empty")
	}
	if i := strings.Index(s, "://"); i >= 0 {
		if !strings.EqualFold(s[:i], "ssh") {
			return bad("only ssh:// addresses are supported")
		}
		s = strings.TrimSuffix(s[i+3:], "/")
	}
	var e endpoint
	// OpenSSH splits at the last @, so a login name may itself contain one.
	if i := strings.LastIndexByte(s, '@'); i >= 0 {
		e.user, s = s[:i], s[i+1:]
		if e.user == "" {
			return bad("the user name before @ is empty")
		}
		if strings.ContainsAny(e.user, " \t\r\n/:") || hasControl(e.user) {
			return bad("the user name contains a character a login name cannot have")
		}
	}
	portText := ""
	switch {
	case strings.HasPrefix(s, "["):
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return bad("a [ has no matching ]")
		}
		e.host, s = s[1:end], s[end+1:]
		if s != "" {
			if !strings.HasPrefix(s, ":") {
				return bad("unexpected text after ]")
			}
			portText = s[1:]
			if portText == "" {
				return bad("the port after : is empty")
			}
		}
	case strings.Count(s, ":") == 1:
		i := strings.IndexByte(s, ':')
		e.host, portText = s[:i], s[i+1:]
		if portText == "" {
			return bad("the port after : is empty")
		}
	default:
		e.host = s
	}
	if e.host == "" {
		return bad("the host name is empty")
	}
	if strings.ContainsAny(e.host, " \t/@[],'\"\\") || hasControl(e.host) || strings.HasPrefix(e.host, "-") {
		return bad("the host name contains a character a host name cannot have")
	}
	if portText != "" {
		p, err := parsePort(portText)
		if err != nil {
			return bad(err.Error())
		}
		e.port = p
	}
	return e, nil
}

func parsePort(s string) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || p < 1 || p > 65535 {
		return 0, fmt.Errorf("port %q is not a number from 1 to 65535", s)
	}
	return p, nil
}

// parseJumpList reads a ProxyJump value: comma-separated endpoints, the first being
// the one dialled first. "none" means no jump host at all.
func parseJumpList(s string) ([]endpoint, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "none") {
		return nil, nil
	}
	var out []endpoint
	for _, part := range strings.Split(s, ",") {
		e, err := parseEndpoint(part)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// hostPort joins host and port for net.Dial, bracketing IPv6 addresses.
func hostPort(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}

// display names a host the way the user will recognise it: "host", or "host:port"
// when the port is not 22.
func display(host string, port int) string {
	if port == 22 || port == 0 {
		return host
	}
	return hostPort(host, port)
}
