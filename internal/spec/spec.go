// Package spec is trowel's executable definition of "everything the old server did":
// expectations derived from a snapshot, written as YAML a person can read and edit,
// and exported to goss's gossfile format. internal/verify evaluates a spec against
// another host's snapshot.
package spec

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// FormatVersion changes when a field changes meaning or is removed.
const FormatVersion = 1

// Kind is what an expectation is about.
type Kind string

const (
	KindService    Kind = "service"     // a service runs and starts at boot
	KindPort       Kind = "port"        // a port listens, on which kind of address
	KindProcess    Kind = "process"     // a program runs as a user
	KindCron       Kind = "cron"        // a scheduled job exists for a user
	KindCronZone   Kind = "cron_zone"   // the cron daemon fires jobs in a zone
	KindTimezone   Kind = "timezone"    // the configured zone
	KindUser       Kind = "user"        // an account exists, with its groups and shell
	KindGroup      Kind = "group"       // a group exists, with its members
	KindSudo       Kind = "sudo"        // a sudo rule grants the same rights
	KindKey        Kind = "key"         // an authorized key lets the same person in
	KindMount      Kind = "mount"       // a filesystem is mounted or declared in fstab
	KindFirewall   Kind = "firewall"    // the packet filter opens a port
	KindLogShipper Kind = "log_shipper" // a shipper runs and sends to the same place
	KindSetting    Kind = "setting"     // a non-default configuration setting
	KindCapability Kind = "capability"  // what a package did, by function
	KindSysctl     Kind = "sysctl"      // a kernel parameter has the same value
	KindHTTP       Kind = "http"        // a web endpoint answers as it did
	KindSMTP       Kind = "smtp"        // the MTA accepts mail as it did
	KindLogFollow  Kind = "log_follow"  // a shipper keeps up with a log it reads
)

// Kinds lists every kind in the order a spec is written.
var Kinds = []Kind{
	KindTimezone, KindService, KindPort, KindProcess, KindCron, KindCronZone, KindUser, KindGroup,
	KindSudo, KindKey, KindMount, KindSysctl, KindFirewall, KindLogShipper, KindLogFollow, KindSetting,
	KindCapability, KindHTTP, KindSMTP,
}

// Allow names a difference an expectation tolerates.
const (
	AllowVersion  = "version"  // a different (older) version
	AllowUID      = "uid"      // a different uid/gid number
	AllowAddress  = "address"  // a different listening address (kept to its kind)
	AllowHostname = "hostname" // a different host name in a value
	AllowDevice   = "device"   // a different block device for a mount
	AllowEnabled  = "enabled"  // a service need not start at boot
)

// Spec is a list of expectations and where they came from.
type Spec struct {
	TrowelSpec int    `yaml:"trowel_spec"`
	Source     Source `yaml:"source"`
	// Gaps say what could not be derived because the source section was not
	// collected: the spec is silent there, and says so.
	Gaps         []string      `yaml:"gaps,omitempty"`
	Expectations []Expectation `yaml:"expectations"`
}

// Source is the snapshot a spec was derived from.
type Source struct {
	Host        string    `yaml:"host"`
	OS          string    `yaml:"os,omitempty"`
	Platform    string    `yaml:"platform,omitempty"`
	Manager     string    `yaml:"package_manager,omitempty"`
	Init        string    `yaml:"init_system,omitempty"`
	CollectedAt time.Time `yaml:"collected_at"`
	Snapshot    string    `yaml:"snapshot,omitempty"`
}

// Expectation is one thing the new host must do as the old one did. Only the fields
// of its kind are set; the rest are left out of the YAML.
type Expectation struct {
	ID   string `yaml:"id"`
	Kind Kind   `yaml:"kind"`
	// Name is the service, program, user, group, shipper, setting key or capability.
	Name string `yaml:"name,omitempty"`
	// Role is what a service or capability does, across distributions: web server,
	// MTA, database ...
	Role    string `yaml:"role,omitempty"`
	User    string `yaml:"user,omitempty"`
	Running *bool  `yaml:"running,omitempty"`
	Enabled *bool  `yaml:"enabled,omitempty"`

	Proto   string `yaml:"proto,omitempty"`
	Address string `yaml:"address,omitempty"`
	Port    int    `yaml:"port,omitempty"`

	Command  string `yaml:"command,omitempty"`
	Schedule string `yaml:"schedule,omitempty"`
	Zone     string `yaml:"zone,omitempty"`

	UID    *int     `yaml:"uid,omitempty"`
	Groups []string `yaml:"groups,omitempty"`
	Shell  string   `yaml:"shell,omitempty"`
	Home   string   `yaml:"home,omitempty"`

	Members  []string `yaml:"members,omitempty"`
	RunAs    string   `yaml:"run_as,omitempty"`
	Commands []string `yaml:"commands,omitempty"`
	NoPasswd *bool    `yaml:"nopasswd,omitempty"`
	Defaults []string `yaml:"defaults,omitempty"`

	Fingerprint string `yaml:"fingerprint,omitempty"`
	Comment     string `yaml:"comment,omitempty"`

	MountPoint string `yaml:"mount_point,omitempty"`
	FSType     string `yaml:"fstype,omitempty"`
	Device     string `yaml:"device,omitempty"`
	Declared   bool   `yaml:"declared_only,omitempty"` // in fstab, not mounted (noauto)

	Destinations []string `yaml:"destinations,omitempty"` // host:port
	Inputs       []string `yaml:"inputs,omitempty"`
	Log          string   `yaml:"log,omitempty"` // log_follow: the log a shipper keeps up with

	Service string   `yaml:"service,omitempty"` // the service a setting or capability belongs to
	Key     string   `yaml:"key,omitempty"`
	Value   string   `yaml:"value,omitempty"`
	Serves  []string `yaml:"serves,omitempty"` // capability: vhosts, databases, relay
	Version string   `yaml:"version,omitempty"`
	Manager string   `yaml:"package_manager,omitempty"`

	// http and smtp: what was asked (with Proto and Port), and what the old host answered.
	VHost     string `yaml:"vhost,omitempty"`      // http: the name asked for (Host header, TLS name)
	Path      string `yaml:"path,omitempty"`       // http: the path asked for
	Status    int    `yaml:"status,omitempty"`     // http: the status code
	Location  string `yaml:"location,omitempty"`   // http: where a redirect sent the client
	Title     string `yaml:"title,omitempty"`      // http: the page's HTML title
	Domain    string `yaml:"domain,omitempty"`     // smtp: the recipient was postmaster@Domain
	Greeting  int    `yaml:"greeting,omitempty"`   // smtp: the greeting's reply code
	RcptReply int    `yaml:"rcpt_reply,omitempty"` // smtp: the reply code to RCPT TO

	// Allow lists differences this expectation tolerates (see the Allow constants).
	Allow []string `yaml:"allow,omitempty"`
	// Note says why the expectation is as it is (a tolerance spec chose, a caveat).
	Note string `yaml:"note,omitempty"`
	From From   `yaml:"from"`
}

// From is an expectation's provenance on the source host.
type From struct {
	Host     string   `yaml:"host"`
	Source   string   `yaml:"source,omitempty"` // file:line or the command
	Evidence []string `yaml:"evidence,omitempty,flow"`
}

// Allows reports whether the expectation tolerates a difference.
func (e Expectation) Allows(what string) bool {
	for _, a := range e.Allow {
		if a == what {
			return true
		}
	}
	return false
}

// Where says where an expectation came from, for a message: "/etc/logship.conf:3 on legacy".
func (f From) Where() string {
	switch {
	case f.Source != "" && f.Host != "":
		return f.Source + " on " + f.Host
	case f.Source != "":
		return f.Source
	}
	return f.Host
}

const header = `# trowel spec: what the old host did, as expectations a replacement must meet.
# Made by "trowel spec SNAPSHOT"; check a host with "trowel verify HOST --against THIS".
#
# Edit freely. Remove an expectation that no longer applies; add "allow" to tolerate
# an expected difference: version (an older version), uid (other uid/gid numbers),
# address (another listening address of the same kind), hostname (another host name
# in a value), device (another block device), enabled (need not start at boot).
# "from" says where each expectation came from on the old host (file:line, evidence
# ID in the snapshot). "gaps" lists what could not be derived because the old host's
# survey could not look there: nothing is expected of those parts.
`

// Marshal writes the spec as commented YAML.
func Marshal(s *Spec) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Parse reads a spec, refusing unknown fields so a typo in an edit is not silently
// an expectation that checks nothing.
func Parse(doc []byte) (*Spec, error) {
	var s Spec
	dec := yaml.NewDecoder(bytes.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("not a trowel spec: %w", err)
	}
	if s.TrowelSpec == 0 {
		return nil, fmt.Errorf("not a trowel spec: no trowel_spec version field")
	}
	if s.TrowelSpec > FormatVersion {
		return nil, fmt.Errorf("spec format %d is newer than this trowel understands (%d)", s.TrowelSpec, FormatVersion)
	}
	seen := map[string]bool{}
	known := map[Kind]bool{}
	for _, k := range Kinds {
		known[k] = true
	}
	for i, e := range s.Expectations {
		if e.ID == "" {
			return nil, fmt.Errorf("expectation %d has no id", i+1)
		}
		if !known[e.Kind] {
			return nil, fmt.Errorf("expectation %s: unknown kind %q", e.ID, e.Kind)
		}
		if seen[e.ID] {
			return nil, fmt.Errorf("expectation %s appears twice", e.ID)
		}
		seen[e.ID] = true
	}
	return &s, nil
}

// IsSpec tells a spec document from a snapshot (JSON) by its content.
func IsSpec(doc []byte) bool {
	t := bytes.TrimSpace(doc)
	if len(t) == 0 || t[0] == '{' {
		return false
	}
	for _, l := range strings.Split(string(t), "\n") {
		if strings.HasPrefix(l, "trowel_spec:") {
			return true
		}
	}
	return false
}
