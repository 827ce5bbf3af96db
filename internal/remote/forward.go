package remote

import (
	"context"
	"errors"
	"fmt"
	"net"

	"golang.org/x/crypto/ssh"
)

// ErrForwardingDenied is returned by DialContext when the target's SSH server refuses
// to open TCP connections for the client (OpenSSH: AllowTcpForwarding no).
var ErrForwardingDenied = errors.New("the SSH server does not allow TCP forwarding (AllowTcpForwarding no)")

// DialContext opens a TCP connection from the target's side, through the connection
// the probe ran over (an SSH direct-tcpip channel): "127.0.0.1:80" is the target's
// own loopback. Nothing runs on the target for it. The connection has no deadlines
// (SSH channels have none): bound it by closing it.
func (c *Client) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	conn, err := c.ssh.DialContext(ctx, network, addr)
	if err == nil {
		return conn, nil
	}
	var oce *ssh.OpenChannelError
	if errors.As(err, &oce) && oce.Reason == ssh.Prohibited {
		return nil, fmt.Errorf("%w: %s", ErrForwardingDenied, oce.Message)
	}
	return nil, err
}
