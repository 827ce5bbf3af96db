package apps

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
	"github.com/trowel-dev/trowel/internal/survey/certs"
	"github.com/trowel-dev/trowel/internal/survey/kit"
)

var javaVersion = regexp.MustCompile(`(?:java|openjdk) version "([^"]+)"`)

// ParseJavaVersion reads `java -version 2>&1`: `openjdk version "11.0.20" ...` or
// `java version "1.6.0_45"`.
func ParseJavaVersion(text string) string {
	if m := javaVersion.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

var (
	connectorRe = regexp.MustCompile(`(?s)<Connector\b(.*?)/?>`)
	attrRe      = regexp.MustCompile(`([A-Za-z]+)\s*=\s*"([^"]*)"`)
)

// Connector is one <Connector> of Tomcat's server.xml.
type Connector struct {
	Port, Protocol string
	SSL            bool
	Line           int
}

// ParseConnectors reads the <Connector> elements of a server.xml, skipping those
// inside <!-- comments -->.
func ParseConnectors(text string) []Connector {
	var out []Connector
	for _, m := range connectorRe.FindAllStringSubmatchIndex(text, -1) {
		before := text[:m[0]]
		if strings.LastIndex(before, "<!--") > strings.LastIndex(before, "-->") {
			continue
		}
		c := Connector{Line: strings.Count(before, "\n") + 1, Protocol: "HTTP/1.1"}
		for _, a := range attrRe.FindAllStringSubmatch(text[m[2]:m[3]], -1) {
			switch strings.ToLower(a[1]) {
			case "port":
				c.Port = a[2]
			case "protocol":
				c.Protocol = a[2]
			case "sslenabled", "secure":
				c.SSL = c.SSL || strings.EqualFold(a[2], "true")
			}
		}
		out = append(out, c)
	}
	return out
}

var catalinaHome = regexp.MustCompile(`-Dcatalina\.home=(\S+)`)

// JavaSurveyor fills Tomcat's server.xml as a runtime, the Java applications'
// interpreter, and the java coverage.
type JavaSurveyor struct{}

// NewJava returns the Java surveyor.
func NewJava() JavaSurveyor { return JavaSurveyor{} }

// Name is the surveyor's name.
func (JavaSurveyor) Name() string { return "java" }

// Survey reads java -version and Tomcat's server.xml connectors.
func (JavaSurveyor) Survey(in *kit.Input) {
	const sec = snapshot.SectionJava
	jv := in.Cmd("java-version")
	version := ""
	if kit.Usable(jv) {
		version = ParseJavaVersion(jv.Text())
	}
	var notes []string
	found := 0
	homes := map[string]bool{}
	for _, p := range in.Snap.Processes {
		if m := catalinaHome.FindStringSubmatch(p.Command); m != nil {
			homes[m[1]] = true
		}
	}
	if x := in.Cmd("tomcat-server-xml"); kit.Usable(x) {
		files, err := certs.ParseDump(x.Text())
		if err != nil {
			notes = append(notes, "tomcat-server-xml: "+err.Error())
		}
		for _, f := range files {
			if f.Status != "ok" {
				notes = append(notes, f.Path+" was not read: "+f.Status)
				continue
			}
			found++
			rt := snapshot.Runtime{Kind: "java", Version: version, Path: f.Path, Server: "tomcat", Evidence: []string{in.Cite(x)}}
			for _, c := range ParseConnectors(f.Data) {
				v := "port=" + c.Port + " protocol=" + c.Protocol + " ssl=" + strconv.FormatBool(c.SSL)
				rt.Settings = append(rt.Settings, snapshot.Setting{Key: "connector", Value: v, Source: f.Path + ":" + strconv.Itoa(c.Line)})
			}
			in.Snap.Middleware.Runtimes = append(in.Snap.Middleware.Runtimes, rt)
		}
	}
	apps := 0
	for i := range in.Snap.Middleware.Apps {
		a := &in.Snap.Middleware.Apps[i]
		if a.Kind != "java" {
			continue
		}
		apps++
		if a.Runtime == "" && version != "" {
			a.Runtime, a.RuntimeSource = "java "+version, "java -version: the java on PATH"
			a.Evidence = append(a.Evidence, in.Cite(jv))
		}
	}
	for h := range homes {
		notes = append(notes, "a running Tomcat has CATALINA_HOME "+h)
	}
	switch {
	case found == 0 && apps == 0 && jv.Status == evidence.StatusAbsent && len(homes) == 0 && packagesKnown(in) && !hasJavaPackage(in.Snap):
		in.Cover(sec, snapshot.NotApplicable, "no java program or package, no Tomcat configuration, process or webapp", jv)
	case found == 0 && apps == 0 && !kit.Usable(jv):
		st, why := kit.StatusOf(jv)
		in.Cover(sec, st, why, jv)
	default:
		st := snapshot.Collected
		if len(homes) > 0 {
			notes = append(notes, "Tomcat under another CATALINA_HOME than the standard places is not read")
			st = snapshot.Partial
		}
		if version == "" {
			notes = append(notes, "Java version unknown: "+kit.Explain(jv))
			st = snapshot.Partial
		}
		in.Cover(sec, st, strings.Join(notes, "; "), jv)
	}
}

func hasJavaPackage(s *snapshot.Snapshot) bool {
	for _, p := range s.Packages {
		if strings.HasPrefix(p.Name, "openjdk") || strings.HasPrefix(p.Name, "java-") || strings.HasPrefix(p.Name, "tomcat") || strings.HasPrefix(p.Name, "default-jre") {
			return true
		}
	}
	return false
}
