package snapshot

import "time"

// Answer is what one service said when trowel asked it as a client would: one HTTP
// GET with a virtual host's name, or one SMTP dialogue that stops before DATA. The
// asking is done from the operator's machine through the SSH connection, so the
// target sees a client on its own loopback (see internal/collect/ask).
type Answer struct {
	Proto   string `json:"proto" jsonschema:"enum=http,enum=https,enum=smtp"`
	Address string `json:"address"` // where it was asked, host:port as dialled on the target
	Port    int    `json:"port"`
	// Host is the name asked for (HTTP Host header and TLS server name).
	Host string `json:"host,omitempty"`
	Path string `json:"path,omitempty"`
	// Domain is the mail domain of the SMTP dialogue: RCPT TO:<postmaster@Domain>.
	Domain string `json:"domain,omitempty"`
	// Asked is the request in one line, as a person would repeat it.
	Asked string `json:"asked"`
	// Why says what made trowel ask: a vhost at file:line, a listener, a spec.
	Why string `json:"why,omitempty"`
	// Error is set when nothing usable came back: refused, timed out, not the
	// protocol. The service not answering is itself the fact.
	Error   string  `json:"error,omitempty"`
	Seconds float64 `json:"seconds,omitempty"`

	HTTP *HTTPAnswer `json:"http,omitempty"`
	SMTP *SMTPAnswer `json:"smtp,omitempty"`
	TLS  *TLSAnswer  `json:"tls,omitempty"`

	Evidence string `json:"evidence"`
}

// HTTPAnswer is the head of an HTTP response and a fingerprint of its body; the body
// itself and any credential-like header values are never kept.
type HTTPAnswer struct {
	Status      int    `json:"status"`
	StatusLine  string `json:"status_line"`
	Location    string `json:"location,omitempty"`
	Server      string `json:"server,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	// Title is the HTML <title>, whitespace collapsed, when the body read had one.
	Title string `json:"title,omitempty"`
	// BodyBytes and BodySHA256 describe the body as read (up to the read limit;
	// BodyCut says the limit was reached).
	BodyBytes  int64  `json:"body_bytes"`
	BodySHA256 string `json:"body_sha256,omitempty"`
	BodyCut    bool   `json:"body_cut,omitempty"`
}

// SMTPAnswer is the reply codes of a dialogue that never sends DATA: nothing is queued.
type SMTPAnswer struct {
	Greeting int `json:"greeting"`
	// Banner is the first line of the greeting, code stripped.
	Banner string `json:"banner,omitempty"`
	EHLO   int    `json:"ehlo,omitempty"`
	// Extensions are what EHLO advertised (STARTTLS, SIZE 10240000, ...).
	Extensions []string `json:"extensions,omitempty"`
	Mail       int      `json:"mail,omitempty"` // reply to MAIL FROM:<>
	Rcpt       int      `json:"rcpt,omitempty"` // reply to RCPT TO:<postmaster@Domain>
	// RcptText is the first line of the RCPT reply, code stripped ("2.1.5 Ok",
	// "5.7.1 Relay access denied").
	RcptText string `json:"rcpt_text,omitempty"`
}

// TLSAnswer is the certificate a TLS endpoint presented. trowel accepts any
// certificate: it is checking what is served, not trusting it.
type TLSAnswer struct {
	Version  string    `json:"version,omitempty"`
	Subject  string    `json:"subject,omitempty"`
	Issuer   string    `json:"issuer,omitempty"`
	DNSNames []string  `json:"dns_names,omitempty"`
	NotAfter time.Time `json:"not_after"`
}
