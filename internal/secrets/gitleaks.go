package secrets

import (
	"fmt"
	"maps"
	"regexp"
	"strings"
	"sync"

	"github.com/rs/zerolog"
	"github.com/zricethezav/gitleaks/v8/config"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"
	"github.com/zricethezav/gitleaks/v8/report"
)

// leak is what trowel keeps of a gitleaks finding, only long enough to mask it: the
// line within the fragment (0-based), the rule, and the value to replace.
type leak struct {
	line   int
	rule   string
	secret string
}

var (
	detectorOnce sync.Once
	// detector runs every default rule but the generic one, generic that one alone.
	detector, generic *detect.Detector
	detectorErr       error
)

// genericID is gitleaks' rule for any "key = value" with enough entropy. Its pattern
// is by far the costliest (a lazy prefix of up to 50 characters before each keyword),
// so it reads only the lines that could match it (mayBeGeneric), not whole fragments.
const genericID = "generic-api-key"

// mayBeGeneric is what a line needs for the generic rule to match in it: a keyword, an
// assignment within reach, and ten characters of value; without the rule's prefix, it
// is cheap.
var mayBeGeneric = regexp.MustCompile(`(?i)(?:access|auth|api|credential|creds|key|passw(?:or)?d|secret|token)[ \t\w.-]{0,20}[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}(?:[\w.=-]{10}|[a-z0-9][a-z0-9+/]{11})`)

func loadDetectors() {
	// gitleaks logs through a global logger; nothing of it belongs on trowel's
	// standard error.
	logging.Logger = logging.Logger.Level(zerolog.Disabled)
	all, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		detectorErr = err
		return
	}
	cfg := all.Config
	g, ok := cfg.Rules[genericID]
	if !ok {
		detectorErr = fmt.Errorf("no rule %s", genericID)
		return
	}
	rest := cfg
	rest.Rules = maps.Clone(cfg.Rules)
	delete(rest.Rules, genericID)
	detector = detect.NewDetector(rest)
	one := cfg
	one.Rules = map[string]config.Rule{genericID: g}
	genericKeywords = g.Keywords
	one.Keywords = map[string]struct{}{}
	for _, k := range g.Keywords {
		one.Keywords[k] = struct{}{}
	}
	generic = detect.NewDetector(one)
}

// Prepare loads gitleaks' rule set in the background (some 30 ms of CPU), for a caller
// about to wait on something slower, such as a probe running over SSH: masking what
// arrives then starts at once.
func Prepare() { go detectorOnce.Do(loadDetectors) }

// gitleaks runs gitleaks' default rules over a fragment of whole lines and drops what
// trowel itself writes and is no secret (see notSecret). Detectors keep no state
// between DetectString calls but a byte count, so this is safe for concurrent use.
func gitleaks(text string) []leak {
	detectorOnce.Do(loadDetectors)
	if detectorErr != nil {
		// The default config is embedded in gitleaks: failing to load it is a build
		// defect, caught by every test of this package, never a user's problem.
		panic("secrets: gitleaks' default config: " + detectorErr.Error())
	}
	var out []leak
	keep := func(f report.Finding, line int) {
		// A value never takes a quote or a backslash with it: in JSON that would
		// unbalance the string around it.
		secret, _, _ := strings.Cut(f.Secret, `"`)
		secret, _, _ = strings.Cut(secret, `\`)
		if f.StartLine != f.EndLine || len(secret) < 6 || notSecret(f.Line, secret) {
			return
		}
		out = append(out, leak{line: line, rule: f.RuleID, secret: secret})
	}
	for _, f := range detector.DetectString(text) {
		keep(f, f.StartLine)
	}
	for i, l := range strings.SplitAfter(text, "\n") {
		if hasGenericKeyword(l) && mayBeGeneric.MatchString(l) {
			for _, f := range generic.DetectString(l) {
				keep(f, i)
			}
		}
	}
	return out
}

var (
	hexDigest = regexp.MustCompile(`^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$`)
	uuid      = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// notSecret is the tuning of gitleaks' defaults to what trowel writes: its
// generic-api-key rule takes many of trowel's own facts for keys. An SSH key's
// fingerprint (SHA256:..., MD5:...) names a public key; a hex digest is a file's or a
// package's checksum; a UUID is a machine or file system id; trowel's marker and
// template references are what replaced a secret.
func notSecret(line, secret string) bool {
	switch {
	case strings.Contains(secret, "redacted"), strings.Contains(secret, "vault_"),
		hexDigest.MatchString(secret), uuid.MatchString(secret):
		return true
	}
	at := strings.Index(line, secret)
	if at >= 0 {
		before := line[:at]
		for _, p := range []string{"SHA256:", "SHA1:", "MD5:", "sha256:", "sha512:", "sha1:", "md5:", "sha256-", "sha512-"} {
			if strings.HasSuffix(before, p) {
				return true
			}
		}
	}
	return false
}

// genericKeywords are the generic rule's keywords (lower case, as gitleaks keeps them).
var genericKeywords []string

func hasGenericKeyword(line string) bool {
	lower := strings.ToLower(line)
	for _, k := range genericKeywords {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}
