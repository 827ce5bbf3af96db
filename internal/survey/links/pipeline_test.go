package links

import (
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
	"github.com/trowel-dev/trowel/internal/survey/listeners"
	"github.com/trowel-dev/trowel/internal/survey/processes"
)

// The processes and listeners surveyors on real-format evidence, then the links:
// the same order the registry runs them in.
func TestPipelineEL6(t *testing.T) {
	ps, err := os.ReadFile("../processes/testdata/ps_eo_el6.txt")
	if err != nil {
		t.Fatal(err)
	}
	// ss of iproute 2.6.32 as root, old users form, for the host of ps_eo_el6.txt.
	ss := `Netid  State      Recv-Q Send-Q     Local Address:Port       Peer Address:Port 
tcp    LISTEN     0      128                   :::22                   :::*      users:(("sshd",1401,4))
tcp    LISTEN     0      128                    *:22                    *:*      users:(("sshd",1401,3))
tcp    LISTEN     0      100            127.0.0.1:25                    *:*      users:(("master",1480,12))
tcp    LISTEN     0      50                     *:3306                  *:*      users:(("mysqld",1604,10))
tcp    LISTEN     0      128                   :::80                   :::*      users:(("httpd",1653,4),("httpd",1652,4),("httpd",1650,4))
tcp    LISTEN     0      128                    *:8080                  *:*      users:(("nginx",1703,6),("nginx",1702,6))
tcp    LISTEN     0      128                    *:24224                 *:*      users:(("ruby",1810,9))
tcp    ESTAB      0      0           192.168.1.10:22           192.168.1.5:51234 users:(("sshd",2573,3),("sshd",2571,3))
`
	a := &evidence.Archive{Complete: true, Header: map[string]string{"uid": "0", "pid": "2581"}}
	a.Add(&evidence.Item{Kind: evidence.KindCmd, Name: "ps", Command: "ps -eo pid=,ppid=,uid=,lstart=,args=", Status: evidence.StatusOK, Data: ps})
	a.Add(&evidence.Item{Kind: evidence.KindCmd, Name: "ss", Command: "ss -tuanp", Status: evidence.StatusOK, Data: []byte(ss)})
	snap := &snapshot.Snapshot{
		Source:   snapshot.Source{Kind: "ssh"},
		Services: sysv("sshd", "httpd", "mysqld", "postfix", "nginx", "td-agent", "ntpd", "network"),
		Packages: pkgs("openssh-server", "httpd", "mysql-server", "postfix", "nginx", "td-agent", "ntp"),
	}
	in := &kit.Input{Archive: a, Snap: snap}
	processes.New().Survey(in)
	listeners.New().Survey(in)
	New().Survey(in)

	if c := snap.Coverage[snapshot.SectionListeners]; c.Status != snapshot.Collected {
		t.Fatalf("listeners %+v", c)
	}
	var got []string
	for _, l := range snap.Listeners {
		got = append(got, fmt.Sprintf("%s %s:%d %d/%s %s %s", l.Proto, l.Address, l.Port, l.PID, l.Process, l.Service, l.Package))
	}
	want := []string{
		"tcp 0.0.0.0:22 1401/sshd sshd openssh-server",
		"tcp 127.0.0.1:25 1480/master postfix postfix",
		"tcp 0.0.0.0:3306 1604/mysqld mysqld mysql-server",
		"tcp 0.0.0.0:8080 1702/nginx nginx nginx",
		"tcp 0.0.0.0:24224 1810/ruby td-agent td-agent",
		"tcp6 :::22 1401/sshd sshd openssh-server",
		"tcp6 :::80 1650/httpd httpd httpd", // the master, not a worker, by the process tree
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("listeners\n got %q\nwant %q", got, want)
	}
	if r := running(snap.Services); !reflect.DeepEqual(r, map[string]string{
		"sshd": "true 1401", "httpd": "true 1650", "mysqld": "true 1502", "postfix": "true 1480",
		"nginx": "true 1702", "td-agent": "true 1810", "ntpd": "false", "network": "unknown",
	}) {
		t.Errorf("running %v", r)
	}
}
