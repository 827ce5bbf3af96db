package remote

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
)

// The modern set is what x/crypto considers free of known weaknesses. Its own defaults
// still include diffie-hellman-group14-sha1, ssh-rsa host keys and hmac-sha1-96, which
// would let a connection fall back to SHA-1 without anyone noticing; trowel only uses
// those on an explicit, noted retry.
var (
	modern = ssh.SupportedAlgorithms()
	legacy = mergeAlgorithms(ssh.SupportedAlgorithms(), ssh.InsecureAlgorithms())

	// OpenSSH's preference, so an unknown host shows the fingerprint an administrator
	// gets from ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub.
	modernHostKeys = []string{
		ssh.KeyAlgoED25519,
		ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
		ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
	}
	// CentOS 5 hosts may have only an ssh-dss host key: DSA is offered on the legacy
	// retry alone, and the snapshot notes it.
	legacyHostKeys = append(slices.Clone(modernHostKeys), ssh.KeyAlgoRSA, ssh.InsecureKeyAlgoDSA) //lint:ignore SA1019 deliberate, for OpenSSH 4.3 servers
)

// mergeAlgorithms appends the insecure algorithms after the modern ones: the client's
// order decides the negotiation, so a server that offers anything modern still gets it.
func mergeAlgorithms(a, b ssh.Algorithms) ssh.Algorithms {
	m := func(x, y []string) []string {
		out := slices.Clone(x)
		for _, s := range y {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		return out
	}
	return ssh.Algorithms{
		KeyExchanges:   m(a.KeyExchanges, b.KeyExchanges),
		Ciphers:        m(a.Ciphers, b.Ciphers),
		MACs:           m(a.MACs, b.MACs),
		HostKeys:       m(a.HostKeys, b.HostKeys),
		PublicKeyAuths: m(a.PublicKeyAuths, b.PublicKeyAuths),
	}
}

// hostKeyAlgorithms is what to ask the server for: the types known_hosts holds for the
// host (so a host known by its RSA key is not asked for its ED25519 key, which would
// look like a changed key), or OpenSSH's default order for an unknown host.
func hostKeyAlgorithms(hk *hostKeys, useLegacy bool) []string {
	allowed := modern.HostKeys
	def := modernHostKeys
	if useLegacy {
		allowed, def = legacy.HostKeys, legacyHostKeys
	}
	known := hk.algorithms()
	if len(known) == 0 {
		return slices.Clone(def)
	}
	var out []string
	for _, a := range known {
		if slices.Contains(allowed, a) {
			out = append(out, a)
		}
	}
	return out
}

func isInsecure(a string) bool {
	in := ssh.InsecureAlgorithms()
	return slices.Contains(in.KeyExchanges, a) || slices.Contains(in.Ciphers, a) ||
		slices.Contains(in.MACs, a) || slices.Contains(in.HostKeys, a)
}

// legacyNote says which algorithms a connection actually uses, so nobody is surprised
// later that a survey went over diffie-hellman-group1-sha1.
func legacyNote(label string, algs ssh.NegotiatedAlgorithms, att *attempt, why string) string {
	parts := []string{
		"key exchange " + algs.KeyExchange,
		"host key " + algs.HostKey,
		"cipher " + algs.Write.Cipher,
	}
	if algs.Write.MAC != "" {
		parts = append(parts, "MAC "+algs.Write.MAC)
	}
	var old []string
	for _, a := range []string{algs.KeyExchange, algs.HostKey, algs.Write.Cipher, algs.Write.MAC} {
		if a != "" && isInsecure(a) && !slices.Contains(old, a) {
			old = append(old, a)
		}
	}
	if isSHA1Signature(att.usedAlgo) {
		parts = append(parts, fmt.Sprintf("login signature %s (SHA-1) with %s", att.usedAlgo, att.usedKey))
		old = append(old, att.usedAlgo+" signature")
	}
	list := "none of them in the end"
	if len(old) > 0 {
		list = strings.Join(old, ", ")
	}
	return fmt.Sprintf("negotiated legacy algorithms with %s because %s: %s (legacy: %s)",
		label, why, strings.Join(parts, ", "), list)
}
