package remote

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
)

// explain turns a failed connection attempt into something the operator can act on.
func (d *dialer) explain(h *hop, via *hop, att *attempt, err error) error {
	var ue *UserError
	if errors.As(err, &ue) {
		return ue
	}
	where := ""
	if via != nil {
		where = " (through " + via.label() + ")"
	}
	addr := display(h.host, h.port)
	var neg *ssh.AlgorithmNegotiationError
	var oce *ssh.OpenChannelError
	var dns *net.DNSError
	var de *dialError
	switch {
	case errors.Is(err, errHopTimeout):
		return &UserError{
			Msg:  fmt.Sprintf("no SSH answer from %s%s within %s", addr, where, d.timeout(h)),
			Hint: "Check the host name and port, and that no firewall drops the connection; if the host is just slow, raise ConnectTimeout",
			Err:  err,
		}
	case errors.As(err, &oce) && via != nil:
		return &UserError{
			Msg:  fmt.Sprintf("the jump host %s could not connect to %s: %s", via.label(), addr, strings.TrimSpace(oce.Message)),
			Hint: "Check the host name and port as the jump host sees them, and that the jump host allows TCP forwarding (AllowTcpForwarding in its sshd_config)",
			Err:  err,
		}
	case errors.As(err, &dns):
		return &UserError{
			Msg:  fmt.Sprintf("cannot find the host %q%s: %s", h.host, where, dns.Err),
			Hint: "Check the spelling, or the Host and HostName lines of the ssh config",
			Err:  err,
		}
	case errors.As(err, &de):
		return &UserError{
			Msg:  fmt.Sprintf("cannot connect to %s%s: %v", addr, where, opCause(de.err)),
			Hint: "Check the host name and port (host:port, or Port in the ssh config) and that sshd runs there",
			Err:  err,
		}
	case errors.As(err, &neg) && !att.authStarted:
		return &UserError{
			Msg: fmt.Sprintf("%s and trowel have no SSH algorithm in common, even allowing legacy ones (%s: trowel offered %s; the server offered %s)",
				h.label(), neg.What, strings.Join(neg.SupportedAlgorithms, ","), strings.Join(neg.RequestedAlgorithms, ",")),
			Hint: "The server needs an algorithm trowel does not implement; survey it from a bundle (run the probe on the host by hand) instead",
			Err:  err,
		}
	case att != nil && (att.authStarted || strings.Contains(err.Error(), "unable to authenticate")):
		return d.authError(h, att, err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "connection reset"):
		return &UserError{
			Msg:  fmt.Sprintf("%s%s closed the connection during the SSH handshake", h.label(), where),
			Hint: "The server may refuse this client (TCP wrappers in /etc/hosts.deny, AllowUsers), be overloaded (MaxStartups), or not be an SSH server; its auth log says which",
			Err:  err,
		}
	}
	return fmt.Errorf("SSH connection to %s%s: %w", h.label(), where, err)
}

func (d *dialer) authError(h *hop, att *attempt, err error) error {
	var detail strings.Builder
	if len(att.offered) > 0 {
		detail.WriteString("keys offered:")
		for _, o := range att.offered {
			detail.WriteString("\n  " + o)
		}
	}
	if len(att.allowed) > 0 {
		if detail.Len() > 0 {
			detail.WriteString("\n")
		}
		detail.WriteString("the server accepts: " + strings.Join(att.allowed, ", "))
	}
	who := h.user + "@" + display(h.host, h.port)
	msg := fmt.Sprintf("could not log in as %s: the server accepted none of the %d key(s) offered (method tried: publickey)", who, len(att.offered))
	if len(att.offered) == 0 {
		msg = fmt.Sprintf("could not log in as %s: there is no SSH key to offer (no usable ssh-agent key or identity file)", who)
	}
	hint := fmt.Sprintf("Check the login user (user@host, or User in the ssh config) and that one of these keys is in ~%s/.ssh/authorized_keys on %s; "+
		"add another key with ssh-add or --identity. trowel logs in with keys only", h.user, h.host)
	if len(att.offered) == 0 {
		hint = "Load a key into ssh-agent (ssh-add), name one with IdentityFile in the ssh config, or give one with --identity " +
			"(without any, trowel tries ~/.ssh/id_ed25519, id_ecdsa and id_rsa). trowel logs in with keys only"
	}
	if len(att.allowed) > 0 && !contains(att.allowed, "publickey") {
		hint = fmt.Sprintf("%s does not accept key logins at all (it offers %s), and trowel logs in with keys only; ask its administrator to allow publickey for %s",
			h.host, strings.Join(att.allowed, ", "), h.user)
	}
	if strings.Contains(strings.ToLower(err.Error()), "too many authentication failures") {
		msg = fmt.Sprintf("could not log in as %s: the server gave up after too many keys (its MaxAuthTries)", who)
		hint = "Offer fewer keys: set IdentitiesOnly yes and IdentityFile for this host in the ssh config, or give the right key with --identity"
	}
	return &UserError{Msg: msg, Hint: hint, Detail: detail.String(), Err: err}
}

// opCause strips the "dial tcp 1.2.3.4:22:" prefix net errors carry; the message
// already names the address.
func opCause(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return rootCause(oe.Err)
	}
	return err
}
