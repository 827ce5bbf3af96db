package listing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/store"
)

var at = time.Date(2026, 11, 21, 3, 30, 55, 0, time.UTC)

func survey(host string, seq int, sum store.Summary) *store.SurveyInfo {
	return &store.SurveyInfo{Host: host, Seq: seq, CollectedAt: at, SourceKind: "ssh", SourceTarget: "root@legacy:22", Summary: sum,
		Operator: &store.Operator{User: "ops", Host: "jump1", TrowelVersion: "1.2.0", Command: "trowel survey legacy\t--sudo"}}
}

var (
	eolHost = store.Host{Name: "legacy.example", Group: "web", Surveys: 2, Latest: survey("legacy.example", 2, store.Summary{
		OS: "CentOS release 5.11 (Final)", EndOfLife: store.EOLSummary{Status: "eol", Date: "2017-03-31"},
		Coverage: store.Coverage{Collected: 20, Partial: 3, Unavailable: 2, Denied: 1, NotApplicable: 10},
		Findings: store.Severities{High: 2, Medium: 1, Info: 4, Inhibitors: 1},
	})}
	// A survey that could not tell the OS: the listing says so, never blank.
	blindHost = store.Host{Name: "blind", Surveys: 1, Latest: survey("blind", 1, store.Summary{EndOfLife: store.EOLSummary{Status: "unknown"},
		Coverage: store.Coverage{Unavailable: 36}})}
	bareHost = store.Host{Name: "bare"}
)

func TestHostsTable(t *testing.T) {
	var b bytes.Buffer
	if err := Hosts(&b, "table", []store.Host{eolHost, blindHost, bareHost}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "NAME") {
		t.Fatalf("table:\n%s", b.String())
	}
	for i, want := range [][]string{
		{"legacy.example", "CentOS release 5.11 (Final)", "ended 2017-03-31", "@2 2026-11-21 03:30",
			"20/26 collected, 3 partial, 3 not collected", "2 high, 1 medium, 0 low, 4 info (1 inhibitor)", "web"},
		{"blind", "not known", "not known", "0/36 collected, 36 not collected"},
		{"bare", "not known", "none"},
	} {
		for _, cell := range want {
			if !strings.Contains(lines[i+1], cell) {
				t.Errorf("row %d lacks %q:\n%s", i+1, cell, lines[i+1])
			}
		}
	}
	b.Reset()
	if err := Hosts(&b, "table", nil); err != nil || !strings.Contains(b.String(), "No host in the store") {
		t.Errorf("empty store: %q, %v", b.String(), err)
	}
}

func TestHostsJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Hosts(&b, "json", []store.Host{eolHost, bareHost}); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(b.Bytes(), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	r := rows[0]
	for _, key := range []string{"name", "os", "end_of_life", "last_survey", "coverage", "findings", "group", "surveys"} {
		if _, ok := r[key]; !ok {
			t.Errorf("no %q in %v", key, r)
		}
	}
	if r["last_survey"].(map[string]any)["ref"] != "legacy.example@2" || r["findings"].(map[string]any)["high"] != 2.0 {
		t.Errorf("row: %v", r)
	}
	if _, ok := rows[1]["os"]; ok {
		t.Errorf("a host without a survey has an OS: %v", rows[1])
	}
	b.Reset()
	if err := Hosts(&b, "json", nil); err != nil || strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("empty store as JSON: %q, %v", b.String(), err)
	}
}

func TestHistoryAndAudit(t *testing.T) {
	var b bytes.Buffer
	if err := History(&b, "table", eolHost, []store.SurveyInfo{*eolHost.Latest}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"legacy.example (group web): 1 survey\n", "legacy.example@2", "ssh root@legacy:22", "ops@jump1 (trowel 1.2.0)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("history lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := History(&b, "json", eolHost, []store.SurveyInfo{*eolHost.Latest}); err != nil {
		t.Fatal(err)
	}
	var h struct {
		Surveys []struct {
			Ref       string         `json:"ref"`
			OS        string         `json:"os"`
			Coverage  store.Coverage `json:"coverage"`
			Operator  store.Operator `json:"operator"`
			Collected time.Time      `json:"collected_at"`
		} `json:"surveys"`
	}
	if err := json.Unmarshal(b.Bytes(), &h); err != nil {
		t.Fatal(err)
	}
	if len(h.Surveys) != 1 || h.Surveys[0].Ref != "legacy.example@2" || h.Surveys[0].OS == "" || h.Surveys[0].Coverage.Collected != 20 ||
		h.Surveys[0].Operator.User != "ops" || !h.Surveys[0].Collected.Equal(at) {
		t.Errorf("history JSON: %s", b.String())
	}

	b.Reset()
	entries := []store.AuditEntry{
		{At: at, Operator: *eolHost.Latest.Operator, Action: "survey", Target: "ssh://legacy", Outcome: "ok", Host: "legacy.example", Survey: 2},
		{At: at, Operator: *eolHost.Latest.Operator, Action: "survey", Target: "ssh://gone", Outcome: "failed: no route to host"},
	}
	if err := Audit(&b, "table", entries); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "legacy.example@2") || !strings.Contains(lines[1], "trowel survey legacy --sudo") ||
		!strings.Contains(lines[2], "failed: no route to host") {
		t.Errorf("audit table:\n%s", b.String())
	}
}

func TestCheckFormat(t *testing.T) {
	if CheckFormat("json") != nil || CheckFormat("table") != nil || CheckFormat("yaml") == nil {
		t.Error("formats")
	}
}
