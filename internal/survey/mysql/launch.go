package mysql

import (
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/trowel-dev/trowel/internal/evidence"
	"github.com/trowel-dev/trowel/internal/snapshot"
)

// Launch is how the server is started, which decides the option files it reads:
// the options of a running server's command line or, with none running (a disk
// image, a stopped server), of the command its unit or init script runs.
type Launch struct {
	// Where names the command line as a path does, in any language:
	// "/proc/812/cmdline" for a running server, "/etc/init.d/mysql:35".
	Where      string
	NoDefaults bool
	// DefaultsFile replaces the compiled-in list of option files; ExtraFile is read
	// after that list and is ignored with DefaultsFile, as mysys's
	// my_search_option_files does.
	DefaultsFile, ExtraFile string
	GroupSuffix             string
	// Options are the server options given on the command line, which override
	// every option file.
	Options []Option
}

// valued are the options whose value may be the next word ("--port 3307"),
// which my_getopt accepts for an option that requires one.
var valued = map[string]bool{
	"datadir": true, "socket": true, "port": true, "bind_address": true, "basedir": true,
	"pid_file": true, "user": true, "log_error": true, "defaults_file": true, "defaults_extra_file": true,
}

// shortOpts are mysqld's one-letter options that carry a value.
var shortOpts = map[byte]string{'h': "datadir", 'P': "port", 'u': "user", 'b': "basedir"}

// ParseCommand reads a server's words (the program first) as mysqld does. A
// value holding a shell variable ($datadir in an init script) is kept out: it is
// not known what it expands to.
func ParseCommand(words []string, where string) Launch {
	l := Launch{Where: where}
	add := func(key, val string) {
		if strings.Contains(val, "$") {
			return
		}
		switch NormKey(key) {
		case "no_defaults":
			l.NoDefaults = true
		case "defaults_file":
			l.DefaultsFile = val
		case "defaults_extra_file":
			l.ExtraFile = val
		case "defaults_group_suffix":
			l.GroupSuffix = strings.ToLower(val)
		default:
			l.Options = append(l.Options, Option{Group: "", Key: key, Value: val, Origin: where})
		}
	}
	for i := 1; i < len(words); i++ {
		w := unquoteWord(words[i])
		switch {
		case strings.HasPrefix(w, "--") && len(w) > 2:
			key, val, hasVal := strings.Cut(w[2:], "=")
			if !hasVal && valued[NormKey(key)] && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
				i++
				val = unquoteWord(words[i])
			}
			add(key, unquoteWord(val))
		case len(w) >= 2 && w[0] == '-' && shortOpts[w[1]] != "":
			val := w[2:]
			if val == "" && i+1 < len(words) {
				i++
				val = unquoteWord(words[i])
			}
			add(shortOpts[w[1]], val)
		}
	}
	return l
}

// unquoteWord drops the quotes a script writes around a word (--datadir="/srv").
func unquoteWord(w string) string {
	if k, v, ok := strings.Cut(w, "="); ok && len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return k + "=" + v[1:len(v)-1]
	}
	if len(w) >= 2 && (w[0] == '"' || w[0] == '\'') && w[len(w)-1] == w[0] {
		return w[1 : len(w)-1]
	}
	return w
}

// OptionFiles are the option files the server reads, in its order: only the
// defaults file when the command line names one, none with --no-defaults, else
// the compiled-in list with the extra file after it. ~/.my.cnf, last of the
// list, is the server user's and never collected.
func (l *Launch) OptionFiles() []string {
	switch {
	case l == nil:
		return Roots
	case l.NoDefaults:
		return nil
	case l.DefaultsFile != "":
		return []string{l.DefaultsFile}
	case l.ExtraFile != "":
		return append(append([]string{}, Roots...), l.ExtraFile)
	}
	return Roots
}

// serverPrograms are the server's process names; mysqld_safe only starts one.
var serverPrograms = map[string]bool{"mysqld": true, "mariadbd": true}

// RunningLaunch is the command line of the running server with the lowest PID,
// and how many run.
func RunningLaunch(procs []snapshot.Process) (*Launch, int) {
	var found []snapshot.Process
	for _, p := range procs {
		words := strings.Fields(p.Command)
		if p.Defunct() || len(words) == 0 {
			continue
		}
		if serverPrograms[p.Comm] || serverPrograms[path.Base(words[0])] {
			found = append(found, p)
		}
	}
	if len(found) == 0 {
		return nil, 0
	}
	sort.Slice(found, func(i, j int) bool { return found[i].PID < found[j].PID })
	p := found[0]
	words := strings.Fields(p.Command)
	l := ParseCommand(words, "/proc/"+strconv.Itoa(p.PID)+"/cmdline")
	return &l, len(found)
}

// startLine finds a line that runs the server in a unit or init script:
// ExecStart=, or a command whose program is mysqld, mariadbd or mysqld_safe
// (which hands its --defaults-file on to mysqld). mysqladmin's lines, which name
// Debian's debian.cnf, are not the server's.
var startLine = regexp.MustCompile(`(?:^|[\s=;&|(/"'])(mysqld|mariadbd|mysqld_safe)(?:\s|$)`)

// ScriptLaunch is the command a unit or init script starts the server with:
// the first line that runs it with options (literal ones: "$datadir" is
// unknown), else the first that runs it at all, which leaves the compiled-in list
// in force as far as the script says. ok is false when no line runs the server.
func ScriptLaunch(it *evidence.Item) (Launch, bool) {
	var bare Launch
	for i, line := range strings.Split(it.Text(), "\n") {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || !startLine.MatchString(t) {
			continue
		}
		words := strings.Fields(t)
		if bare.Where == "" {
			bare.Where = it.Name + ":" + strconv.Itoa(i+1)
		}
		for j, w := range words {
			w = strings.TrimLeft(strings.TrimPrefix(w, "ExecStart="), "-@+!:")
			prog := path.Base(w)
			if !serverPrograms[prog] && prog != "mysqld_safe" || j > 0 && !launchers[words[j-1]] {
				continue
			}
			if l := ParseCommand(words[j:], it.Name+":"+strconv.Itoa(i+1)); l.names() {
				return l, true
			}
		}
	}
	return bare, bare.Where != ""
}

// launchers are the words a server's program follows where a line runs it, not
// names it (pidof mysqld, killproc mysqld).
var launchers = map[string]bool{"exec": true, "nohup": true, "&&": true, "||": true, ";": true, "then": true, "do": true, "else": true}

// names reports whether the command line says anything about the server's options.
func (l Launch) names() bool {
	return l.NoDefaults || l.DefaultsFile != "" || l.ExtraFile != "" || len(l.Options) > 0
}
