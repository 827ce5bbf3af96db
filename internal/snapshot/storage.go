package snapshot

import "time"

// Storage is where the data lives and how big it is, so a migration can plan the
// transfer.
type Storage struct {
	Mounts   []Mount      `json:"mounts"`
	Fstab    []FstabEntry `json:"fstab,omitempty"`
	Volumes  []Volume     `json:"volumes,omitempty"` // LVM logical volumes and RAID arrays
	DataDirs []DataDir    `json:"data_dirs,omitempty"`
	// Mailboxes are the local mail spools: mail delivered on the host, and how
	// much of it nobody read (root's is where cron and the daemons report).
	Mailboxes []Mailbox `json:"mailboxes,omitempty"`
}

// Mailbox is one local mbox spool. Only counts are kept, never a message.
type Mailbox struct {
	Path     string     `json:"path"`
	User     string     `json:"user"`
	Bytes    int64      `json:"bytes"`
	Modified *time.Time `json:"modified,omitempty"`
	Messages int        `json:"messages"`
	// Unread counts the messages no mail reader marked read (no "R" in Status).
	Unread int `json:"unread"`
	// Last is the "From " line of the last message: sender and date.
	Last string `json:"last,omitempty"`
	// Partial is true when only the first part was read (a mailbox over 64 MiB):
	// the counts are of that part.
	Partial  bool   `json:"partial,omitempty"`
	Evidence string `json:"evidence"`
}

// Mount is one mounted filesystem (pseudo filesystems left out).
type Mount struct {
	Device     string `json:"device"`
	MountPoint string `json:"mount_point"`
	FSType     string `json:"fstype"`
	Options    string `json:"options,omitempty"`
	Network    bool   `json:"network,omitempty"`
	// Sizes are nil when not measured (network filesystems are not asked: df can
	// hang on them).
	SizeBytes *int64   `json:"size_bytes,omitempty"`
	UsedBytes *int64   `json:"used_bytes,omitempty"`
	UsedPct   *int     `json:"used_pct,omitempty"`
	Evidence  []string `json:"evidence"`
}

// FstabEntry is one line of /etc/fstab, commented-out ones included: an old NFS
// mount commented out is still a dependency somebody once had.
type FstabEntry struct {
	Device     string `json:"device"`
	MountPoint string `json:"mount_point"`
	FSType     string `json:"fstype"`
	Options    string `json:"options,omitempty"`
	Commented  bool   `json:"commented,omitempty"`
	Network    bool   `json:"network,omitempty"`
	Mounted    *bool  `json:"mounted,omitempty"`
	Line       int    `json:"line"`
	Evidence   string `json:"evidence"`
}

// Volume is an LVM logical volume or a software RAID array.
type Volume struct {
	Kind      string   `json:"kind"` // lvm, md
	Name      string   `json:"name"`
	Group     string   `json:"group,omitempty"` // volume group, or RAID level
	SizeBytes int64    `json:"size_bytes,omitempty"`
	Devices   []string `json:"devices,omitempty"`
	State     string   `json:"state,omitempty"`
	Evidence  string   `json:"evidence"`
}

// DataDir is a directory holding data a migration must move.
type DataDir struct {
	Path    string `json:"path"`
	Purpose string `json:"purpose"` // "MySQL/MariaDB data", "mail spool", "web uploads" ...
	// Bytes is the space its files occupy on disk (du's allocated blocks);
	// ApparentBytes the sum of their lengths, far more where a file is sparse (an
	// InnoDB ibdata1) and what a copy to a new host may write. nil when not measured.
	Bytes         *int64 `json:"bytes,omitempty"`
	ApparentBytes *int64 `json:"apparent_bytes,omitempty"`
	// Owner is the service or package the data belongs to.
	Owner    string `json:"owner,omitempty"`
	Evidence string `json:"evidence"`
	// ApparentEvidence is the item ApparentBytes came from.
	ApparentEvidence string `json:"apparent_evidence,omitempty"`
}
