// Package remote connects to the host being surveyed and runs the probe there: one SSH
// connection (through jump hosts if needed), one shell reading the probe script on its
// standard input, the evidence streamed back as it arrives.
//
// It follows the operator's OpenSSH setup (~/.ssh/config, ssh-agent, known_hosts)
// because that is what already works for them, and it refuses to be more lenient than
// OpenSSH where that would be unsafe: host keys are checked, a changed key is never
// accepted, and legacy algorithms (which CentOS 5 needs) are only used on an explicit
// retry that leaves a note in the result.
package remote

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
)

// Options says where to connect and how.
type Options struct {
	// Target is "[ssh://][user@]host[:port]" or a Host alias from the ssh config.
	Target string
	// ConfigFile is the ssh config to read: "" for ~/.ssh/config and
	// /etc/ssh/ssh_config, "none" for no config at all.
	ConfigFile string
	// KnownHostsFile replaces the ssh config's UserKnownHostsFile (by default
	// ~/.ssh/known_hosts) for reading and for recording accepted keys.
	KnownHostsFile string
	// AcceptNewHostKey trusts a host key that known_hosts does not know and appends
	// it there. A key that differs from a known one is always refused.
	AcceptNewHostKey bool
	// IdentityFiles are private keys to offer, before those the ssh config names;
	// keys in ssh-agent are offered first.
	IdentityFiles []string
	// Jump replaces the ssh config's ProxyJump: "[user@]host[:port][,…]", first hop
	// first, or "none".
	Jump string
	// Sudo runs the probe as root through sudo.
	Sudo bool
	// SudoPassword is called at most once, and only when sudo asks for a password.
	// When nil, a sudo that wants a password is an error. The password is never
	// logged or kept: trowel copies it, overwrites the returned slice with zeros, and
	// wipes its copy when RunScript returns.
	SudoPassword func() ([]byte, error)
	// ConnectTimeout bounds connecting to each hop (TCP and SSH handshake). Zero
	// means the ssh config's ConnectTimeout, or 15 seconds.
	ConnectTimeout time.Duration
	// Timeout bounds everything from Dial to the end of RunScript; default 10 minutes.
	Timeout time.Duration
	// Logf receives notes for the user as they happen; may be nil.
	Logf func(format string, args ...any)
}

// Result describes a run.
type Result struct {
	User  string   // the login user on the target
	Sudo  bool     // the probe ran as root through sudo
	Notes []string // things the user should know, e.g. legacy algorithms used
	// BytesRead counts the evidence bytes written to the caller's writer.
	BytesRead int64
}

const (
	defaultConnectTimeout = 15 * time.Second
	defaultTimeout        = 10 * time.Minute
	defaultAliveInterval  = 30 * time.Second
	defaultAliveCount     = 3
)

// Client is a connection to the target.
type Client struct {
	o        Options
	target   *hop
	conns    []*ssh.Client // first hop first; the last is the target
	ssh      *ssh.Client
	deadline time.Time

	mu      sync.Mutex
	notes   []string
	closed  bool
	dropped string // why the connection was given up (keepalive), if it was

	stopAlive chan struct{}
	connDone  chan struct{} // closed when the connection to the target has ended
}

// Dial connects to the target through any jump hosts and logs in.
func Dial(ctx context.Context, o Options) (*Client, error) {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	c := &Client{o: o, deadline: time.Now().Add(o.Timeout), stopAlive: make(chan struct{}), connDone: make(chan struct{})}
	ctx, cancel := context.WithDeadline(ctx, c.deadline)
	defer cancel()

	target, err := parseEndpoint(o.Target)
	if err != nil {
		return nil, err
	}
	if o.Jump != "" {
		if _, err := parseJumpList(o.Jump); err != nil {
			return nil, err
		}
	}
	cfg, err := loadSSHConfig(o.ConfigFile, c.note)
	if err != nil {
		return nil, err
	}
	hops, err := cfg.chain(target, o.Jump)
	if err != nil {
		return nil, err
	}
	keys, err := newKeyring(o.IdentityFiles, c.note)
	if err != nil {
		return nil, err
	}
	// The agent is needed for logging in only; nothing later may use it.
	defer keys.close()

	d := &dialer{o: &c.o, keys: keys, note: c.note}
	var via *ssh.Client
	var viaHop *hop
	for _, h := range hops {
		sc, err := d.dialHop(ctx, h, via, viaHop)
		if err != nil {
			c.closeConns()
			if ctx.Err() != nil && !isUserError(err) {
				return nil, d.canceled(ctx, h, err)
			}
			return nil, err
		}
		c.conns = append(c.conns, sc)
		via, viaHop = sc, h
	}
	c.target = hops[len(hops)-1]
	c.ssh = via
	go c.keepalive(c.target)
	go func() {
		// Notice a connection that dies on its own (reset, jump host gone) so the
		// error of a run in progress can say so.
		err := c.ssh.Wait()
		c.mu.Lock()
		if !c.closed && c.dropped == "" {
			c.dropped = "the SSH connection was lost"
			if err != nil {
				c.dropped += ": " + err.Error()
			}
		}
		c.mu.Unlock()
		close(c.connDone)
	}()
	return c, nil
}

func isUserError(err error) bool {
	var ue *UserError
	return errors.As(err, &ue)
}

// Notes returns the notes gathered so far (also part of every Result).
func (c *Client) Notes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.notes)
}

func (c *Client) note(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	c.mu.Lock()
	c.notes = append(c.notes, s)
	c.mu.Unlock()
	c.o.Logf("%s", s)
}

// Close ends the connection and those to the jump hosts.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.stopAlive)
	c.mu.Unlock()
	return c.closeConns()
}

func (c *Client) closeConns() error {
	var first error
	for i := len(c.conns) - 1; i >= 0; i-- {
		if err := c.conns[i].Close(); err != nil && first == nil && !errors.Is(err, errClosedConn) {
			first = err
		}
	}
	return first
}

var errClosedConn = errors.New("use of closed network connection")

// keepalive notices a connection that silently died (a NAT table dropped it, a
// firewall, a cable): without it a quiet probe step would look the same as a dead
// link until the overall timeout.
func (c *Client) keepalive(h *hop) {
	interval, count := defaultAliveInterval, defaultAliveCount
	if h.aliveSet {
		interval = h.aliveInterval
	}
	if h.aliveCount > 0 {
		count = h.aliveCount
	}
	if interval == 0 {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-c.stopAlive:
			return
		case <-t.C:
		}
		reply := make(chan error, 1)
		go func() {
			_, _, err := c.ssh.SendRequest("keepalive@openssh.com", true, nil)
			reply <- err
		}()
		select {
		case <-c.stopAlive:
			return
		case err := <-reply:
			if err != nil {
				return // the connection is gone; Wait reports why
			}
		case <-time.After(interval * time.Duration(count)):
			c.mu.Lock()
			if c.dropped == "" {
				c.dropped = fmt.Sprintf("the server stopped answering (no reply to keepalives for %s)", interval*time.Duration(count))
			}
			c.mu.Unlock()
			c.closeConns()
			return
		}
	}
}

// dropReason says why the connection ended, if it did. A session that ends without
// an exit status usually means the connection is going down; give it a moment to say
// so, since that is the more useful explanation.
func (c *Client) dropReason() string {
	select {
	case <-c.connDone:
	case <-time.After(500 * time.Millisecond):
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dropped
}

// dialer connects hop by hop.
type dialer struct {
	o    *Options
	keys *keyring
	note func(string, ...any)
}

func (d *dialer) timeout(h *hop) time.Duration {
	switch {
	case d.o.ConnectTimeout > 0:
		return d.o.ConnectTimeout
	case h.connectTimeout > 0:
		return h.connectTimeout
	}
	return defaultConnectTimeout
}

// dialHop connects to one hop, directly or through the previous one. It tries the
// modern algorithms first and retries once with legacy ones only when the server
// could not agree on any modern algorithm.
func (d *dialer) dialHop(ctx context.Context, h *hop, via *ssh.Client, viaHop *hop) (*ssh.Client, error) {
	hk, err := newHostKeys(h, d.o, d.note)
	if err != nil {
		return nil, err
	}
	creds := d.keys.credentialsFor(h)

	why := "the server offered nothing newer"
	var demote ssh.PublicKey
	if hk.known() && len(hostKeyAlgorithms(hk, false)) == 0 {
		why = "known_hosts only holds a legacy (" + strings.Join(hk.algorithms(), ", ") + ") key for it"
	} else {
		sc, att, err := d.handshake(ctx, h, via, hk, creds, false, nil)
		if err == nil {
			return sc, nil
		}
		var neg *ssh.AlgorithmNegotiationError
		switch {
		case errors.As(err, &neg):
		case errors.Is(err, errLegacySignature):
			why = "the server can only check a SHA-1 signature from the key it accepted"
			demote = att.sha1Key
		default:
			return nil, d.explain(h, viaHop, att, err)
		}
	}
	sc, att, err := d.handshake(ctx, h, via, hk, creds, true, demote)
	if err != nil {
		return nil, d.explain(h, viaHop, att, err)
	}
	algs := ssh.NegotiatedAlgorithms{}
	if m, ok := sc.Conn.(ssh.AlgorithmsConnMetadata); ok {
		algs = m.Algorithms()
	}
	d.note("%s", legacyNote(h.label(), algs, att, why))
	return sc, nil
}

func (d *dialer) handshake(ctx context.Context, h *hop, via *ssh.Client, hk *hostKeys, creds []credential, useLegacy bool, demote ssh.PublicKey) (*ssh.Client, *attempt, error) {
	att := &attempt{legacy: useLegacy}
	algs := modern
	if useLegacy {
		algs = legacy
	}
	cfg := &ssh.ClientConfig{
		Config: ssh.Config{
			KeyExchanges: algs.KeyExchanges,
			Ciphers:      algs.Ciphers,
			MACs:         algs.MACs,
		},
		User:              h.user,
		Auth:              authMethods(creds, att, demote),
		HostKeyCallback:   hk.check,
		HostKeyAlgorithms: hostKeyAlgorithms(hk, useLegacy),
		ClientVersion:     "SSH-2.0-trowel",
		AuthCallback: func(ac *ssh.ClientAuthContext) (ssh.AuthMethod, error) {
			att.authStarted = true
			att.allowed = ac.AllowedMethods
			return nil, nil
		},
		BannerCallback: func(string) error { return nil },
	}

	hctx, cancel := context.WithTimeout(ctx, d.timeout(h))
	defer cancel()
	var conn net.Conn
	var err error
	if via == nil {
		var nd net.Dialer
		conn, err = nd.DialContext(hctx, "tcp", h.addr())
	} else {
		conn, err = via.DialContext(hctx, "tcp", h.addr())
	}
	if err != nil {
		if hctx.Err() != nil && ctx.Err() == nil {
			return nil, att, errHopTimeout
		}
		return nil, att, &dialError{err: err}
	}
	// Closing the connection is the only way to interrupt a handshake, and the only
	// one that works for a channel through a jump host, which has no deadlines.
	stop := context.AfterFunc(hctx, func() { conn.Close() })
	sc, chans, reqs, err := ssh.NewClientConn(conn, h.addr(), cfg)
	if !stop() {
		if err == nil {
			sc.Close()
		}
		if ctx.Err() != nil {
			return nil, att, ctx.Err()
		}
		return nil, att, errHopTimeout
	}
	if err != nil {
		conn.Close()
		return nil, att, err
	}
	return ssh.NewClient(sc, chans, reqs), att, nil
}

var errHopTimeout = errors.New("connection timed out")

type dialError struct{ err error }

func (e *dialError) Error() string { return e.err.Error() }
func (e *dialError) Unwrap() error { return e.err }

func (d *dialer) canceled(ctx context.Context, h *hop, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &UserError{
			Msg:  fmt.Sprintf("gave up connecting to %s: the overall time limit (%s) ran out", h.label(), d.o.Timeout),
			Hint: "Raise the time limit, or check why the connection is so slow",
			Err:  err,
		}
	}
	return fmt.Errorf("connecting to %s: %w", h.label(), ctx.Err())
}
