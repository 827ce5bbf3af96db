// Package eol matches what earlier surveyors found (the OS, the middleware, and the
// packages when no middleware surveyor named a version) against the end-of-life
// data trowel ships (internal/eol). It reads no evidence of its own: each entry
// cites the evidence of the fact it matched.
package eol

import (
	"cmp"
	"sort"
	"strings"

	data "github.com/trowel-dev/trowel/internal/eol"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

// Surveyor fills snapshot.EndOfLife.
type Surveyor struct{}

// New returns the surveyor.
func New() Surveyor { return Surveyor{} }

// Name names it in the registry.
func (Surveyor) Name() string { return "eol" }

// osProducts maps os-release IDs to endoflife.date products.
var osProducts = map[string]string{
	"centos": "centos", "rhel": "rhel", "redhat": "rhel", "almalinux": "almalinux",
	"rocky": "rocky-linux", "ol": "oracle-linux", "oracle": "oracle-linux",
	"amzn": "amazon-linux", "debian": "debian", "ubuntu": "ubuntu",
	"sles": "sles", "sled": "sles", "alpine": "alpine-linux", "fedora": "fedora",
}

// found is one version of one product seen on the host.
type found struct {
	product, version, of string
	evidence             []string
}

// Survey matches and sets the section's coverage.
func (Surveyor) Survey(in *kit.Input) {
	d, err := data.Load()
	if err != nil {
		in.Cover(snapshot.SectionEOL, snapshot.Unavailable, err.Error())
		return
	}
	s := in.Snap
	var gaps []string
	var all []found
	if f, gap := osFound(s.OS); gap != "" {
		gaps = append(gaps, gap)
	} else {
		all = append(all, f)
	}
	mw := middlewareFound(s.Middleware)
	all = append(all, mw...)
	pk, gap := packagesFound(s, mw)
	all = append(all, pk...)
	if gap != "" {
		gaps = append(gaps, gap)
	}
	s.EndOfLife = entries(d, all, s)
	if len(gaps) > 0 {
		in.Cover(snapshot.SectionEOL, snapshot.Partial, strings.Join(gaps, "; "))
		return
	}
	in.Cover(snapshot.SectionEOL, snapshot.Collected, "")
}

func osFound(o snapshot.OS) (found, string) {
	if o.ID == "" {
		return found{}, "the operating system was not identified, so its end of life is not known"
	}
	v := o.VersionID
	if v == "" {
		v = o.Version
	}
	p := osProducts[strings.ToLower(o.ID)]
	if p == "" {
		p = strings.ToLower(o.ID)
	}
	// CentOS Stream says ID=centos, like the CentOS Linux it replaced, but ends
	// on other dates (Stream 8 in 2024, CentOS 8 in 2021).
	if p == "centos" && strings.Contains(strings.ToLower(o.Name+" "+o.PrettyName), "stream") {
		p = "centos-stream"
	}
	return found{product: p, version: v, of: "os", evidence: o.Evidence}, ""
}

func entries(d *data.Data, all []found, s *snapshot.Snapshot) []snapshot.EndOfLife {
	// One entry per product, cycle and source: Debian's php-cli and php-common, or
	// "ruby" (1:2.7+2) and "ruby2.7" (2.7.4), say the same thing; the most precise
	// version is kept.
	seen := map[string]int{}
	var out []snapshot.EndOfLife
	for _, f := range all {
		v := d.Match(f.product, f.version, s.CollectedAt)
		k := f.product + "\x00" + v.Cycle + "\x00" + f.of
		if v.Cycle == "" {
			k += "\x00" + f.version
		}
		if i, ok := seen[k]; ok {
			if len(f.version) > len(out[i].Version) {
				out[i].Version = f.version
				out[i].Evidence = append([]string(nil), f.evidence...)
			}
			continue
		}
		seen[k] = len(out)
		// The data's date is the endoflife.date snapshot's: a product's own as_of
		// (its newest release) is only how long "no end announced" is believed,
		// and would date CentOS's entry 2021 in data read in 2026.
		dataDate := cmp.Or(d.CommitDate, v.AsOf, d.Date)
		out = append(out, snapshot.EndOfLife{
			Product: f.product, Cycle: v.Cycle, Version: f.version,
			EOL: v.EOL, Extended: v.Extended, Status: v.Status, Of: f.of,
			DataDate: dataDate, LTS: v.LTS, Note: v.Note,
			Evidence: append([]string(nil), f.evidence...),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].Of == "os") != (out[j].Of == "os") {
			return out[i].Of == "os"
		}
		if out[i].Product != out[j].Product {
			return out[i].Product < out[j].Product
		}
		return out[i].Version < out[j].Version
	})
	return out
}
