package remote

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kevinburke/ssh_config"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// hop is one SSH server on the way to the target (jump hosts, then the target itself),
// with everything ssh_config said about it already applied.
type hop struct {
	name string // as the user wrote it; Host patterns match this
	host string // HostName: what is dialled
	port int
	user string

	identityFiles  []string // from ssh_config, expanded
	identitiesOnly bool
	identityAgent  string // "" = $SSH_AUTH_SOCK, "none" = no agent

	knownHosts       []string // UserKnownHostsFile, expanded; the first is written to
	globalKnownHosts []string
	hostKeyAlias     string
	strict           string // StrictHostKeyChecking, lower case; "" when not set
	hashKnownHosts   bool

	connectTimeout time.Duration // 0 = not set in ssh_config
	proxyJump      string
	aliveInterval  time.Duration
	aliveSet       bool // ServerAliveInterval given; 0 then turns keepalives off
	aliveCount     int
}

// label names the hop in messages: "user@host" plus the port when it is not 22, and
// the alias when it differs from the address.
func (h *hop) label() string {
	s := h.user + "@" + display(h.host, h.port)
	if h.name != h.host {
		s += " (" + h.name + ")"
	}
	return s
}

func (h *hop) addr() string { return hostPort(h.host, h.port) }

// sshConfig is the parsed ssh_config files, the user's first: for each keyword the
// first value found wins, as in OpenSSH.
type sshConfig struct {
	cfgs  []*ssh_config.Config
	files []string
}

const systemConfigFile = "/etc/ssh/ssh_config"

// loadSSHConfig reads the configuration the way ssh(1) does: path "" means
// ~/.ssh/config and then /etc/ssh/ssh_config, "none" means no file at all, anything
// else is the only file read (like ssh -F).
func loadSSHConfig(path string, note func(string, ...any)) (*sshConfig, error) {
	c := &sshConfig{}
	switch {
	case strings.EqualFold(path, "none"):
		return c, nil
	case path == "":
		home, err := homeDir()
		if err == nil {
			if err := c.add(filepath.Join(home, ".ssh", "config"), false); err != nil {
				return nil, err
			}
		}
		// A system file trowel cannot parse (a Match form it does not know) should not
		// stop a survey the user's own file describes fully; say so and go on.
		if err := c.add(systemConfigFile, false); err != nil {
			note("ignoring %s: %v", systemConfigFile, err)
		}
	default:
		p, err := expandTilde(path)
		if err != nil {
			return nil, err
		}
		if err := c.add(p, true); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *sshConfig) add(path string, mustExist bool) (err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !mustExist {
		return nil
	}
	if err != nil {
		return &UserError{
			Msg:  fmt.Sprintf("cannot read the ssh config file %s: %v", path, rootCause(err)),
			Hint: "Check the path, or use --ssh-config none to read no ssh config at all",
			Err:  err,
		}
	}
	// The parser reports some syntax errors by panicking; no input may crash trowel.
	defer func() {
		if r := recover(); r != nil {
			err = configError(path, fmt.Errorf("%v", r))
		}
	}()
	cfg, err := ssh_config.DecodeBytes(data)
	if err != nil {
		return configError(path, err)
	}
	c.cfgs = append(c.cfgs, cfg)
	c.files = append(c.files, path)
	return nil
}

func configError(path string, err error) error {
	hint := "Fix the file, or use --ssh-config none to read no ssh config at all"
	if strings.Contains(strings.ToLower(err.Error()), "match exec") {
		hint = "trowel does not run the commands of `Match exec`; move those hosts to Host blocks, or use --ssh-config with a file without them"
	}
	return &UserError{Msg: fmt.Sprintf("cannot use the ssh config file %s: %v", path, err), Hint: hint, Err: err}
}

func (c *sshConfig) get(alias, key string) (v string) {
	defer func() {
		if recover() != nil {
			v = ""
		}
	}()
	for _, cfg := range c.cfgs {
		if v, err := cfg.Get(alias, key); err == nil && v != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func (c *sshConfig) getAll(alias, key string) (all []string) {
	defer func() {
		if recover() != nil {
			all = nil
		}
	}()
	for _, cfg := range c.cfgs {
		vs, err := cfg.GetAll(alias, key)
		if err != nil {
			continue
		}
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" {
				all = append(all, v)
			}
		}
	}
	return all
}

func (c *sshConfig) where() string {
	if len(c.files) == 0 {
		return "the ssh config"
	}
	return c.files[0]
}

// resolve applies the ssh config to one endpoint. Values in the endpoint itself
// (user@, :port) win over the file, as on the ssh command line.
func (c *sshConfig) resolve(e endpoint) (*hop, error) {
	name := e.host
	h := &hop{name: name, port: 22}

	bad := func(key, val string, err error) error {
		return &UserError{
			Msg:  fmt.Sprintf("%s in %s for %s is not usable: %q: %v", key, c.where(), name, val, err),
			Hint: "Fix that line of the ssh config",
		}
	}

	if pc := c.get(name, "ProxyCommand"); pc != "" && !strings.EqualFold(pc, "none") {
		return nil, &UserError{
			Msg: fmt.Sprintf("the ssh config (%s) reaches %s through ProxyCommand %q, which trowel does not support", c.where(), name, pc),
			Hint: "If the command is `ssh -W %h:%p bastion`, use `ProxyJump bastion` instead (or --jump bastion); " +
				"otherwise run trowel from a machine that reaches the host directly",
		}
	}

	h.host = name
	if v := c.get(name, "HostName"); v != "" {
		x, err := expandTokens(v, map[byte]string{'h': name}, "hostname")
		if err != nil {
			return nil, bad("HostName", v, err)
		}
		h.host = x
	}

	switch {
	case e.port != 0:
		h.port = e.port
	default:
		if v := c.get(name, "Port"); v != "" {
			p, err := parsePort(v)
			if err != nil {
				return nil, bad("Port", v, err)
			}
			h.port = p
		}
	}

	local, err := localUser()
	if err != nil {
		return nil, err
	}
	switch {
	case e.user != "":
		h.user = e.user
	case c.get(name, "User") != "":
		h.user = c.get(name, "User")
	default:
		h.user = local
	}

	home, _ := homeDir()
	tokens := map[byte]string{
		'd': home,
		'u': local,
		'h': h.host,
		'r': h.user,
		'p': strconv.Itoa(h.port),
		'n': name,
		'i': strconv.Itoa(os.Getuid()),
		'k': name,
		'l': localHostname(),
		'L': shortHostname(localHostname()),
	}
	path := func(key, v string) (string, error) {
		x, err := expandTokens(v, tokens, key)
		if err != nil {
			return "", bad(key, v, err)
		}
		x, err = expandTilde(x)
		if err != nil {
			return "", bad(key, v, err)
		}
		return x, nil
	}

	for _, v := range c.getAll(name, "IdentityFile") {
		if strings.EqualFold(v, "none") {
			continue
		}
		p, err := path("IdentityFile", v)
		if err != nil {
			return nil, err
		}
		h.identityFiles = snapshot.AppendNew(h.identityFiles, p)
	}
	h.identitiesOnly = isYes(c.get(name, "IdentitiesOnly"))
	if v := c.get(name, "IdentityAgent"); v != "" {
		switch {
		case strings.EqualFold(v, "none"):
			h.identityAgent = "none"
		case v == "SSH_AUTH_SOCK" || v == "$SSH_AUTH_SOCK":
		default:
			p, err := path("IdentityAgent", v)
			if err != nil {
				return nil, err
			}
			h.identityAgent = p
		}
	}

	if v := c.get(name, "HostKeyAlias"); v != "" {
		h.hostKeyAlias = v
		tokens['k'] = v
	}
	if v := c.get(name, "UserKnownHostsFile"); v != "" {
		for _, f := range strings.Fields(v) {
			if strings.EqualFold(f, "none") {
				continue
			}
			p, err := path("UserKnownHostsFile", f)
			if err != nil {
				return nil, err
			}
			h.knownHosts = append(h.knownHosts, p)
		}
	} else if home != "" {
		h.knownHosts = []string{filepath.Join(home, ".ssh", "known_hosts"), filepath.Join(home, ".ssh", "known_hosts2")}
	}
	if v := c.get(name, "GlobalKnownHostsFile"); v != "" {
		for _, f := range strings.Fields(v) {
			if strings.EqualFold(f, "none") {
				continue
			}
			p, err := path("GlobalKnownHostsFile", f)
			if err != nil {
				return nil, err
			}
			h.globalKnownHosts = append(h.globalKnownHosts, p)
		}
	} else {
		h.globalKnownHosts = []string{"/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"}
	}
	h.strict = strings.ToLower(c.get(name, "StrictHostKeyChecking"))
	h.hashKnownHosts = isYes(c.get(name, "HashKnownHosts"))

	if v := c.get(name, "ConnectTimeout"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, bad("ConnectTimeout", v, errors.New("not a number of seconds"))
		}
		h.connectTimeout = time.Duration(n) * time.Second
	}
	h.proxyJump = c.get(name, "ProxyJump")
	if v := c.get(name, "ServerAliveInterval"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, bad("ServerAliveInterval", v, errors.New("not a number of seconds"))
		}
		h.aliveInterval, h.aliveSet = time.Duration(n)*time.Second, true
	}
	if v := c.get(name, "ServerAliveCountMax"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, bad("ServerAliveCountMax", v, errors.New("not a positive number"))
		}
		h.aliveCount = n
	}
	return h, nil
}

// maxJumps bounds ProxyJump chains, which ssh_config can make circular.
const maxJumps = 8

// chain resolves the target and the jump hosts in front of it, first hop first.
// As with ssh -J, an explicit jump list replaces the target's ProxyJump, while the
// first jump host's own ProxyJump still applies (that is how OpenSSH builds the
// nested connections).
func (c *sshConfig) chain(target endpoint, jumpOverride string) ([]*hop, error) {
	t, err := c.resolve(target)
	if err != nil {
		return nil, err
	}
	spec := t.proxyJump
	if jumpOverride != "" {
		spec = jumpOverride
	}
	hops, err := c.jumpsFor(spec, 0)
	if err != nil {
		return nil, err
	}
	return append(hops, t), nil
}

func (c *sshConfig) jumpsFor(spec string, depth int) ([]*hop, error) {
	eps, err := parseJumpList(spec)
	if err != nil || len(eps) == 0 {
		return nil, err
	}
	if depth+len(eps) > maxJumps {
		return nil, &UserError{
			Msg:  fmt.Sprintf("the ProxyJump chain is longer than %d hosts; it is probably circular (%s)", maxJumps, spec),
			Hint: "Check the ProxyJump lines in " + c.where(),
		}
	}
	first, err := c.resolve(eps[0])
	if err != nil {
		return nil, err
	}
	hops, err := c.jumpsFor(first.proxyJump, depth+len(eps))
	if err != nil {
		return nil, err
	}
	hops = append(hops, first)
	for _, e := range eps[1:] {
		h, err := c.resolve(e)
		if err != nil {
			return nil, err
		}
		hops = append(hops, h)
	}
	return hops, nil
}

// expandTokens replaces ssh_config %-tokens. Only the tokens in vals are allowed; an
// unknown one is an error, as in OpenSSH, rather than a path that silently does not
// exist.
func expandTokens(s string, vals map[byte]string, key string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("%s ends with a lone %%", key)
		}
		i++
		if s[i] == '%' {
			b.WriteByte('%')
			continue
		}
		v, ok := vals[s[i]]
		if !ok {
			return "", fmt.Errorf("trowel does not support %%%c in %s", s[i], key)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// expandTilde turns ~ and ~user at the start of a path into a home directory.
func expandTilde(p string) (string, error) {
	if !strings.HasPrefix(p, "~") {
		return p, nil
	}
	name, rest, _ := strings.Cut(p[1:], "/")
	var home string
	if name == "" {
		h, err := homeDir()
		if err != nil {
			return "", err
		}
		home = h
	} else {
		u, err := user.Lookup(name)
		if err != nil {
			return "", fmt.Errorf("no user %q for %s", name, p)
		}
		home = u.HomeDir
	}
	if rest == "" {
		return home, nil
	}
	return filepath.Join(home, rest), nil
}

// homeDir prefers $HOME, which is what the user (and the tests) can point elsewhere.
func homeDir() (string, error) {
	if h := os.Getenv("HOME"); h != "" {
		return h, nil
	}
	u, err := user.Current()
	if err != nil || u.HomeDir == "" {
		return "", errors.New("cannot tell the home directory: HOME is not set")
	}
	return u.HomeDir, nil
}

func localUser() (string, error) {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username, nil
	}
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := os.Getenv(k); v != "" {
			return v, nil
		}
	}
	return "", &UserError{
		Msg:  "cannot tell the local user name to log in with",
		Hint: "Give the user explicitly: user@host",
	}
}

func localHostname() string {
	h, _ := os.Hostname()
	return h
}

func shortHostname(h string) string {
	s, _, _ := strings.Cut(h, ".")
	return s
}

func isYes(v string) bool {
	switch strings.ToLower(v) {
	case "yes", "true", "on":
		return true
	}
	return false
}

// rootCause drops the path a *fs.PathError repeats, which the message already names.
func rootCause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
