# trowel probe: reads a host and writes evidence to standard output; writes nothing
# else anywhere. POSIX sh for bash 3.2, dash, busybox ash; needs no timeout(1), python or
# anything beyond a minimal CentOS 5. Format: docs/evidence-format.md in trowel's source.
# Everything is inside functions, so the shell has read the whole script before it runs
# any of it: a command that reads standard input cannot swallow the rest of the probe, and
# a script cut off in transit never runs at all.

_NL='
'
_TAB='	'

_now() {
	_t=-
	[ -r /proc/uptime ] && read -r _t _x </proc/uptime
}

# The boundary is random per run, so no file or command output can forge a record.
_boundary() {
	_B=
	if [ -r /dev/urandom ] && command -v od >/dev/null 2>&1; then
		_B=$(od -An -N16 -tx1 /dev/urandom 2>/dev/null | tr -d ' \n')
	fi
	[ -n "$_B" ] || _B="$$$(date +%s 2>/dev/null)x7f3a9c1e"
	_B="tw$_B"
}

# Network filesystems can hang a reader forever in an uninterruptible wait that no
# watchdog can end; paths on them are not read, and the evidence says so.
_netmounts() {
	_netm=
	[ -r /proc/mounts ] || return 0
	while read -r _dev _mp _fs _rest; do
		case $_fs in
		nfs | nfs4 | cifs | smbfs | smb3 | fuse.sshfs | glusterfs | fuse.glusterfs | ceph | afs | 9p | davfs | fuse.s3fs | lustre | gpfs | ocfs2 | gfs2)
			_netm="$_netm$_NL$_mp"
			;;
		esac
	done </proc/mounts
}

_onnet() {
	[ -n "$_netm" ] || return 1
	set -f
	_o=$IFS
	IFS=$_NL
	for _m in $_netm; do
		case $1 in
		"$_m" | "$_m"/*)
			IFS=$_o
			set +f
			return 0
			;;
		esac
	done
	IFS=$_o
	set +f
	return 1
}

_begin() {
	_now
	_t0=$_t
	printf '\n%s B %s\n' "$_B" "$1"
}

_end() {
	_now
	printf '\n%s E %s %s %s %s\n' "$_B" "$1" "$2" "$_t0" "$_t"
}

_note() {
	printf '\n%s S\n%s' "$_B" "$1"
}

# The secret filter. Values of settings whose names speak of passwords, secrets, tokens
# or keys, credentials inside URLs, and whole private-key blocks are replaced before
# anything leaves the host. It errs on the side of removing too much. trowel's offline
# reader applies the same rules (internal/redact), and a test holds the two together.
# NUL bytes are dropped first: busybox sed stops matching at a NUL, which would let
# whatever follows one on a line through untouched.
_redact() {
	tr -d '\000' | sed \
		-e '/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,/-----END [A-Z0-9 ]*PRIVATE KEY-----/c\
[trowel: private key removed]' \
		-e 's/^\([^=:]*[Pp][Aa][Ss][Ss][^=:]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([^=:]*[Pp][Ww][Dd][^=:]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([^=:]*[Ss][Ee][Cc][Rr][Ee][Tt][^=:]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([^=:]*[Tt][Oo][Kk][Ee][Nn][^=:]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([^=:]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^=:]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([^=:]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][^=:]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([^=:]*[_-][Kk][Ee][Yy][ 	"'"'"']*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss][ 	][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*[Mm][Aa][Ss][Tt][Ee][Rr][Aa][Uu][Tt][Hh][ 	][ 	]*\).*/\1<redacted>/' \
		-e 's/\([Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd] [Bb][Yy] \).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Pp][Aa][Ss][Ss][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Kk][Ee][Yy][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Ss][Aa][Ll][Tt][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's|\(://[^/:@ 	]*:\)[^@/ 	]*@|\1<redacted>@|g'
}

# _redact_args filters command lines (ps): options and environment-style settings
# whose names speak of passwords, secrets, tokens or keys lose their values, as do
# mysql's attached -pPASSWORD and credentials in URLs. Unlike _redact it works
# anywhere in a line, since a command line's arguments follow ps's own columns.
# (No case statement in _cmd's command substitution: posh and old bash misparse the
# pattern's closing parenthesis there.)
_redact_args() {
	tr -d '\000' | sed \
		-e 's/\([-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*[= ]\)[^ ]*/\1<redacted>/g' \
		-e 's/\([-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Ww][Dd][A-Za-z0-9_.-]*[= ]\)[^ ]*/\1<redacted>/g' \
		-e 's/\([-]\{1,2\}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*[= ]\)[^ ]*/\1<redacted>/g' \
		-e 's/\([-]\{1,2\}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*[= ]\)[^ ]*/\1<redacted>/g' \
		-e 's/\([-]\{1,2\}[A-Za-z0-9_.-]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][A-Za-z0-9_.-]*[= ]\)[^ ]*/\1<redacted>/g' \
		-e 's/\([ 	][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.]*=\)[^ ]*/\1<redacted>/g' \
		-e 's/\([ 	][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=\)[^ ]*/\1<redacted>/g' \
		-e 's/\([ 	][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=\)[^ ]*/\1<redacted>/g' \
		-e 's/\(mysql[A-Za-z_]* .*[ 	]-p\)[^ 	]\{1,\}/\1<redacted>/' \
		-e 's|\(://[^/:@ 	]*:\)[^@/ 	]*@|\1<redacted>@|g'
}

_file() {
	case $1 in *"$_NL"*) return 0 ;; esac
	_begin "file $2 $1"
	if _onnet "$1"; then
		_note "on a network filesystem: not read, it could hang"
		_end skipped 0
	elif [ ! -e "$1" ]; then
		_end absent 0
	elif [ ! -f "$1" ]; then
		_end notfile 0
	elif [ ! -r "$1" ]; then
		_end denied 0
	elif [ "$3" = r ]; then
		head -c $(($2 + 1)) -- "$1" 2>/dev/null | _redact
		_end ok $?
	else
		head -c $(($2 + 1)) -- "$1" 2>/dev/null
		_end ok $?
	fi
}

_glob_files() {
	_lim=$1
	_red=$2
	shift 2
	for _g in "$@"; do
		[ -f "$_g" ] || continue
		_file "$_g" "$_lim" "$_red"
	done
}

if command -v readlink >/dev/null 2>&1; then
	_rl() { readlink "$1" 2>/dev/null; }
else
	_rl() {
		_x=$(ls -ld "$1" 2>/dev/null)
		printf '%s\n' "${_x#* -> }"
	}
fi

_entries() {
	for _f in "$1"/* "$1"/.[!.]* "$1"/..?*; do
		[ -e "$_f" ] || [ -L "$_f" ] || continue
		_b=${_f##*/}
		case $_b in *"$_NL"*) continue ;; esac
		if [ -L "$_f" ]; then
			printf 'l\t%s\t%s\n' "$_b" "$(_rl "$_f")"
		elif [ -d "$_f" ]; then
			printf 'd\t%s\n' "$_b"
		elif [ -f "$_f" ]; then
			printf 'f\t%s\n' "$_b"
		else
			printf 'o\t%s\n' "$_b"
		fi
	done
}

_list() {
	case $1 in *"$_NL"*) return 0 ;; esac
	_begin "list $2 $1"
	if _onnet "$1"; then
		_note "on a network filesystem: not read, it could hang"
		_end skipped 0
	elif [ ! -e "$1" ]; then
		_end absent 0
	elif [ ! -d "$1" ]; then
		_end notfile 0
	elif [ ! -r "$1" ] || [ ! -x "$1" ]; then
		_end denied 0
	else
		_entries "$1" | head -c $(($2 + 1))
		_end ok $?
	fi
}

_list_dirs() {
	_lim=$1
	shift
	for _g in "$@"; do
		[ -d "$_g" ] && _list "$_g" "$_lim"
	done
}

# _tree prints a process and its descendants, so a timed-out pipeline or shell list
# dies whole: killing only the subshell would leave its children holding the output
# pipe open, and the probe would wait for them.
_tree() {
	echo "$1"
	[ "${2:-0}" -ge 4 ] && return 0
	if command -v pgrep >/dev/null 2>&1; then
		for _k in $(pgrep -P "$1" 2>/dev/null); do _tree "$_k" $((${2:-0} + 1)); done
	else
		for _s in /proc/[0-9]*/stat; do
			read -r _st <"$_s" 2>/dev/null || continue
			set -- "$1" "${2:-0}" ${_st##*\) }
			_p=${_s#/proc/}
			[ "$4" = "$1" ] && _tree "${_p%/stat}" $((${2:-0} + 1))
		done
	fi
}

# _pause sleeps in the background and waits for it: a shell runs a TERM trap at once
# during wait, but only after a sleep in the foreground has finished.
_pause() {
	sleep "$1" 3>&- &
	_sp=$!
	wait "$_sp"
}

# The watchdog stands in for timeout(1), which CentOS 5 lacks. It reports through fd 3,
# which its sleeps do not hold, so killing the watchdog never leaves the caller waiting
# for a sleeping child to close the pipe.
_watch() {
	trap 'kill "$_sp" 2>/dev/null; exit 0' TERM
	_pause "$2"
	echo "$_B-timeout" >&3
	_pids=$(_tree "$1")
	kill -TERM $_pids 2>/dev/null
	_pause 2
	kill -KILL $_pids 2>/dev/null
}

# _cmd NAME LIMIT TIMEOUT NEEDS REDACT EXEC COMMAND (REDACT: r config text, a command lines, - none)
# Runs COMMAND under the watchdog; standard output is bounded and framed into the
# stream (fd 4); standard error, the exit status and a timeout mark come back through
# the command substitution (fd 3). EXEC=x replaces the subshell by a simple command, so
# the watchdog's kill reaches the command itself and not only a shell around it.
_cmd() {
	_begin "cmd $2 $1 $7"
	if [ -n "$4" ] && ! command -v "$4" >/dev/null 2>&1; then
		_end absent 127
		return 1
	fi
	_res=$(
		{
			{
				if [ "$6" = x ]; then
					(eval "exec $7") 2>&3 </dev/null 3>&- 4>&- &
				else
					(eval "$7") 2>&3 </dev/null 3>&- 4>&- &
				fi
				_cp=$!
				_watch "$_cp" "$3" </dev/null >/dev/null 2>&1 4>&- &
				_wp=$!
				wait "$_cp"
				_r=$?
				kill "$_wp" 2>/dev/null
				echo "$_B-rc=$_r" >&3
			} | if [ "$5" = r ]; then
				_redact | head -c $(($2 + 1))
			elif [ "$5" = a ]; then
				_redact_args | head -c $(($2 + 1))
			else
				head -c $(($2 + 1))
			fi >&4
		} 3>&1
	)
	_rc=${_res##*"$_B-rc="}
	case $_rc in '' | *[!0-9]*) _rc=255 ;; esac
	_err=${_res%%"$_B-"*}
	[ -n "$_err" ] && _note "$(printf '%.4096s' "$_err")"
	case $_res in
	*"$_B-timeout"*)
		_end timeout "$_rc"
		return 1
		;;
	esac
	_end ok "$_rc"
	[ "$_rc" = 0 ]
}

_skip() {
	_begin "cmd $2 $1 $3"
	_note "$4"
	_end skipped 0
}

# The shadow file never leaves the host: only whether each account's password is usable,
# locked, empty or was never set, and the ageing fields.
_shadow() {
	if [ ! -e "$1" ]; then
		echo "$1: No such file or directory" >&2
		return 2
	fi
	awk -F: '{
		p = $2
		if (p == "") s = "empty"
		else if (p == "!" || p == "!!" || p == "*" || p == "*LK*" || p == "x" || p == "NP") s = "nologin"
		else if (substr(p, 1, 1) == "!" || substr(p, 1, 1) == "*") s = "locked"
		else s = "usable"
		print $1 ":" s ":" $3 ":" $4 ":" $5 ":" $6 ":" $7 ":" $8
	}' "$1"
}

# _procps stands in for ps where ps cannot print the columns needed (busybox):
# pid, ppid, uid, start time in clock ticks since boot, name, and the command line.
_procps() {
	for _d in /proc/[0-9]*; do
		_p=${_d#/proc/}
		read -r _st <"$_d/stat" 2>/dev/null || continue
		_comm=${_st#*\(}
		_comm=${_comm%\)*}
		_rest=${_st##*\) }
		set -- $_rest
		_ppid=$2
		shift 19
		_start=$1
		_uid=
		while read -r _k _v _x; do
			case $_k in Uid:)
				_uid=$_v
				break
				;;
			esac
		done <"$_d/status" 2>/dev/null
		_args=$(tr '\000' ' ' <"$_d/cmdline" 2>/dev/null)
		printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$_p" "$_ppid" "$_uid" "$_start" "$_comm" "$_args"
	done
}

_header() {
	_now
	_t0=$_t
	_uid=$(id -u 2>/dev/null)
	_user=$(id -un 2>/dev/null)
	_sh=sh
	[ -n "${BASH_VERSION:-}" ] && _sh="bash-$BASH_VERSION"
	[ -z "${BASH_VERSION:-}" ] && [ -r /proc/$$/exe ] && _sh=$(_rl /proc/$$/exe)
	printf 'TROWEL-EVIDENCE/1 %s\n' "$_B"
	printf '\n%s H probe=%s uid=%s user=%s pid=%s epoch=%s uptime=%s shell=%s\n' \
		"$_B" "$_PROBE_VERSION" "${_uid:-?}" "${_user:-?}" "$$" "$(date +%s 2>/dev/null)" "$_t" "${_sh:-sh}"
}

_nice() {
	if command -v renice >/dev/null 2>&1; then renice -n 10 -p $$ >/dev/null 2>&1; fi
	if command -v ionice >/dev/null 2>&1; then ionice -c3 -p $$ >/dev/null 2>&1; fi
}

# --- domain helpers: each survey domain keeps its shell functions between its own
# markers, so the plan files (plan_*.go) can call them. Keep them POSIX: dash, bash
# 3.2, busybox ash, posh and yash all run this script.
# --- time ---
# --- end time ---
# --- accounts ---
# --- end accounts ---
# --- network ---
# --- end network ---
# --- logs ---
# --- end logs ---
# --- web ---
# --- end web ---
# --- data ---
# --- end data ---
# --- files ---
# --- end files ---
