package apache

import "strings"

// legacyWhy says, per directive (lower case), what Apache 2.4 does with a 2.2
// directive, after the httpd project's "Upgrading to 2.4 from 2.2" notes.
var legacyWhy = map[string]string{
	"order":                       "2.2 host-based access control; 2.4 replaces it with Require (mod_authz_host) and keeps it only through mod_access_compat, where mixing it with Require gives surprising results",
	"allow":                       "2.2 host-based access control; 2.4 replaces it with Require (mod_authz_host) and keeps it only through mod_access_compat",
	"deny":                        "2.2 host-based access control; 2.4 replaces it with Require (mod_authz_host) and keeps it only through mod_access_compat",
	"satisfy":                     "2.2 combination of host and user checks; 2.4 expresses it with <RequireAll>/<RequireAny>, Satisfy lives on only in mod_access_compat",
	"namevirtualhost":             "no longer needed in 2.4 (name-based hosting is automatic) and reported as deprecated",
	"lockfile":                    "removed in 2.4: the Mutex directive replaces it, and 2.4 refuses to start with it",
	"acceptmutex":                 "removed in 2.4: the Mutex directive replaces it",
	"sslmutex":                    "removed in 2.4: the Mutex directive replaces it",
	"rewritelock":                 "removed in 2.4: the Mutex directive replaces it",
	"defaulttype":                 "has no effect in 2.4 beyond a warning; a value other than none is an error in later releases",
	"maxclients":                  "renamed MaxRequestWorkers in 2.4; the old name is still read but deprecated",
	"maxrequestsperchild":         "renamed MaxConnectionsPerChild in 2.4; the old name is still read but deprecated",
	"authzldapauthoritative":      "removed in 2.4: authorization providers (Require ldap-...) replace the authoritative switches",
	"authzdbmauthoritative":       "removed in 2.4 with mod_authz_default: Require with <RequireAll>/<RequireAny> replaces it",
	"authzdefaultauthoritative":   "removed in 2.4 with mod_authz_default",
	"authzgroupfileauthoritative": "removed in 2.4: Require with <RequireAll>/<RequireAny> replaces it",
	"authzownerauthoritative":     "removed in 2.4: Require with <RequireAll>/<RequireAny> replaces it",
	"authzuserauthoritative":      "removed in 2.4: Require with <RequireAll>/<RequireAny> replaces it",
	"authdbmauthoritative":        "removed in 2.4: authentication providers replace the authoritative switches",
}

// Legacy returns the lines of an effective configuration that Apache 2.4 rejects or
// deprecates, with why.
func Legacy(lines []Line) []Finding {
	var out []Finding
	for _, l := range lines {
		if l.Open || l.Close {
			continue
		}
		name := strings.ToLower(l.Name)
		if why := legacyWhy[name]; why != "" {
			out = append(out, Finding{Line: l, Why: why})
			continue
		}
		if name == "options" && mixesSigns(l.Args) {
			out = append(out, Finding{Line: l, Why: "mixes options with and without +/-: 2.4 rejects this as a syntax error"})
		}
	}
	return out
}

// Finding is a line worth pointing at, and why.
type Finding struct {
	Line Line
	Why  string
}

func mixesSigns(args []string) bool {
	signed, plain := false, false
	for _, a := range args {
		if strings.HasPrefix(a, "+") || strings.HasPrefix(a, "-") {
			signed = true
		} else {
			plain = true
		}
	}
	return signed && plain
}
