// Package estate maps an estate of surveyed hosts: what each is for, who talks to
// whom (each connection with the evidence that shows it), the systems outside the
// estate they talk to, the waves in which they can move, and the work two hosts
// both do. It is pure: named snapshots in, a Map out; Document, SVG and JSON lay
// a Map out.
//
// Nothing on the map is guessed. An edge exists only where a snapshot shows it: a
// connection or a client observed on a host, or a config line that names a
// remote endpoint. A name is resolved to a host of the estate only through what
// the snapshots say (addresses, host names, FQDNs, the /etc/hosts of the host that
// uses the name); trowel never asks DNS, so a name only DNS knows stays outside.
package estate

import "time"

// Version is the version of the map's JSON form; it changes when a field changes
// meaning or is removed, not when one is added.
const Version = 1

// Map is the estate as trowel draws it. Its JSON field names are stable (see
// docs/map.md); every list is in a fixed order (hosts as given, the rest
// sorted), so the same snapshots give the same map.
type Map struct {
	Version int `json:"map_version"`
	// Groups are the groups the hosts were given (environments: development,
	// staging, production), in the order first given; waves of an earlier group
	// move first where nothing else orders them.
	Groups []string `json:"groups,omitempty"`
	Hosts  []Host   `json:"hosts"`
	Edges  []Edge   `json:"edges"`
	// Outside are the systems the hosts talk to, or that talk to them, which are
	// not hosts of the estate.
	Outside []Peer `json:"outside"`
	// Waves are the groups of hosts that move together, in the order they move.
	Waves      []Wave      `json:"waves"`
	Duplicates []Duplicate `json:"duplicates"`
}

// Host is one host of the estate.
type Host struct {
	// ID is unique in the map and made of [a-z0-9-]: the id of the host's box in
	// the drawing and the key edges and waves refer to.
	ID    string `json:"id"`
	Name  string `json:"name"`
	Group string `json:"group,omitempty"`
	// Hostname, FQDN and Addresses are what the host says it is called and where
	// it is reached (interface addresses, without loopback or link-local ones).
	Hostname    string    `json:"hostname,omitempty"`
	FQDN        string    `json:"fqdn,omitempty"`
	Addresses   []string  `json:"addresses,omitempty"`
	OS          string    `json:"os,omitempty"`
	CollectedAt time.Time `json:"collected_at"`
	// For says what the host is for, as its snapshot shows it: applications,
	// web sites, databases with their schemas, mail, caches, containers, and the
	// other services that listen on the network.
	For []string `json:"for,omitempty"`
	// Wave is the number of the wave the host moves in.
	Wave int `json:"wave"`
	// Gaps are the sections the map reads that this host's survey did not
	// collect: edges to or from the host may be missing because of them.
	Gaps []Gap `json:"gaps,omitempty"`
}

// Gap is a section of a host's snapshot that was not collected.
type Gap struct {
	Section string `json:"section"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
}

// Edge is a dependency of one system on another: From opens connections to, or
// names in its configuration, To's service on Port.
type Edge struct {
	// ID is unique in the map and made of [a-z0-9-].
	ID   string `json:"id"`
	From End    `json:"from"`
	To   End    `json:"to"`
	// Service names what To provides: the kind of the config naming it (mysql,
	// smtp, syslog, nfs ...), else the role of the service listening there, else
	// the usual purpose of the port.
	Service string `json:"service"`
	Proto   string `json:"proto,omitempty"` // tcp, udp
	Port    int    `json:"port,omitempty"`
	// PortAssumed is true when no evidence names the port and Port is the
	// service's standard one (NFS 2049, a relay host without a port 25 ...).
	PortAssumed bool `json:"port_assumed,omitempty"`
	// Listening says whether To listened on Port (to more than itself) when it
	// was surveyed: nil when To is outside, the port is not known, or To's
	// listeners were not collected.
	Listening *bool `json:"listening,omitempty"`
	// Evidence is every fact that shows the edge; never empty.
	Evidence []Evidence `json:"evidence"`
}

// End is one end of an edge: a host of the estate (Known) or an outside peer.
type End struct {
	Host  string `json:"host,omitempty"` // a Host's ID when Known
	Peer  string `json:"peer,omitempty"` // an outside Peer's ID otherwise
	Known bool   `json:"known"`
}

// ID is the host's or peer's ID.
func (e End) ID() string {
	if e.Known {
		return e.Host
	}
	return e.Peer
}

// Evidence is one fact an edge rests on, as one host's snapshot states it.
type Evidence struct {
	// Host is the ID of the host whose snapshot states it.
	Host string `json:"host"`
	// Kind is connection (an outbound connection observed on Host), client (an
	// inbound connection observed on Host) or config (a line of Host's
	// configuration naming the other end).
	Kind string `json:"kind"`
	// Source is the config line ("file:line", or the file when the survey keeps
	// no line) or the snapshot's evidence ID of the observation ("cmd:ss").
	Source string `json:"source"`
	// Via says what a config line configures: log_shipper, relayhost, database,
	// proxy, mount, time_server, name_server or backup. Empty for observations.
	Via string `json:"via,omitempty"`
	// What names the thing: the shipper, the MTA, the application, the virtual
	// host, the mount point, the time daemon, the backup tool and what it copies;
	// for an observation, the process or service that held the connection.
	What string `json:"what,omitempty"`
	// Named is the other end as the evidence names it: an address or a name.
	Named string `json:"named"`
	// Resolved says how Named was matched to the other end: to a host of the
	// estate, or through /etc/hosts to an outside address. nil when the end is
	// outside under Named itself.
	Resolved *Resolution `json:"resolved,omitempty"`
	// Count is how many sockets were open (observations only).
	Count int `json:"count,omitempty"`
	// Observed is when the survey saw the connection: the snapshot's time for a
	// single look; FirstSeen and LastSeen with Samples over a window.
	Observed  *time.Time `json:"observed,omitempty"`
	FirstSeen *time.Time `json:"first_seen,omitempty"`
	LastSeen  *time.Time `json:"last_seen,omitempty"`
	Samples   int        `json:"samples,omitempty"`
	// Note says what qualifies the evidence: a mount that was not mounted, a
	// proxy backend that may be an nginx upstream name.
	Note string `json:"note,omitempty"`
}

// Resolution is how a name or address was matched to a host of the estate.
type Resolution struct {
	// By is address (one of the host's interface addresses), hostname, fqdn, or
	// hosts_file (a line of the naming host's /etc/hosts gave the address).
	By string `json:"by"`
	// Address is what hosts_file gave; Source its line ("/etc/hosts:10").
	Address string `json:"address,omitempty"`
	Source  string `json:"source,omitempty"`
}

// Peer is a system outside the estate.
type Peer struct {
	// ID is unique in the map and made of [a-z0-9-].
	ID string `json:"id"`
	// Address is where it is reached: an IP address, or a name nothing in the
	// estate resolves (then Unresolved is true).
	Address    string   `json:"address"`
	Unresolved bool     `json:"unresolved,omitempty"`
	Names      []string `json:"names,omitempty"`
	// Ambiguous lists the hosts the name or address could be, when it matches
	// several and nothing tells them apart: it is kept outside rather than guessed.
	Ambiguous []string `json:"ambiguous,omitempty"`
	// Services are what the hosts use it for; Users the hosts that talk to it;
	// Clients the hosts it talks to.
	Services []string `json:"services,omitempty"`
	Users    []string `json:"users,omitempty"`
	Clients  []string `json:"clients,omitempty"`
}

// Wave is a group of hosts that move together.
type Wave struct {
	Number int      `json:"number"`
	Hosts  []string `json:"hosts"` // host IDs
	// Layer is the length of the longest chain of waves this one depends on:
	// waves of one layer depend on none of each other and may move side by side.
	Layer int `json:"layer"`
	// Reasons say why these hosts move together; empty for a host alone.
	Reasons []Reason `json:"reasons,omitempty"`
	// After are the numbers of the waves it depends on, which move before it.
	After    []int    `json:"after,omitempty"`
	Rollback Rollback `json:"rollback"`
}

// Reason is why hosts are in one wave.
type Reason struct {
	// Kind is cycle (they depend on each other), shared_data (they use the same
	// export or database) or application (one application spread over them).
	Kind  string   `json:"kind"`
	Hosts []string `json:"hosts"`
	// What is the shared thing: an export, a database, an application, a site;
	// for a cycle, the edges that close it.
	What []string `json:"what"`
}

// Rollback is the way back from a wave, while the waves after it have not moved.
type Rollback struct {
	// Repoint are the systems that reach the wave's hosts and must be pointed back
	// at the old hosts, each with the config lines that name them.
	Repoint []Repoint `json:"repoint,omitempty"`
	// Data is what the wave's hosts keep that others write to (databases, NFS
	// exports, mail): writes made after the cutover must be copied back.
	Data []string `json:"data,omitempty"`
}

// Repoint is one system to point back, with where its configuration names the
// wave's hosts (empty when only an observed connection shows it).
type Repoint struct {
	End     End      `json:"end"`
	Sources []string `json:"sources,omitempty"`
}

// Duplicate is work two or more hosts of one group all do.
type Duplicate struct {
	// Kind is cron (the same command scheduled on each) or service (the same
	// service running on each).
	Kind  string `json:"kind"`
	Group string `json:"group,omitempty"`
	// What is the command (whitespace collapsed) or the service's role.
	What  string      `json:"what"`
	Where []Placement `json:"where"`
}

// Placement is where one host does a duplicated piece of work.
type Placement struct {
	Host     string `json:"host"`
	Source   string `json:"source"` // file:line of the job, or the service's name
	User     string `json:"user,omitempty"`
	Schedule string `json:"schedule,omitempty"`
}
