package docker

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const dbID = "4c01db0b339c2ba6bd2e1e0c7cc2e2a4ea8a2d6c7a8a3b6bd11c8d3a5e9f0a1b"

func TestParsePS(t *testing.T) {
	rows, err := ParsePS(fixture(t, "docker_ps_format.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[0].Name != "redmine-db" || rows[0].State() != "running" || rows[1].State() != "exited" || rows[1].Ports != nil ||
		!reflect.DeepEqual(rows[2].Ports, []string{"0.0.0.0:8080->80/tcp", ":::8080->80/tcp"}) {
		t.Errorf("%+v", rows)
	}
}

func TestParseTable(t *testing.T) {
	rows, err := ParseTable(fixture(t, "docker_ps_table.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{ID: dbID, Name: "redmine-db", Image: "mysql:5.5", Status: "Up 3 days", Ports: []string{"127.0.0.1:3307->3306/tcp"}},
		{ID: "9f1e2d3c4b5a69788796a5b4c3d2e1f011223344556677889900aabbccddeeff", Name: "sleepy", Image: "busybox:latest", Status: "Exited (0) 5 weeks ago"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("%+v", rows)
	}
	if _, err := ParseTable("garbage\n"); err == nil {
		t.Error("no header not reported")
	}
}

func TestSurvey(t *testing.T) {
	a := kittest.Archive(kittest.Cmd("docker-ps", "docker ps", fixture(t, "docker_ps_format.txt")),
		kittest.Cmd("docker-inspect", "docker inspect", fixture(t, "docker_inspect.txt")))
	in := kittest.Input(a, nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionDocker]; c.Status != snapshot.Collected {
		t.Fatalf("%+v", c)
	}
	c := in.Snap.Middleware.Containers[0]
	if c.RestartPolicy != "unless-stopped" || !reflect.DeepEqual(c.Mounts, []string{"/srv/db:/var/lib/mysql", "/etc/db.cnf:/etc/mysql/conf.d/my.cnf"}) || len(c.Evidence) != 2 {
		t.Errorf("%+v", c)
	}
	// Installed, but the daemon refuses this user.
	ps := kittest.Cmd("docker-ps", "docker ps", "")
	ps.RC, ps.Stderr = 1, []byte("Got permission denied while trying to connect to the Docker daemon socket")
	in = kittest.Input(kittest.Archive(ps), nil)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionDocker]; c.Status != snapshot.Denied {
		t.Fatalf("%+v", c)
	}
	// Proven absent.
	s := &snapshot.Snapshot{Coverage: map[snapshot.Section]snapshot.Coverage{snapshot.SectionPackages: {Status: snapshot.Collected}, snapshot.SectionServices: {Status: snapshot.Collected}}}
	in = kittest.Input(kittest.Archive(kittest.Failed(evidence.KindCmd, "docker-ps", evidence.StatusAbsent, ""),
		kittest.Failed(evidence.KindList, "/etc/docker", evidence.StatusAbsent, "")), s)
	New().Survey(in)
	if c := in.Snap.Coverage[snapshot.SectionDocker]; c.Status != snapshot.NotApplicable {
		t.Fatalf("%+v", c)
	}
}

func FuzzParsers(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.txt")
	for _, n := range names {
		if b, err := os.ReadFile(n); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		rows, _ := ParsePS(in)
		t2, _ := ParseTable(in)
		for _, r := range append(rows, t2...) {
			if r.ID == "" {
				t.Fatal("empty id")
			}
			_ = r.State()
		}
		_, _ = ParseInspect(in)
	})
}
