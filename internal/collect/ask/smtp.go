package ask

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence/answer"
)

// converse holds the dialogue a sender would up to the recipient, and no further:
// greeting, EHLO (HELO if refused), MAIL FROM:<> (the null sender, which bounces
// nowhere), RCPT TO:<postmaster@domain> (a mailbox every MTA must have), RSET, QUIT.
// DATA is never sent, so nothing is queued or delivered. It returns the steps done
// until the service stopped making sense.
func converse(conn net.Conn, domain string) ([]answer.Reply, error) {
	if domain == "" || strings.ContainsAny(domain, " \t\r\n<>@") {
		return nil, fmt.Errorf("not asked: %q is not a mail domain", domain)
	}
	tp := textproto.NewReader(bufio.NewReader(io.LimitReader(conn, MaxRead)))
	var steps []answer.Reply
	step := func(cmd string) (answer.Reply, error) {
		if cmd != "" {
			if _, err := fmt.Fprintf(conn, "%s\r\n", cmd); err != nil {
				return answer.Reply{}, err
			}
		}
		code, msg, err := tp.ReadResponse(0)
		if code == 0 && err != nil {
			return answer.Reply{}, err
		}
		lines := strings.Split(msg, "\n")
		r := answer.Reply{Sent: cmd, Code: code, Text: oneLine(lines[0])}
		if strings.HasPrefix(cmd, "EHLO") {
			for _, l := range lines[1:] {
				if l = oneLine(l); l != "" && len(r.Extensions) < 32 {
					r.Extensions = append(r.Extensions, l)
				}
			}
		}
		steps = append(steps, r)
		return r, nil
	}
	quit := func() { _, _ = step("QUIT") }
	if r, err := step(""); err != nil {
		return steps, fmt.Errorf("no SMTP greeting: %w", err)
	} else if r.Code/100 != 2 {
		quit()
		return steps, nil
	}
	r, err := step("EHLO " + answer.HeloName)
	if err != nil {
		return steps, err
	}
	if r.Code/100 != 2 {
		if r, err = step("HELO " + answer.HeloName); err != nil {
			return steps, err
		}
		if r.Code/100 != 2 {
			quit()
			return steps, nil
		}
	}
	if r, err = step("MAIL FROM:<>"); err != nil {
		return steps, err
	}
	if r.Code/100 == 2 {
		if _, err = step("RCPT TO:<postmaster@" + domain + ">"); err != nil {
			return steps, err
		}
		if _, err = step("RSET"); err != nil {
			return steps, err
		}
	}
	quit()
	return steps, nil
}
