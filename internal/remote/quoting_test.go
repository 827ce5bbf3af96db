package remote

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The exec command is interpreted by the user's login shell on the target, which may
// be csh or tcsh on an old box. This runs the commands trowel sends through every
// shell installed here, with a stand-in sudo that checks its arguments.
func TestCommandsParseInLoginShells(t *testing.T) {
	bin := t.TempDir()
	fake := `#!/bin/sh
[ "$1" = -S ] && [ "$2" = -p ] && [ "$3" = ` + promptMarker + ` ] || { echo "fake sudo: bad arguments: $*" >&2; exit 2; }
[ "$LC_MESSAGES" = C ] || { echo "fake sudo: LC_MESSAGES is not C" >&2; exit 2; }
shift 3
exec env -u SSH_CONNECTION "$@"
`
	if err := os.WriteFile(filepath.Join(bin, "sudo"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	script := "x=$((40 + 2)); echo \"it's $x ${TROWEL_SSH_CONNECTION:-}${1:+ $1}\"\nexit 0\n"
	const conn = "192.0.2.7 50022 192.0.2.10 22"
	tried := 0
	for _, sh := range []string{"sh", "dash", "bash", "ksh", "mksh", "zsh", "csh", "tcsh", "fish"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			continue
		}
		tried++
		split := Split{Arg: "halves", Stream: func(w io.Writer) io.Writer { return w }}
		for _, sp := range []spec{{cmd: "/bin/sh -s"}, sudoSpec(false, len(script), Split{}), sudoSpec(true, len(script), Split{}), sudoSpec(false, len(script), split)} {
			c := exec.Command(path, "-c", sp.cmd)
			c.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "SSH_CONNECTION="+conn)
			c.Stdin = strings.NewReader(script)
			var out, errb bytes.Buffer
			c.Stdout, c.Stderr = &out, &errb
			if err := c.Run(); err != nil {
				t.Errorf("%s -c %q: %v: %s", sh, sp.cmd, err, errb.String())
				continue
			}
			// sudo's scrubbed environment is no matter: the SSH connection is passed
			// as an argument.
			want := "it's 42 \n"
			if sp.ready != "" {
				want = sp.ready + "\nit's 42 " + conn + "\n"
			}
			if sp.split {
				want = strings.Replace(want, conn, conn+" halves", 1)
			}
			if out.String() != want {
				t.Errorf("%s -c %q: output %q, want %q (stderr %q)", sh, sp.cmd, out.String(), want, errb.String())
			}
		}
	}
	if tried == 0 {
		t.Skip("no shells found")
	}
}
