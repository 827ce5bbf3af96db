package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/trowel-dev/trowel/internal/cli"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/labtest"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/spec"
	"github.com/trowel-dev/trowel/internal/survey"
	"github.com/trowel-dev/trowel/internal/target"
	"github.com/trowel-dev/trowel/internal/verify"
)

// surveyAsking surveys a lab host as trowel survey and verify do: the probe, then
// the services asked through the same SSH connection. It returns the snapshot and
// the raw archive --keep-evidence would write.
func surveyAsking(t *testing.T, lab *labtest.Lab, host string, also *spec.Spec) (*snapshot.Snapshot, []byte) {
	t.Helper()
	tf := cli.TargetFlags{SSHConfig: "none", KnownHosts: lab.KnownHosts, Identity: []string{lab.KeyFile},
		ConnectTimeout: 15 * time.Second, Timeout: 3 * time.Minute}
	if also != nil {
		tf.AlsoAsk = verify.Questions(also)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	res, err := tf.Collect(ctx, target.Target{Kind: target.SSH, Arg: lab.Hosts[host].URL("root")})
	if err != nil {
		t.Fatalf("survey %s: %v", host, err)
	}
	if res.Err != nil {
		t.Fatalf("survey %s stopped early: %v", host, res.Err)
	}
	return checked(t, survey.Run(res.Archive, res.Source, res.Raw)), res.Raw
}

// TestLiveAnswers is issue 5's "HTTP endpoints answering as before, mail accepted
// on :25" on the lab: legacy's Redmine vhost and Postfix answer when asked through
// the SSH connection; the answers survive the kept archive; the spec from legacy
// expects them, and new (which runs neither) fails those checks in plain words.
func TestLiveAnswers(t *testing.T) {
	lab := labtest.Require(t)
	legacy, raw := surveyAsking(t, lab, "legacy", nil)
	if c := legacy.Coverage[snapshot.SectionAnswers]; c.Status != snapshot.Collected {
		t.Fatalf("answers on legacy: %+v", c)
	}
	var web, mail *snapshot.Answer
	for i, a := range legacy.Answers {
		switch {
		case a.Proto == "http" && a.Port == 80 && a.Host == "redmine.example.co.jp":
			web = &legacy.Answers[i]
		case a.Proto == "smtp" && a.Port == 25:
			mail = &legacy.Answers[i]
		}
	}
	if web == nil || web.HTTP == nil {
		t.Fatalf("Redmine's vhost was not asked or did not answer: %+v", legacy.Answers)
	}
	if s := web.HTTP.Status; s != 200 && (s < 300 || s > 399) {
		t.Errorf("Redmine answered %s", web.HTTP.StatusLine)
	}
	if !strings.Contains(web.Why, "redmine.conf") || legacy.Evidence[web.Evidence].Kind != "meta" {
		t.Errorf("the answer must say why it was asked and cite its evidence: %+v", web)
	}
	if mail == nil || mail.SMTP == nil || mail.SMTP.Greeting != 220 || mail.SMTP.Rcpt != 250 || mail.Domain == "" {
		t.Fatalf("Postfix on :25: %+v", mail)
	}

	t.Run("the kept archive replays the answers", func(t *testing.T) {
		a, err := evidence.DecodeBytes(raw)
		if err != nil {
			t.Fatal(err)
		}
		again := survey.Run(a, legacy.Source, raw)
		if len(again.Answers) != len(legacy.Answers) || again.Coverage[snapshot.SectionAnswers].Status != snapshot.Collected {
			t.Fatalf("re-survey: %d answers, %+v", len(again.Answers), again.Coverage[snapshot.SectionAnswers])
		}
		for i := range again.Answers {
			if again.Answers[i].Asked != legacy.Answers[i].Asked || again.Answers[i].Evidence != legacy.Answers[i].Evidence {
				t.Errorf("answer %d differs: %+v", i, again.Answers[i])
			}
		}
	})

	sp := spec.Derive(legacy, "legacy.json")
	var ids []string
	for _, e := range sp.Expectations {
		if e.Kind() == spec.KindHTTP || e.Kind() == spec.KindSMTP {
			ids = append(ids, e.ID)
		}
	}
	if !containsWith(ids, "http:redmine.example.co.jp:80") || !containsWith(ids, "smtp:25") {
		t.Fatalf("the spec from legacy lacks the live answers: %q", ids)
	}

	t.Run("legacy against itself", func(t *testing.T) {
		self, _ := surveyAsking(t, lab, "legacy", sp)
		for _, c := range verify.Evaluate(sp, self).Checks {
			if (c.Kind == spec.KindHTTP || c.Kind == spec.KindSMTP) && c.Status != verify.Pass {
				t.Errorf("%s: %s: %s", c.ID, c.Status, c.Message)
			}
		}
	})

	t.Run("new runs neither", func(t *testing.T) {
		newSnap, _ := surveyAsking(t, lab, "new", sp)
		seen := 0
		for _, c := range verify.Evaluate(sp, newSnap).Checks {
			if c.Kind != spec.KindHTTP && c.Kind != spec.KindSMTP {
				continue
			}
			seen++
			t.Logf("%s %s: %s\n  found: %q\n  fix: %s", c.Status, c.ID, c.Message, c.Found, c.Fix)
			if c.Status != verify.Fail {
				t.Errorf("%s on new: %s, want fail: %s", c.ID, c.Status, c.Message)
				continue
			}
			if !strings.Contains(c.Message, "connection refused") || !strings.Contains(c.Message, "on legacy") || c.Fix == "" || len(c.Found) == 0 {
				t.Errorf("a failure must say what came back, where the expectation came from and what to do: %+v", c)
			}
		}
		if seen != len(ids) {
			t.Errorf("checked %d of %d live answers", seen, len(ids))
		}
	})
}
