package diff

import (
	"github.com/trowel-dev/trowel/internal/distro"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// concern is one kind of thing diff compares, defined in its own file
// (concern_*.go): the Concern it is reported under, the snapshot section whose
// coverage decides whether an item absent from one side is missing or only
// unknown, and how the items of both sides are read. What a reader leaves out of
// an item's key and values is the noise: pids, start times, sizes, byte counts,
// ephemeral ports, evidence IDs.
type concern struct {
	id      Concern
	section snapshot.Section
	read    func(h *hosts) (olds, news []item)
}

// concerns is the table Compare walks, in order of impact: a lost log shipper or
// cron job breaks things silently, a missing package is usually noticed at once.
// A Concern's rank is where its first row stands, so the rows of one Concern
// stand together. Adding a kind is a file and a row here; TestConcernTable fails
// while either lacks a part.
func concerns() []concern {
	return []concern{
		shippersConcern,
		cronConcern,
		servicesConcern,
		listenersConcern,
		connectionsConcern,
		usersConcern,
		groupsConcern,
		sudoConcern,
		keysConcern,
		clockConcern,
		// Middleware: each kind from the section its own surveyor fills in.
		middleware(snapshot.SectionApache, "apache", webItems),
		middleware(snapshot.SectionNginx, "nginx", webItems),
		middleware(snapshot.SectionMySQL, "mysql", databaseItems),
		middleware(snapshot.SectionPostgreSQL, "postgresql", databaseItems),
		middleware(snapshot.SectionPostfix, "postfix", mailItems),
		middleware(snapshot.SectionDovecot, "dovecot", mailItems),
		middleware(snapshot.SectionMemcached, "memcached", cacheItems),
		middleware(snapshot.SectionRedis, "redis", cacheItems),
		middleware(snapshot.SectionApps, "", appItems),
		middleware(snapshot.SectionPHP, "php", runtimeItems),
		middleware(snapshot.SectionJava, "java", runtimeItems),
		containersConcern,
		certificatesConcern,
		mountsConcern,
		sysctlConcern,
		firewallConcern,
		configsConcern,
		processesConcern,
		packagesConcern,
	}
}

// ConcernMiddleware holds every middleware kind (web servers, databases, mail,
// caches, apps, containers, certificates): a reader of a parity report looks for
// them together.
const ConcernMiddleware Concern = "middleware"

// middleware is the row of one middleware kind: read is given which kind (or
// role) of its domain the row is for, since one domain (web servers, databases
// ...) holds several kinds, each with its own section.
func middleware(sec snapshot.Section, kind string, read func(s *snapshot.Snapshot, kind string) []item) concern {
	return concern{id: ConcernMiddleware, section: sec, read: eachSide(func(s *snapshot.Snapshot) []item {
		return read(s, kind)
	})}
}

// Concerns lists every concern in order of impact, as the table orders them.
var Concerns = concernOrder(concerns())

func concernOrder(table []concern) []Concern {
	var out []Concern
	seen := map[Concern]bool{}
	for _, k := range table {
		if !seen[k.id] {
			seen[k.id] = true
			out = append(out, k.id)
		}
	}
	return out
}

// hosts are the two snapshots compared, and what is known of them together.
type hosts struct {
	old, new                 *snapshot.Snapshot
	oldPlatform, newPlatform distro.Platform
	// cross is true when they run different releases: names are then matched
	// through the distribution tables, and what each distribution makes for
	// itself (system accounts, base packages) is left out.
	cross bool
}

func newHosts(old, new *snapshot.Snapshot) hosts {
	oldP, newP := distro.PlatformOf(old.OS), distro.PlatformOf(new.OS)
	return hosts{old: old, new: new, oldPlatform: oldP, newPlatform: newP, cross: oldP.String() != newP.String()}
}

// eachSide is the reader of a kind whose items on one host do not depend on the
// other host.
func eachSide(read func(*snapshot.Snapshot) []item) func(*hosts) (olds, news []item) {
	return func(h *hosts) (olds, news []item) { return read(h.old), read(h.new) }
}
