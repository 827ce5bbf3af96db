package distro

import "strings"

// packagingSettings are settings a package's install writes for its own
// distribution's layout or release, which a replacement on another release sets
// for itself: Postfix's postinst names Debian's or Red Hat's directories and the
// compatibility level of the version it installed. Carrying them over would break
// the new host; expecting them on it would raise false alarms.
var packagingSettings = map[string]map[string]bool{
	"postfix": {
		"readme_directory": true, "html_directory": true, "manpage_directory": true, "sample_directory": true,
		"daemon_directory": true, "data_directory": true, "queue_directory": true, "command_directory": true,
		"mail_owner": true, "setgid_group": true, "sendmail_path": true, "newaliases_path": true, "mailq_path": true,
		"meta_directory": true, "shlib_directory": true, "compatibility_level": true,
	},
	// my.cnf's lines on where the distribution put things and who runs the
	// server: Debian's, Red Hat's and a tarball's each differ.
	"mysql":   mysqlLayout,
	"mariadb": mysqlLayout,
}

var mysqlLayout = map[string]bool{
	"user": true, "pid_file": true, "socket": true, "basedir": true, "datadir": true, "tmpdir": true,
	"lc_messages_dir": true, "lc_messages": true, "skip_external_locking": true, "log_error": true,
}

// PackagingSetting reports whether a setting of software is one its package writes
// for the distribution and release (see packagingSettings), rather than a choice
// of the host's administrator.
func PackagingSetting(software, key string) bool {
	return packagingSettings[strings.ToLower(software)][strings.ReplaceAll(strings.ToLower(key), "-", "_")]
}
