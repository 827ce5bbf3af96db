package accounts

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// SSHDDirective is one keyword line of sshd_config. Match is the condition of the
// Match block it sits in, "" outside any.
type SSHDDirective struct {
	Key   string // as sshd_config(5) spells it when known, else as written
	Value string
	Match string
	Line  int
}

// accessKeys are the sshd_config keywords that decide who may log in and how, in
// their canonical spelling; sshd reads keywords without regard to case.
var accessKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{
		"PermitRootLogin", "PasswordAuthentication", "PubkeyAuthentication", "PermitEmptyPasswords",
		"ChallengeResponseAuthentication", "KbdInteractiveAuthentication", "UsePAM",
		"AllowUsers", "AllowGroups", "DenyUsers", "DenyGroups",
		"AuthorizedKeysFile", "AuthorizedKeysCommand", "AuthorizedKeysCommandUser",
		"AuthorizedPrincipalsFile", "TrustedUserCAKeys", "RSAAuthentication", "Protocol",
		"Port", "ListenAddress", "Include", "ForceCommand", "ChrootDirectory",
	} {
		m[strings.ToLower(k)] = k
	}
	return m
}()

// listKeys accumulate over several lines; every other keyword keeps its first value.
var listKeys = map[string]bool{"AllowUsers": true, "AllowGroups": true, "DenyUsers": true, "DenyGroups": true, "Port": true, "ListenAddress": true, "Include": true}

// ParseSSHDConfig reads the access-related directives of one sshd_config file, with
// Include kept in place for the caller to follow.
func ParseSSHDConfig(text string) ([]SSHDDirective, error) {
	var out []SSHDDirective
	var perr kit.ParseError
	match := ""
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val := splitSSHD(line)
		if key == "" {
			perr.Add(i+1, "a line without a keyword")
			continue
		}
		if strings.EqualFold(key, "Match") {
			match = strings.Join(strings.Fields(val), " ")
			if strings.EqualFold(match, "all") {
				match = ""
			}
			continue
		}
		canon, ok := accessKeys[strings.ToLower(key)]
		if !ok {
			continue
		}
		if val == "" {
			perr.Add(i+1, "%s without a value", canon)
			continue
		}
		out = append(out, SSHDDirective{Key: canon, Value: val, Match: match, Line: i + 1})
	}
	return out, perr.Err()
}

// splitSSHD splits "Keyword value" or "Keyword=value".
func splitSSHD(line string) (string, string) {
	i := strings.IndexAny(line, " \t=")
	if i < 0 {
		return line, ""
	}
	key := line[:i]
	val := strings.TrimLeft(line[i:], " \t")
	val = strings.TrimPrefix(val, "=")
	return key, strings.Join(strings.Fields(val), " ")
}
