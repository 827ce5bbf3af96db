// Command gen builds internal/eol/data/eol.json from a checkout of
// endoflife.date (https://github.com/endoflife-date/endoflife.date, MIT licence);
// `make eol EOL_SRC=../endoflife.date` runs it with the checkout's commit and date:
//
//	go run ./internal/eol/gen -src ../endoflife.date \
//		-commit $(git -C ../endoflife.date rev-parse HEAD) \
//		-commit-date $(git -C ../endoflife.date log -1 --format=%cs)
//
// It keeps, for the products trowel matches, only what trowel uses: each cycle's
// release date, end of life, end of extended support and LTS flag.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/trowel-dev/trowel/internal/eol"
)

// Products are the endoflife.date products trowel matches (internal/survey/eol).
var Products = []string{
	"almalinux", "alpine-linux", "amazon-linux", "centos", "centos-stream", "debian",
	"fedora", "oracle-linux", "rhel", "rocky-linux", "sles", "ubuntu",
	"apache-http-server", "docker-engine", "mariadb", "memcached", "mysql", "nginx",
	"php", "postfix", "postgresql", "python", "redis", "redmine", "ruby",
	"ruby-on-rails", "tomcat",
	"amazon-corretto", "eclipse-temurin", "oracle-jdk", "red-hat-build-of-openjdk",
}

func main() {
	src := flag.String("src", "", "endoflife.date checkout (or its products directory)")
	out := flag.String("out", "internal/eol/data/eol.json", "file to write")
	commit := flag.String("commit", "", "endoflife.date commit the checkout is at")
	commitDate := flag.String("commit-date", "", "that commit's date, YYYY-MM-DD")
	flag.Parse()
	if *src == "" || *commit == "" || dateOnly(*commitDate) != *commitDate || *commitDate == "" {
		fmt.Fprintln(os.Stderr, "gen: -src, -commit and -commit-date (YYYY-MM-DD) are required: the data must say where it came from")
		os.Exit(2)
	}
	d, err := build(*src, *commit, *commitDate, Products)
	if err == nil {
		err = os.WriteFile(*out, encode(d), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func build(src, commit, commitDate string, products []string) (*eol.Data, error) {
	dir := src
	if st, err := os.Stat(filepath.Join(src, "products")); err == nil && st.IsDir() {
		dir = filepath.Join(src, "products")
	}
	d := &eol.Data{
		Source:     "https://github.com/endoflife-date/endoflife.date products/*.md",
		License:    "MIT, Copyright (c) endoflife.date contributors; see internal/eol/data/SOURCES.md",
		Commit:     commit,
		CommitDate: commitDate,
		Products:   map[string]*eol.Product{},
	}
	for _, name := range products {
		b, err := os.ReadFile(filepath.Join(dir, name+".md"))
		if err != nil {
			return nil, err
		}
		p, err := parseProduct(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		d.Products[name] = p
		d.Date = max(d.Date, p.AsOf)
	}
	return d, nil
}

// parseProduct reads a product file's YAML front matter. Values are read as the
// scalars' text, because dates, booleans and numbers ("2.10" as a float) all occur
// where endoflife.date means a string.
func parseProduct(b []byte) (*eol.Product, error) {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	if !bytes.HasPrefix(b, []byte("---\n")) {
		return nil, errors.New("no front matter")
	}
	rest := b[4:]
	end := bytes.Index(rest, []byte("\n---"))
	if end < 0 {
		return nil, errors.New("front matter not closed")
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(rest[:end+1], &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("front matter is not a mapping")
	}
	releases := field(doc.Content[0], "releases")
	if releases == nil || releases.Kind != yaml.SequenceNode {
		return nil, errors.New("no releases list")
	}
	p := &eol.Product{}
	for _, r := range releases.Content {
		if r.Kind != yaml.MappingNode {
			continue
		}
		rel := eol.Release{
			Cycle:    scalar(field(r, "releaseCycle")),
			Released: dateOnly(scalar(field(r, "releaseDate"))),
			EOL:      endValue(scalar(field(r, "eol"))),
			Extended: dateOnly(first(scalar(field(r, "eoes")), scalar(field(r, "extendedSupport")))),
		}
		if rel.Cycle == "" {
			continue
		}
		if lts := scalar(field(r, "lts")); lts != "" && lts != "false" {
			rel.LTS = true
		}
		for _, d := range []string{rel.Released, dateOnly(scalar(field(r, "latestReleaseDate")))} {
			if d > p.AsOf {
				p.AsOf = d
			}
		}
		p.Releases = append(p.Releases, rel)
	}
	if len(p.Releases) == 0 {
		return nil, errors.New("no release cycles")
	}
	return p, nil
}

func field(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	return strings.TrimSpace(n.Value)
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// endValue maps eol's forms: a date, true (ended, date not given), false (none
// announced).
func endValue(s string) string {
	switch strings.ToLower(s) {
	case "true":
		return eol.Ended
	case "false", "":
		return ""
	}
	return dateOnly(s)
}

// dateOnly keeps YYYY-MM-DD values; booleans and anything else become "".
func dateOnly(s string) string {
	if len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		return s[:10]
	}
	return ""
}

// encode writes one release per line, so a regeneration diffs by cycle.
func encode(d *eol.Data) []byte {
	var b bytes.Buffer
	head, _ := json.Marshal(map[string]string{"source": d.Source, "license": d.License,
		"commit": d.Commit, "commit_date": d.CommitDate, "date": d.Date})
	b.Write(head[:len(head)-1])
	b.WriteString(",\n\"products\": {\n")
	names := make([]string, 0, len(d.Products))
	for n := range d.Products {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		p := d.Products[n]
		fmt.Fprintf(&b, "%q: {\"as_of\": %q, \"releases\": [\n", n, p.AsOf)
		for j, r := range p.Releases {
			line, _ := json.Marshal(r)
			b.Write(line)
			if j < len(p.Releases)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]}")
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}}\n")
	return b.Bytes()
}
