package snapshot

import "time"

// Network is the host's addresses, routes, name resolution, firewall and the
// connections it had open to other systems.
type Network struct {
	Interfaces    []Interface  `json:"interfaces"`
	Routes        []Route      `json:"routes"`
	Resolvers     []string     `json:"resolvers,omitempty"`
	SearchDomains []string     `json:"search_domains,omitempty"`
	Hosts         []HostsEntry `json:"hosts,omitempty"`
	// HostsLookup is the nsswitch.conf "hosts:" sources in order ("files", "dns",
	// "nis" ...): whether /etc/hosts wins over DNS decides what a name resolves to.
	HostsLookup []string `json:"hosts_lookup,omitempty"`
	// Connections are outbound connections grouped by remote address, port and
	// local process: the systems this host depends on.
	Connections []Connection `json:"connections"`
	// Clients are the remote hosts connected to this host's listening ports at
	// survey time, grouped by local port and remote address: who depends on us,
	// and whether a service listening everywhere has any remote client at all.
	Clients []Client `json:"clients,omitempty"`
	// Unanswered are outbound connections that never got established: the host
	// tried, and the peer did not answer (a firewall drops the packets, or the peer
	// is down or gone). They are broken dependencies, each with the state seen
	// (SYN-SENT), never dependencies a replacement must reproduce.
	Unanswered []Connection `json:"unanswered,omitempty"`
	Firewall   Firewall     `json:"firewall"`
	// Configured is the interfaces' boot configuration (EL's ifcfg files,
	// Debian's interfaces): what a disk says when no interface is up to ask.
	Configured []InterfaceConfig `json:"configured,omitempty"`
	// DHCPLeases are the leases DHCP clients kept: the address the host was
	// given, by whom, and until when.
	DHCPLeases []DHCPLease `json:"dhcp_leases,omitempty"`
	Evidence   []string    `json:"evidence,omitempty"`
}

// InterfaceConfig is one interface as the boot configuration sets it up.
type InterfaceConfig struct {
	Name string `json:"name"`
	// Method is dhcp, static, none (brought up without an address) or manual.
	Method   string `json:"method,omitempty"`
	Address  string `json:"address,omitempty"` // CIDR where the prefix is known
	Gateway  string `json:"gateway,omitempty"`
	OnBoot   *bool  `json:"on_boot,omitempty"`
	Source   string `json:"source"` // file
	Evidence string `json:"evidence"`
}

// DHCPLease is the last lease a DHCP client file holds for an interface.
type DHCPLease struct {
	Interface string     `json:"interface,omitempty"`
	Address   string     `json:"address"`
	Server    string     `json:"server,omitempty"`
	Routers   []string   `json:"routers,omitempty"`
	DNS       []string   `json:"dns,omitempty"`
	Expires   *time.Time `json:"expires,omitempty"`
	Source    string     `json:"source"` // file:line
	Evidence  string     `json:"evidence"`
}

// Interface is one network interface.
type Interface struct {
	Name      string   `json:"name"`
	MAC       string   `json:"mac,omitempty"`
	MTU       int      `json:"mtu,omitempty"`
	Up        *bool    `json:"up,omitempty"`
	Addresses []string `json:"addresses,omitempty"` // CIDR: "10.231.0.10/24"
	Evidence  string   `json:"evidence"`
}

// Route is one routing table entry.
type Route struct {
	Destination string `json:"destination"` // "default" or CIDR
	Gateway     string `json:"gateway,omitempty"`
	Device      string `json:"device,omitempty"`
	Metric      int    `json:"metric,omitempty"`
	Table       string `json:"table,omitempty"`
	// Type is the route type when not a plain unicast route: blackhole,
	// unreachable, prohibit, throw; without it such a route reads as a working one.
	Type     string `json:"type,omitempty"`
	Evidence string `json:"evidence"`
}

// HostsEntry is one line of /etc/hosts: names resolved nowhere else are easy to lose.
type HostsEntry struct {
	Address  string   `json:"address"`
	Names    []string `json:"names"`
	Line     int      `json:"line"`
	Evidence string   `json:"evidence"`
}

// Connection is a group of connections from this host to one remote endpoint, owned
// by one local process: established ones in Network.Connections, unanswered ones (with
// their State) in Network.Unanswered.
type Connection struct {
	Proto         string `json:"proto"`
	RemoteAddress string `json:"remote_address"`
	RemotePort    int    `json:"remote_port"`
	// RemoteNames are names /etc/hosts gives the remote address.
	RemoteNames []string `json:"remote_names,omitempty"`
	PID         int      `json:"pid,omitempty"`
	Process     string   `json:"process,omitempty"`
	Service     string   `json:"service,omitempty"`
	// Count is how many such sockets were open.
	Count int `json:"count"`
	// Local is true for a connection to this host itself (loopback): a dependency
	// that moves with the host, unlike one to another system.
	Local bool `json:"local,omitempty"`
	// Purpose is trowel's reading of the port: database, mail relay, log collector,
	// web API ...
	Purpose string `json:"purpose,omitempty"`
	// ConfigRefs are config lines that name the remote endpoint ("file:line").
	ConfigRefs []string `json:"config_refs,omitempty"`
	// State is the TCP state the sockets were seen in when it is not ESTABLISHED:
	// SYN-SENT for a connection the peer never answered.
	State string `json:"state,omitempty"`
	Seen
	Evidence string `json:"evidence"`
}

// Firewall is the packet filter as the host sees it.
type Firewall struct {
	// Tool is iptables, nftables, firewalld or none; "" when not known.
	Tool  string         `json:"tool,omitempty"`
	Rules []FirewallRule `json:"rules,omitempty"`
	// Note says what the host cannot show, such as cloud security groups.
	Note     string   `json:"note,omitempty"`
	Evidence []string `json:"evidence,omitempty"`
}

// FirewallRule is one rule as the tool prints it, with its table and chain.
type FirewallRule struct {
	Table    string `json:"table,omitempty"`
	Chain    string `json:"chain,omitempty"`
	Rule     string `json:"rule"`
	Evidence string `json:"evidence"`
}

// Client is a group of inbound connections from one remote address to one of this
// host's listening ports.
type Client struct {
	Proto         string `json:"proto"`
	LocalPort     int    `json:"local_port"`
	RemoteAddress string `json:"remote_address"`
	// RemoteNames are names /etc/hosts gives the remote address.
	RemoteNames []string `json:"remote_names,omitempty"`
	Service     string   `json:"service,omitempty"`
	Count       int      `json:"count"`
	Seen
	Evidence string `json:"evidence"`
}
