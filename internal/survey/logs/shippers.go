package logs

import (
	"path"
	"strings"
)

// known is a log shipper trowel knows by name: where its configs live, how to read
// them, and the names of its process, service and package.
type known struct {
	name     string
	configs  []string // paths or globs of the plan
	parse    func(text string) ShipConf
	procs    []string // process names (comm or program basename)
	services []string
	packages []string
	// syslog daemons run on every host; they count as shippers only when they send.
	onlyIfSending bool
	// states are where it keeps read positions without a config naming them.
	states []string
}

func yamlConf(text string) ShipConf {
	c, _ := ParseFilebeat(text)
	return c
}

var knownShippers = []known{
	{name: "rsyslog", configs: []string{"/etc/rsyslog.conf", "/etc/rsyslog.d/*.conf"}, parse: ParseRsyslog,
		procs: []string{"rsyslogd"}, services: []string{"rsyslog"}, packages: []string{"rsyslog"}, onlyIfSending: true,
		states: []string{"/var/lib/rsyslog/imfile-state:*", "/var/spool/rsyslog/imfile-state:*"}},
	{name: "sysklogd", configs: []string{"/etc/syslog.conf"}, parse: ParseRsyslog,
		procs: []string{"syslogd"}, services: []string{"syslog", "sysklogd"}, packages: []string{"sysklogd"}, onlyIfSending: true},
	{name: "syslog-ng", configs: []string{"/etc/syslog-ng/syslog-ng.conf", "/etc/syslog-ng/conf.d/*.conf"}, parse: ParseSyslogNG,
		procs: []string{"syslog-ng"}, services: []string{"syslog-ng"}, packages: []string{"syslog-ng", "syslog-ng-core"}, onlyIfSending: true},
	{name: "td-agent", configs: []string{"/etc/td-agent/td-agent.conf", "/etc/td-agent/conf.d/*.conf"}, parse: ParseFluentd,
		procs: []string{"td-agent"}, services: []string{"td-agent"}, packages: []string{"td-agent"}},
	{name: "fluentd", configs: []string{"/etc/fluent/fluentd.conf", "/etc/fluent/fluent.conf", "/etc/fluent/conf.d/*.conf"}, parse: ParseFluentd,
		procs: []string{"fluentd"}, services: []string{"fluentd"}, packages: []string{"fluentd", "fluent-package"}},
	{name: "fluent-bit", configs: []string{"/etc/td-agent-bit/*.conf", "/etc/fluent-bit/*.conf"}, parse: ParseFluentBit,
		procs: []string{"fluent-bit", "td-agent-bit"}, services: []string{"fluent-bit", "td-agent-bit"}, packages: []string{"fluent-bit", "td-agent-bit"}},
	{name: "filebeat", configs: []string{"/etc/filebeat/filebeat.yml"}, parse: yamlConf,
		procs: []string{"filebeat"}, services: []string{"filebeat"}, packages: []string{"filebeat"},
		states: []string{"/var/lib/filebeat/registry", "/var/lib/filebeat/registry/filebeat/*.json"}},
	{name: "vector", configs: []string{"/etc/vector/vector.toml", "/etc/vector/vector.yaml"}, parse: ParseKeyValue,
		procs: []string{"vector"}, services: []string{"vector"}, packages: []string{"vector"}},
	{name: "newrelic-infra", configs: []string{"/etc/newrelic-infra.yml", "/etc/newrelic-infra/logging.d/*.yml"}, parse: ParseKeyValue,
		procs: []string{"newrelic-infra", "newrelic-infra-service"}, services: []string{"newrelic-infra"}, packages: []string{"newrelic-infra"}},
	{name: "mackerel-agent", configs: []string{"/etc/mackerel-agent/mackerel-agent.conf"}, parse: ParseKeyValue,
		procs: []string{"mackerel-agent"}, services: []string{"mackerel-agent"}, packages: []string{"mackerel-agent"}},
	{name: "datadog-agent", configs: []string{"/etc/datadog-agent/datadog.yaml"}, parse: ParseKeyValue,
		procs: []string{"agent", "datadog-agent"}, services: []string{"datadog-agent"}, packages: []string{"datadog-agent"}},
}

// logPorts are the ports log collectors listen on, and the protocol each speaks.
var logPorts = map[int]string{
	24224: "forward", 514: "syslog", 601: "syslog", 6514: "syslog-tls", 5044: "beats",
	9200: "elasticsearch", 12201: "gelf", 5000: "logstash", 5140: "syslog",
}

// progName is the name a command line runs: an interpreter's script ("python3
// /usr/local/sbin/logship" is logship), else the program.
func progName(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return ""
	}
	base := path.Base(f[0])
	for _, interp := range []string{"python", "perl", "ruby", "sh", "bash", "node", "php", "java"} {
		if strings.HasPrefix(base, interp) {
			for _, a := range f[1:] {
				if !strings.HasPrefix(a, "-") {
					return path.Base(a)
				}
			}
		}
	}
	return strings.TrimSuffix(base, ":")
}
