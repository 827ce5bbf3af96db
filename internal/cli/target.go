package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/collect/ask"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/secrets"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
	"github.com/trowel-dev/trowel/internal/version"
)

// TargetFlags are the flags of every command that collects from a target.
type TargetFlags struct {
	Sudo             bool
	Identity         []string
	Jump             string
	SSHConfig        string
	KnownHosts       string
	AcceptNewHostKey bool
	ConnectTimeout   time.Duration
	Timeout          time.Duration
	// NoAsk leaves the target's services alone: no HTTP request, no SMTP dialogue.
	NoAsk bool
	// AlsoAsk are questions to ask besides those the target's own survey suggests
	// (verify adds what the spec expects, so a vhost the target lacks is asked and
	// fails).
	AlsoAsk []answer.Request
	// Logf receives the notes of an SSH connection as they happen (nil: standard
	// error); SudoPassword asks for sudo's password (nil: the terminal, else one
	// line of standard input). Surveying many hosts, both are shared.
	Logf         func(format string, args ...any)
	SudoPassword func() ([]byte, error)
}

// Register adds the flags to a command's flag set.
func (t *TargetFlags) Register(fs *pflag.FlagSet) { t.register(fs, "i") }

// RegisterWithoutShorthand is Register with --identity left without -i, for trowel
// survey, where -i names an inventory as it does for ansible.
func (t *TargetFlags) RegisterWithoutShorthand(fs *pflag.FlagSet) { t.register(fs, "") }

func (t *TargetFlags) register(fs *pflag.FlagSet, identityShort string) {
	t.registerCredentials(fs, identityShort)
	fs.BoolVar(&t.Sudo, "sudo", false, "run the probe as root through sudo (asks for the password once if sudo needs one: from the terminal, or one line on standard input)")
	fs.StringVarP(&t.Jump, "jump", "J", "", "connect through a bastion: [user@]host[:port][,...] (overrides ProxyJump in ssh_config)")
	fs.DurationVar(&t.ConnectTimeout, "connect-timeout", 0, "time limit for each SSH connection to be set up (default: ConnectTimeout from ssh_config, else 15s)")
	fs.DurationVar(&t.Timeout, "timeout", DefaultTimeout, "time limit for the whole collection from a host (each host its own, when many are surveyed at once)")
	fs.BoolVar(&t.NoAsk, "no-ask", false, "do not ask the services (one HTTP GET per vhost, one SMTP dialogue without DATA, through the SSH connection); asking leaves one access-log line per vhost and one mail-log line on the target")
}

// DefaultTimeout is the time limit for a whole collection from one host unless
// --timeout says.
const DefaultTimeout = 10 * time.Minute

// CredentialFlags are the flags that say with what this machine's account logs
// in and whom it trusts: keys, ssh_config, known_hosts. A worker has them of its
// own; a queued request never carries them.
var CredentialFlags = []string{"identity", "ssh-config", "known-hosts", "accept-new-host-key"}

// RegisterCredentials adds only the CredentialFlags (with -i for --identity),
// for trowel worker: the rest of how to reach a host comes with each job.
func (t *TargetFlags) RegisterCredentials(fs *pflag.FlagSet) { t.registerCredentials(fs, "i") }

func (t *TargetFlags) registerCredentials(fs *pflag.FlagSet, identityShort string) {
	fs.StringArrayVarP(&t.Identity, "identity", identityShort, nil, "SSH private key file (repeatable); ssh-agent and ~/.ssh/config are used too")
	fs.StringVar(&t.SSHConfig, "ssh-config", "", `ssh_config file (default ~/.ssh/config; "none" to ignore it)`)
	fs.StringVar(&t.KnownHosts, "known-hosts", "", "known_hosts file (default ~/.ssh/known_hosts)")
	fs.BoolVar(&t.AcceptNewHostKey, "accept-new-host-key", false, "trust a host key seen for the first time and add it to known_hosts (a changed key is always refused)")
}

// AskFunc plans the questions from a first survey of what the probe found (and
// AlsoAsk) and asks them; with --no-ask it records that nothing was asked, and why.
// Collect passes it to the collector; tests that collect by hand use it the same way.
func (t *TargetFlags) AskFunc() collect.AskFunc {
	return func(ctx context.Context, a *evidence.Archive, src snapshot.Source, dial ask.Dialer) []*evidence.Item {
		if t.NoAsk {
			return []*evidence.Item{answer.NotAsked("not asked: --no-ask")}
		}
		plan := ask.PlanFor(survey.Run(a, src, nil), t.AlsoAsk)
		via := "this machine"
		if src.Kind == "ssh" {
			via = "SSH direct-tcpip channels through the connection to " + src.Target
		}
		return ask.Asker{Dial: dial, Via: via, UserAgent: "trowel/" + version.Version + " (read-only survey)"}.Run(ctx, plan)
	}
}

// Collect gathers evidence from a target: this machine, a mounted root, an evidence
// file, or an SSH destination. A snapshot file is surveyed already.
func (t *TargetFlags) Collect(ctx context.Context, tg target.Target) (*collect.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, t.Timeout)
	defer cancel()
	if tg.Kind == target.Local || tg.Kind == target.SSH {
		secrets.Prepare()
	}
	switch tg.Kind {
	case target.Local:
		return collect.LocalAndAsk(ctx, t.AskFunc(), survey.Premask)
	case target.Root:
		return collect.Root(ctx, tg.Arg)
	case target.Evidence:
		res, err := collect.Bundle(tg.Arg)
		if err != nil {
			return nil, Errorf("Give a file written by the probe (trowel probe > probe.sh; sh probe.sh > host.evidence) or by --keep-evidence.", "%v", err)
		}
		return res, nil
	case target.SSH:
		return collect.SSHAndAsk(ctx, t.remoteOptions(tg.Arg, t.Timeout), t.AskFunc(), survey.Premask)
	case target.Snapshot:
		return nil, Errorf("A snapshot was surveyed already: give it to report, spec, verify, diff or codify. Survey a host, a disk or an evidence file.",
			"%s holds JSON, as a snapshot does, not evidence the probe wrote", tg.Arg)
	}
	return nil, fmt.Errorf("%s: no collector for a target of kind %v", tg.Arg, tg.Kind)
}

// remoteOptions are the SSH settings the flags give, for a connection that may
// last timeout.
func (t *TargetFlags) remoteOptions(target string, timeout time.Duration) remote.Options {
	o := t.options(target, timeout)
	if o.SudoPassword == nil {
		o.SudoPassword = readSudoPassword
	}
	if o.Logf == nil {
		o.Logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, "trowel: "+format+"\n", args...) }
	}
	return o
}

func (t *TargetFlags) options(target string, timeout time.Duration) remote.Options {
	return remote.Options{
		Target:           target,
		ConfigFile:       t.SSHConfig,
		KnownHostsFile:   t.KnownHosts,
		AcceptNewHostKey: t.AcceptNewHostKey,
		IdentityFiles:    t.Identity,
		Jump:             t.Jump,
		Sudo:             t.Sudo,
		SudoPassword:     t.SudoPassword,
		ConnectTimeout:   t.ConnectTimeout,
		Timeout:          timeout,
		Logf:             t.Logf,
	}
}

// readSudoPassword asks on the terminal without echo; without a terminal it reads one
// line from standard input, so scripts can pipe it in. The password is never stored.
func readSudoPassword() ([]byte, error) {
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		defer tty.Close()
		fmt.Fprint(tty, "sudo password on the target: ")
		pw, err := term.ReadPassword(int(tty.Fd()))
		fmt.Fprintln(tty)
		return pw, err
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		return nil, errors.New("sudo needs a password, and there is neither a terminal to ask on nor a line on standard input")
	}
	return []byte(strings.TrimRight(line, "\r\n")), nil
}
