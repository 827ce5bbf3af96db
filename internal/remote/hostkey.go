package remote

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/skeema/knownhosts"
	"golang.org/x/crypto/ssh"
	xknownhosts "golang.org/x/crypto/ssh/knownhosts"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// hostKeys verifies one hop's host key against known_hosts, the way OpenSSH does with
// StrictHostKeyChecking=yes (or accept-new when the user said so). A changed key is
// never accepted.
type hostKeys struct {
	label    string   // how the user knows the host, for messages
	lookup   string   // "host:port" as known_hosts stores it
	files    []string // files read (only those that exist)
	write    string   // where an accepted key is appended
	accept   bool
	acceptBy string // why accepting is allowed, for the note
	hash     bool

	db       *knownhosts.HostKeyDB
	shadow   map[string]string // sanitized copy -> original file name
	accepted ssh.PublicKey     // a key appended during this run
	note     func(string, ...any)
}

// placeholderAddr stands in for the server's address: OpenSSH's CheckHostIP is off by
// default, and through a jump host there is no meaningful address anyway.
var placeholderAddr = &net.TCPAddr{IP: net.IPv4zero, Port: 0}

func newHostKeys(h *hop, o *Options, note func(string, ...any)) (*hostKeys, error) {
	hk := &hostKeys{label: h.label(), note: note, hash: h.hashKnownHosts}
	lookupHost, lookupPort := h.host, h.port
	if h.hostKeyAlias != "" {
		// OpenSSH records an alias without the port: the alias names the key itself.
		lookupHost, lookupPort = h.hostKeyAlias, 22
	}
	hk.lookup = hostPort(lookupHost, lookupPort)

	user := h.knownHosts
	if o.KnownHostsFile != "" {
		p, err := expandTilde(o.KnownHostsFile)
		if err != nil {
			return nil, err
		}
		user = []string{p}
	}
	if len(user) > 0 {
		hk.write = user[0]
	}
	switch {
	case o.AcceptNewHostKey:
		hk.accept, hk.acceptBy = true, "--accept-new-host-key"
	case h.strict == "accept-new" || h.strict == "no" || h.strict == "off":
		hk.accept, hk.acceptBy = true, "StrictHostKeyChecking "+h.strict+" in the ssh config"
	}

	var files []string
	for _, f := range append(append([]string{}, user...), h.globalKnownHosts...) {
		st, err := os.Stat(f)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, knownHostsError(f, err)
		}
		if !st.Mode().IsRegular() {
			continue // /dev/null, the usual "remember nothing" setting
		}
		files = append(files, f)
	}
	hk.files = files
	if err := hk.load(); err != nil {
		return nil, err
	}
	return hk, nil
}

func knownHostsError(f string, err error) error {
	return &UserError{
		Msg:  fmt.Sprintf("cannot read the known_hosts file %s: %v", f, rootCause(err)),
		Hint: "Fix its permissions, or choose another file with --known-hosts",
		Err:  err,
	}
}

// load parses the files. x/crypto rejects a whole file for one line it cannot parse
// (an SSH-1 key from 2005, a key type it does not know), where OpenSSH skips the line;
// such a file is read through a copy with the bad lines blanked, so line numbers in
// messages still point into the real file.
func (hk *hostKeys) load() error {
	db, err := knownhosts.NewDB(hk.files...)
	if err == nil {
		hk.db = db
		return nil
	}
	var use []string
	hk.shadow = map[string]string{}
	for _, f := range hk.files {
		data, err := os.ReadFile(f)
		if err != nil {
			return knownHostsError(f, err)
		}
		if _, err := knownhosts.NewDB(f); err == nil {
			use = append(use, f)
			continue
		}
		clean, skipped := sanitizeKnownHosts(data)
		tmp, err := os.CreateTemp("", "trowel-known-hosts-*")
		if err != nil {
			return err
		}
		name := tmp.Name()
		defer os.Remove(name)
		_, werr := tmp.Write(clean)
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return werr
		}
		if _, err := knownhosts.NewDB(name); err != nil {
			return knownHostsError(f, err)
		}
		hk.note("ignored %d line(s) of %s that trowel cannot parse (%s)", len(skipped), f, lineList(skipped))
		hk.shadow[name] = f
		use = append(use, name)
	}
	db, err = knownhosts.NewDB(use...)
	if err != nil {
		return knownHostsError(strings.Join(hk.files, ", "), err)
	}
	hk.db = db
	return nil
}

func sanitizeKnownHosts(data []byte) ([]byte, []int) {
	var out bytes.Buffer
	var skipped []int
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' && !knownHostsLineOK(t) {
			skipped = append(skipped, n)
			line = nil
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes(), skipped
}

// knownHostsLineOK mirrors what x/crypto's parser rejects: a key it cannot parse, or a
// hashed host name that is not "|1|salt|hash" in base64.
func knownHostsLineOK(line []byte) bool {
	_, hosts, _, _, _, err := ssh.ParseKnownHosts(line)
	if err != nil {
		return false
	}
	for _, h := range hosts {
		if !strings.HasPrefix(h, "|") {
			continue
		}
		parts := strings.Split(h, "|")
		if len(parts) != 4 || parts[1] != "1" {
			return false
		}
		for _, p := range parts[2:] {
			if _, err := base64.StdEncoding.DecodeString(p); err != nil {
				return false
			}
		}
	}
	return true
}

func lineList(ns []int) string {
	var s []string
	for i, n := range ns {
		if i == 5 {
			s = append(s, "…")
			break
		}
		s = append(s, "line "+strconv.Itoa(n))
	}
	return strings.Join(s, ", ")
}

// algorithms lists the host key algorithms known_hosts holds for the host, so the
// server is asked for the key type we can check rather than one we have never seen
// (which would look like a changed key).
func (hk *hostKeys) algorithms() []string {
	return hk.db.HostKeyAlgorithms(hk.lookup)
}

// known reports whether known_hosts holds any key for the host.
func (hk *hostKeys) known() bool { return len(hk.db.HostKeys(hk.lookup)) > 0 }

func (hk *hostKeys) check(_ string, _ net.Addr, key ssh.PublicKey) error {
	if hk.accepted != nil && bytes.Equal(hk.accepted.Marshal(), key.Marshal()) {
		return nil
	}
	err := hk.db.HostKeyCallback()(hk.lookup, placeholderAddr, key)
	var revoked *xknownhosts.RevokedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &revoked):
		return &UserError{
			Msg: fmt.Sprintf("the host key of %s (%s) is marked @revoked in %s line %d; trowel will not connect. Nothing was sent to the server",
				hk.label, describeKey(key), hk.fileName(revoked.Revoked.Filename), revoked.Revoked.Line),
			Hint: "Ask the server's administrator which key the host should have now",
		}
	case knownhosts.IsHostKeyChanged(err):
		return hk.changed(err, key)
	case knownhosts.IsHostUnknown(err):
		if !hk.accept {
			return &UserError{
				Msg:  fmt.Sprintf("host key for %s is not known (%s)", hk.label, describeKey(key)),
				Hint: "Check the fingerprint with the server's administrator, then re-run with --accept-new-host-key",
			}
		}
		return hk.add(key)
	default:
		return fmt.Errorf("checking the host key of %s: %w", hk.label, err)
	}
}

func (hk *hostKeys) changed(err error, key ssh.PublicKey) error {
	var ke *xknownhosts.KeyError
	errors.As(err, &ke)
	var have []string
	var files []string
	for _, w := range ke.Want {
		f := hk.fileName(w.Filename)
		have = append(have, fmt.Sprintf("%s line %d: %s", f, w.Line, describeKey(w.Key)))
		files = snapshot.AppendNew(files, f)
	}
	name := knownhosts.Normalize(hk.lookup)
	var remove []string
	for _, f := range files {
		remove = append(remove, fmt.Sprintf("ssh-keygen -R '%s' -f %s", name, f))
	}
	return &UserError{
		Msg: fmt.Sprintf("WARNING: THE HOST KEY FOR %s HAS CHANGED. The server presented %s, but known_hosts has %s. "+
			"This may be an attack (someone intercepting the connection), or the host was reinstalled or its keys replaced. "+
			"trowel stopped before logging in: nothing was sent to the server",
			hk.label, describeKey(key), strings.Join(have, "; ")),
		Hint: "Confirm the new fingerprint with the server's administrator. Only if the change is expected, remove the old entry (" +
			strings.Join(remove, "; ") + ") and re-run with --accept-new-host-key",
	}
}

func (hk *hostKeys) fileName(f string) string {
	if orig, ok := hk.shadow[f]; ok {
		return orig
	}
	return f
}

// add appends the key like OpenSSH's accept-new: "[host]:port" for ports other than
// 22, hashed when HashKnownHosts says so, creating ~/.ssh (0700) and the file (0600).
func (hk *hostKeys) add(key ssh.PublicKey) error {
	if hk.write == "" {
		return &UserError{
			Msg:  fmt.Sprintf("host key for %s is not known (%s), and there is no known_hosts file to record it in", hk.label, describeKey(key)),
			Hint: "Set UserKnownHostsFile in the ssh config or use --known-hosts",
		}
	}
	name := knownhosts.Normalize(hk.lookup)
	if hk.hash {
		name = xknownhosts.HashHostname(name)
	}
	line := knownhosts.Line([]string{name}, key) + "\n"
	if err := appendLine(hk.write, line); err != nil {
		return &UserError{
			Msg:  fmt.Sprintf("cannot record the host key of %s in %s: %v", hk.label, hk.write, rootCause(err)),
			Hint: "Fix the permissions of that file or its directory",
			Err:  err,
		}
	}
	hk.accepted = key
	hk.note("added the host key of %s (%s) to %s, as allowed by %s", hk.label, describeKey(key), hk.write, hk.acceptBy)
	return nil
}

func appendLine(path, line string) error {
	if dir := filepath.Dir(path); dir != "" {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return err
			}
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	// A file whose last line lacks a newline would glue our entry onto it.
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > 0 {
		if r, err := os.Open(path); err == nil {
			last := make([]byte, 1)
			if _, err := r.ReadAt(last, st.Size()-1); err == nil && last[0] != '\n' {
				line = "\n" + line
			}
			r.Close()
		}
	}
	_, err = f.WriteString(line)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// describeKey prints a key as OpenSSH's messages do: "ED25519 SHA256:…".
func describeKey(k ssh.PublicKey) string {
	if k == nil {
		return "no key"
	}
	return keyTypeName(k.Type()) + " " + ssh.FingerprintSHA256(k)
}

func keyTypeName(t string) string {
	switch {
	case strings.Contains(t, "ed25519"):
		return "ED25519"
	case strings.HasPrefix(t, "ecdsa") || strings.Contains(t, "ecdsa"):
		return "ECDSA"
	case strings.Contains(t, "rsa"):
		return "RSA"
	case strings.Contains(t, "dss"):
		return "DSA"
	}
	return strings.ToUpper(t)
}
