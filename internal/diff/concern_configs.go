package diff

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernConfigs are the configuration files that differ from their package or
// that no package owns, by path.
const ConcernConfigs Concern = "config_files"

var configsConcern = concern{id: ConcernConfigs, section: snapshot.SectionFiles, read: eachSide(configItems)}

func configItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, f := range s.Files.Configs {
		out = append(out, item{
			key:   f.Path,
			label: f.Path,
			fields: []field{
				{"state", f.State},
				{"content", contentHash(f)},
				{"settings", settingsDelta(f)},
				{"mode", f.Mode},
				{"owner", f.Owner},
			},
			refs: refs(f.Evidence),
		})
	}
	return merge(out)
}

// settingsDelta is the settings a file's administrator changed from its packaged
// version, one "section key = value" per change, or "" when the survey did not
// compare the file with a copy of that version: then its settings are unknown, not
// unchanged. Two hosts whose packaged versions differ can still agree on it.
func settingsDelta(f snapshot.ConfigFile) string {
	if f.Baseline == nil || !f.Baseline.Compared {
		return ""
	}
	if len(f.Settings) == 0 {
		return "(none)"
	}
	parts := make([]string, 0, len(f.Settings))
	for _, s := range f.Settings {
		name := strings.TrimSpace(s.Section + " " + s.Key)
		switch {
		case s.Hidden:
			parts = append(parts, name+" "+s.Change+" (value not shown)")
		case s.Change == "removed":
			parts = append(parts, name+" removed "+s.Was)
		default:
			parts = append(parts, strings.TrimSpace(name+" = "+s.Now))
		}
	}
	return strings.Join(parts, "; ")
}

// contentHash identifies a config's (redacted) text; "" when the text was not
// kept, so that a file whose content is unknown on one side is not called changed.
func contentHash(f snapshot.ConfigFile) string {
	if f.Content == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(f.Content))
	return "sha256:" + hex.EncodeToString(sum[:6])
}
