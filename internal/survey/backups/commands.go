package backups

import (
	"path"
	"strings"
)

// Use is one backup tool called in a shell command.
type Use struct {
	Tool string
	// What is what it copies (databases, directories) when the command says; Where
	// the destination (a path, host:path, s3://...).
	What    string
	Where   string
	OffHost bool
	Line    int // line of the script, 1-based; 1 for a crontab command
}

// backupTools are the programs whose call is a backup; the value says whether it
// takes a database (What from its arguments) or files.
var backupTools = map[string]bool{
	"mysqldump": true, "mariadb-dump": true, "mysqlhotcopy": true, "xtrabackup": false, "innobackupex": false,
	"mariabackup": false, "pg_dump": true, "pg_dumpall": false, "pg_basebackup": false, "mongodump": false,
	"rsync": false, "tar": false, "cpio": false, "dump": false, "rdiff-backup": false, "duplicity": false,
	"borg": false, "borgmatic": false, "restic": false, "rsnapshot": false, "automysqlbackup": false,
	"bacula": false, "bconsole": false, "amdump": false, "dar": false, "bup": false, "rclone": false,
	"s3cmd": false, "scp": false, "slapcat": false, "backup-manager": false, "backupninja": false,
	"zfs": false, "lftp": false,
}

// wrappers run the next word as the command.
var wrappers = map[string]bool{"sudo": true, "nice": true, "ionice": true, "nohup": true, "exec": true, "time": true,
	"env": true, "chronic": true, "flock": true, "timeout": true, "su": false}

// ParseCommands finds the backup tools a shell text calls, line by line: a crontab
// command or a whole script. Comments are skipped; pipelines are followed to the
// file their last command writes ("mysqldump db | gzip > /var/backups/db.gz").
func ParseCommands(text string) []Use {
	var out []Use
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, list := range splitLists(line) {
			out = append(out, pipeline(list, i+1)...)
		}
	}
	return out
}

// splitLists cuts a line at ";", "&&", "||" and "$(" / "`", keeping pipelines whole.
func splitLists(line string) []string {
	var out []string
	start := 0
	quote := byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '$' && i+1 < len(line) && line[i+1] == '(':
			i = closeParen(line, i+1) // a substitution is part of its word
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			out = append(out, line[start:i])
			return out
		case c == ';' || c == '`' || c == '(' || c == ')' || (c == '&' && i+1 < len(line) && line[i+1] == '&') ||
			(c == '|' && i+1 < len(line) && line[i+1] == '|'):
			out = append(out, line[start:i])
			start = i + 1
			if i+1 < len(line) && (line[i+1] == '&' || line[i+1] == '|') {
				i++
				start = i + 1
			}
		}
	}
	return append(out, line[start:])
}

func pipeline(list string, n int) []Use {
	stages := strings.Split(list, "|")
	var out []Use
	// The pipeline's output file: the last stage's "> file".
	sink := ""
	if w := words(stages[len(stages)-1]); len(w) > 0 {
		sink = redirect(w)
	}
	for si, st := range stages {
		w := words(st)
		w = skipWrappers(w)
		if len(w) == 0 {
			continue
		}
		tool := path.Base(w[0])
		isDB, ok := backupTools[tool]
		if !ok {
			continue
		}
		if tool == "zfs" && (len(w) < 2 || w[1] != "send") {
			continue
		}
		if tool == "dump" && !hasFlagArg(w) {
			continue // "dump" alone is too common a word to be the dump(8) tool
		}
		u := Use{Tool: tool, Line: n}
		args := w[1:]
		where := redirect(w)
		if where == "" && si < len(stages)-1 {
			where = sink
		}
		var what []string
		switch tool {
		case "tar":
			f, rest := tarArgs(args)
			if f != "" && f != "-" {
				where = f
			}
			what = rest
		case "rsync", "scp", "rclone", "duplicity", "rdiff-backup", "lftp":
			pos := positional(args)
			if len(pos) >= 2 {
				where = pos[len(pos)-1]
				what = pos[:len(pos)-1]
			}
		default:
			if isDB {
				what = positional(args)
				for _, a := range args {
					if a == "--all-databases" || a == "-A" {
						what = append(what, "all databases")
					}
				}
			}
			for i, a := range args {
				if (a == "--target-dir" || a == "-D" || a == "--pgdata" || a == "-f" || a == "--file" || a == "--repo" || a == "-r") && i+1 < len(args) {
					where = args[i+1]
				} else if v, ok := strings.CutPrefix(a, "--target-dir="); ok {
					where = v
				} else if v, ok := strings.CutPrefix(a, "--repo="); ok {
					where = v
				}
			}
			if tool == "restic" || tool == "borg" {
				for _, a := range args {
					if strings.Contains(a, "::") || strings.Contains(a, "@") || strings.HasPrefix(a, "s3:") || strings.HasPrefix(a, "sftp:") {
						where = a
					}
				}
			}
		}
		u.What = strings.Join(what, " ")
		u.Where = where
		u.OffHost = isRemote(where) || tool == "scp" && where != ""
		out = append(out, u)
	}
	return out
}

// isRemote tells a remote destination: host:path (rsync, scp), rsync://, s3://,
// sftp:, user@host.
func isRemote(where string) bool {
	if where == "" {
		return false
	}
	low := strings.ToLower(where)
	for _, p := range []string{"s3://", "s3:", "gs://", "rsync://", "sftp:", "ssh://", "ftp://", "ftps://", "swift:", "b2:", "azure:", "rest:"} {
		if strings.HasPrefix(low, p) {
			return true
		}
	}
	if strings.HasPrefix(where, "/") || strings.HasPrefix(where, ".") || strings.HasPrefix(where, "$") {
		return false
	}
	host, _, ok := strings.Cut(where, ":")
	return ok && host != "" && !strings.ContainsAny(host, "/ ")
}

func hasFlagArg(w []string) bool {
	return len(w) > 1 && strings.HasPrefix(w[1], "-")
}

// tarArgs finds tar's archive (-f FILE, "czf FILE", --file=FILE) and the paths it
// archives.
func tarArgs(args []string) (string, []string) {
	file := ""
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case strings.HasPrefix(a, "--file="):
			file = a[len("--file="):]
		case a == "--file" || a == "-f":
			if i+1 < len(args) {
				file = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "--"):
		case (i == 0 || strings.HasPrefix(a, "-")) && strings.Contains(a, "f") && !strings.Contains(a, "/"):
			// Bundled options: "czf" or "-czf": f takes the next word.
			if i+1 < len(args) {
				file = args[i+1]
				i++
			}
		case strings.HasPrefix(a, "-"), strings.ContainsAny(a[:1], "<>"), strings.HasPrefix(a, "2>"):
		default:
			rest = append(rest, a)
		}
	}
	return file, rest
}

func positional(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == ">" || a == ">>" || a == "<" || a == "1>" || a == "2>" {
			i++ // the file it names
			continue
		}
		if strings.HasPrefix(a, "-") || strings.HasPrefix(a, ">") || strings.HasPrefix(a, "<") || strings.HasPrefix(a, "2>") || strings.HasPrefix(a, "1>") {
			continue
		}
		out = append(out, a)
	}
	return out
}

// redirect is the file a command's "> file" or ">> file" names; "" for none or
// /dev/null.
func redirect(w []string) string {
	for i, a := range w {
		if a == ">" || a == ">>" || a == "1>" {
			if i+1 < len(w) && w[i+1] != "/dev/null" {
				return w[i+1]
			}
			continue
		}
		for _, p := range []string{">>", "1>", ">"} {
			if strings.HasPrefix(a, p) && !strings.HasPrefix(a, "2>") && !strings.HasPrefix(a, ">&") {
				if f := a[len(p):]; f != "" && f != "/dev/null" && !strings.HasPrefix(f, "&") {
					return f
				}
				break
			}
		}
	}
	return ""
}

func skipWrappers(w []string) []string {
	for len(w) > 0 {
		if strings.Contains(w[0], "=") && !strings.HasPrefix(w[0], "-") {
			w = w[1:] // VAR=value before the command
			continue
		}
		if wrappers[path.Base(w[0])] {
			w = w[1:]
			for len(w) > 0 && (strings.HasPrefix(w[0], "-") || isNumber(w[0])) {
				w = w[1:]
			}
			continue
		}
		return w
	}
	return w
}

// words splits a command into shell words, dropping quotes; "2>&1" and the like
// stay words of their own.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	quote := byte(0)
	has := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '\'' || c == '"':
			quote, has = c, true
		case c == '$' && i+1 < len(s) && s[i+1] == '(':
			j := closeParen(s, i+1)
			cur.WriteString(s[i : j+1])
			i = j
		case c == ' ' || c == '\t':
			if has || cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
		default:
			cur.WriteByte(c)
		}
	}
	if has || cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// closeParen returns the index of the ")" closing the "(" at open, or the last index.
func closeParen(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s) - 1
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
