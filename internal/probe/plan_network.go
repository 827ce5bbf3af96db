package probe

import "strings"

// networkSteps collect addresses, routes, name resolution and the packet filter. The
// sockets themselves are foundation steps (ss, netstat, /proc/net): the network
// surveyor reads the connections from them.
//
// iptables-save dumps only the tables already loaded (it reads
// /proc/net/ip_tables_names), so running it loads no kernel module; nft and
// iptables-save need root, and a refusal is recorded as denied, never as "no
// firewall". firewall-cmd is not run: it is a slow Python client of a D-Bus service
// that may hang; the zones it would print are read from /etc/firewalld, and the
// rules firewalld loaded show in nft or iptables-save anyway.
var networkSteps = []Step{
	// ip addr (not -o) prints links and addresses together: flags, MTU, MAC, every
	// address. ifconfig is for hosts without iproute2 (busybox, minimal images).
	{Kind: Cmd, Name: "ip-addr", Shell: "ip addr show", Needs: "ip", Limit: medium, Timeout: 10},
	{Kind: Cmd, Name: "ifconfig", Shell: "ifconfig -a", Needs: "ifconfig", Unless: "ip-addr", Limit: medium, Timeout: 10},
	{Kind: Cmd, Name: "ip-route", Shell: "ip route show table all", Needs: "ip", Limit: medium, Timeout: 10},
	{Kind: Cmd, Name: "ip6-route", Shell: "ip -6 route show table all", Needs: "ip", Limit: medium, Timeout: 10},
	{Kind: File, Path: "/proc/net/route", Limit: medium},

	// Name resolution.
	{Kind: File, Path: "/etc/hosts", Limit: medium},
	{Kind: File, Path: "/etc/resolv.conf", Limit: small},
	{Kind: File, Path: "/etc/nsswitch.conf", Limit: small},

	// Packet filter.
	{Kind: File, Path: "/proc/net/ip_tables_names", Limit: small},
	{Kind: File, Path: "/proc/net/ip6_tables_names", Limit: small},
	{Kind: Cmd, Name: "iptables-save", Shell: "iptables-save", Needs: "iptables-save", Limit: large, Timeout: 20},
	{Kind: Cmd, Name: "ip6tables-save", Shell: "ip6tables-save", Needs: "ip6tables-save", Limit: large, Timeout: 20},
	{Kind: Cmd, Name: "nft-ruleset", Shell: "nft list ruleset", Needs: "nft", Limit: large, Timeout: 20},
	{Kind: File, Path: "/etc/sysconfig/iptables", Limit: medium},
	{Kind: File, Path: "/etc/sysconfig/ip6tables", Limit: medium},
	{Kind: File, Path: "/etc/firewalld/firewalld.conf", Limit: small},
	{Kind: Glob, Path: "/etc/firewalld/zones/*.xml", Limit: small},
	{Kind: File, Path: "/etc/ufw/ufw.conf", Limit: small},

	// What the disk says of the network when nothing runs: the interfaces'
	// configuration (EL's ifcfg files, Debian's interfaces) and the leases DHCP
	// clients kept, with the address each was given.
	{Kind: Glob, Path: "/etc/sysconfig/network-scripts/ifcfg-*", Limit: small, Redact: true},
	{Kind: File, Path: "/etc/network/interfaces", Limit: small, Redact: true},
	{Kind: Glob, Path: "/var/lib/dhclient/*.lease /var/lib/dhclient/*.leases /var/lib/dhcp/*.leases /var/lib/dhcp3/*.leases /var/lib/NetworkManager/*.lease", Limit: small},
}

// storageSteps collect mounts, fstab, usage, volumes and the size of the usual data
// directories. df is asked for local filesystems only: a df that reaches a hung NFS
// server hangs with it (see _net_df). du stays on one filesystem and skips paths on
// network filesystems; what it printed before a timeout is still read.
var storageSteps = []Step{
	{Kind: File, Path: "/proc/mounts", Limit: medium},
	{Kind: File, Path: "/etc/fstab", Limit: medium},
	{Kind: Cmd, Name: "df", Shell: "_net_df", Needs: "df", Limit: medium, Timeout: 20},
	// lvs is told not to write its device cache and not to take a lock file, so it
	// leaves nothing behind on the target; old LVM2 warns about disabled locking on
	// standard error, which is harmless.
	{Kind: Cmd, Name: "lvs", Shell: "lvs --noheadings --units b --nosuffix --separator '|' -o lv_name,vg_name,lv_size,lv_attr,devices --config 'global{locking_type=0} devices{write_cache_state=0}'", Needs: "lvs", When: `[ "$(id -u)" = 0 ]`, Limit: medium, Timeout: 30},
	{Kind: File, Path: "/proc/mdstat", Limit: small},
	{Kind: Cmd, Name: "du-data", Shell: "_net_du " + strings.Join(DataDirs, " "), Needs: "du", Limit: small, Timeout: 120, Offline: "du-data"},
	// The same directories' apparent size (the length of their files): a sparse
	// ibdata1 of 2 GiB occupies a few blocks, and a copy may write all of it.
	{Kind: Cmd, Name: "du-apparent", Shell: "_net_apparent " + strings.Join(DataDirs, " "), Needs: "find", Limit: small, Timeout: 120, Offline: "du-apparent"},
}

// DataDirs are the directories whose size du-data measures, in this order: the
// likely small and precious first, the likely huge (/home, Docker's) last, so a
// timeout costs the least. The offline reader measures the same list.
var DataDirs = []string{
	"/var/lib/mysql", "/var/lib/pgsql", "/var/lib/postgresql",
	"/var/spool/mail", "/var/mail", "/var/spool/postfix",
	"/var/www", "/srv", "/var/backups", "/opt",
	"/home", "/var/lib/docker",
}
