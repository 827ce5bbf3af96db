package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/trowel-dev/trowel/internal/usererr"
)

// TokenEnv names the variable that gives the token, instead of a new one
// printed at start.
const TokenEnv = "TROWEL_TOKEN"

// Options are trowel serve's: where to listen and how.
type Options struct {
	// Listen is host:port; a port of 0 takes a free one.
	Listen string
	// TLSCert and TLSKey serve HTTPS with this certificate.
	TLSCert, TLSKey string
	// BehindProxy says a reverse proxy in front terminates TLS: every request
	// then needs the token (the proxy brings the network's requests), and its
	// X-Forwarded-For is trusted for the client's address.
	BehindProxy bool
	// Token is the token to use (from TokenEnv); "" makes a new one, printed.
	Token string
	// Out receives the address and the token, once.
	Out io.Writer
	// Ready, when set, is told the address listened on.
	Ready func(addr string)
}

// Server timeouts: a client that sends its request slowly or never reads the
// answer does not hold a connection for long.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 2 * time.Minute // an Ansible project of a large host takes a moment
	idleTimeout       = 2 * time.Minute
)

// Serve listens as opt says and serves cfg's store until ctx ends. Off
// loopback it refuses to start without TLS or a proxy that terminates it.
func Serve(ctx context.Context, cfg Config, opt Options) error {
	host, _, err := net.SplitHostPort(opt.Listen)
	if err != nil {
		return usererr.Errorf("Give --listen as HOST:PORT, such as 127.0.0.1:8080 or 0.0.0.0:8443.", "--listen %q: %v", opt.Listen, err)
	}
	useTLS := opt.TLSCert != "" || opt.TLSKey != ""
	if useTLS && (opt.TLSCert == "" || opt.TLSKey == "") {
		return usererr.Errorf("Give both --tls-cert and --tls-key.", "TLS needs a certificate and its key")
	}
	loopback := isLoopback(host)
	if !loopback && !useTLS && !opt.BehindProxy {
		return usererr.Errorf("Give --tls-cert and --tls-key, or --behind-proxy when a reverse proxy in front terminates TLS (README: a team's trowel serve).",
			"refusing to serve %s without TLS: it is not a loopback address, and the token would cross the network in the clear", opt.Listen)
	}
	fromEnv := opt.Token != ""
	cfg.Token = opt.Token
	if !fromEnv {
		cfg.Token = NewToken()
	} else if len(cfg.Token) < MinToken {
		return usererr.Errorf("Make the token at least 16 characters, such as: head -c 32 /dev/urandom | base64", "%s is too short", TokenEnv)
	}
	cfg.Private = !loopback || opt.BehindProxy
	cfg.Secure = useTLS || opt.BehindProxy
	cfg.BehindProxy = opt.BehindProxy
	srv, err := New(cfg)
	if err != nil {
		return err
	}
	var tlsConfig *tls.Config
	if useTLS {
		cert, err := tls.LoadX509KeyPair(opt.TLSCert, opt.TLSKey)
		if err != nil {
			return usererr.Errorf("", "cannot read the TLS certificate and key: %v", err)
		}
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	}
	ln, err := net.Listen("tcp", opt.Listen)
	if err != nil {
		return usererr.Errorf("", "cannot listen on %s: %v", opt.Listen, err)
	}
	if tlsConfig != nil {
		ln = tls.NewListener(ln, tlsConfig)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          srv.log,
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	out := opt.Out
	if out == nil {
		out = os.Stderr
	}
	fmt.Fprintf(out, "trowel serve: %s://%s/ (store %s)\n", scheme, ln.Addr(), cfg.Store.Location())
	switch {
	case fromEnv:
		fmt.Fprintf(out, "  token: from %s\n", TokenEnv)
	case cfg.Private:
		fmt.Fprintf(out, "  token (every page needs it; shown once): %s\n", cfg.Token)
	default:
		fmt.Fprintf(out, "  token (notes need it; shown once): %s\n", cfg.Token)
	}
	if opt.Ready != nil {
		opt.Ready(ln.Addr().String())
	}
	go func() {
		if err := srv.Warm(ctx); err != nil && ctx.Err() == nil {
			srv.log.Printf("reading the estate: %v", err)
		}
	}()
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// isLoopback says whether a listen address's host stays on this machine. A
// name other than localhost is not taken on trust: it may resolve elsewhere.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
