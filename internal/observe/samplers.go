package observe

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/trowel-dev/trowel/internal/remote"
)

// SSH samples over one kept-open connection, a new session per sample. A sample
// that fails drops the connection; the next one dials again, once.
type SSH struct {
	Options remote.Options
	client  *remote.Client
}

// Sample runs the sample probe.
func (s *SSH) Sample(ctx context.Context) ([]byte, error) {
	if s.client == nil {
		c, err := remote.Dial(ctx, s.Options)
		if err != nil {
			return nil, fmt.Errorf("reconnecting: %w", err)
		}
		s.client = c
	}
	var out bytes.Buffer
	if _, err := s.client.RunScript(ctx, Script(), &out); err != nil {
		s.client.Close()
		s.client = nil
		return nil, err
	}
	return out.Bytes(), nil
}

// Close ends the connection.
func (s *SSH) Close() error {
	if s.client == nil {
		return nil
	}
	err := s.client.Close()
	s.client = nil
	return err
}

// Local samples this machine with /bin/sh, as the full local survey does.
type Local struct{}

// Sample runs the sample probe.
func (Local) Sample(ctx context.Context) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-s")
	cmd.Stdin = bytes.NewReader(Script())
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("the sample probe failed: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}

// Close does nothing.
func (Local) Close() error { return nil }
