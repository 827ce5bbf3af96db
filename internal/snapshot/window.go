package snapshot

import "time"

// Window is the period an observed snapshot covers (trowel survey --observe).
type Window struct {
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Every   string    `json:"every"` // the sampling interval as given, "5m"
	Samples int       `json:"samples"`
	// Failed counts samples that could not be taken (a dropped session, a timeout);
	// the window still covers the others.
	Failed int `json:"failed,omitempty"`
}

// Seen says when a fact was observed across a window's samples. It is empty for a
// single look.
type Seen struct {
	FirstSeen *time.Time `json:"first_seen,omitempty"`
	LastSeen  *time.Time `json:"last_seen,omitempty"`
	// Samples is in how many samples the fact was present.
	Samples int `json:"samples,omitempty"`
}
