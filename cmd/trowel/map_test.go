package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/store"
)

// trowel map without arguments maps every host of the store by its latest
// survey, in its inventory group; a stored host may also be named beside files;
// an empty store, or a name that is neither a file nor a stored host, is the
// user's error with what to do.
func TestMapOfTheStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "trowel.db")
	t.Setenv(store.Env, db)

	if code, out := run(t, "map"); code != cli.ExitError || !strings.Contains(out, "Survey the hosts first") {
		t.Errorf("no store: exit %d\n%s", code, out)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []struct{ file, name, group string }{
		{"../../internal/report/testdata/legacy.json", "legacy", "production"},
		{"../../internal/store/testdata/centos5.json", "www01", "staging"},
	} {
		b, err := os.ReadFile(h.file)
		if err != nil {
			t.Fatal(err)
		}
		var s snapshot.Snapshot
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordSurvey(ctx, store.Survey{Snapshot: &s, Inventory: store.Inventory{Name: h.name, Group: h.group}, Operator: store.Operator{User: "aiko"}}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	hostsOf := func(out string) map[string]string {
		t.Helper()
		var m struct {
			Hosts []struct{ Name, Group string }
		}
		if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &m); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		got := map[string]string{}
		for _, h := range m.Hosts {
			got[h.Name] = h.Group
		}
		return got
	}
	out := filepath.Join(dir, "map.json")
	if code, msg := run(t, "map", "--format", "json", "-o", out); code != 0 {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	b, _ := os.ReadFile(out)
	if got := hostsOf(string(b)); got["legacy"] != "production" || got["www01"] != "staging" || len(got) != 2 {
		t.Errorf("the store's estate: %v", got)
	}
	if code, msg := run(t, "map", "--format", "json", "-o", out, "dev=www01"); code != 0 {
		t.Fatalf("exit %d\n%s", code, msg)
	}
	b, _ = os.ReadFile(out)
	if got := hostsOf(string(b)); got["www01"] != "dev" || len(got) != 1 {
		t.Errorf("a stored host named with its group: %v", got)
	}
	if code, msg := run(t, "map", "legacy", "nosuch"); code != cli.ExitError || !strings.Contains(msg, "nosuch: no such file, and no host of that name in the store") {
		t.Errorf("an unknown name: exit %d\n%s", code, msg)
	}
}
