package answer

import (
	"encoding/json"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
)

func TestNotAskedRoundTrips(t *testing.T) {
	it := NotAsked("not asked: --no-ask")
	if it.Status != evidence.StatusSkipped || it.ID() != "meta:answers" {
		t.Fatal(it)
	}
	var v map[string]any
	if json.Unmarshal(it.Data, &v) != nil {
		t.Error("the body must be JSON, as every meta item's")
	}
}

// A record written as an item reads back as it was, under its request's name, and a
// failed question says why on the item as well as in the record.
func TestRecordItemRoundTrips(t *testing.T) {
	rec := Record{Request: Request{Proto: "https", Address: "127.0.0.1:8443", Port: 8443, Host: "app example", Path: "/"},
		Error: "connection refused"}
	it := rec.Item()
	if it.Name != "answer/https/127.0.0.1:8443/app_example/" || it.Command != "GET https://app example:8443/ via 127.0.0.1:8443" {
		t.Errorf("name %q, command %q", it.Name, it.Command)
	}
	if it.RC != 1 || string(it.Stderr) != "connection refused" {
		t.Errorf("rc %d, stderr %q", it.RC, it.Stderr)
	}
	back, err := ParseRecord(it.Data)
	if err != nil || back.Request != rec.Request || back.Error != rec.Error {
		t.Errorf("read back %+v, %v", back, err)
	}
	if _, err := ParseRecord([]byte(`{"error":"x"}`)); err == nil {
		t.Error("a record without its request must not parse")
	}
}

func TestAuthorityOmitsTheSchemesPort(t *testing.T) {
	for _, tc := range []struct {
		r    Request
		want string
	}{
		{Request{Proto: "http", Host: "a", Port: 80}, "a"},
		{Request{Proto: "https", Host: "a", Port: 443}, "a"},
		{Request{Proto: "http", Host: "a", Port: 443}, "a:443"},
		{Request{Proto: "https", Host: "::1", Port: 8443}, "[::1]:8443"},
	} {
		if got := tc.r.Authority(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
}

func TestIndexItem(t *testing.T) {
	it := Index{Via: "ssh", Items: []string{"meta:answer/x"}}.Item(evidence.StatusDenied, "AllowTcpForwarding no")
	if it.ID() != "meta:"+IndexName || it.Status != evidence.StatusDenied || string(it.Stderr) != "AllowTcpForwarding no" {
		t.Fatalf("%+v", it)
	}
	ix, err := ParseIndex(it.Data)
	if err != nil || ix.Via != "ssh" || len(ix.Items) != 1 {
		t.Errorf("%+v, %v", ix, err)
	}
}
