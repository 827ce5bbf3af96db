package verify

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
)

// A spec is a file people edit by hand: whatever spec.Parse accepts must be
// evaluated without a panic, against an empty host and against the host it came
// from.
func FuzzParseAndEvaluate(f *testing.F) {
	// Small seeds: Go's minimiser crawls on a 30 KB spec, and one of each kind
	// of line is what mutation needs.
	f.Add([]byte("trowel_spec: 1\nexpectations:\n- {id: timezone, kind: timezone, zone: Asia/Tokyo, from: {host: a}}\n- {id: 'cron:/x:1', kind: cron, user: root, schedule: '*/5 * * * *', command: /bin/true, from: {host: a}}\n- {id: 'service:apache2', kind: service, name: apache2, running: true, enabled: true, from: {host: a}}\n- {id: 'setting:postfix:relayhost', kind: setting, service: postfix, key: relayhost, value: x, from: {host: a}}\n"))
	f.Add([]byte("trowel_spec: 1\nexpectations:\n- {id: 'port:tcp/80', kind: port, port: 80, from: {host: a}}\n"))
	f.Add([]byte("trowel_spec: 1\nexpectations:\n- {id: x, kind: cron, from: {host: a}}\n- {id: y, kind: process, from: {host: a}}\n"))
	var legacy snapshot.Snapshot
	if doc, err := os.ReadFile("../spec/testdata/legacy.json"); err != nil {
		f.Fatal(err)
	} else if err := json.Unmarshal(doc, &legacy); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		sp, err := spec.Parse(doc)
		if err != nil {
			return
		}
		Evaluate(sp, host(nil))
		Evaluate(sp, &legacy)
		Evaluate(sp, &snapshot.Snapshot{}) // nothing collected at all
	})
}
