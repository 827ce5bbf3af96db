package collect

import (
	"bytes"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/evidence/answer"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// The answers are appended after the probe's end marker: a kept archive re-read
// later must hold them exactly as the survey that asked saw them.
func TestAppendedAnswersSurviveTheKeptArchive(t *testing.T) {
	var probe bytes.Buffer
	w := evidence.NewWriter(&probe)
	w.Item(&evidence.Item{Kind: evidence.KindFile, Name: "/etc/hostname", Limit: 100, Status: evidence.StatusOK, Data: []byte("legacy\n")})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	res, err := finish(probe.Bytes(), snapshot.Source{Kind: "ssh", Target: "legacy"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	asked := &evidence.Item{Kind: evidence.KindMeta, Name: "answer/http/127.0.0.1:80/h/", Command: "GET http://h/ via 127.0.0.1:80",
		Limit: -1, Status: evidence.StatusOK, RC: 1, Data: []byte(`{"request":{"proto":"http"},"error":"connection refused"}`), Stderr: []byte("connection refused")}
	res.append([]*evidence.Item{asked, answer.NotAsked("x")})
	for _, a := range []*evidence.Archive{res.Archive, mustDecode(t, res.Raw)} {
		got, ok := a.Get(asked.ID())
		if !ok || string(got.Data) != string(asked.Data) || got.RC != 1 || got.Command != asked.Command || string(got.Stderr) != "connection refused" {
			t.Errorf("%+v", got)
		}
		if ix, ok := a.Get("meta:answers"); !ok || ix.Status != evidence.StatusSkipped {
			t.Errorf("index %+v", ix)
		}
		if !a.Complete {
			t.Error("the end marker must stay")
		}
	}
	if _, ok := mustDecode(t, res.Raw).Get("meta:source"); !ok {
		t.Error("the source record must stay")
	}
}

func mustDecode(t *testing.T, raw []byte) *evidence.Archive {
	t.Helper()
	a, err := evidence.DecodeBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
