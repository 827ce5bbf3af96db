package diff

import "github.com/trowel-dev/trowel/internal/snapshot"

// certificatesConcern compares the TLS certificates configs name, by path: whom
// each names (its subject and SANs).
var certificatesConcern = concern{id: ConcernMiddleware, section: snapshot.SectionCertificates, read: eachSide(certificateItems)}

func certificateItems(s *snapshot.Snapshot) []item {
	var out []item
	for _, ce := range s.Middleware.Certificates {
		out = append(out, item{
			key:    "cert " + ce.Path,
			label:  "certificate " + ce.Path,
			fields: []field{{"subject", ce.Subject}, {"sans", setValue(ce.SANs)}},
			refs:   snapshot.AppendNew(refs(ce.UsedBy), ce.Evidence...),
		})
	}
	return merge(out)
}
