// Package ask asks a host's services what a client would ask them (one HTTP GET per
// virtual host, one SMTP dialogue that stops before DATA) and keeps what they said as
// evidence items (internal/evidence/answer), so a survey re-reads the answers offline
// like any other evidence.
//
// The asking runs on the operator's machine. Over SSH it goes through the connection
// the probe used (direct-tcpip channels): the target runs nothing, and its services
// see a client on their own loopback. Each request leaves one line in an access log
// or the mail log, which is why trowel's commands have --no-ask.
package ask

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/evidence/answer"
)

// Dialer opens a TCP connection from the target's side.
type Dialer func(ctx context.Context, network, addr string) (net.Conn, error)

// ErrDenied is what a Dialer wraps when the transport refuses to open connections
// at all (an SSH server with AllowTcpForwarding no): nothing more can be asked.
var ErrDenied = errors.New("connections to the target's services are not allowed")

// ErrLost is what a Dialer wraps when the transport itself failed (the SSH connection
// dropped): the service did not refuse anything, so the asking stops and what was not
// asked is listed as such, never recorded as the service's silence.
var ErrLost = errors.New("the connection to the target was lost")

// Limits of one question: a service that takes longer or says more is described by
// what arrived.
const (
	Timeout = 5 * time.Second
	MaxRead = 64 << 10
	maxLine = 200
)

// Asker asks the questions of a plan; UserAgent names trowel to the web servers.
type Asker struct {
	Dial      Dialer
	Via       string // how the services are reached, for the index
	UserAgent string
}

// Run asks every request of the plan in turn and returns the answer items followed
// by the index item. A transport that refuses forwarding ends the asking: the index
// then says so (status denied) and no answer items are returned.
func (a Asker) Run(ctx context.Context, p Plan) []*evidence.Item {
	ix := answer.Index{Via: a.Via, Items: []string{}, LeftOut: p.LeftOut, Blind: p.Blind}
	var items []*evidence.Item
	for i, r := range p.Requests {
		rec, err := a.one(ctx, r)
		if errors.Is(err, ErrDenied) {
			return []*evidence.Item{ix.Item(evidence.StatusDenied, "the services were not asked: "+err.Error())}
		}
		if err != nil {
			ix.Stopped = "asking stopped: " + oneLine(err.Error())
			ix.LeftOut = append(slices.Clone(p.Requests[i:]), ix.LeftOut...)
			break
		}
		it := rec.Item()
		items = append(items, it)
		ix.Items = append(ix.Items, it.ID())
	}
	return append(items, ix.Item(evidence.StatusOK, ""))
}

// one asks one question. It returns the transport's refusal separately: that is not
// the service's answer.
func (a Asker) one(ctx context.Context, r answer.Request) (answer.Record, error) {
	rec := answer.Record{Request: r}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return rec, fmt.Errorf("%w: %v", ErrLost, err)
	}
	conn, err := a.Dial(ctx, "tcp", r.Address)
	if err != nil {
		if errors.Is(err, ErrDenied) || errors.Is(err, ErrLost) {
			return rec, err
		}
		rec.Error = describe(ctx, err)
		rec.Seconds = seconds(time.Since(start))
		return rec, nil
	}
	// SSH channels have no deadlines: the time limit closes the connection, which
	// ends any read or write in progress.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	defer conn.Close()
	if r.Proto == "smtp" {
		rec.SMTP, err = converse(conn, r.Domain)
	} else {
		rec.HTTP, rec.TLS, err = get(ctx, conn, r, a.UserAgent)
	}
	if err != nil {
		rec.Error = describe(ctx, err)
	}
	rec.Seconds = seconds(time.Since(start))
	return rec, nil
}

// describe words an error for a reader of the snapshot: a time limit is said as such
// rather than as the closed connection it caused.
func describe(ctx context.Context, err error) string {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return "no answer within " + Timeout.String()
	}
	s := err.Error()
	if strings.Contains(strings.ToLower(s), "connection refused") || strings.Contains(s, "connect failed") {
		return "connection refused"
	}
	return oneLine(s)
}

func seconds(d time.Duration) float64 { return float64(d.Milliseconds()) / 1000 }

// oneLine keeps the first line of s, bounded.
func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.TrimSpace(strings.TrimRight(s, "\r"))
	if len(s) > maxLine {
		s = s[:maxLine] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}
