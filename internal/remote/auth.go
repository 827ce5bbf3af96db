package remote

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// credential is one key offered to a server, with where it came from for messages.
type credential struct {
	signer ssh.Signer
	desc   string // "ssh-agent: ED25519 SHA256:… (comment)" or "~/.ssh/id_rsa: RSA SHA256:…"
}

type agentKeys struct {
	conn  net.Conn
	creds []credential
	err   error
}

type fileKey struct {
	path    string
	signer  ssh.Signer
	pub     ssh.PublicKey // known even for an encrypted key when the file (or .pub) says
	missing bool
	problem string // why the key cannot be used; "" when it can (or is missing)
	noted   bool
}

// keyring loads credentials once per Dial and hands each hop the ones its ssh config
// allows, in OpenSSH's order: agent keys, then identity files.
type keyring struct {
	extra  []string // Options.IdentityFiles
	agents map[string]*agentKeys
	files  map[string]*fileKey
	note   func(string, ...any)
}

func newKeyring(extra []string, note func(string, ...any)) (*keyring, error) {
	k := &keyring{agents: map[string]*agentKeys{}, files: map[string]*fileKey{}, note: note}
	for _, f := range extra {
		p, err := expandTilde(f)
		if err != nil {
			return nil, err
		}
		k.extra = append(k.extra, p)
	}
	return k, nil
}

func (k *keyring) close() {
	for _, a := range k.agents {
		if a.conn != nil {
			a.conn.Close()
		}
	}
}

// agentSocket is where the agent for a hop listens, or "" for none.
func agentSocket(h *hop) string {
	switch h.identityAgent {
	case "none":
		return ""
	case "":
		return os.Getenv("SSH_AUTH_SOCK")
	}
	return h.identityAgent
}

func (k *keyring) agent(sock string) *agentKeys {
	if sock == "" {
		return &agentKeys{}
	}
	if a, ok := k.agents[sock]; ok {
		return a
	}
	a := &agentKeys{}
	k.agents[sock] = a
	conn, err := net.DialTimeout("unix", sock, 5*time.Second)
	if err != nil {
		a.err = err
		k.note("cannot reach ssh-agent at %s (%v); using identity files only", sock, rootCause(err))
		return a
	}
	a.conn = conn
	client := agent.NewClient(conn)
	// An agent that stops answering (a hung gpg-agent) must not hang trowel.
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	keys, err := client.List()
	conn.SetDeadline(time.Time{})
	if err != nil {
		a.err = err
		k.note("cannot list the keys of ssh-agent at %s (%v); using identity files only", sock, err)
		return a
	}
	signers, err := client.Signers()
	if err != nil || len(signers) != len(keys) {
		a.err = err
		k.note("cannot use the keys of ssh-agent at %s (%v); using identity files only", sock, err)
		return a
	}
	for i, s := range signers {
		d := "ssh-agent: " + describeKey(s.PublicKey())
		if c := keys[i].Comment; c != "" {
			d += " (" + c + ")"
		}
		a.creds = append(a.creds, credential{signer: s, desc: d})
	}
	return a
}

func (k *keyring) file(path string) *fileKey {
	if f, ok := k.files[path]; ok {
		return f
	}
	f := &fileKey{path: path}
	k.files[path] = f
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		f.missing = true
		return f
	}
	if err != nil {
		f.problem = fmt.Sprintf("cannot read it: %v", rootCause(err))
		return f
	}
	signer, err := ssh.ParsePrivateKey(data)
	var pme *ssh.PassphraseMissingError
	switch {
	case err == nil:
		f.signer, f.pub = signer, signer.PublicKey()
	case errors.As(err, &pme):
		f.pub = pme.PublicKey
		f.problem = "it is protected by a passphrase, which trowel does not ask for"
	default:
		f.problem = fmt.Sprintf("it is not a private key trowel can use: %v", err)
	}
	if f.pub == nil {
		if data, err := os.ReadFile(path + ".pub"); err == nil {
			if pub, _, _, _, err := ssh.ParseAuthorizedKey(data); err == nil {
				f.pub = pub
			}
		}
	}
	return f
}

// credentialsFor lists the keys to offer to one hop.
func (k *keyring) credentialsFor(h *hop) []credential {
	explicit := append(append([]string{}, k.extra...), h.identityFiles...)
	paths := explicit
	if len(paths) == 0 {
		if home, err := homeDir(); err == nil {
			for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
				paths = append(paths, filepath.Join(home, ".ssh", n))
			}
		}
	}
	var files []*fileKey
	for _, p := range paths {
		files = append(files, k.file(p))
	}

	ag := k.agent(agentSocket(h))
	var out []credential
	inAgent := func(pub ssh.PublicKey) bool {
		for _, c := range ag.creds {
			if pub != nil && bytes.Equal(c.signer.PublicKey().Marshal(), pub.Marshal()) {
				return true
			}
		}
		return false
	}
	for _, c := range ag.creds {
		if h.identitiesOnly {
			// Offering every agent key can exhaust the server's MaxAuthTries before the
			// right one; IdentitiesOnly limits the agent to the configured files.
			match := false
			for _, f := range files {
				if f.pub != nil && bytes.Equal(f.pub.Marshal(), c.signer.PublicKey().Marshal()) {
					match = true
				}
			}
			if !match {
				continue
			}
		}
		out = append(out, c)
	}
	for _, f := range files {
		switch {
		case f.missing:
			if contains(explicit, f.path) && !f.noted {
				f.noted = true
				k.note("identity file %s does not exist", f.path)
			}
		case f.signer != nil:
			if !inAgent(f.pub) {
				out = append(out, credential{signer: f.signer, desc: f.path + ": " + describeKey(f.pub)})
			}
		case inAgent(f.pub):
			// Encrypted on disk, but the agent holds it unlocked: the agent's copy is used.
		default:
			if !f.noted {
				f.noted = true
				hint := ""
				if strings.Contains(f.problem, "passphrase") {
					hint = fmt.Sprintf("; to use it, load it into ssh-agent (ssh-add %s) and re-run", f.path)
				}
				k.note("skipped identity file %s: %s%s", f.path, f.problem, hint)
			}
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// errLegacySignature stops the modern attempt when the server accepted a key but can
// only verify a SHA-1 (ssh-rsa or ssh-dss) signature from it: that is a legacy
// algorithm, used only on the explicit retry.
var errLegacySignature = errors.New("the server can only check a SHA-1 signature from this key")

// attempt records what happened during one handshake, for messages and notes.
type attempt struct {
	legacy      bool
	authStarted bool
	allowed     []string // authentication methods the server accepts
	offered     []string
	sha1Key     ssh.PublicKey // the key that needed a SHA-1 signature (modern attempt)
	usedAlgo    string        // signature algorithm of the login
	usedKey     string
}

// signer wraps a credential so the attempt can see which signature algorithm the
// login used and refuse SHA-1 outside the legacy retry.
type signer struct {
	inner ssh.Signer
	desc  string
	att   *attempt
}

func (s *signer) PublicKey() ssh.PublicKey { return s.inner.PublicKey() }

func (s *signer) Sign(rand io.Reader, data []byte) (*ssh.Signature, error) {
	return s.SignWithAlgorithm(rand, data, "")
}

func (s *signer) Algorithms() []string {
	if m, ok := s.inner.(ssh.MultiAlgorithmSigner); ok {
		return m.Algorithms()
	}
	t := s.inner.PublicKey().Type()
	if _, ok := s.inner.(ssh.AlgorithmSigner); ok && t == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{t}
}

func (s *signer) SignWithAlgorithm(rand io.Reader, data []byte, algo string) (*ssh.Signature, error) {
	eff := algo
	if eff == "" {
		eff = s.inner.PublicKey().Type()
	}
	if isSHA1Signature(eff) && !s.att.legacy {
		s.att.sha1Key = s.inner.PublicKey()
		return nil, errLegacySignature
	}
	s.att.usedAlgo, s.att.usedKey = eff, s.desc
	if as, ok := s.inner.(ssh.AlgorithmSigner); ok {
		return as.SignWithAlgorithm(rand, data, algo)
	}
	if eff != s.inner.PublicKey().Type() {
		return nil, fmt.Errorf("key %s cannot sign with %s", s.desc, algo)
	}
	return s.inner.Sign(rand, data)
}

func isSHA1Signature(algo string) bool {
	return algo == ssh.KeyAlgoRSA || algo == ssh.InsecureKeyAlgoDSA //lint:ignore SA1019 recognising it is the point
}

// authMethods builds the single publickey method x/crypto allows, keys in order. On
// the legacy retry the key that needed SHA-1 goes last, so any key the server can
// check with a modern signature is tried first.
func authMethods(creds []credential, att *attempt, demote ssh.PublicKey) []ssh.AuthMethod {
	var first, last []ssh.Signer
	for _, c := range creds {
		s := &signer{inner: c.signer, desc: c.desc, att: att}
		att.offered = append(att.offered, c.desc)
		if demote != nil && bytes.Equal(c.signer.PublicKey().Marshal(), demote.Marshal()) {
			last = append(last, s)
		} else {
			first = append(first, s)
		}
	}
	all := append(first, last...)
	if len(all) == 0 {
		return nil
	}
	return []ssh.AuthMethod{ssh.PublicKeysCallback(func() ([]ssh.Signer, error) { return all, nil })}
}
