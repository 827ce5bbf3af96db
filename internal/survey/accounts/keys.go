package accounts

import (
	//lint:ignore SA1019 old hosts still carry ssh-dss keys; only their size is read
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/rsa"
	"regexp"
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
	"golang.org/x/crypto/ssh"
)

// Key is one line of an authorized_keys file, without the key material.
type Key struct {
	Type        string
	Fingerprint string // as ssh-keygen -l prints it
	Bits        int
	Comment     string
	Options     []string
	Line        int
}

// ParseAuthorizedKeys reads authorized_keys(5) lines: options, type, key, comment.
func ParseAuthorizedKeys(text string) ([]Key, error) {
	var out []Key
	var perr kit.ParseError
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		pub, comment, opts, _, err := ssh.ParseAuthorizedKey([]byte(line))
		if err != nil {
			perr.Add(i+1, "not a public key line: %v", err)
			continue
		}
		k := Key{Type: pub.Type(), Fingerprint: ssh.FingerprintSHA256(pub), Bits: keyBits(pub), Comment: comment, Line: i + 1}
		for _, o := range opts {
			k.Options = append(k.Options, KeyOption(o))
		}
		out = append(out, k)
	}
	return out, perr.Err()
}

// keyBits is the size ssh-keygen -l prints: the modulus for RSA and DSA, the curve for
// ECDSA, 256 for Ed25519.
func keyBits(pub ssh.PublicKey) int {
	if c, ok := pub.(*ssh.Certificate); ok {
		pub = c.Key
	}
	if cp, ok := pub.(ssh.CryptoPublicKey); ok {
		switch k := cp.CryptoPublicKey().(type) {
		case *rsa.PublicKey:
			return k.N.BitLen()
		case *dsa.PublicKey:
			return k.P.BitLen()
		case *ecdsa.PublicKey:
			return k.Curve.Params().BitSize
		}
	}
	switch pub.Type() {
	case ssh.KeyAlgoED25519, ssh.KeyAlgoSKED25519, ssh.KeyAlgoSKECDSA256:
		return 256
	}
	return 0
}

// secretLooking matches a command= or environment= value that may carry a password:
// the words of the probe's secret filter, credentials in a URL, mysql's -pPASSWORD.
var secretLooking = regexp.MustCompile(`(?i)pass|pwd|secret|token|credential|api[_-]*key|://[^/:@ ]*:[^@/ ]*@|mysql.* -p[^ ]|<redacted>`)

// KeyOption keeps an option's name, and its value unless it is a command or an
// environment setting that looks secret: from= patterns, permitopen= and the like are
// what a migration must carry over.
func KeyOption(o string) string {
	name, val, ok := strings.Cut(o, "=")
	if !ok {
		return o
	}
	lname := strings.ToLower(name)
	if (lname == "command" || lname == "environment") && secretLooking.MatchString(val) {
		return name + `="<redacted>"`
	}
	return o
}
