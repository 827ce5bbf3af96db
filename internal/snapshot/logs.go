package snapshot

import "time"

// Logs are the host's log files, how they rotate, and who ships them where.
type Logs struct {
	Files    []LogFile    `json:"files"`
	Rotation []LogRotate  `json:"rotation,omitempty"`
	Shippers []LogShipper `json:"shippers"`
}

// LogFile is one log file.
type LogFile struct {
	Path     string     `json:"path"`
	Bytes    int64      `json:"bytes"`
	Modified *time.Time `json:"modified,omitempty"`
	Evidence string     `json:"evidence"`
}

// LogRotate is one logrotate stanza.
type LogRotate struct {
	Paths     []string `json:"paths"`
	Frequency string   `json:"frequency,omitempty"` // daily, weekly, monthly, size
	Rotate    int      `json:"rotate,omitempty"`
	Compress  bool     `json:"compress,omitempty"`
	Source    string   `json:"source"` // file:line
	Evidence  string   `json:"evidence"`
}

// LogShipper is a program that sends logs off the host.
type LogShipper struct {
	// Name is td-agent, fluentd, fluent-bit, rsyslog, syslog-ng, filebeat, vector,
	// newrelic-infra, mackerel-agent, datadog-agent, or the program's own name for
	// an in-house shipper found by its connections and config.
	Name    string `json:"name"`
	Running *bool  `json:"running,omitempty"`
	PID     int    `json:"pid,omitempty"`
	Service string `json:"service,omitempty"`
	Package string `json:"package,omitempty"`
	// Configs are the files that configure it; Inputs the logs it reads.
	Configs      []string   `json:"configs,omitempty"`
	Inputs       []string   `json:"inputs,omitempty"`
	Destinations []Endpoint `json:"destinations"`
	Evidence     []string   `json:"evidence"`
}

// Endpoint is a remote address a config names, with the line naming it.
type Endpoint struct {
	Host   string `json:"host"`
	Port   int    `json:"port,omitempty"`
	Proto  string `json:"proto,omitempty"`  // tcp, udp, relp, https, forward ...
	Source string `json:"source,omitempty"` // file:line
}
