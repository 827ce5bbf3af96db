package sshfake

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/trowel-dev/trowel/internal/evidence"
)

// ProbeOutput turns recorded evidence (plain or gzip-compressed, as kept by
// --keep-evidence or a store) back into what the probe printed: trowel's own
// records after the end marker (where the survey came from, the services'
// answers) are cut off, as a collector appends them again.
func ProbeOutput(recorded []byte) ([]byte, error) {
	raw, err := evidence.ReadAll(bytes.NewReader(recorded))
	if err != nil {
		return nil, err
	}
	a, err := evidence.DecodeBytes(raw)
	if err != nil {
		return nil, err
	}
	end := []byte("\n" + a.Boundary + " Z -\n")
	if i := bytes.Index(raw, end); i >= 0 {
		return raw[:i+len(end)], nil
	}
	return raw, nil
}

// Edit decodes probe output, lets edit change it (a host name, a file, the
// header's epoch), and writes it again as the probe would: the same boundary,
// the header, every item but trowel's own, and the end marker when the original
// had one.
func Edit(probeOutput []byte, edit func(a *evidence.Archive)) ([]byte, error) {
	a, err := evidence.DecodeBytes(probeOutput)
	if err != nil {
		return nil, err
	}
	edit(a)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%s%d %s\n", evidence.Magic, a.Version, a.Boundary)
	w := evidence.ContinueWriter(&buf, a.Boundary)
	keys := make([]string, 0, len(a.Header))
	for k := range a.Header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.Header(a.Header, keys...)
	for _, it := range a.Items {
		if it.Kind == evidence.KindMeta {
			continue
		}
		if it.Truncated {
			// The probe marks a cut item by printing one byte past its limit.
			cp := *it
			cp.Data = append(slices.Clip(it.Data), '\n')
			it = &cp
		}
		w.Item(it)
	}
	if a.Complete {
		w.Close()
	}
	return buf.Bytes(), w.Err()
}

// SetFile gives the file at path this content in an archive, as a probe that
// read it would have recorded it, where the probe reads it (a new file last).
func SetFile(a *evidence.Archive, path, content string) {
	if it, ok := a.File(path); ok {
		it.Status, it.RC, it.Stderr, it.Truncated, it.Data = evidence.StatusOK, 0, nil, false, []byte(content)
		return
	}
	a.Add(&evidence.Item{Kind: evidence.KindFile, Name: path, Limit: 262144, Status: evidence.StatusOK, Data: []byte(content)})
}

// Renamed is probe output whose host is called hostname (its /etc/hostname), so
// that hosts replaying one recording are told apart.
func Renamed(probeOutput []byte, hostname string) ([]byte, error) {
	return Edit(probeOutput, func(a *evidence.Archive) { SetFile(a, "/etc/hostname", hostname+"\n") })
}

// SetCmd records a command's output and how it ended in an archive, where the
// probe runs it (a new command last): status ok with its output, or absent (not
// installed, rc 127) or another status with none.
func SetCmd(a *evidence.Archive, name string, status evidence.Status, rc int, output string) {
	it, ok := a.Cmd(name)
	if !ok {
		it = &evidence.Item{Kind: evidence.KindCmd, Name: name, Command: name, Limit: 262144}
		a.Add(it)
	}
	it.Status, it.RC, it.Stderr, it.Truncated, it.Data = status, rc, nil, false, []byte(output)
}
