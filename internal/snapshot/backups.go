package snapshot

import "time"

// Backups is the evidence that this host's data is copied somewhere. Found is
// false with Coverage collected only when every place was looked at: that is the
// "no backup found" verdict.
type Backups struct {
	Found bool          `json:"found"`
	Items []BackupTrace `json:"items"`
}

// BackupTrace is one piece of evidence of a backup.
type BackupTrace struct {
	// Kind is job (a scheduled dump or copy), agent (backup software installed or
	// running) or dump (backup files on disk).
	Kind string `json:"kind"`
	Tool string `json:"tool,omitempty"` // mysqldump, pg_dump, rsync, tar, bacula ...
	// What says what is backed up, when it can be told: a database, a directory.
	What string `json:"what,omitempty"`
	// Where is the destination: a path, or a remote host (off-host backups are the
	// ones that survive a lost disk).
	Where    string     `json:"where,omitempty"`
	OffHost  bool       `json:"off_host,omitempty"`
	Job      string     `json:"job,omitempty"` // cron job source "file:line"
	Latest   *time.Time `json:"latest,omitempty"`
	Bytes    int64      `json:"bytes,omitempty"`
	Evidence []string   `json:"evidence"`
}
