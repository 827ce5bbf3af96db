package estate

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Reason kinds (Reason.Kind).
const (
	reasonCycle       = "cycle"
	reasonSharedData  = "shared_data"
	reasonApplication = "application"
)

// The wave rule: a wave moves after every wave it depends on. What a host
// connects to or names in its configs (its database, relay, log collector, NFS
// server, backends) is moved, and verified, first; then the host moves and is
// pointed at it. A host so never reaches back across the old network for a
// dependency that has not moved, each wave is checked against dependencies that
// already work where they now are, and rolling a wave back touches only that
// wave and its clients (which have not moved yet).
//
// Hosts that cannot be ordered that way move in one wave: hosts that depend on
// each other (a cycle), hosts that keep data in the same place (one NFS export,
// one database), and the hosts of one application in one group (the same
// application, or the same web site, on several hosts).
//
// An SSH session seen and nothing else does not order waves: it is somebody's
// access (often the survey's own), not a service the host needs.

// planWaves groups the hosts of m into waves and orders them.
func planWaves(m *Map, shared []Reason, ms []*member) []Wave {
	n := len(m.Hosts)
	idx := make(map[string]int, n)
	for i, h := range m.Hosts {
		idx[h.ID] = i
	}
	uf := newUnionFind(n)
	reasons := append(slices.Clone(shared), applicationReasons(m.Hosts, ms)...)
	for _, r := range reasons {
		for _, h := range r.Hosts[1:] {
			uf.union(idx[r.Hosts[0]], idx[h])
		}
	}

	// The dependency graph between the groups made so far.
	deps := make([][]int, n)
	var depEdges []Edge
	for _, e := range m.Edges {
		if !e.From.Known || !e.To.Known || !ordersWaves(e) {
			continue
		}
		depEdges = append(depEdges, e)
		f, t := uf.find(idx[e.From.Host]), uf.find(idx[e.To.Host])
		if f != t && !slices.Contains(deps[f], t) {
			deps[f] = append(deps[f], t)
		}
	}
	// Cycles left between groups merge them.
	comps := stronglyConnected(n, deps, func(i int) bool { return uf.find(i) == i })
	for _, c := range comps {
		if len(c) < 2 {
			continue
		}
		for _, g := range c[1:] {
			uf.union(c[0], g)
		}
	}
	for _, c := range comps {
		if len(c) < 2 {
			continue
		}
		root := uf.find(c[0])
		r := Reason{Kind: reasonCycle}
		for _, e := range depEdges {
			if uf.find(idx[e.From.Host]) == root && uf.find(idx[e.To.Host]) == root {
				r.Hosts = appendNew(r.Hosts, e.From.Host)
				r.Hosts = appendNew(r.Hosts, e.To.Host)
				r.What = appendNew(r.What, m.Hosts[idx[e.From.Host]].Name+" → "+m.Hosts[idx[e.To.Host]].Name+" "+edgeLabel(e))
			}
		}
		slices.Sort(r.Hosts)
		reasons = append(reasons, r)
	}

	// Waves are the groups now; their dependencies form no cycle.
	waveOf := make([]int, n)
	var groups [][]int
	for i := range n {
		root := uf.find(i)
		if root == i {
			waveOf[i] = len(groups)
			groups = append(groups, nil)
		}
	}
	for i := range n {
		g := waveOf[uf.find(i)]
		groups[g] = append(groups[g], i)
	}
	after := make([][]int, len(groups))
	for _, e := range depEdges {
		f, t := waveOf[uf.find(idx[e.From.Host])], waveOf[uf.find(idx[e.To.Host])]
		if f != t && !slices.Contains(after[f], t) {
			after[f] = append(after[f], t)
		}
	}
	order := orderGroups(groups, after, m.Hosts, m.Groups)

	number := make([]int, len(groups))
	for k, g := range order {
		number[g] = k + 1
	}
	waves := make([]Wave, len(order))
	for k, g := range order {
		w := Wave{Number: k + 1}
		for _, i := range groups[g] {
			w.Hosts = append(w.Hosts, m.Hosts[i].ID)
		}
		for _, d := range after[g] {
			w.After = append(w.After, number[d])
		}
		slices.Sort(w.After)
		for _, d := range w.After {
			w.Layer = max(w.Layer, waves[d-1].Layer+1)
		}
		waves[k] = w
	}
	for _, r := range reasons {
		w := &waves[number[waveOf[uf.find(idx[r.Hosts[0]])]]-1]
		w.Reasons = append(w.Reasons, r)
	}
	inbound := map[string][]Edge{}
	for _, e := range m.Edges {
		if e.To.Known && ordersWaves(e) {
			inbound[e.To.Host] = append(inbound[e.To.Host], e)
		}
	}
	for k := range waves {
		waves[k].Rollback = rollback(m, waves[k], inbound, ms, idx)
	}
	return waves
}

// ordersWaves reports whether an edge between two hosts orders their waves:
// every edge but one shown only by SSH sessions.
func ordersWaves(e Edge) bool {
	if e.Port != 22 {
		return true
	}
	return slices.ContainsFunc(e.Evidence, func(ev Evidence) bool { return ev.Kind == kindConfig })
}

// edgeLabel is an edge's service and port, "mysql:3306".
func edgeLabel(e Edge) string {
	if e.Port == 0 {
		return e.Service
	}
	return e.Service + ":" + strconv.Itoa(e.Port)
}

// orderGroups puts the groups in an order in which each comes after those it
// depends on. Among those free to go, an earlier group of hosts (the order the
// operator gave the environments in) goes first, then the groups nearer the
// bottom of the dependency chain, then by host name, so the order is the same
// every time.
func orderGroups(groups [][]int, after [][]int, hosts []Host, envs []string) []int {
	type key struct {
		env, layer int
		name       string
	}
	depth := make([]int, len(groups))
	var visit func(g int, seen map[int]bool) int
	visit = func(g int, seen map[int]bool) int {
		if seen[g] {
			return depth[g]
		}
		seen[g] = true
		for _, d := range after[g] {
			depth[g] = max(depth[g], visit(d, seen)+1)
		}
		return depth[g]
	}
	seen := map[int]bool{}
	keys := make([]key, len(groups))
	for g, members := range groups {
		k := key{env: len(envs), layer: visit(g, seen), name: "\uffff"}
		for _, i := range members {
			if e := slices.Index(envs, hosts[i].Group); e >= 0 {
				k.env = min(k.env, e)
			}
			k.name = min(k.name, hosts[i].Name)
		}
		keys[g] = k
	}
	waiting := make([]int, len(groups))
	dependents := make([][]int, len(groups))
	for g, ds := range after {
		waiting[g] = len(ds)
		for _, d := range ds {
			dependents[d] = append(dependents[d], g)
		}
	}
	var ready, order []int
	for g := range groups {
		if waiting[g] == 0 {
			ready = append(ready, g)
		}
	}
	for len(ready) > 0 {
		best := 0
		for j := 1; j < len(ready); j++ {
			a, b := keys[ready[j]], keys[ready[best]]
			if cmp.Or(a.env-b.env, a.layer-b.layer, strings.Compare(a.name, b.name)) < 0 {
				best = j
			}
		}
		g := ready[best]
		ready = slices.Delete(ready, best, best+1)
		order = append(order, g)
		for _, d := range dependents[g] {
			if waiting[d]--; waiting[d] == 0 {
				ready = append(ready, d)
			}
		}
	}
	return order
}

// applicationReasons group the hosts of one group that run the same application
// or serve the same web site. Across groups the same application is a copy (a
// staging Redmine, a production one), not one application split.
func applicationReasons(hosts []Host, ms []*member) []Reason {
	type place struct{ kind, what string }
	users := map[place][]string{}
	var keys []place
	add := func(i int, kind, what string) {
		k := place{kind + "\x00" + hosts[i].Group, what}
		if !slices.Contains(users[k], hosts[i].ID) {
			if len(users[k]) == 0 {
				keys = append(keys, k)
			}
			users[k] = append(users[k], hosts[i].ID)
		}
	}
	for i, m := range ms {
		for _, a := range m.snap.Middleware.Apps {
			add(i, "app", a.Kind+" "+appName(a.Name, a.Path))
		}
		for _, ws := range m.snap.Middleware.WebServers {
			for _, v := range ws.VHosts {
				if site := normalName(v.ServerName); site != "" && site != "_" && site != "localhost" && !strings.HasPrefix(site, "localhost.") {
					if _, isAddr := canonicalAddr(site); !isAddr {
						add(i, "site", site)
					}
				}
			}
		}
	}
	var out []Reason
	for _, k := range keys {
		if hs := users[k]; len(hs) > 1 {
			out = append(out, Reason{Kind: reasonApplication, Hosts: slices.Sorted(slices.Values(hs)), What: []string{k.what}})
		}
	}
	// One application usually shows as both an app and a site on the same hosts:
	// said once, with both names.
	var merged []Reason
	for _, r := range out {
		if j := slices.IndexFunc(merged, func(x Reason) bool { return slices.Equal(x.Hosts, r.Hosts) }); j >= 0 {
			merged[j].What = append(merged[j].What, r.What...)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// appName is an application's name without its version ("Redmine 4.2.11" is
// Redmine), so two hosts a release apart still run one application; an app
// without a name is known by its path.
func appName(name, path string) string {
	var words []string
	for _, w := range strings.Fields(name) {
		if w[0] >= '0' && w[0] <= '9' || (w[0] == 'v' && len(w) > 1 && w[1] >= '0' && w[1] <= '9') {
			break
		}
		words = append(words, w)
	}
	return cmp.Or(strings.Join(words, " "), path)
}

// unionFind joins hosts into groups.
type unionFind []int

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = i
	}
	return u
}

func (u unionFind) find(i int) int {
	for u[i] != i {
		u[i] = u[u[i]]
		i = u[i]
	}
	return i
}

// union joins the groups of a and b; the smaller index stays the root, so
// groups are named by their first host.
func (u unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra > rb {
		ra, rb = rb, ra
	}
	u[rb] = ra
}

// stronglyConnected are the strongly connected components of the graph on the
// nodes for which node is true (Tarjan's algorithm, iterative so a long chain of
// hosts cannot exhaust the stack).
func stronglyConnected(n int, next [][]int, node func(int) bool) [][]int {
	index := make([]int, n)
	low := make([]int, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var out [][]int
	var st []int
	counter := 0
	type frame struct{ v, child int }
	for root := range n {
		if !node(root) || index[root] >= 0 {
			continue
		}
		calls := []frame{{root, 0}}
		index[root], low[root] = counter, counter
		counter++
		st = append(st, root)
		onStack[root] = true
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if f.child < len(next[f.v]) {
				w := next[f.v][f.child]
				f.child++
				if index[w] < 0 {
					index[w], low[w] = counter, counter
					counter++
					st = append(st, w)
					onStack[w] = true
					calls = append(calls, frame{w, 0})
				} else if onStack[w] {
					low[f.v] = min(low[f.v], index[w])
				}
				continue
			}
			v := f.v
			calls = calls[:len(calls)-1]
			if len(calls) > 0 {
				p := calls[len(calls)-1].v
				low[p] = min(low[p], low[v])
			}
			if low[v] == index[v] {
				var comp []int
				for {
					w := st[len(st)-1]
					st = st[:len(st)-1]
					onStack[w] = false
					comp = append(comp, w)
					if w == v {
						break
					}
				}
				slices.Sort(comp)
				out = append(out, comp)
			}
		}
	}
	return out
}

// rollback is the way back from wave w while the waves after it have not moved:
// the systems that reach its hosts, to be pointed back at the old hosts (with the
// config lines that name them), and the data its hosts keep for others, whose
// writes since the cutover must be copied back.
func rollback(m *Map, w Wave, inbound map[string][]Edge, ms []*member, idx map[string]int) Rollback {
	var rb Rollback
	var edges []Edge
	for _, h := range w.Hosts {
		edges = append(edges, inbound[h]...)
	}
	for _, e := range edges {
		if e.From.Known && slices.Contains(w.Hosts, e.From.Host) {
			continue
		}
		j := slices.IndexFunc(rb.Repoint, func(r Repoint) bool { return r.End == e.From })
		if j < 0 {
			rb.Repoint = append(rb.Repoint, Repoint{End: e.From})
			j = len(rb.Repoint) - 1
		}
		for _, ev := range e.Evidence {
			if ev.Kind == kindConfig && ev.Host == e.From.Host {
				rb.Repoint[j].Sources = appendNew(rb.Repoint[j].Sources, ev.Source)
			}
		}
		// A file service the server was seen not to provide holds nothing to copy.
		if fileServices[e.Service] && (e.Listening == nil || *e.Listening) {
			rb.Data = appendNew(rb.Data, e.Service+" @ "+m.Hosts[idx[e.To.Host]].Name)
		}
	}
	for _, id := range w.Hosts {
		for _, db := range ms[idx[id]].snap.Middleware.Databases {
			var schemas []string
			for _, d := range db.Databases {
				if !d.System {
					schemas = append(schemas, d.Name)
				}
			}
			if len(schemas) > 0 {
				rb.Data = appendNew(rb.Data, db.Kind+" "+strings.Join(schemas, ", ")+" @ "+m.Hosts[idx[id]].Name)
			}
		}
	}
	slices.Sort(rb.Data)
	return rb
}

// fileServices are the services whose clients keep files on the server.
var fileServices = map[string]bool{"nfs": true, "smb": true, "glusterfs": true, "ceph": true, "sshfs": true}
