// Package labtest gives end-to-end tests access to the trowel lab: real
// Debian hosts (own sshd, real services; systemd as PID 1, or a SysV-style
// init on the host that stands in for CentOS 5/6) running in network
// namespaces on the test machine, started with `make lab-up` (see
// lab/README.md).
//
// The lab scripts describe the running lab in lab.json in the state dir
// ($TROWEL_LAB_STATE, default /var/lib/trowel-lab); this package only reads
// that file. Tests call Require, which skips the test when no lab is up (so
// plain `go test ./...` works without root) unless TROWEL_LAB_REQUIRED=1,
// in which case a missing or broken lab fails the test.
package labtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// DefaultStateDir is where lab/up.sh keeps the running lab's state unless
// TROWEL_LAB_STATE says otherwise.
const DefaultStateDir = "/var/lib/trowel-lab"

// Sudo values of User.Sudo.
const (
	SudoNoPasswd = "nopasswd" // sudo without a password (root counts as this)
	SudoPassword = "password" // sudo asks for User.Password
	SudoNone     = "none"     // no sudo rights
)

// Init systems of Host.Init: what PID 1 of the host is.
const (
	InitSystemd = "systemd" // Debian's systemd, booted by systemd-nspawn (lab/nspawn.sh)
	InitSysV    = "sysv"    // /lab-init starting SysV init scripts (lab/lab-init.sh)
)

// Lab describes a running lab, read from lab.json in the state dir.
type Lab struct {
	StateDir   string          `json:"state_dir"`
	KeyFile    string          `json:"key_file"`    // private ed25519 key accepted by every lab account
	KnownHosts string          `json:"known_hosts"` // host keys of every host (and legacy's port 2222)
	SSHConfig  string          `json:"ssh_config"`  // Host aliases legacy, new, bastion, collector, legacy-old, legacy-via-bastion
	Hosts      map[string]Host `json:"hosts"`

	Created  string `json:"created"`   // RFC 3339, when lab-up wrote the file
	Mode     string `json:"mode"`      // "overlay" or "copy": how host roots are made
	Gateway  string `json:"gateway"`   // the lab machine's address on the lab bridge
	APTProxy string `json:"apt_proxy"` // HTTP proxy (deb.debian.org only) the "new" host's apt uses
	LabDir   string `json:"lab_dir"`   // the lab/ scripts that brought the lab up (reboot.sh)
}

// Host is one lab host.
type Host struct {
	Name       string          `json:"name"`
	Addr       string          `json:"addr"`
	Port       int             `json:"port"`        // sshd, 22
	LegacyPort int             `json:"legacy_port"` // second sshd speaking only CentOS-5-era algorithms (legacy: 2222), else 0
	Root       string          `json:"root"`        // merged root dir on the lab machine, for offline surveys
	Users      map[string]User `json:"users"`

	FQDN    string `json:"fqdn"`
	Distro  string `json:"distro"`   // Debian suite: bullseye, bookworm
	Netns   string `json:"netns"`    // network namespace (ip netns exec NETNS ...)
	Init    string `json:"init"`     // InitSystemd or InitSysV
	InitLog string `json:"init_log"` // the host's console: systemd's boot messages, or /lab-init's output
	// Services are, on a systemd host, the units active once it has booted;
	// on a SysV host, the services /lab-init starts, in order.
	Services []string `json:"services"`
	// Inactive are units installed on purpose but stopped and disabled.
	Inactive []string          `json:"inactive"`
	Ports    []int             `json:"ports"`   // TCP ports expected to listen
	Planted  map[string]string `json:"planted"` // facts planted for trowel to find (see lab/README.md)
}

// User is an account the tests may log in as (with the lab key).
type User struct {
	Name     string `json:"name"`
	Password string `json:"password"` // "" when the account has no usable password
	Sudo     string `json:"sudo"`     // SudoNoPasswd, SudoPassword or SudoNone
}

// URL returns "ssh://user@addr:port" for the host's main sshd.
func (h Host) URL(user string) string {
	if user == "" {
		user = "root"
	}
	return "ssh://" + user + "@" + net.JoinHostPort(h.Addr, strconv.Itoa(h.Port))
}

// StateDir returns the lab state dir: $TROWEL_LAB_STATE or DefaultStateDir.
func StateDir() string {
	if d := os.Getenv("TROWEL_LAB_STATE"); d != "" {
		return d
	}
	return DefaultStateDir
}

// Load reads and checks lab.json in dir. It does not contact the hosts.
func Load(dir string) (*Lab, error) {
	b, err := os.ReadFile(filepath.Join(dir, "lab.json"))
	if err != nil {
		return nil, err
	}
	var l Lab
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "lab.json"), err)
	}
	if l.StateDir == "" {
		l.StateDir = dir
	}
	if len(l.Hosts) == 0 {
		return nil, fmt.Errorf("%s: no hosts", filepath.Join(dir, "lab.json"))
	}
	for name, h := range l.Hosts {
		if h.Addr == "" || h.Port == 0 {
			return nil, fmt.Errorf("lab.json: host %q has no address/port", name)
		}
		if h.Name == "" {
			h.Name = name
			l.Hosts[name] = h
		}
	}
	return &l, nil
}

// Require returns the running lab, or skips the test with the reason the
// lab is unusable (not started, not root, hosts unreachable). With
// TROWEL_LAB_REQUIRED=1 it fails the test instead of skipping.
func Require(t testing.TB) *Lab {
	t.Helper()
	var l *Lab
	err := whileNoLabOperation(func() (err error) {
		l, err = open()
		return err
	})
	if err != nil {
		if os.Getenv("TROWEL_LAB_REQUIRED") == "1" {
			t.Fatalf("trowel lab required (TROWEL_LAB_REQUIRED=1) but not usable: %v", err)
		}
		t.Skipf("trowel lab not available: %v (start it as root with `make lab-up`; TROWEL_LAB_REQUIRED=1 makes this a failure)", err)
	}
	return l
}

func open() (*Lab, error) {
	dir := StateDir()
	l, err := Load(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no lab.json in %s", dir)
		}
		return nil, err
	}
	f, err := os.Open(l.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read the lab key (the lab is root's): %v", err)
	}
	f.Close()
	if _, err := exec.LookPath("ssh"); err != nil {
		return nil, fmt.Errorf("no ssh client: %v", err)
	}
	for _, name := range l.HostNames() {
		h := l.Hosts[name]
		c, err := net.DialTimeout("tcp", net.JoinHostPort(h.Addr, strconv.Itoa(h.Port)), 3*time.Second)
		if err != nil {
			return nil, fmt.Errorf("host %s unreachable (%v); lab.json from %s is stale?", name, err, l.Created)
		}
		c.Close()
	}
	return l, nil
}

// HostNames returns the host names, sorted.
func (l *Lab) HostNames() []string {
	names := make([]string, 0, len(l.Hosts))
	for n := range l.Hosts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Command returns an ssh command (system client, lab ssh_config, key and
// known_hosts) that runs cmd on host as user. host is a host name or any
// alias of the lab ssh_config (legacy-old, legacy-via-bastion). user ""
// means root. sshArgs are extra ssh options, e.g. "-tt".
func (l *Lab) Command(ctx context.Context, host, user, cmd string, sshArgs ...string) *exec.Cmd {
	args := []string{"-F", l.SSHConfig}
	if user != "" {
		args = append(args, "-l", user)
	}
	args = append(args, sshArgs...)
	args = append(args, "--", host, cmd)
	return exec.CommandContext(ctx, "ssh", args...)
}

// SSH runs cmd on host as user (see Command) and returns its stdout. The
// error includes ssh's exit status and stderr. Two-minute timeout.
func (l *Lab) SSH(t testing.TB, host, user string, cmd string) (stdout string, err error) {
	t.Helper()
	return l.SSHArgs(t, host, user, cmd)
}

// SSHArgs is SSH with extra ssh options (e.g. "-tt" to get a terminal).
func (l *Lab) SSHArgs(t testing.TB, host, user, cmd string, sshArgs ...string) (stdout string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c := l.Command(ctx, host, user, cmd, sshArgs...)
	var out, errb bytes.Buffer
	c.Stdout, c.Stderr = &out, &errb
	if err := whileNoLabOperation(c.Run); err != nil {
		if user == "" {
			user = "root"
		}
		return out.String(), fmt.Errorf("ssh %s@%s %q: %w: %s", user, host, cmd, err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// Quietly runs fn while no lab operation runs (lab/up.sh resetting a host,
// lab/reboot.sh rebooting one), and keeps one from starting until fn returns, as
// SSH and SSHArgs do for one command: for a test that talks to a host another way,
// such as a whole survey through collect.SSH, while a test of another package may
// be rebooting that host.
func (l *Lab) Quietly(fn func() error) error { return whileNoLabOperation(fn) }

// Reboot reboots a host through lab/reboot.sh and returns once it is back:
// booted (systemd: running or degraded; SysV: /lab-init ready), its sshd
// answering and its ports listening. A systemd host reboots itself
// (`systemctl reboot`); a SysV host is shut down and started again. The
// script holds the lab lock meanwhile, so SSH and SSHArgs of other tests wait.
// Needs root, like the rest of the lab.
func (l *Lab) Reboot(t testing.TB, host string) {
	t.Helper()
	if _, ok := l.Hosts[host]; !ok {
		t.Fatalf("the lab has no host %q", host)
	}
	if l.LabDir == "" {
		t.Fatalf("lab.json names no lab_dir: the lab was brought up by an older lab/up.sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", filepath.Join(l.LabDir, "reboot.sh"), host).CombinedOutput()
	if err != nil {
		t.Fatalf("rebooting %s: %v\n%s", host, err, out)
	}
}

// SystemState is what `systemctl is-system-running` says on a systemd host:
// "running", "degraded" (a unit failed), "starting", ...
func (l *Lab) SystemState(t testing.TB, host string) (string, error) {
	t.Helper()
	out, err := l.SSH(t, host, "root", "systemctl is-system-running || true")
	return strings.TrimSpace(out), err
}
