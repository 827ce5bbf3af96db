package diff

import (
	"strings"
	"testing"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// A Redmine moved to another directory and upgraded is the same application,
// changed; two PHP sites stay apart by where they are; php.ini's settings are
// compared by file.
func TestApplicationsMatchByWhatTheyAre(t *testing.T) {
	old := everyKind()
	old.Coverage[snapshot.SectionApps] = snapshot.Coverage{Status: snapshot.Collected}
	old.Coverage[snapshot.SectionPHP] = snapshot.Coverage{Status: snapshot.Collected}
	new := clone(t, old)
	a := &new.Middleware.Apps[0]
	a.Name, a.Path, a.Framework, a.Version = "Redmine 5.1.2", "/opt/redmine", "Redmine", "5.1.2"
	new.Middleware.Apps[1].Path = "/srv/shop"
	new.Middleware.Runtimes[0].Settings[0].Value = "512M"
	got := describe(Compare(old, new).Differences)
	for _, want := range []string{
		"changed middleware rails app Redmine 1.4.7 at /var/lib/redmine ≡ rails app Redmine 5.1.2 at /opt/redmine [path: /var/lib/redmine → /opt/redmine]",
		"changed middleware rails app Redmine 1.4.7 at /var/lib/redmine ≡ rails app Redmine 5.1.2 at /opt/redmine [version: 1.4.7 → 5.1.2]",
		"missing middleware php app /var/www/shop",
		"new middleware php app /srv/shop",
		"changed middleware php /etc/php.ini [runtime_settings: memory_limit=128M → memory_limit=512M]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in%s", want, got)
		}
	}
}
