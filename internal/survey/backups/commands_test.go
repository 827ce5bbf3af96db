package backups

import (
	"fmt"
	"testing"
)

func TestParseCommands(t *testing.T) {
	cases := []struct{ in, want string }{
		{"mysqldump --single-transaction redmine | gzip >/var/backups/redmine/redmine-$(date +%Y%m%d).sql.gz",
			"[{mysqldump redmine /var/backups/redmine/redmine-$(date +%Y%m%d).sql.gz false 1}]"},
		{`tar czf /var/backups/etc-$(date +\%a).tar.gz /etc 2>/dev/null`,
			"[{tar /etc /var/backups/etc-$(date +\\%a).tar.gz false 1}]"},
		{"rsync -az --delete /var/www/ backup@10.0.0.5:/srv/www/", "[{rsync /var/www/ backup@10.0.0.5:/srv/www/ true 1}]"},
		{"cd /srv && nice -n 19 pg_dump -Fc app > /backup/app.dump", "[{pg_dump app /backup/app.dump false 1}]"},
		{"aws s3 cp x s3://b/ ; echo dump done", "[]"},
		{"# tar czf /x.tgz /etc", "[]"},
		{"restic -r s3:s3.amazonaws.com/bucket backup /home", "[{restic  s3:s3.amazonaws.com/bucket true 1}]"},
		{"find /var/backups -name '*.gz' -mtime +14 -delete", "[]"},
	}
	for _, c := range cases {
		got := ParseCommands(c.in)
		if s := fmt.Sprint(trim(got)); s != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.in, s, c.want)
		}
	}
}

func trim(us []Use) []Use {
	if us == nil {
		return []Use{}
	}
	return us
}
