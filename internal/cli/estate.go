package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/trowel-dev/trowel/internal/collect"
	"github.com/trowel-dev/trowel/internal/fleet"
	"github.com/trowel-dev/trowel/internal/inventory"
	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
)

// EstateHost is one host of many to survey.
type EstateHost struct {
	// Name is how the host is shown and named in files: its inventory name,
	// else the target.
	Name   string
	Target string
	// Inventory is what an inventory said of the host; zero for a target given
	// by hand.
	Inventory store.Inventory
	// Identity is the host's own key (ansible_ssh_private_key_file), offered
	// before --identity's; Sudo is ansible_become.
	Identity string
	Sudo     bool
	// Err says why the inventory does not tell how to reach the host.
	Err error
}

// HostsFromTargets makes the hosts of targets given by hand, each once.
func HostsFromTargets(targets []string) []EstateHost {
	seen := map[string]bool{}
	var out []EstateHost
	for _, t := range targets {
		if !seen[t] {
			seen[t] = true
			out = append(out, EstateHost{Name: t, Target: t})
		}
	}
	return out
}

// HostsFromInventory makes the hosts of an inventory that limit selects (every
// host when limit is ""). A host the inventory does not say how to reach is kept,
// to fail with the reason.
func HostsFromInventory(inv *inventory.Inventory, limit string) ([]EstateHost, error) {
	hosts := inv.Hosts
	if limit != "" {
		var err error
		if hosts, err = inv.Limit(limit); err != nil {
			return nil, Errorf("trowel survey -i "+inv.Source+" --limit takes what ansible's --limit takes: web, web:!web3, web*, ~regex.", "%v", err)
		}
	}
	if len(hosts) == 0 {
		return nil, Errorf("", "%s lists no host", inv.Source)
	}
	out := make([]EstateHost, 0, len(hosts))
	for _, h := range hosts {
		t, err := h.Target()
		out = append(out, EstateHost{Name: h.Name, Target: t, Inventory: store.Inventory{Name: h.Name, Group: h.Group},
			Identity: h.KeyFile(), Sudo: h.Become(), Err: err})
	}
	return out, nil
}

// EstateOptions say how to survey many hosts.
type EstateOptions struct {
	Parallel int
	// OutDir and KeepDir, when set, receive each host's snapshot (NAME.json) and
	// evidence (NAME.evidence).
	OutDir, KeepDir string
	Progress        fleet.Progress
	// Pause and Resume, when set, take the progress display off the terminal
	// while sudo's password is asked for.
	Pause, Resume func()
}

// SurveyEstate surveys hosts, Parallel at a time, each with the flags' time limits
// of its own, and records each in the session's store as it is surveyed: one host
// that hangs, refuses the key or drops the connection fails alone, with what to do
// about it; what arrived from a host that stopped early is kept.
func (t *TargetFlags) SurveyEstate(ctx context.Context, sess *Session, hosts []EstateHost, o EstateOptions) []fleet.Result {
	pw := &sharedPassword{pause: o.Pause, resume: o.Resume, read: readSudoPassword}
	defer pw.wipe()
	names := &fileNames{used: map[string]bool{}}
	jobs := make([]fleet.Job, len(hosts))
	for i, h := range hosts {
		jobs[i] = fleet.Job{Name: h.Name, Target: h.Target, Run: func(ctx context.Context, phase func(string)) fleet.Outcome {
			return t.surveyOne(ctx, sessionRecorder{sess}, h, o, pw, names, phase)
		}}
	}
	return fleet.Run(ctx, jobs, o.Parallel, o.Progress)
}

// hostRecorder is where a host's survey goes: the session's store when trowel
// survey runs, the job's lease when a worker does.
type hostRecorder interface {
	// surveyed records what a survey gave; stopped says why it was cut short.
	surveyed(ctx context.Context, h EstateHost, res *collect.Result, snap *snapshot.Snapshot, stopped error) (*store.SurveyInfo, error)
	// failed records a survey that had nothing to keep.
	failed(ctx context.Context, h EstateHost, cause error)
}

type sessionRecorder struct{ *Session }

func (r sessionRecorder) surveyed(ctx context.Context, h EstateHost, res *collect.Result, snap *snapshot.Snapshot, stopped error) (*store.SurveyInfo, error) {
	return r.RecordSurvey(ctx, h.Inventory, res, snap, stopped)
}

func (r sessionRecorder) failed(ctx context.Context, h EstateHost, cause error) {
	r.SurveyFailed(ctx, h.Target, h.Inventory, cause)
}

// surveyOne surveys one host of many and records what it gave in rec: the one
// path every host takes, surveyed by trowel survey or by a worker.
func (t *TargetFlags) surveyOne(ctx context.Context, rec hostRecorder, h EstateHost, o EstateOptions, pw *sharedPassword, names *fileNames, phase func(string)) (out fleet.Outcome) {
	var mu sync.Mutex
	var notes []string
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		out.Notes = notes
	}()
	flags := *t
	flags.Sudo = t.Sudo || h.Sudo
	if h.Identity != "" {
		flags.Identity = append([]string{h.Identity}, t.Identity...)
	}
	flags.SudoPassword = pw.get
	flags.Logf = func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		notes = append(notes, fmt.Sprintf(format, args...))
	}
	// What arrived is recorded even when the survey was interrupted.
	record := context.WithoutCancel(ctx)
	fail := func(err error) fleet.Outcome {
		out.Status = fleet.Failed
		out.Problem, out.Advice = Explain(err)
		rec.failed(record, h, err)
		return out
	}
	if h.Err != nil {
		return fail(Errorf("Fix the host's entry in the inventory.", "%v", h.Err))
	}
	tg, err := target.Parse(h.Target)
	if err != nil {
		return fail(err)
	}
	phase("surveying")
	res, err := flags.Collect(ctx, tg)
	if err != nil {
		return fail(err)
	}
	phase("parsing")
	snap := survey.Run(res.Archive, res.Source, res.Raw)
	stopped := res.Stopped()
	phase("recording")
	info, err := rec.surveyed(record, h, res, snap, stopped)
	if err != nil {
		out.Status = fleet.Failed
		out.Problem = "surveyed, but not recorded in the store: " + firstLine(err.Error())
		out.Advice = "check that the store is reachable and writable (--store, " + store.Env + ")"
		if errors.Is(err, store.ErrLeaseLost) {
			out.Advice = "another worker took the job after this one's lease ran out: it is surveyed once, by that worker"
		}
	} else if info != nil {
		out.Ref = info.Ref()
	}
	if o.OutDir != "" || o.KeepDir != "" {
		name := names.take(cmp.Or(h.Inventory.Name, snap.Host.FQDN, snap.Host.Hostname, h.Target))
		if err := writeHostFiles(o, name, snap, res.Raw, &out); err != nil {
			out.Status = fleet.Failed
			out.Problem, out.Advice = firstLine(err.Error()), "check the directory given with -o or --keep-evidence"
		}
	}
	if out.Status == fleet.Failed {
		return out
	}
	if stopped != nil {
		out.Status = fleet.Partial
		out.Problem, out.Advice = Explain(stopped)
		return out
	}
	out.Status = fleet.OK
	return out
}

// writeHostFiles writes a host's snapshot and evidence into the directories asked.
func writeHostFiles(o EstateOptions, name string, snap *snapshot.Snapshot, raw []byte, out *fleet.Outcome) error {
	if o.OutDir != "" {
		doc, err := json.MarshalIndent(snap, "", "  ")
		if err != nil {
			return err
		}
		p := filepath.Join(o.OutDir, name+".json")
		if err := os.WriteFile(p, Masked(append(doc, '\n'), p), 0o644); err != nil {
			return fmt.Errorf("cannot write the snapshot: %v", err)
		}
		out.Written = p
	}
	if o.KeepDir != "" {
		if err := os.WriteFile(filepath.Join(o.KeepDir, name+".evidence"), MaskedEvidence(raw), 0o600); err != nil {
			return fmt.Errorf("cannot keep the evidence: %v", err)
		}
	}
	return nil
}

// fileNames hands out file names, one per host, unique within a run.
type fileNames struct {
	mu   sync.Mutex
	used map[string]bool
}

func (f *fileNames) take(name string) string {
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-@", r) {
			return r
		}
		return '_'
	}, strings.TrimPrefix(name, "ssh://"))
	name = strings.TrimLeft(name, ".")
	f.mu.Lock()
	defer f.mu.Unlock()
	base := cmp.Or(name, "host")
	name = base
	for n := 2; f.used[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	f.used[name] = true
	return name
}

// sharedPassword asks for sudo's password once for every host, with the
// progress display off the terminal meanwhile, and hands each host a copy (which
// remote wipes after use).
type sharedPassword struct {
	pause, resume func()
	read          func() ([]byte, error)
	once          sync.Once
	pw            []byte
	err           error
}

func (s *sharedPassword) get() ([]byte, error) {
	s.once.Do(func() {
		if s.pause != nil {
			s.pause()
			defer s.resume()
		}
		s.pw, s.err = s.read()
	})
	if s.err != nil {
		return nil, s.err
	}
	return append([]byte(nil), s.pw...), nil
}

func (s *sharedPassword) wipe() {
	for i := range s.pw {
		s.pw[i] = 0
	}
}

// Explain says in one line what went wrong with a host, and in one line what to
// do about it, in the terms of a survey of many hosts: the flags and inventory
// variables to change.
func Explain(err error) (problem, advice string) {
	problem, hint := firstLine(err.Error()), ""
	var re *remote.UserError
	var ue *Error
	switch {
	case errors.As(err, &re):
		problem, hint = firstLine(re.Msg), re.Hint
	case errors.As(err, &ue):
		problem, hint = firstLine(ue.Msg), ue.Hint
	}
	m := strings.ToLower(problem)
	switch {
	case strings.Contains(m, "host key") && strings.Contains(m, "is not known"):
		advice = "check its fingerprint with the host's administrator, then re-run with --accept-new-host-key (or add it to known_hosts, see --known-hosts)"
	case strings.Contains(m, "has changed"):
		advice = "do not accept it blindly: confirm the new key with the host's administrator, and only then remove the old one (ssh-keygen -R) and re-run"
	case strings.Contains(m, "could not log in"):
		advice = "check the login user (ansible_user, user@host) and that the key offered (ansible_ssh_private_key_file, --identity, ssh-agent) is authorized on the host"
	case strings.Contains(m, "no ssh answer from"):
		advice = "check that the host is up and that nothing drops the connection on the way; if it is only slow to answer, raise --connect-timeout"
	case strings.Contains(m, "time limit"):
		advice = "the host is slow or the probe hangs there (a stuck mount, an overloaded disk): raise --timeout, or look at the host by hand"
	case strings.Contains(m, "during the ssh handshake"):
		advice = "the server refused this client (hosts.deny, AllowUsers) or too many connected at once (sshd's MaxStartups, 10 by default, a bastion's too): try a lower --parallel"
	case strings.Contains(m, "cannot connect to") || strings.Contains(m, "cannot find the host"):
		advice = "check the address and port (ansible_host, ansible_port) and that sshd runs there"
	case strings.Contains(m, "closed after") || strings.Contains(m, "connection was lost") || strings.Contains(m, "before its end marker"):
		advice = "what arrived is recorded and marked incomplete; survey the host again when it and the network are stable"
	default:
		advice = firstLine(hint)
	}
	return problem, advice
}
