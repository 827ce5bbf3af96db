package diff

import (
	"crypto/sha256"
	"encoding/hex"

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
				{"mode", f.Mode},
				{"owner", f.Owner},
			},
			refs: refs(f.Evidence),
		})
	}
	return merge(out)
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
