// Package docker surveys Docker containers: docker ps -a (with --format, else the
// table of docker before 1.8) and, from docker inspect, only each container's
// restart policy and mounts. The environment is never asked for: it holds secrets.
package docker

import (
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/presence"
)

// Surveyor fills Middleware.Containers.
type Surveyor struct{}

// New returns the Docker surveyor.
func New() Surveyor { return Surveyor{} }

// Name is the surveyor's name.
func (Surveyor) Name() string { return "docker" }

// Survey fills the containers and the docker coverage.
func (Surveyor) Survey(in *kit.Input) {
	ps, table, insp, etc := in.Cmd("docker-ps"), in.Cmd("docker-ps-table"), in.Cmd("docker-inspect"), in.List("/etc/docker")
	found := presence.Decide(in, presence.Spec{Role: "docker", Name: "Docker", Programs: []*evidence.Item{ps, table}, Configs: []*evidence.Item{etc}})
	if found.Cover(in, snapshot.SectionDocker) {
		return
	}
	var rows []Row
	var err error
	src := kit.FirstUsable(ps, table)
	switch src {
	case ps:
		rows, err = ParsePS(ps.Text())
	case table:
		rows, err = ParseTable(table.Text())
	default:
		// Installed, but ps could not be used: a user outside the docker group, a
		// daemon that is down, or offline.
		st, why := kit.StatusOf(ps)
		if in.Offline() {
			st, why = snapshot.Unavailable, "offline: the containers are known only to a running docker daemon"
		} else if st == snapshot.Collected || st == snapshot.Unavailable && strings.Contains(strings.ToLower(string(ps.Stderr)), "permission denied") {
			st = snapshot.Denied
		}
		in.Cover(snapshot.SectionDocker, st, "docker is installed but its containers could not be listed: "+why, ps, table, etc)
		return
	}
	var problems []string
	if err != nil {
		problems = append(problems, src.Source()+": "+err.Error())
	}
	cite := []*evidence.Item{src}
	var detail map[string]Inspect
	if kit.Usable(insp) {
		detail, err = ParseInspect(insp.Text())
		if err != nil {
			problems = append(problems, "docker inspect: "+err.Error())
		}
		cite = append(cite, insp)
	} else if len(rows) > 0 {
		problems = append(problems, "mounts and restart policies are unknown: "+insp.Problem())
	}
	for _, r := range rows {
		c := snapshot.Container{ID: r.ID, Name: r.Name, Image: r.Image, State: r.State(), Ports: r.Ports}
		if d, ok := detail[r.ID]; ok {
			c.Mounts, c.RestartPolicy = d.Mounts, d.Restart
		}
		c.Evidence = []string{in.Cite(src)}
		if detail != nil {
			c.Evidence = append(c.Evidence, in.Cite(insp))
		}
		in.Snap.Middleware.Containers = append(in.Snap.Middleware.Containers, c)
	}
	st, why := kit.StatusOf(src)
	if len(problems) > 0 {
		st, why = snapshot.Partial, strings.Join(problems, "; ")
	}
	in.Cover(snapshot.SectionDocker, st, why, cite...)
}
