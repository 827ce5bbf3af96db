package probe

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// Version is the probe's own version, written into every evidence header, so an archive
// says which probe produced it. 2: the content steps send the copies of each file's
// packaged version (see _files_copies).
const Version = "2"

// LooksForCopies reports whether the probe of an evidence header's version (the
// offline reader's is "offline-N") sent the copies of the files' packaged versions:
// evidence of an older probe says nothing about them either way.
func LooksForCopies(version string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(version, "offline-"))
	return err == nil && n >= 2
}

//go:embed prologue.sh
var prologue string

// Script renders the plan as the probe script, in two halves split at the first
// step of SplitDomain (see Halves).
func Script() []byte { return RenderSplit(Plan, SplitAt(Plan)) }

// Render renders any plan to run whole; tests use small plans of their own.
func Render(plan []Step) []byte { return RenderSplit(plan, len(plan)) }

// HalvesArg is the argument ($1) that asks the probe to run its plan in two halves
// at once, the first writing its records to the standard output and the second to
// the standard error (see _halves). Without it the probe runs the plan whole, in
// order, and writes nothing but evidence to the standard output: a bundle run by
// hand, or a run whose two outputs are one stream (sudo in a terminal).
const HalvesArg = "halves"

// RenderSplit renders plan as the probe script whose first half is plan[:at] and
// second plan[at:]; with the argument HalvesArg they run at once, else one after the
// other, as one plan. at = len(plan) (or 0) leaves one half only, and the argument
// is then ignored.
func RenderSplit(plan []Step, at int) []byte {
	var b strings.Builder
	b.WriteString("# shellcheck shell=sh\n")
	b.WriteString(prologue)
	fmt.Fprintf(&b, "\n_PROBE_VERSION=%s\n\n_main() {\n", Version)
	// The C locale keeps command output in one stable form to parse, and makes sed's
	// "." match every byte: in a UTF-8 locale invalid bytes would stop the secret
	// filter's patterns from matching, and a secret would go out unredacted.
	b.WriteString("\tLC_ALL=C\n\tLANG=C\n\texport LC_ALL LANG\n")
	// The plan runs beside the shared watchdog (_watched), reniced already, so that
	// every process of the survey is.
	b.WriteString("\t_boundary\n\t_netmounts\n\t_nice\n\texec 4>&1\n")
	split := 0 < at && at < len(plan)
	if split {
		fmt.Fprintf(&b, "\tif [ \"${1:-}\" = %s ]; then\n\t\t_halves\n\telse\n\t\t_watched _plan\n\tfi\n}\n\n", HalvesArg)
	} else {
		b.WriteString("\t_watched _plan\n}\n\n")
	}
	const end = "\t_now\n\tprintf '\\n%s Z %s\\n' \"$_B\" \"$_t\"\n}\n\n"
	b.WriteString("_plan() {\n\t_header\n\t_plan_1\n\t_plan_2\n" + end)
	first, second := renderPlan(plan, at)
	fmt.Fprintf(&b, "_plan_1() {\n\t:\n%s}\n\n_plan_2() {\n\t:\n%s}\n\n", first, second)
	if split {
		// A Z record with the half's number ends each.
		b.WriteString("_half_1() {\n\t_header\n\t_plan_1\n\t_now\n\tprintf '\\n%s Z %s 1/2\\n' \"$_B\" \"$_t\"\n}\n\n")
		b.WriteString("_half_2() {\n\t_plan_2\n\t_now\n\tprintf '\\n%s Z %s 2/2\\n' \"$_B\" \"$_t\"\n}\n\n")
	}
	b.WriteString("_main \"$@\"\nexit 0\n")
	return []byte(b.String())
}

// renderPlan renders the plan's steps, those before at and those from at on, each
// ending with its queue read: run one after the other or at once, each half's items
// come in the same order, and the first's all before the second's in the stream
// trowel keeps (see evidence.Merge).
func renderPlan(plan []Step, at int) (string, string) {
	// The files a filter reads, and the output of the commands it filters, wait in the
	// batch queue and go through one pass of each filter together (see _batch_one and
	// _cmd_held): a pass compiles some hundred expressions, and one per file, or per
	// run of files between two commands or lists, was a tenth of the probe's time. The
	// queue is read at the end of a domain once it holds enough
	// files to be worth a pass (_batch_due), and before the last domain, the slow
	// walks of the filesystem, whatever it holds: a session cut short loses few.
	var halves [2]strings.Builder
	queued := false
	last := ""
	if len(plan) > 0 {
		last = plan[len(plan)-1].Domain
	}
	for i, st := range plan {
		b := &halves[0]
		if i > at {
			b = &halves[1]
		}
		if queued && i == at {
			// The first half ends with its queue read, run whole or not, so
			// that its items come first either way, in the same order.
			b.WriteString("\t_batch_flushall\n")
			queued = false
		}
		if queued && st.Domain != plan[i-1].Domain {
			if st.Domain == last {
				b.WriteString("\t_batch_flushall\n")
				queued = false
			} else {
				b.WriteString("\t_batch_due\n")
			}
		}
		if i >= at {
			b = &halves[1]
		}
		if line, ok := renderQueued(st); ok {
			b.WriteString(line)
			queued = true
			continue
		}
		b.WriteString(renderStep(st))
		// A filtered command's output may wait in the queue too (see _cmd_held), and
		// a listing with links (see _list_queue).
		queued = queued || st.Kind == Cmd && strings.Contains("rac", redMode(st)) || st.Kind == List || st.Kind == ListGlob
	}
	if queued {
		halves[1].WriteString("\t_batch_flushall\n")
	}
	return halves[0].String(), halves[1].String()
}

// renderStep renders one step on its own: how the probe runs a list, a command or a
// program's command line, and, for the other files, the reading one by one that the
// batch queue must match (the tests compare the two).
func renderStep(st Step) string {
	red := redMode(st)
	switch st.Kind {
	case File:
		return fmt.Sprintf("\t_file %s %d %s\n", quote(st.Path), st.Limit, red)
	case Glob:
		// The pattern is the plan's own text, never input from the host: it is left
		// unquoted so the shell expands it.
		return fmt.Sprintf("\t_glob_files %d %s %s\n", st.Limit, red, st.Path)
	case List:
		return fmt.Sprintf("\t_list %s %d\n", quote(st.Path), listLimit(st))
	case ListGlob:
		return fmt.Sprintf("\t_list_dirs %d %s\n", listLimit(st), st.Path)
	case Cmd:
		return renderCmd(st, red)
	case HomeFile:
		return fmt.Sprintf("\t_home_files %s %d %s\n", quote(strings.TrimPrefix(st.Path, "/")), st.Limit, red)
	}
	panic(fmt.Sprintf("probe: unknown step kind %d", st.Kind))
}

// renderQueued renders a File, Glob or HomeFile step as the probe's call that reads
// its files at once when they go out unfiltered (or are not read: absent, denied, not
// a regular file, on a network filesystem) and queues them for their filter's pass
// otherwise. A program's command line (Argv0) is one file, cut at its first NUL, and
// stays with _file.
func renderQueued(st Step) (string, bool) {
	red := redMode(st)
	switch {
	case st.Kind == File && !st.Argv0:
		return fmt.Sprintf("\t_batch_one %s %d %s\n", quote(st.Path), st.Limit, red), true
	case st.Kind == Glob:
		// As for _glob_files, the pattern is the plan's own text, left unquoted.
		return fmt.Sprintf("\t_batch_glob %d %s %s\n", st.Limit, red, st.Path), true
	case st.Kind == HomeFile:
		return fmt.Sprintf("\t_home_files %s %d %s q\n", quote(strings.TrimPrefix(st.Path, "/")), st.Limit, red), true
	}
	return "", false
}

// redMode is the probe's letter for a step's filter: r config text, a command lines,
// c stored commands alone, k authorized_keys, 0 a command line's program, - none.
func redMode(st Step) string {
	switch {
	case st.Redact:
		return "r"
	case st.RedactArgs:
		return "a"
	case st.RedactCommands:
		return "c"
	case st.RedactKeys:
		return "k"
	case st.RedactHashes:
		return "h"
	case st.Argv0:
		return "0"
	}
	return "-"
}

func renderCmd(st Step, red string) string {
	exec := "-"
	if isSimple(st.Shell) {
		exec = "x"
	}
	call := fmt.Sprintf("_cmd %s %d %d %s %s %s %s && _ok_%s=1",
		quote(st.Name), st.Limit, st.Timeout, quote(st.Needs), red, exec, quote(st.Shell), varName(st.Name))
	if st.Keep {
		if red != "-" {
			panic(fmt.Sprintf("probe: step %s keeps its output but is filtered", st.Name))
		}
		call = fmt.Sprintf("_cmd_keep %s %s %d %d %s %s %s && _ok_%s=1",
			KeptVar(st.Name), quote(st.Name), st.Limit, st.Timeout, quote(st.Needs), exec, quote(st.Shell), varName(st.Name))
	}
	if st.Seeks != "" {
		call = fmt.Sprintf("if _data_seek %s; then %s; else _cmd_unfound %s %d %s %s; fi",
			quote(st.Seeks), call, quote(st.Name), st.Limit, quote(st.Shell), quote(st.Seeks))
	}
	if st.When != "" {
		call = fmt.Sprintf("if %s; then %s; else _skip %s %d %s %s; fi",
			st.When, call, quote(st.Name), st.Limit, quote(st.Shell), quote("not run: the condition "+st.When+" does not hold"))
	}
	if st.Unless != "" {
		call = fmt.Sprintf("[ \"${_ok_%s:-}\" = 1 ] || { %s; }", varName(st.Unless), call)
	}
	return "\t" + call + "\n"
}

// isSimple reports whether a command can be exec'd in place of its subshell: one
// program with arguments, not a probe function, list or pipeline.
func isSimple(s string) bool {
	return !strings.HasPrefix(s, "_") && !strings.ContainsAny(s, ";|&`$()<>\n")
}

// KeptVar is the probe's variable that holds the output a Keep step kept, for the
// later step that reads it.
func KeptVar(name string) string { return "_kept_" + varName(name) }

func listLimit(st Step) int64 {
	if st.Limit > 0 {
		return st.Limit
	}
	return medium
}

func varName(name string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// quote makes a single-quoted shell word.
func quote(s string) string {
	if s == "" {
		return "''"
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
