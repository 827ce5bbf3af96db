package network

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/survey/kit/kittest"
)

func seeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*")
	for _, p := range files {
		if filepath.Ext(p) == ".md" {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("table inet x {\n}\n}\n{ chain { {\n")
	f.Add("1: a: <UP> mtu\n    inet\n\\\\")
}

// FuzzParsers feeds every parser the same bytes: none may panic, and whatever they
// return must be usable.
func FuzzParsers(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		_, _ = ParseHosts(text)
		_ = ParseResolv(text)
		_ = ParseNSSwitchHosts(text)
		_, _ = ParseIPAddr(text)
		_, _ = ParseIfconfig(text)
		_, _ = ParseIPRoute(text)
		_, _ = ParseProcRoute(text, false)
		_, _ = ParseProcRoute(text, true)
		_, _ = ParseIptablesSave(text)
		_, _ = ParseNft(text)
		_, _ = ParseFirewalldZone("z", text)
		_ = ConfigRefs([]*evidence.Item{kittest.File("/etc/x", text)}, "10.0.0.1", 25, []string{"relay.example.com"})
	})
}

// FuzzSurvey runs the whole surveyor over arbitrary sockets and hosts text.
func FuzzSurvey(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		a := kittest.Archive(kittest.Cmd("ss", "ss -tuanp", text), kittest.File("/etc/hosts", text),
			kittest.Cmd("ip-addr", "ip addr show", text), kittest.Cmd("nft-ruleset", "nft list ruleset", text), kittest.File("/etc/a.conf", text))
		survey(a, nil)
	})
}
