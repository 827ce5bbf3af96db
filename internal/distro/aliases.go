package distro

import (
	"maps"
	"slices"
	"strings"
)

// stockAliases are the entries of /etc/aliases as each family's distribution
// ships it, name → targets: what nobody on the host decided. EL's comes from the
// setup package (CentOS 5 to 7 list the same entries: system accounts to root,
// the role addresses of RFC 2142 to root or postmaster); Debian's from
// exim4-config, and postfix's postinst writes its first line (postmaster: root)
// where no file exists.
var stockAliases = map[string]map[string]string{
	"rhel": aliasTable(`mailer-daemon:postmaster postmaster:root bin:root daemon:root adm:root lp:root
		sync:root shutdown:root halt:root mail:root news:root uucp:root operator:root games:root
		gopher:root ftp:root nobody:root radiusd:root nut:root dbus:root vcsa:root canna:root wnn:root
		rpm:root nscd:root pcap:root apache:root webalizer:root dovecot:root fax:root quagga:root
		radvd:root pvm:root amandabackup:root privoxy:root ident:root named:root xfs:root gdm:root
		mailnull:root postgres:root sshd:root smmsp:root postfix:root netdump:root ldap:root squid:root
		ntp:root mysql:root desktop:root rpcuser:root rpc:root nfsnobody:root ingres:root system:root
		toor:root manager:root dumper:root abuse:root newsadm:news newsadmin:news usenet:news ftpadm:ftp
		ftpadmin:ftp ftp-adm:ftp ftp-admin:ftp www:webmaster webmaster:root noc:root security:root
		hostmaster:root info:postmaster marketing:postmaster sales:postmaster support:postmaster
		decode:root`),
	"debian": aliasTable(`mailer-daemon:postmaster postmaster:root nobody:root hostmaster:root usenet:root
		news:root webmaster:root www:root ftp:root abuse:root noc:root security:root`),
}

func aliasTable(text string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(text) {
		name, target, _ := strings.Cut(f, ":")
		out[name] = target
	}
	return out
}

// StockAlias reports whether an alias is one the distribution of family ships in
// /etc/aliases, unchanged: its name and its one target as shipped. Where the
// family is not known, an entry of any family's file counts. An alias whose
// target was changed, or that has more than one, is the administrator's.
func StockAlias(family, name string, targets []string) bool {
	if len(targets) != 1 {
		return false
	}
	name = strings.ToLower(name)
	families := []string{family}
	if _, ok := stockAliases[family]; !ok {
		families = slices.Sorted(maps.Keys(stockAliases))
	}
	for _, f := range families {
		if t, ok := stockAliases[f][name]; ok && t == targets[0] {
			return true
		}
	}
	return false
}
