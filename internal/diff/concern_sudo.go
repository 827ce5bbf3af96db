package diff

import (
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/snapshot"
)

// ConcernSudo are the sudo rules: who may run what as whom, and on what terms.
const ConcernSudo Concern = "sudo"

var sudoConcern = concern{id: ConcernSudo, section: snapshot.SectionSudo, read: eachSide(sudoItems)}

func sudoItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, r := range s.Accounts.Sudo {
		label := r.Who + " (" + r.RunAs + ") " + strings.Join(r.Commands, ", ")
		out = append(out, item{
			key:   r.Who + "\x00" + r.RunAs + "\x00" + strings.Join(r.Commands, "\x00"),
			label: label,
			fields: []field{
				{"nopasswd", strconv.FormatBool(r.NoPasswd)},
				{"tags", setValue(r.Tags)},
				{"defaults", setValue(r.Defaults)},
			},
			refs: []string{ref(r.Source, 0, "")},
		})
	}
	return merge(out)
}
