package spec

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Goss writes the spec as a goss gossfile (goss's docs/gossfile.md): one top-level
// key per resource type (port, service, user, group, process, mount, file,
// command), each a map from the resource's name to its attributes. What goss has no
// resource for (a cron job, a sudo right, an authorized key, a setting) becomes a
// command resource whose stdout must contain the expected text, the way goss's own
// documentation checks such things. Expectations a gossfile cannot express at all
// (a cron daemon's zone, a service's function) are listed in the header comment.
func Goss(s *Spec) ([]byte, error) {
	g := gossfile{}
	var left []string
	for _, e := range s.Expectations {
		if !g.add(e) {
			left = append(left, e.ID)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# goss gossfile derived by trowel from %s (%s)\n", s.Source.Host, s.Source.Snapshot)
	b.WriteString("# Run on the new host: goss -g THIS validate\n")
	if len(left) > 0 {
		b.WriteString("# Not expressible in goss, checked only by trowel verify:\n")
		for _, id := range left {
			fmt.Fprintf(&b, "#   %s\n", id)
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(g); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gossfile maps a resource type to its resources, each a map of attributes.
type gossfile map[string]map[string]map[string]any

func (g gossfile) put(typ, name string, attrs map[string]any) {
	if g[typ] == nil {
		g[typ] = map[string]map[string]any{}
	}
	if old, ok := g[typ][name]; ok {
		// Two expectations on one resource (a command's stdout): merge the patterns.
		if o, ok := old["stdout"].([]string); ok {
			if n, ok := attrs["stdout"].([]string); ok {
				attrs["stdout"] = append(o, n...)
			}
		}
	}
	g[typ][name] = attrs
}

func (g gossfile) command(name string, stdout ...string) {
	g.put("command", name, map[string]any{"exit-status": 0, "stdout": stdout, "timeout": 10000})
}

func (g gossfile) add(e Expectation) bool {
	switch e.Kind {
	case KindService:
		a := map[string]any{"running": true}
		if e.Enabled != nil && *e.Enabled && !e.Allows(AllowEnabled) {
			a["enabled"] = true
		}
		g.put("service", e.Name, a)
	case KindPort:
		a := map[string]any{"listening": true}
		if e.Address != "*" && !e.Allows(AllowAddress) {
			a["ip"] = []string{e.Address}
		}
		g.put("port", e.Proto+":"+strconv.Itoa(e.Port), a)
	case KindProcess:
		// goss's process resource is keyed by the comm name; a script run by an
		// interpreter has the interpreter's, so the command line is checked instead.
		g.command(fmt.Sprintf("ps -eo user=,args= | awk '$1 == %q'", e.User), programPattern(e))
	case KindCron:
		g.command(cronCommand(e), e.Command)
	case KindTimezone:
		g.command("readlink -f /etc/localtime || cat /etc/timezone", e.Zone)
	case KindUser:
		a := map[string]any{"exists": true}
		if e.UID != nil && !e.Allows(AllowUID) {
			a["uid"] = *e.UID
		}
		if e.Home != "" {
			a["home"] = e.Home
		}
		if e.Shell != "" {
			a["shell"] = e.Shell
		}
		if len(e.Groups) > 0 {
			a["groups"] = e.Groups
		}
		g.put("user", e.Name, a)
	case KindGroup:
		a := map[string]any{"exists": true}
		if e.UID != nil && !e.Allows(AllowUID) {
			a["gid"] = *e.UID
		}
		g.put("group", e.Name, a)
	case KindSudo:
		who := strings.TrimPrefix(e.Name, "%")
		if strings.HasPrefix(e.Name, "%") {
			g.command("grep -rh '^%"+who+"' /etc/sudoers /etc/sudoers.d", strings.Join(e.Commands, ", "))
		} else {
			g.command("sudo -l -U "+who, sudoPattern(e))
		}
	case KindKey:
		g.command(fmt.Sprintf("ssh-keygen -lf ~%s/.ssh/authorized_keys", e.User), e.Fingerprint)
	case KindMount:
		if e.Declared {
			g.put("file", "/etc/fstab", map[string]any{"exists": true, "contains": []string{e.MountPoint}})
			return true
		}
		a := map[string]any{"exists": true}
		if e.FSType != "" {
			a["filesystem"] = e.FSType
		}
		if !e.Allows(AllowDevice) && e.Device != "" {
			a["source"] = e.Device
		}
		g.put("mount", e.MountPoint, a)
	case KindFirewall:
		g.command("iptables-save 2>/dev/null || nft list ruleset", strconv.Itoa(e.Port))
	case KindLogShipper:
		pat := e.Command
		if pat == "" {
			pat = e.Name
		}
		g.command("ps -eo args=", pat)
		for _, d := range e.Destinations {
			host, port, ok := strings.Cut(d, ":")
			if ok {
				g.command("ss -Htn state established", host+":"+port)
			}
		}
	case KindSysctl:
		return g.kernelParam(e)
	case KindHTTP:
		g.http(e)
	case KindSetting:
		if c := settingCommand(e); c != "" {
			g.command(c, e.Value)
			return true
		}
		return false
	default:
		return false
	}
	return true
}

func programPattern(e Expectation) string {
	if e.Command != "" {
		return e.Command
	}
	return e.Name
}

func cronCommand(e Expectation) string {
	src := e.From.Source
	if i := strings.LastIndex(src, ":"); i > 0 {
		src = src[:i]
	}
	if strings.HasPrefix(src, "/var/spool/cron") {
		return "crontab -l -u " + e.User
	}
	return "cat " + src
}

func sudoPattern(e Expectation) string {
	p := ""
	if e.NoPasswd != nil && *e.NoPasswd {
		p = "NOPASSWD: "
	}
	return p + strings.Join(e.Commands, ", ")
}

func settingCommand(e Expectation) string {
	switch e.Service {
	case "postfix":
		return "postconf -h " + e.Key
	case "sshd":
		return "sshd -T | grep -i '^" + e.Key + " '"
	case "mysql", "mariadb":
		return "my_print_defaults mysqld | grep -i -- '--" + strings.ReplaceAll(e.Key, "_", "[-_]") + "='"
	}
	return ""
}

// GossKeys are the resource types and attributes goss's gossfile documentation
// defines for the resources this export writes; the structural check in the tests
// holds the export to them.
var GossKeys = map[string][]string{
	"service":      {"enabled", "running", "skip"},
	"port":         {"listening", "ip", "skip"},
	"user":         {"exists", "uid", "gid", "groups", "home", "shell", "skip"},
	"group":        {"exists", "gid", "skip"},
	"mount":        {"exists", "opts", "source", "filesystem", "usage", "skip"},
	"file":         {"exists", "mode", "size", "owner", "group", "filetype", "contains", "md5", "sha256", "linked-to", "skip"},
	"command":      {"exit-status", "stdout", "stderr", "timeout", "skip"},
	"process":      {"running", "skip"},
	"kernel-param": {"value", "skip"},
	"http":         {"status", "url", "allow-insecure", "no-follow-redirects", "timeout", "request-headers", "headers", "body", "skip"},
}

// http asks the new host's own loopback with the vhost's name in the Host header,
// as trowel verify does; the key names the vhost, since one URL serves many. An
// SMTP expectation has no goss resource: it stays among those goss cannot express.
func (g gossfile) http(e Expectation) {
	port := strconv.Itoa(e.Port)
	a := map[string]any{
		"status":              e.Status,
		"url":                 e.Proto + "://127.0.0.1:" + port + e.Path,
		"request-headers":     []string{"Host: " + e.VHost},
		"no-follow-redirects": true,
		"timeout":             5000,
	}
	if e.Proto == "https" {
		a["allow-insecure"] = true
	}
	if e.Location != "" && !e.Allows(AllowHostname) {
		a["headers"] = []string{"Location: " + e.Location}
	}
	if e.Title != "" && !strings.HasPrefix(e.Title, "!") && !strings.HasPrefix(e.Title, "/") {
		a["body"] = []string{e.Title}
	}
	g.put("http", e.Proto+"://"+e.VHost+":"+port+e.Path, a)
}
