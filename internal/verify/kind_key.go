package verify

import "github.com/trowel-dev/trowel/internal/spec"

// key wants the same key, by fingerprint, among the user's authorized keys.
func (v evaluator) key(e spec.Expectation, k spec.Key) Check {
	for _, u := range v.t.Accounts.Users {
		if u.Name != k.User {
			continue
		}
		for _, have := range u.Keys {
			if have.Fingerprint == k.Fingerprint {
				return pass("key %s (%s) lets in %s (%s)", k.Fingerprint, have.Comment, k.User, have.Source)
			}
		}
	}
	return v.absent(fail(nil, "append the public key to "+k.User+"'s authorized_keys (or decide it should go, and remove this expectation)",
		"authorized key %s (%s) of %s is missing on %s %s", k.Fingerprint, k.Comment, k.User, v.target, on(e)))
}
