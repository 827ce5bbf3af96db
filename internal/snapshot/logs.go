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
	// RotatedBy is the logrotate stanza that rotates it ("file:line"), for a
	// rotated copy (messages.1, maillog-20150222.gz) its live log's.
	RotatedBy string `json:"rotated_by,omitempty"`
	// Unrotated is true when the whole logrotate configuration was read and no
	// stanza names this log: it grows until someone empties it.
	Unrotated bool   `json:"unrotated,omitempty"`
	Evidence  string `json:"evidence"`
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
	Name string `json:"name"`
	// From is the source of the log_shippers section that found it: configs (a
	// shipper trowel knows, by its configuration files, package or process) or
	// connections (an in-house one, by its live connection to a collector's port).
	From    string `json:"from,omitempty"`
	Running *bool  `json:"running,omitempty"`
	PID     int    `json:"pid,omitempty"`
	Service string `json:"service,omitempty"`
	Package string `json:"package,omitempty"`
	// Software is the program when it was installed outside the package manager
	// (a gem, a build from source): how, with what version, from where.
	Software *Software `json:"software,omitempty"`
	// Configs are the files that configure it; Inputs the logs it reads.
	Configs      []string   `json:"configs,omitempty"`
	Inputs       []string   `json:"inputs,omitempty"`
	Destinations []Endpoint `json:"destinations"`
	// Positions are how far it had read each log, from the position files it keeps.
	Positions []LogPosition `json:"positions,omitempty"`
	Evidence  []string      `json:"evidence"`
}

// LogPosition is how far a shipper had read one log, from the position file the
// shipper itself keeps, beside the log as it was at the same moment. A shipper that
// stopped (or never started) shows as a position left behind the log's last writes.
type LogPosition struct {
	Log string `json:"log"`
	// Offset is the byte the shipper had read up to, in the file with Inode.
	Offset int64  `json:"offset"`
	Inode  uint64 `json:"inode,omitempty"`
	// File is the position file; Recorded its last change, when the shipper last
	// wrote down a position.
	File     string     `json:"file"`
	Recorded *time.Time `json:"recorded,omitempty"`
	// The log at survey time; LogBytes is nil when the log was not there.
	LogBytes    *int64     `json:"log_bytes,omitempty"`
	LogInode    uint64     `json:"log_inode,omitempty"`
	LogModified *time.Time `json:"log_modified,omitempty"`
	Evidence    string     `json:"evidence"`
}

// FollowSlack is how long a log may have been written after the shipper last
// recorded its position before the shipper counts as stuck: shippers record their
// position every second or so, never minutes late.
const FollowSlack = 2 * time.Minute

// Following says whether the shipper was keeping up with the log: whether it had
// read everything, or had recorded a position after the log's last write (give or
// take FollowSlack). known is false when the log or the record's time is missing.
func (p LogPosition) Following() (ok, known bool) {
	if p.LogBytes == nil {
		return false, false
	}
	sameFile := p.Inode == 0 || p.LogInode == 0 || p.Inode == p.LogInode
	if sameFile && p.Offset == *p.LogBytes {
		return true, true
	}
	if p.Recorded == nil || p.LogModified == nil {
		return false, false
	}
	return !p.LogModified.After(p.Recorded.Add(FollowSlack)), true
}

// Behind is how many bytes of the log the shipper had not read; for a rotated log
// (another inode) the whole new file.
func (p LogPosition) Behind() int64 {
	if p.LogBytes == nil {
		return 0
	}
	if p.Inode != 0 && p.LogInode != 0 && p.Inode != p.LogInode {
		return *p.LogBytes
	}
	if b := *p.LogBytes - p.Offset; b > 0 {
		return b
	}
	return 0
}

// Endpoint is a remote address a config names, with the line naming it.
type Endpoint struct {
	Host   string `json:"host"`
	Port   int    `json:"port,omitempty"`
	Proto  string `json:"proto,omitempty"`  // tcp, udp, relp, https, forward ...
	Source string `json:"source,omitempty"` // file:line
}

// The sources of the log_shippers section (Coverage.Sources, LogShipper.From).
const (
	// ShippersConfigs are the known shippers' configuration files, packages and
	// processes: td-agent is missing from a host whose td-agent.conf was looked
	// for and is not there.
	ShippersConfigs = "configs"
	// ShippersRunning is whether each shipper runs: the processes.
	ShippersRunning = "running"
	// ShippersConnections are the live connections to log collectors' ports, by
	// which in-house shippers are found; a disk image has none.
	ShippersConnections = "connections"
	// ShippersPositions are the position files shippers keep of how far they read.
	ShippersPositions = "positions"
)
