package collect

import (
	"bytes"
	"context"
	"strings"

	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// SSH runs the probe on a remote host over one SSH session. A session that drops
// half-way still returns what arrived, with the error on the result.
func SSH(ctx context.Context, o remote.Options) (*Result, error) {
	c, err := remote.Dial(ctx, o)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var out bytes.Buffer
	res, runErr := c.RunScript(ctx, probe.Script(), &out)
	src := snapshot.Source{
		Kind:   "ssh",
		Target: strings.TrimPrefix(o.Target, "ssh://"),
		Sudo:   res.Sudo,
		Notes:  res.Notes, // already includes the notes from dialling
	}
	if out.Len() == 0 && runErr != nil {
		return nil, runErr
	}
	return finish(out.Bytes(), src, runErr)
}
