// Package answer is the evidence format of what a host's services said when trowel
// asked them as a client would: one meta item per question (the request and the reply
// as received) and one index item saying whether, how and what was asked. The asker
// (internal/collect/ask) writes it after the probe; the answers surveyor and verify
// read it, so the format lives here, below both.
package answer

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// HeloName is the name trowel gives itself in EHLO: a reserved domain, so no mail
// server mistakes it for a real client.
const HeloName = "trowel.invalid"

// MaxRequests bounds how many questions one collection asks: each leaves a line in a
// log on the target, and a host with hundreds of vhosts is described well enough by
// the first ones (the rest are listed as left out, so the bound is visible).
const MaxRequests = 32

// IndexName is the meta item that says whether and how the services were asked, and
// which answer items belong to the asking.
const IndexName = "answers"

// itemPrefix starts the name of every answer item.
const itemPrefix = "answer/"

// Request is one question to one service.
type Request struct {
	Proto   string `json:"proto"`   // http, https, smtp
	Address string `json:"address"` // host:port dialled from the target's side
	Port    int    `json:"port"`
	// Host is the HTTP Host header and TLS server name.
	Host string `json:"host,omitempty"`
	Path string `json:"path,omitempty"`
	// Domain is the SMTP recipient's domain: RCPT TO:<postmaster@Domain>.
	Domain string `json:"domain,omitempty"`
	// Why says what made trowel ask: a vhost at file:line, a listener, a spec.
	Why string `json:"why,omitempty"`
}

// Name is the request's evidence item name, unique per question.
func (r Request) Name() string {
	subject := r.Host + r.Path
	if r.Proto == "smtp" {
		subject = "postmaster@" + r.Domain
	}
	return itemPrefix + r.Proto + "/" + r.Address + "/" + clean(subject)
}

// Describe says what was asked in one line.
func (r Request) Describe() string {
	if r.Proto == "smtp" {
		return fmt.Sprintf("SMTP %s: EHLO %s, MAIL FROM:<>, RCPT TO:<postmaster@%s>, RSET, QUIT (no DATA)", r.Address, HeloName, r.Domain)
	}
	return fmt.Sprintf("GET %s://%s%s via %s", r.Proto, r.Authority(), r.Path, r.Address)
}

// Authority is the HTTP Host header: the name, with the port when it is not the
// scheme's own.
func (r Request) Authority() string {
	if (r.Proto == "http" && r.Port == 80) || (r.Proto == "https" && r.Port == 443) {
		return r.Host
	}
	return net.JoinHostPort(r.Host, strconv.Itoa(r.Port))
}

// clean keeps a name to one token: the evidence format separates a meta item's name
// from its description by the first space.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, s)
}

// Record is the JSON body of an answer item: the request and what came back.
type Record struct {
	Request Request `json:"request"`
	// Error says why nothing usable came back: refused, timed out, not the protocol.
	Error   string     `json:"error,omitempty"`
	Seconds float64    `json:"seconds"`
	HTTP    *HTTPReply `json:"http,omitempty"`
	SMTP    []Reply    `json:"smtp,omitempty"`
	TLS     *TLSInfo   `json:"tls,omitempty"`
}

// HTTPReply is a response head as received, minus the values of headers that can
// carry credentials, and a fingerprint of the body read.
type HTTPReply struct {
	StatusLine string   `json:"status_line"`
	Status     int      `json:"status"`
	Headers    []Header `json:"headers"`
	BodyBytes  int64    `json:"body_bytes"`
	BodySHA256 string   `json:"body_sha256"`
	// BodyCut says the read limit was reached before the body ended.
	BodyCut bool `json:"body_cut,omitempty"`
	// Title is the HTML <title> of the body read.
	Title string `json:"title,omitempty"`
}

// Header is one response header line.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Reply is one step of an SMTP dialogue: what trowel sent ("" for the greeting) and
// the reply's code and first line; for EHLO also the extensions advertised.
type Reply struct {
	Sent       string   `json:"sent,omitempty"`
	Code       int      `json:"code"`
	Text       string   `json:"text,omitempty"`
	Extensions []string `json:"extensions,omitempty"`
}

// TLSInfo is the certificate presented; it is recorded, not trusted.
type TLSInfo struct {
	Version  string    `json:"version"`
	Subject  string    `json:"subject"`
	Issuer   string    `json:"issuer"`
	DNSNames []string  `json:"dns_names,omitempty"`
	NotAfter time.Time `json:"not_after"`
}

// Index is the JSON body of the index item.
type Index struct {
	// Via says how the services were reached.
	Via string `json:"via"`
	// Items are the IDs of the answer items, in the order asked.
	Items []string `json:"items"`
	// LeftOut are requests planned beyond the limit, not asked.
	LeftOut []Request `json:"left_out,omitempty"`
	// Blind says why the plan may have missed services (the listeners were not
	// collected, so only configured ones were asked).
	Blind string `json:"blind,omitempty"`
	// Stopped says why the asking ended before the plan did (the connection was
	// lost, the time limit of the collection came); LeftOut then holds the rest.
	Stopped string `json:"stopped,omitempty"`
}

// Item is the record as an evidence item, named after its request; a record whose
// question got no usable reply says why on the item too.
func (rec Record) Item() *evidence.Item {
	body, _ := json.Marshal(rec)
	it := &evidence.Item{Kind: evidence.KindMeta, Name: rec.Request.Name(), Command: rec.Request.Describe(), Limit: -1,
		Status: evidence.StatusOK, Data: body}
	if rec.Error != "" {
		it.RC, it.Stderr = 1, []byte(rec.Error)
	}
	return it
}

// Item is the index as an evidence item with status st; why, when set, says what
// ended the asking.
func (ix Index) Item(st evidence.Status, why string) *evidence.Item {
	body, _ := json.Marshal(ix)
	it := &evidence.Item{Kind: evidence.KindMeta, Name: IndexName, Command: "trowel ask", Limit: -1, Status: st, Data: body}
	if why != "" {
		it.Stderr = []byte(why)
	}
	return it
}

// NotAsked is the index item of a collection that deliberately asked nothing.
func NotAsked(why string) *evidence.Item {
	return &evidence.Item{Kind: evidence.KindMeta, Name: IndexName, Command: "trowel ask", Limit: -1,
		Status: evidence.StatusSkipped, Data: []byte("{}"), Stderr: []byte(why)}
}

// ParseIndex reads an index item's body.
func ParseIndex(data []byte) (Index, error) {
	var ix Index
	err := json.Unmarshal(data, &ix)
	return ix, err
}

// ParseRecord reads an answer item's body.
func ParseRecord(data []byte) (Record, error) {
	var r Record
	err := json.Unmarshal(data, &r)
	if err == nil && r.Request.Proto == "" {
		err = fmt.Errorf("no request in the answer record")
	}
	return r, err
}
