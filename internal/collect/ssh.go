package collect

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/trowel-dev/trowel/internal/collect/ask"
	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/probe"
	"github.com/trowel-dev/trowel/internal/remote"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// SSH runs the probe on a remote host over one SSH session. A session that drops
// half-way still returns what arrived, with the error on the result.
func SSH(ctx context.Context, o remote.Options) (*Result, error) { return SSHAndAsk(ctx, o, nil, nil) }

// SSHAndAsk is SSH followed, when then is set, by asking the host's services through
// the same connection (direct-tcpip channels), before it is closed; early, when set,
// gets each item as soon as it has arrived, while the probe still runs.
func SSHAndAsk(ctx context.Context, o remote.Options, then AskFunc, early func(*evidence.Item)) (*Result, error) {
	c, err := remote.Dial(ctx, o)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var out bytes.Buffer
	f := follower(early)
	// The probe runs in two halves at once, the second's records coming on the
	// session's standard error, wherever that is apart from its output.
	m := merge(&out, f)
	res, runErr := c.RunScriptSplit(ctx, probe.Script(), m.First(), remote.Split{Arg: probe.HalvesArg, Stream: m.Second})
	m.Close() // into memory: no error to write
	if f != nil {
		f.Close()
	}
	src := snapshot.Source{
		Kind:   "ssh",
		Target: strings.TrimPrefix(o.Target, "ssh://"),
		Login:  res.User,
		Sudo:   res.Sudo,
		Notes:  res.Notes, // already includes the notes from dialling
	}
	if out.Len() == 0 && runErr != nil {
		return nil, runErr
	}
	r, err := finish(out.Bytes(), src, runErr)
	if err == nil && then != nil && runErr == nil {
		r.append(then(ctx, r.Archive, r.Source, forwardDialer(c)))
	}
	return r, err
}

// forwardDialer opens connections from the target's side and tells the asking apart
// a service that refused (the answer) from a server that forbids forwarding or a
// connection that is gone (no answer at all).
func forwardDialer(c *remote.Client) ask.Dialer {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := c.DialContext(ctx, network, addr)
		if err == nil {
			return conn, nil
		}
		var oce *ssh.OpenChannelError
		switch {
		case errors.Is(err, remote.ErrForwardingDenied):
			return nil, fmt.Errorf("%w: %v", ask.ErrDenied, err)
		case errors.As(err, &oce), ctx.Err() != nil:
			return nil, err // the service's side: refused, unreachable, or too slow
		}
		return nil, fmt.Errorf("%w: %v", ask.ErrLost, err)
	}
}
