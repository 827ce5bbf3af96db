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
# The kernel's random UUID (since Linux 2.4) takes no process to read.
_boundary() {
	_B=
	if [ -r /proc/sys/kernel/random/uuid ]; then
		_o=$IFS
		IFS=- read -r _u1 _u2 _u3 _u4 _u5 </proc/sys/kernel/random/uuid
		IFS=$_o
		_B="$_u1$_u2$_u3$_u4$_u5"
		case $_B in *[!0-9a-f]*) _B= ;; esac
		[ "${#_B}" = 32 ] || _B=
	fi
	if [ -z "$_B" ] && [ -r /dev/urandom ] && command -v od >/dev/null 2>&1; then
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

# The secret filters. Nothing leaves the host before one of them has read it, and
# trowel's offline reader applies the same rules in Go (internal/redact), with a test
# holding each pair together. They err on the side of removing a value, but a value is
# removed only where a name or a program says it is a credential: a URL without user
# information (http://127.0.0.1/, ajp://backend:8009) or a setting whose name merely
# contains "pass" (PassengerPreStart, ProxyPass) is no secret. POSIX BRE only: busybox
# sed, GNU sed and the sed of CentOS 5 all run them. NUL bytes are dropped first:
# busybox sed stops matching at a NUL, which would let whatever follows one through.
#
# Each filter is one tr and one sed: the rule sets (_rules_text, _rules_cmd,
# _rules_args) each add their expressions to the arguments and pass them on to the
# function named next, the last of which (_rules_sed) runs sed once with them all.
# One sed running the sets in turn gives what a pipeline of one sed per set gave, line
# for line: no set reads ahead or prints on its own but for the private-key rule,
# which see; and it spares the filter three processes and the compiling of the
# command rules twice.
#
# Each set is gated: most lines hold none of the words its expressions need (a
# credential's name, a program's, "://"), and a line that holds none branches past
# them, for each expression only changes a line holding one. The text set's gate
# holds the command set's words too and branches to the command set's own way past
# its rules, which keeps the line in the hold space as they do; the command set's
# branches past the argument set too, whose words are all its own. The protections
# of variables and templates need no word but are undone by s/\n//g when nothing else
# fires. internal/redact's tests prove each gated expression needs a gate word, and
# run the filters gated and ungated on the same bytes.
_redact_cmd() {
	_rules_cmd _rules_sed
}

_redact_args() {
	_rules_cmd _rules_args _rules_sed
}

_redact() {
	_rules_text _rules_cmd _rules_args _rules_sed
}

_rules_sed() {
	if [ "${_nonul:-}" = y ]; then
		sed "$@"
	else
		tr -d '\000' | sed "$@"
	fi
}

# _rules_cmd is for commands stored in a file whose other lines must stay as they
# are (sudoers: an alias named PASSWD_CMDS is a right, not a secret): the values of
# options that name a credential, in every spelling (--key V, --api-key=V, --secret,
# --auth, --auth-token, --access-key, --client-secret, --pass, --passwd, "--password V"),
# what a program takes as its password (mysql -pV, sshpass -p V, redis-cli -a V,
# ldapsearch -w V, mongodump -p V, curl -u user:V, smbclient -U user%V, openssl's
# pass:V), credential headers ("Authorization: ...", "X-Api-Key: ...",
# "X-Auth-Token: ..."), credentials in URL queries (?key=, &token=, access_token=,
# &sig=) and user:password@ in URLs. A value starting with $ (a variable), < or {
# (trowel's own marker, a template) is left alone, and so is one starting with "-"
# after a space (the next option: --no-auth is a flag); --key followed by an absolute
# path names a key file, which is no secret. Names that only contain a word
# (--key-file, --key-id, --token-ttl, --password-file, --keyring) are not masked: their
# values are paths, identifiers and durations.
_rules_cmd() {
	_rn=$1
	shift
	"$_rn" "$@" \
		-e '/[Pp][Aa][Ss][Ss]/b cmd' \
		-e '/[Kk][Ee][Yy]/b cmd' \
		-e '/[Ss][Ee][Cc][Rr][Ee][Tt]/b cmd' \
		-e '/[Tt][Oo][Kk][Ee][Nn]/b cmd' \
		-e '/[Pp][Ww][Dd]/b cmd' \
		-e '/[Aa][Uu][Tt][Hh]/b cmd' \
		-e '/[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]/b cmd' \
		-e '/[Cc][Oo][Oo][Kk][Ii][Ee]/b cmd' \
		-e '/[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee]/b cmd' \
		-e '/:\/\//b cmd' \
		-e '/mysql/b cmd' \
		-e '/curl/b cmd' \
		-e '/ldap/b cmd' \
		-e '/mongo/b cmd' \
		-e '/redis-cli/b cmd' \
		-e '/smbclient/b cmd' \
		-e ':cmd_skip' \
		-e 'H' \
		-e 'g' \
		-e '/[Pp][Aa][Ss][Ss]/b cmd_prev' \
		-e '/[Kk][Ee][Yy]/b cmd_prev' \
		-e '/[Ss][Ee][Cc][Rr][Ee][Tt]/b cmd_prev' \
		-e '/[Tt][Oo][Kk][Ee][Nn]/b cmd_prev' \
		-e '/[Pp][Ww][Dd]/b cmd_prev' \
		-e '/[Aa][Uu][Tt][Hh]/b cmd_prev' \
		-e '/[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]/b cmd_prev' \
		-e '/\n@S\n/b cmd_prev' \
		-e 's/^.*\n//' \
		-e 'h' \
		-e 'b' \
		-e ':cmd' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\$[A-Za-z_][A-Za-z0-9_]*["'"'"']\{0,1\}[] 	&#;|)<>,}]\)/\1\
\2/g' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\$[A-Za-z_][A-Za-z0-9_]*["'"'"']\{0,1\}\)$/\1\
\2/' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\${[A-Za-z_][A-Za-z0-9_]*}["'"'"']\{0,1\}[] 	&#;|)<>,}]\)/\1\
\2/g' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\${[A-Za-z_][A-Za-z0-9_]*}["'"'"']\{0,1\}\)$/\1\
\2/' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*["'"'"']\{0,1\}{{\)/\1\
\2/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Ww][Dd]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Ww][Dd]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Pp][Ww][Dd]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Kk][Ee][Yy]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Kk][Ee][Yy]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's#\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Kk][Ee][Yy]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	/][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*#\1<redacted>#g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh]["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=,[][-]\{1,2\}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}["'"'"']\{0,1\}[ 	]*[= 	,][ 	]*\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e '/sshpass/s/\(sshpass[ 	][ 	]*-p[ 	]*["'"'"']\{0,1\}\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e '/redis-cli/s/\(redis-cli[^|;&]*[ 	]-a[ 	]*["'"'"']\{0,1\}\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e '/ldap/s/\(ldap[a-z]*[^|;&]*[ 	]-w[ 	]*["'"'"']\{0,1\}\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e '/mongo/s/\(mongo[a-z]*[^|;&]*[ 	]-p[ 	]*["'"'"']\{0,1\}\)[^-"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e '/curl/s/\(curl[^|;&]*[ 	][-]\{1,2\}[A-Za-z-]*[Uu]\([Ss][Ee][Rr]\)\{0,1\}[= 	]*["'"'"']\{0,1\}[^: 	"'"'"']*:\)[^ 	"'"'"'@]*/\1<redacted>/g' \
		-e '/smbclient/s/\([ 	]-U[ 	]*["'"'"']\{0,1\}[^% 	"'"'"']*%\)[^ 	"'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=][Pp][Aa][Ss][Ss]:\)[^ 	"'"'"']*/\1<redacted>/g' \
		-e 's/\(["'"'"'=][A-Za-z0-9-]*[Aa][Uu][Tt][Hh][A-Za-z0-9-]*:[ 	]*\)[^"'"'"']*/\1<redacted>/g' \
		-e 's/\(["'"'"'=][A-Za-z0-9-]*[A-Za-z0-9-][Kk][Ee][Yy][A-Za-z0-9-]*:[ 	]*\)[^"'"'"']*/\1<redacted>/g' \
		-e 's/\(["'"'"'=][A-Za-z0-9-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9-]*:[ 	]*\)[^"'"'"']*/\1<redacted>/g' \
		-e 's/\(["'"'"'=][A-Za-z0-9-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9-]*:[ 	]*\)[^"'"'"']*/\1<redacted>/g' \
		-e 's/\(["'"'"'=][A-Za-z0-9-]*[Cc][Oo][Oo][Kk][Ii][Ee][A-Za-z0-9-]*:[ 	]*\)[^"'"'"']*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Kk][Ee][Yy]=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh]=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Pp][Ww][Dd][A-Za-z0-9_.-]*=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee][A-Za-z0-9_.-]*=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's/\([?&;][A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}[A-Za-z0-9_.-]*=\)[^&#"'"'"'< 	][^&#"'"'"' 	]*/\1<redacted>/g' \
		-e 's|\(://[^/:@ 	]*:\)[^@/ 	]*@|\1<redacted>@|g' \
		-e '/mysql/s/\([ 	]-p"\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e '/mysql/s/\([ 	]-p'"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e '/mysql/s/\([ 	]-p\)[^ 	"'"'"'][^ 	]*/\1<redacted>/g' \
		-e 's/\n//g' \
		-e 'H' \
		-e 'g' \
		-e ':cmd_prev' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee]["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Pp][Ww][Dd]["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt]["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn]["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Kk][Ee][Yy]["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh]["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e 's/\(["'"'"' 	[]-\{1,2\}[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*\)\n/\1\
@S\
/' \
		-e '/\n@S\n[ 	]*\(-[ 	][ 	]*\)\{0,1\}["'"'"']\{0,1\}\${\{0,1\}[A-Za-z_][A-Za-z0-9_]*}\{0,1\}["'"'"']\{0,1\}[ 	]*,\{0,1\}[ 	]*$/!{' \
		-e 's/\(\n@S\n[ 	]*\(-[ 	][ 	]*\)\{0,1\}"\)[^-"][^"]*/\1<redacted>/' \
		-e 's/\(\n@S\n[ 	]*\(-[ 	][ 	]*\)\{0,1\}'"'"'\)[^-'"'"'][^'"'"']*/\1<redacted>/' \
		-e 's/\(\n@S\n[ 	]*-[ 	][ 	]*\)[^-"'"'"'<#{[ 	].*/\1<redacted>/' \
		-e '}' \
		-e 's/^.*\n//' \
		-e 'h'
}

# _rules_args, for command lines (ps, /etc/inittab, logrotate's scripts), follows the
# command rules: environment settings whose names speak of passwords, secrets,
# tokens, keys or authentication (API_TOKEN=V, Environment="DB_PASSWORD=V",
# MYSQL_PWD=V, AWS_SECRET_ACCESS_KEY=V).
_rules_args() {
	_rn=$1
	shift
	"$_rn" "$@" \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\$[A-Za-z_][A-Za-z0-9_]*["'"'"']\{0,1\}[] 	&#;|)<>,}]\)/\1\
\2/g' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\$[A-Za-z_][A-Za-z0-9_]*["'"'"']\{0,1\}\)$/\1\
\2/' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\${[A-Za-z_][A-Za-z0-9_]*}["'"'"']\{0,1\}[] 	&#;|)<>,}]\)/\1\
\2/g' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*"\{0,1\}\${[A-Za-z_][A-Za-z0-9_]*}["'"'"']\{0,1\}\)$/\1\
\2/' \
		-e 's/\([A-Za-z0-9_.-]\)\([A-Za-z0-9_.]\(["'"'"']\{0,1\}[ 	]*[= 	,]\)\{0,1\}[ 	]*["'"'"']\{0,1\}{{\)/\1\
\2/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}\([0-9_.][A-Za-z0-9_.]*\)\{0,1\}="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}\([0-9_.][A-Za-z0-9_.]*\)\{0,1\}='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}\([0-9_.][A-Za-z0-9_.]*\)\{0,1\}=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.]*="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.]*='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.]*=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}[A-Za-z0-9_.]*="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}[A-Za-z0-9_.]*='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}[A-Za-z0-9_.]*=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Kk][Ee][Yy]="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Kk][Ee][Yy]='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's#\([ 	"'"'"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Kk][Ee][Yy]=\)[^"'"'"'< 	/][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*#\1<redacted>#g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Aa][Uu][Tt][Hh]="\)[^"]\([^"\\]*\\.\)*[^"]*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Aa][Uu][Tt][Hh]='"'"'\)[^'"'"'][^'"'"']*/\1<redacted>/g' \
		-e 's/\([ 	"'"'"'=;][A-Za-z0-9_.][A-Za-z0-9_.]*[Aa][Uu][Tt][Hh]=\)[^"'"'"'< 	][^ 	"'"'"']*\(["'"'"'][^] 	"'"'"',;)}<>|&][^] 	"'"'"',;)}<>|&]*\)*/\1<redacted>/g' \
		-e 's/\(,[A-Za-z0-9_.]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.]*=\)[^,"'"'"'< 	][^, 	"'"'"']*/\1<redacted>/g' \
		-e 's/\(,[A-Za-z0-9_.]*[Pp][Ww][Dd][A-Za-z0-9_.]*=\)[^,"'"'"'< 	][^, 	"'"'"']*/\1<redacted>/g' \
		-e 's/\(,[A-Za-z0-9_.]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.]*=\)[^,"'"'"'< 	][^, 	"'"'"']*/\1<redacted>/g' \
		-e 's/\(,[A-Za-z0-9_.]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.]*=\)[^,"'"'"'< 	][^, 	"'"'"']*/\1<redacted>/g' \
		-e 's/\(,[A-Za-z0-9_.]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][Ss]\{0,1\}[A-Za-z0-9_.]*=\)[^,"'"'"'< 	][^, 	"'"'"']*/\1<redacted>/g' \
		-e 's/\n//g'
}

# _rules_text, for configuration text, comes before the command line rules (crontabs,
# unit files and scripts are configs whose lines are commands): the values of
# settings whose names speak of passwords, secrets, tokens or keys (one word before
# = or :), quoted attributes anywhere in a line (XML: keystorePass="..."), and whole
# private-key blocks. A block's lines end their cycle at its c command, and only its
# last prints the marker, which the other rules leave as it is; but the command
# rules keep the line before in the hold space, to read an option's value on the
# next line, and there, where the marker line once went through a sed of their own,
# the marker must stand: each line of the block puts it there.
_rules_text() {
	_rn=$1
	shift
	"$_rn" "$@" \
		-e '/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,/-----END [A-Z0-9 ]*PRIVATE KEY-----/{' \
		-e 'x' \
		-e 's/.*/[trowel: private key removed]/' \
		-e 'x' \
		-e '/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/,/-----END [A-Z0-9 ]*PRIVATE KEY-----/c\
[trowel: private key removed]' \
		-e '}' \
		-e '/[Pp][Aa][Ss][Ss]/b text' \
		-e '/[Kk][Ee][Yy]/b text' \
		-e '/[Ss][Ee][Cc][Rr][Ee][Tt]/b text' \
		-e '/[Tt][Oo][Kk][Ee][Nn]/b text' \
		-e '/[Pp][Ww][Dd]/b text' \
		-e '/[Aa][Uu][Tt][Hh]/b text' \
		-e '/[Pp][Hh][Rr][Aa][Ss][Ee]/b text' \
		-e '/[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]/b text' \
		-e '/[Pp][Ss][Kk]/b text' \
		-e '/[Ss][Aa][Ll][Tt]/b text' \
		-e '/[Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd]/b text' \
		-e '/[Cc][Oo][Oo][Kk][Ii][Ee]/b text' \
		-e '/[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee]/b text' \
		-e '/:\/\//b text' \
		-e '/mysql/b text' \
		-e '/curl/b text' \
		-e '/ldap/b text' \
		-e '/mongo/b text' \
		-e '/redis-cli/b text' \
		-e '/smbclient/b text' \
		-e '/^[ 	]*[0-9]/b text' \
		-e 'b cmd_skip' \
		-e ':text' \
		-e 's/^\([ 	-]*[^=: 	]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}\([^A-Za-z=: 	][^=: 	]*\)\{0,1\}[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[Pp][Hh][Rr][Aa][Ss][Ee][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[Pp][Ww][Dd][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[Ss][Ee][Cc][Rr][Ee][Tt][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[Tt][Oo][Kk][Ee][Nn][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	-]*[^=: 	]*[_-][Kk][Ee][Yy]["'"'"']*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*[Rr][Ee][Qq][Uu][Ii][Rr][Ee][Pp][Aa][Ss][Ss][ 	][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*[Mm][Aa][Ss][Tt][Ee][Rr][Aa][Uu][Tt][Hh][ 	][ 	]*\).*/\1<redacted>/' \
		-e 's/\([Ii][Dd][Ee][Nn][Tt][Ii][Ff][Ii][Ee][Dd] [Bb][Yy] \).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Pp][Aa][Ss][Ss][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Kk][Ee][Yy][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Ss][Aa][Ll][Tt][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*define[ 	]*([ 	]*["'"'"'][A-Za-z0-9_]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_]*["'"'"'][ 	]*,[ 	]*\).*/\1<redacted>/' \
		-e 's/\([A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*="\)[^"]*/\1<redacted>/g' \
		-e 's/\([A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][A-Za-z0-9_.-]*='"'"'\)[^'"'"']*/\1<redacted>/g' \
		-e 's/\([A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*="\)[^"]*/\1<redacted>/g' \
		-e 's/\([A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*='"'"'\)[^'"'"']*/\1<redacted>/g' \
		-e 's/\([A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*="\)[^"]*/\1<redacted>/g' \
		-e 's/\([A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*='"'"'\)[^'"'"']*/\1<redacted>/g' \
		-e 's/^\([ 	-]*[^=: 	]*[Pp][Ss][Kk][^=: 	]*[ 	]*[=:][ 	]*\).*/\1<redacted>/' \
		-e 's/^\([ 	]*[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Ww][Oo][Rr][Dd][ 	][ 	]*\)[^ 	=:].*/\1<redacted>/' \
		-e 's/^\([ 	]*[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss][Pp][Hh][Rr][Aa][Ss][Ee][ 	][ 	]*\)[^ 	=:].*/\1<redacted>/' \
		-e 's/^\([ 	]*[A-Za-z0-9_.-]*[Pp][Ss][Kk][ 	][ 	]*\)[^ 	=:].*/\1<redacted>/' \
		-e 's/^\([ 	]*[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][ 	][ 	]*\)[^ 	=:].*/\1<redacted>/' \
		-e 's/^\([ 	]*[0-9][0-9]*[ 	][ 	]*[A-Z][A-Z0-9-]*[ 	][ 	]*\)[^ 	#].*/\1<redacted>/' \
		-e 's/^\([ 	]*[0-9][0-9]*[ 	][ 	]*[A-Z][A-Z]*:\)[^ 	].*/\1<redacted>/'
}

# _redact_dict blanks what _redact's rules, anchored at a line's start, do not reach:
# the value of a setting named as a secret inside a line. A Python or Ruby dict on one
# line ({'PASSWORD': 'x'}), a JSON object, a YAML flow mapping ({password: x, host: db}),
# keyword arguments (connect(password = 'x')), a Ruby hash (:password => 'x'). A value
# is a quoted string, escaped quotes and all (its quotes stay, so the text still
# parses), or a bare word that ends the item (before "," or "}") or the line. An
# expression (os.environ['X'], ENV.fetch("X")) holds no secret and stays, as do hosts,
# ports and names; "pass" counts as _redact counts it: PassengerRuby is no secret.
# redact.Dict is its twin.
_redact_dict() {
	# Gated as _redact's rule sets are (see above).
	set -- \
		-e '/[Pp][Aa][Ss][Ss]/b dict' \
		-e '/[Kk][Ee][Yy]/b dict' \
		-e '/[Ss][Ee][Cc][Rr][Ee][Tt]/b dict' \
		-e '/[Tt][Oo][Kk][Ee][Nn]/b dict' \
		-e '/[Pp][Ww][Dd]/b dict' \
		-e '/[Pp][Hh][Rr][Aa][Ss][Ee]/b dict' \
		-e '/[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll]/b dict' \
		-e '/[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]/b dict' \
		-e 'b' \
		-e ':dict'
	for _rd_n in \
		'[A-Za-z0-9_.-]*[Pp][Aa][Ss][Ss]\([Ww][Oo]\{0,1\}[Rr]\{0,1\}[Dd]\)\{0,1\}\([0-9_.-][A-Za-z0-9_.-]*\)\{0,1\}' \
		'[A-Za-z0-9_.-]*[Pp][Hh][Rr][Aa][Ss][Ee][A-Za-z0-9_.-]*' \
		'[A-Za-z0-9_.-]*[Pp][Ww][Dd][A-Za-z0-9_.-]*' \
		'[A-Za-z0-9_.-]*[Ss][Ee][Cc][Rr][Ee][Tt][A-Za-z0-9_.-]*' \
		'[A-Za-z0-9_.-]*[Tt][Oo][Kk][Ee][Nn][A-Za-z0-9_.-]*' \
		'[A-Za-z0-9_.-]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][A-Za-z0-9_.-]*' \
		'[A-Za-z0-9_.-]*[Aa][Uu][Tt][Hh][Oo][Rr][Ii][Zz][Aa][Tt][Ii][Oo][Nn]' \
		'[A-Za-z0-9_.-]*[Kk][Ee][Yy]'; do
		_rd_k='\('"$_rd_n"'["'"'"']\{0,1\}[ 	]*[:=]>\{0,1\}[ 	]*\)'
		set -- "$@" \
			-e "s/$_rd_k"'"[^"\\]*\(\\.[^"\\]*\)*"/\1"<redacted>"/g' \
			-e "s/$_rd_k"''"'"'[^'"'"'\\]*\(\\.[^'"'"'\\]*\)*'"'"'/\1'"'"'<redacted>'"'"'/g' \
			-e "s/$_rd_k"'[^]}[(),;"'"'"' 	][^]}[(),;"'"'"']*,/\1<redacted>,/g' \
			-e "s/$_rd_k"'[^]}[(),;"'"'"' 	][^]}[(),;"'"'"']*}/\1<redacted>}/g' \
			-e "s/$_rd_k"'[^]}[(),;"'"'"' 	][^]}[(),;"'"'"' 	]*$/\1<redacted>/'
	done
	tr -d '\000' | sed "$@"
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
	elif [ "$3" = a ]; then
		head -c $(($2 + 1)) -- "$1" 2>/dev/null | _redact_args
		_end ok $?
	elif [ "$3" = c ]; then
		head -c $(($2 + 1)) -- "$1" 2>/dev/null | _redact_cmd
		_end ok $?
	elif [ "$3" = k ]; then
		head -c $(($2 + 1)) -- "$1" 2>/dev/null | _keys_redact
		_end ok $?
	elif [ "$3" = h ]; then
		head -c $(($2 + 1)) -- "$1" 2>/dev/null | _hashes_redact
		_end ok $?
	elif [ "$3" = 0 ]; then
		head -c $(($2 + 1)) -- "$1" 2>/dev/null | tr '\000' '\n' | sed -n 1p
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

# _rln prints the target as a line of its own, as printf '%s\n' "$(_rl ...)" would,
# without the subshell the substitution costs (a listing of /etc/rc?.d is a link per
# entry); only a target that ends in a newline would come out otherwise.
if command -v readlink >/dev/null 2>&1; then
	_rl() { readlink "$1" 2>/dev/null; }
	_rln() { readlink "$1" 2>/dev/null || echo; }
else
	_rl() {
		_x=$(ls -ld "$1" 2>/dev/null)
		printf '%s\n' "${_x#* -> }"
	}
	_rln() { _rl "$1"; }
fi

# _entries DIR prints DIR's entries, one a line: "l<tab>NAME<tab>TARGET" for a link,
# "d", "f" or "o" and the name for a directory, a regular file or anything else. The
# entries go out 64 at a time (_entries_put), so that the targets of their links come
# from one process (_link_targets), not one readlink each: /etc/rc?.d and
# mods-enabled are a link per entry.
_entries() {
	_ed=$1
	_eb=
	_en=0
	set --
	for _f in "$_ed"/* "$_ed"/.[!.]* "$_ed"/..?*; do
		_entry "$_f" || continue
		_eb="$_eb$_el$_NL"
		case $_el in l*) set -- "$@" "$_f" ;; esac
		_en=$((_en + 1))
		if [ "$_en" = 64 ]; then
			_entries_put "$_eb" "$@"
			_eb=
			_en=0
			set --
		fi
	done
	_entries_put "$_eb" "$@"
}

# _entry PATH sets _el to the line of a listing for the entry PATH, its link's target
# left out: "l", "d", "f" or "o", a tab and its name; it fails for none (gone
# meanwhile, or a name with a newline, which no line can hold).
_entry() {
	_el=
	[ -e "$1" ] || [ -L "$1" ] || return 1
	_enm=${1##*/}
	case $_enm in *"$_NL"*) return 1 ;; esac
	if [ -L "$1" ]; then
		_el="l$_TAB$_enm"
	elif [ -d "$1" ]; then
		_el="d$_TAB$_enm"
	elif [ -f "$1" ]; then
		_el="f$_TAB$_enm"
	else
		_el="o$_TAB$_enm"
	fi
}

# _entries_put LINES LINK... prints the entry lines, each link's with its target:
# LINK... are the links' paths, in the order of their lines.
_entries_put() {
	_epl=$1
	shift
	_epo=$IFS
	IFS=$_NL
	set -f
	if [ $# -gt 1 ] && _link_targets "$@"; then
		set -- $_elt
		for _e in $_epl; do
			case $_e in
			"l$_TAB"*)
				printf '%s\t%s\n' "$_e" "$1"
				shift
				;;
			*) printf '%s\n' "$_e" ;;
			esac
		done
	else
		for _e in $_epl; do
			case $_e in
			"l$_TAB"*)
				printf '%s\t' "$_e"
				_rln "$1"
				shift
				;;
			*) printf '%s\n' "$_e" ;;
			esac
		done
	fi
	IFS=$_epo
	set +f
}

# _link_targets LINK... sets _elt to the links' targets, one a line, in order, from
# one find -printf (GNU find has it, CentOS 5's too; busybox's has not: whether it
# does is tried once per run). It fails, and each link is read alone as _rln reads
# it, unless every target is one line, once: find failed on none (a link gone
# meanwhile), wrote no empty line (a file no longer a link) and no more lines than
# links (a target with a newline). The paths are absolute, so find takes none of
# them for an option.
_link_targets() {
	case $1 in /*) ;; *) return 1 ;; esac
	if [ -z "${_flp:-}" ]; then
		_flp=n
		find / -prune -printf '' >/dev/null 2>&1 && _flp=y
	fi
	[ "$_flp" = y ] || return 1
	_eln=$#
	_elt=$(find "$@" -prune -printf '%l\n' 2>/dev/null && echo x) || return 1
	case $_elt in *"$_NL"x) ;; *) return 1 ;; esac
	_elt=${_elt%x}
	case $_elt in "$_NL"* | *"$_NL$_NL"*) return 1 ;; esac
	set -- $_elt
	[ "$#" = "$_eln" ]
}

_list() {
	case $1 in *"$_NL"*) return 0 ;; esac
	if [ -n "$_lqon" ] && [ -d "$1" ] && [ -r "$1" ] && [ -x "$1" ] && ! _onnet "$1" && _few "$1" "$2"; then
		_list_queue "$1" "$2"
		return 0
	fi
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
	elif _few "$1" "$2"; then
		_entries "$1"
		_end ok 0
	else
		_entries "$1" | head -c $(($2 + 1))
		_end ok $?
	fi
}

# A listing with links among its entries waits for the end of its domain (_batch_due)
# or the batch's flush (_list_queue): the targets of the links of every waiting
# listing then come from one find (_list_flush), where each listing cost a command
# substitution and a find of its own (/etc/rc?.d, the systemd wants directories,
# mods-enabled: a dozen listings of links on a small host). A listing without links
# goes out at once, as before.
_lqn=0
_lqk=0
_lqz=0
_lqon=y

# _list_queue DIR LIMIT reads the entries of DIR (a directory _list can read whole) as
# _entries does (_entry), and writes its item at once when no entry is a link, else
# queues it for _list_flush, which writes the same item.
_list_queue() {
	_now
	_t0=$_t
	_lqd=$1
	_lqb=
	_lql=0
	for _lqf in "$_lqd"/* "$_lqd"/.[!.]* "$_lqd"/..?*; do
		_entry "$_lqf" || continue
		_lqb="$_lqb$_el$_NL"
		case $_el in l*)
			_lql=$((_lql + 1))
			_lqz=$((_lqz + ${#_lqf} + 1))
			;;
		esac
	done
	if [ "$_lql" = 0 ]; then
		printf '\n%s B list %s %s\n%s' "$_B" "$2" "$_lqd" "$_lqb"
		_end ok 0
		return 0
	fi
	_lqn=$((_lqn + 1))
	_lqk=$((_lqk + _lql))
	eval "_lqp$_lqn=\$_lqd _lqm$_lqn=\$2 _lqv$_lqn=\$_lqb"
	# One find takes the links of many listings, their paths within what CentOS 5's
	# kernel lets a command line hold (128 KiB with the environment): past 32 KiB
	# or 512 links, the queue goes.
	[ "$_lqk" -lt 512 ] && [ "$_lqz" -lt 32768 ] || _list_flush
}

# _list_flush writes the queued listings' items, in order: each link's target from one
# find for all of them (_link_targets), or, where that fails (a link gone or changed
# meanwhile, a target with a newline), from _entries_put, listing by listing.
_list_flush() {
	[ "$_lqn" -gt 0 ] || return 0
	# As the items of a batch of files, each runs from the end of the one before,
	# the first from the flush's start: the shared find is theirs.
	_now
	_t0=$_t
	_lfo=$IFS
	set -f
	set --
	_lfi=0
	while [ "$_lfi" -lt "$_lqn" ]; do
		_lfi=$((_lfi + 1))
		eval "_lfd=\$_lqp$_lfi _lfb=\$_lqv$_lfi"
		IFS=$_NL
		for _lfe in $_lfb; do
			case $_lfe in "l$_TAB"*) set -- "$@" "$_lfd/${_lfe#l$_TAB}" ;; esac
		done
		IFS=$_lfo
	done
	set +f
	_lft=
	if _link_targets "$@"; then
		_lft=y
		IFS=$_NL
		set -f
		set -- $_elt
		IFS=$_lfo
		set +f
	fi
	_lfi=0
	while [ "$_lfi" -lt "$_lqn" ]; do
		_lfi=$((_lfi + 1))
		eval "_lfd=\$_lqp$_lfi _lfm=\$_lqm$_lfi _lfb=\$_lqv$_lfi"
		unset "_lqp$_lfi" "_lqm$_lfi" "_lqv$_lfi"
		printf '\n%s B list %s %s\n' "$_B" "$_lfm" "$_lfd"
		if [ -n "$_lft" ]; then
			IFS=$_NL
			set -f
			for _lfe in $_lfb; do
				case $_lfe in
				"l$_TAB"*)
					printf '%s\t%s\n' "$_lfe" "$1"
					shift
					;;
				*) printf '%s\n' "$_lfe" ;;
				esac
			done
			IFS=$_lfo
			set +f
		else
			set -f
			set --
			IFS=$_NL
			for _lfe in $_lfb; do
				case $_lfe in "l$_TAB"*) set -- "$@" "$_lfd/${_lfe#l$_TAB}" ;; esac
			done
			IFS=$_lfo
			set +f
			_entries_put "$_lfb" "$@"
		fi
		_end ok 0
		_t0=$_t
	done
	_lqn=0
	_lqk=0
	_lqz=0
}

# _few DIR LIMIT tells whether DIR has too few entries for its listing to pass LIMIT
# bytes, when it needs no head (and no two processes) to bound it: a line is at most
# 4354 bytes (a letter, a 255-byte name, a 4095-byte link target, two tabs, a newline).
_few() {
	_fwl=$2
	set -- "$1"/* "$1"/.[!.]* "$1"/..?*
	[ $(($# * 4354)) -le "$_fwl" ]
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
# Every wait goes through command: posh leaves the option parser of the builtin run
# before it mid-word, so a bare wait may read its pid argument from where that
# stopped, past the pid's end, fail with "invalid option" and return at once (a
# hang-prone failure that came and went with the layout of the script); command
# parses options of its own from the start and leaves the parser clean for wait.
#
# The watchdog's TERM trap only raises _stop, and _pause kills its own sleep once it
# sees it: a trap that killed "$_sp" itself missed a sleep started but not yet
# recorded (a TERM between "sleep &" and "_sp=$!"), which then outlived the survey
# for the step's whole timeout, a process of the survey's own for the next one to
# see. The sleep is killed only while it is known to run (not yet waited for, or its
# wait cut short by the trap), never once reaped, when its pid may be another's; and
# with KILL, since a TERM that reaches the child between fork and exec meets the
# shell's trap there and is lost when sleep starts.
_pause() {
	[ -n "${_stop:-}" ] && return 0
	sleep "$1" 3>&- &
	_sp=$!
	if [ -z "${_stop:-}" ]; then
		command wait "$_sp" && return 0
	fi
	[ -n "${_stop:-}" ] && kill -KILL "$_sp" 2>/dev/null
	return 0
}

# The watchdog stands in for timeout(1), which CentOS 5 lacks. One watchdog watches
# every command of the plan (_watched): a watchdog of its own and its sleep cost each
# command two forks and an exec. _watch is the watchdog of one command, for a host
# without /proc and for a command that finds the shared one gone. It reports through
# fd 3, which its sleeps do not hold, so killing the watchdog never leaves the caller
# waiting for a sleeping child to close the pipe.
_watch() {
	_stop=
	trap '_stop=1' TERM
	_pause "$2"
	[ -n "$_stop" ] && exit 0
	echo "$_B-timeout" >&3
	_pids=$(_tree "$1")
	[ -n "$_stop" ] && exit 0
	kill -TERM $_pids $(_marked "$3") 2>/dev/null
	_pause 2
	[ -n "$_stop" ] && exit 0
	kill -KILL $_pids $(_marked "$3") 2>/dev/null
}

# _watched PLAN runs the function PLAN (its output on fd 4) beside the shared
# watchdog, _wd_loop, which reads lines from a pipe on the plan's fd 9 (a pipe, as
# nothing may be written on the host, not even a fifo): "arm PID DEADLINE" and
# "disarm" from each command (_cmd_wait), "tick" each second from _wd_tick, and
# "end" once the plan is done. Deadlines are hundredths of a second of
# /proc/uptime counted from the second the plan started (_wb): small numbers, which
# a shell of 32-bit arithmetic holds however long the host has been up. Neither
# helper holds the probe's standard output or error. The watchdog ends at "end", or
# at the ticker's "gone" when the plan was killed; the ticker at the plan's TERM, or
# once its parent, the plan, is gone.
_watched() {
	_wb=
	if [ -r /proc/uptime ] && [ -r /proc/self/stat ]; then
		read -r _wu _x </proc/uptime
		_wb=${_wu%.*}
		# Every program this plan starts carries the mark (see _wd_sweep): this
		# probe's, as no other running probe has its shell's PID and start, and not
		# the boundary, which no program may learn.
		TROWEL_PROBE_RUN="$$.$_wb.$1"
		export TROWEL_PROBE_RUN
		{
			_wd_tick </dev/null >&9 2>/dev/null 4>&- 9>&- &
			_tkp=$!
			"$1"
			kill "$_tkp" 2>/dev/null
			_wd_say end
		} 9>&1 >&4 | _wd_loop >/dev/null 2>&1 4>&-
	else
		"$1"
	fi
}

# _halves runs the plan in two halves at once (_half_1, _half_2), each beside a
# watchdog of its own, for an operator that reads the standard error as a second
# evidence stream (trowel without a terminal: stdout and stderr are two channels).
# The first half writes its records to the standard output, the second, after a
# header line of its own, to the standard error: two writers on one stream would
# cut into each other's records, and a pipe relaying one half through the other
# would block that half, its commands' deadlines running, once the pipe is full. A
# half's last record, Z, says which of the two it is: trowel takes the stream as
# complete only once both have ended. Whatever else either half writes on its
# standard error (a shell's message) goes through _stray. No command holds fd 5,
# the session's standard error, as none holds its output: one left running would
# keep the session open. When standard output and error are one file (a terminal,
# 2>&1), the plan runs whole, as it does when nobody asked for halves (posh's test
# has no -ef: there the operator's word is taken).
_halves() {
	[ /proc/$$/fd/1 -ef /proc/$$/fd/2 ] 2>/dev/null
	if [ $? = 0 ]; then
		_watched _plan
		return 0
	fi
	printf 'TROWEL-EVIDENCE/1 %s\n' "$_B" >&2
	exec 5>&2
	{
		{ _watched _half_2; } >&5 4>&5 5>&- &
		_watched _half_1 5>&-
		command wait
	} 2>&1 >&4 | _stray >&5 4>&- 5>&-
}

# _stray writes each line it reads as a record of its own on the second stream,
# cut to a size the pipe writes whole, so that it never lands inside a write of the
# half's, only between two: trowel takes it out again wherever it is, and keeps it
# as it keeps the rest of the standard error. The record is one line and no more,
# with no newline before it: bash and yash write a printf's output a line at a
# time, and the newline that began it went out alone, so that a record of the half
# could land between the two and lose its own line's end when the X record was
# taken out.
_stray() {
	while IFS= read -r _sl || [ -n "$_sl" ]; do
		printf '%s X %.1000s\n' "$_B" "$_sl"
	done
}

# _wd_say LINE tells the watchdog LINE, and fails if it is gone: the write must not
# kill the writer with SIGPIPE then.
_wd_say() {
	trap '' PIPE
	echo "$1" >&9 2>/dev/null
	_wds=$?
	trap - PIPE
	return "$_wds"
}

# _wd_clock sets _wc to the hundredths of a second since _wb.
_wd_clock() {
	read -r _wu _x </proc/uptime
	_wc=$(((${_wu%.*} - _wb) * 100 + 1${_wu#*.} - 100))
}

# _wd_ticking tells whether the ticker runs: a watchdog without ticks would never
# fire. A dead ticker not yet reaped by the plan is a zombie, which kill -0 finds.
_wd_ticking() {
	read -r _st 2>/dev/null <"/proc/$_tkp/stat" || return 1
	set -- ${_st##*) }
	[ "$1" != Z ]
}

# _wd_tick says "tick" each second, and "gone" once its parent is another than the
# one it started with: the plan was killed, and the probe with it.
_wd_tick() {
	_stop=
	trap '_stop=1' TERM
	read -r _st </proc/self/stat
	set -- ${_st##*) }
	_tpp=$2
	while [ -z "$_stop" ]; do
		_pause 1 >/dev/null
		[ -n "$_stop" ] && return 0
		read -r _st </proc/self/stat
		set -- ${_st##*) }
		if [ "$2" != "$_tpp" ]; then
			echo gone
			return 0
		fi
		echo tick
	done
}

# _wd_loop is the shared watchdog. It keeps the one command armed, and ends its
# process tree at the first tick past its deadline as _watch does: TERM, and KILL
# two seconds later. A command left running when the plan was killed is killed
# with it.
_wd_loop() {
	_wa=
	_wk=
	while read -r _w1 _w2 _w3 _w4; do
		if [ "$_w1" = tick ]; then
			[ -n "$_wa" ] && _wd_fire
		elif [ "$_w1" = arm ]; then
			_wa=$_w2
			_wdl=$_w3
			_wm=$_w4
			_wk=
		elif [ "$_w1" = disarm ]; then
			_wa=
			_wk=
		elif [ "$_w1" = gone ]; then
			[ -n "$_wa" ] && kill -KILL $(_tree "$_wa") 2>/dev/null
			_wd_sweep
			return 0
		else
			return 0
		fi
	done
}

# _wd_sweep kills what a plan that was killed left running: every program it started
# (each carries TROWEL_PROBE_RUN in its environment, as forked shells do not), but
# the watchdog itself. A command the plan started but had not yet armed when it died
# is known to no one else; the shells waiting for such a command end with it.
_wd_sweep() {
	[ -n "${TROWEL_PROBE_RUN:-}" ] || return 0
	read -r _wme _x </proc/self/stat
	_wsl=
	for _wsp in $(_carrying "TROWEL_PROBE_RUN=$TROWEL_PROBE_RUN"); do
		[ "$_wsp" = "$_wme" ] || _wsl="$_wsl $_wsp"
	done
	[ -n "$_wsl" ] && kill -KILL $_wsl 2>/dev/null
	return 0
}

# _cmd_mark, in a command's subshell, extends the plan's mark in the environment of
# every program the command starts with the PID of _cmd_wait's shell, _cme: the
# watchdog ends what carries it with the command's tree (_marked).
_cmd_mark() {
	[ -n "$_cme" ] && TROWEL_PROBE_RUN="$TROWEL_PROBE_RUN.$_cme."
}

# _marked MARK prints the programs a command started (_cmd_mark), wherever they are
# now: a program its shell forked while the watchdog read the command's process
# tree is in no list the watchdog made, and once that shell has died, in no tree
# either, its output pipe still open (a busy host's race). A forked shell's
# environment is the one it was started with, so only programs carry the mark. The
# dot after the PID keeps 12 from finding 123.
_marked() {
	[ -n "$1" ] && _carrying "TROWEL_PROBE_RUN=$TROWEL_PROBE_RUN.$1."
}

# _carrying TEXT prints the processes whose environment holds TEXT, the plan's mark or
# a command's. grep reads each environment as NUL-ended lines (-z): busybox's grep
# stops at a line's first NUL. grep runs without the mark, or it would find itself.
_carrying() {
	command -v grep >/dev/null 2>&1 || return 0
	for _cre in $(TROWEL_PROBE_RUN= grep -l -z -F "$1" /proc/[0-9]*/environ 2>/dev/null); do
		_cre=${_cre#/proc/}
		echo "${_cre%/environ}"
	done
}

_wd_fire() {
	_wd_clock
	if [ -z "$_wk" ]; then
		[ "$_wc" -ge "$_wdl" ] || return 0
		_wk=$(_tree "$_wa")
		kill -TERM $_wk $(_marked "$_wm") 2>/dev/null
		_wkl=$((_wc + 200))
	elif [ "$_wc" -ge "$_wkl" ]; then
		kill -KILL $_wk $(_marked "$_wm") 2>/dev/null
		_wa=
		_wk=
	fi
}

# _cmd NAME LIMIT TIMEOUT NEEDS REDACT EXEC COMMAND (REDACT: r config text, a command lines,
# c stored commands alone, - none; _file also knows k authorized_keys, h account files,
# 0 a command line's program)
# Runs COMMAND under the watchdog (_cmd_wait). A filtered command's output is held for
# its filter's pass with the batch (_cmd_held) where the shell can hold it; otherwise,
# and for an unfiltered one, _cmd_one writes its item at once.
_cmd() {
	case $5 in
	r | a | c)
		if _cmd_holds; then
			_cmd_held "$@"
			return
		fi
		;;
	esac
	_cmd_one "$@"
}

# _cmd_one runs the command as _cmd does: standard output goes through the filter and
# head, bounded, framed into the stream (fd 4); standard error, the exit status and a
# timeout mark come back through the command substitution (fd 3). The pipeline is of
# simple commands, each its one process: the filter's rule sets hand their
# expressions to _cmd_sed's sed.
# (No case statement in the command substitution: posh and old bash misparse the
# pattern's closing parenthesis there.)
_cmd_one() {
	_begin "cmd $2 $1 $7"
	if [ -n "$4" ] && ! command -v "$4" >/dev/null 2>&1; then
		_end absent 127
		return 1
	fi
	_cl=$2
	_ct=$3
	_cx=$6
	_cs=$7
	_res=$(
		{
			if [ "$5" = r ]; then
				_rules_text _rules_cmd _rules_args _cmd_sed
			elif [ "$5" = a ]; then
				_rules_cmd _rules_args _cmd_sed
			elif [ "$5" = c ]; then
				_rules_cmd _cmd_sed
			else
				_cmd_wait | head -c $((_cl + 1)) >&4
			fi
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

# _cmd_holds tells whether this shell can hold a command's output in a variable: its
# command substitution keeps every byte but NUL (which tr removes first), ${#x} counts
# bytes, and printf is its own (an external printf takes at most 128 KiB). yash cuts
# a substitution's text at the first byte that is not UTF-8, and posh has no printf of
# its own: there every command filters its output alone, as before.
_cmd_holds() {
	if [ -z "${_chold:-}" ]; then
		_chold=n
		_chx=$(
			PATH=/nonexistent
			printf 'a\377\303\251\rb\nx' 2>/dev/null
		)
		[ "${#_chx}" = 8 ] && _chold=y
	fi
	[ "$_chold" = y ]
}

# _cmd_held NAME LIMIT TIMEOUT NEEDS REDACT EXEC COMMAND runs a filtered command as
# _cmd_one does, under its watchdog and timeout, but holds its output, NUL bytes
# removed, in the shell and queues its item for its filter's pass with the batch
# (_batch_cmd): a pass of the filter, some hundred expressions to compile and two
# processes, cost each command as much as the command itself. The item is the one
# _cmd_one writes (the filter's text cut after LIMIT+1 bytes, standard error, exit
# status, timeout, times of the command's run), written when the batch is.
# What is held is bounded: LIMIT+1 bytes, and 4 MiB+1 at most. A command whose output
# reaches that bound runs again through _cmd_one, whose filter reads it whole before
# head cuts it, as before: what the filter leaves of a cut output could be shorter
# than LIMIT and read as complete. Once it timed out it does not run again: its item
# says it timed out, with the filtered text of what was held.
# The substitution's text is standard error and the marks first, then the output:
# cutting off a short prefix costs the shells little, a long one they match
# quadratically, so a prefix past 4 KiB is cut by tail.
_cmd_held() {
	if [ -n "$4" ] && ! command -v "$4" >/dev/null 2>&1; then
		_begin "cmd $2 $1 $7"
		_end absent 127
		return 1
	fi
	_now
	_t0=$_t
	_cl=$2
	_ct=$3
	_cx=$6
	_cs=$7
	_chc=$((_cl + 1))
	[ "$_chc" -le 4194305 ] || _chc=4194305
	_res=$(
		{
			_o=$(
				_cmd_wait | tr -d '\000' | head -c "$_chc"
				echo x
			)
			printf '%s-o=%s' "$_B" "$_o"
		} 3>&1
	)
	_now
	_pre=${_res%%"$_B-o="*}
	if [ "${#_pre}" -le 4096 ]; then
		_o=${_res#*"$_B-o="}
	else
		_o=$(printf '%s' "$_res" | tail -c +$((${#_pre} + ${#_B} + 4)))
	fi
	_res=
	_o=${_o%x}
	_rc=${_pre##*"$_B-rc="}
	_rc=${_rc%"$_NL"}
	case $_rc in '' | *[!0-9]*) _rc=255 ;; esac
	_cst=ok
	case $_pre in *"$_B-timeout"*) _cst=timeout ;; esac
	if [ "${#_o}" -ge "$_chc" ] && [ "$_cst" = ok ]; then
		_o=
		_cmd_one "$@"
		return
	fi
	_err=${_pre%%"$_B-"*}
	_bao=$_o
	_o=
	_bah="$_NL$_B B cmd $2 $1 $7$_NL"
	_bat=
	[ -n "$_err" ] && _bat="$_NL$_B S$_NL$(printf '%.4096s' "$_err")"
	_bat="$_bat$_NL$_B E $_cst $_rc $_t0 $_t$_NL"
	_chr=1
	[ "$_cst" = ok ] && [ "$_rc" = 0 ] && _chr=0
	# An output that holds the boundary (only the plan's own text could print it)
	# could forge the markers of a pass: it is filtered alone, at once.
	case $_bao in
	*"$_B"*) _batch_held "$5" "$2" ;;
	*) _batch_cmd "$5" "$2" ;;
	esac
	return "$_chr"
}

# _cmd_sed SED-ARGS... runs the command through the secret filter _redact would be.
_cmd_sed() {
	_cmd_wait | tr -d '\000' | sed "$@" | head -c $((_cl + 1)) >&4
}

# _cmd_wait runs _cmd's command and waits for it under the watchdog: the shared one
# if it is there (_wd_say fails once it is gone, and a command does not arm it once
# its ticker is), or else one of its own. The command ran past its time if its deadline
# passed before it ended. EXEC=x replaces the command's subshell by the program, so
# the watchdog's kill reaches the program itself and not only a shell around it.
_cmd_wait() {
	_cme=
	[ -n "${TROWEL_PROBE_RUN:-}" ] && read -r _cme _x </proc/self/stat 2>/dev/null
	if [ "$_cx" = x ]; then
		(
			_cmd_mark
			eval "exec $_cs"
		) 2>&3 </dev/null 3>&- 4>&- 9>&- &
	else
		(
			_cmd_mark
			eval "$_cs"
		) 2>&3 </dev/null 3>&- 4>&- 9>&- &
	fi
	_cp=$!
	_cdl=
	if [ -n "$_wb" ] && _wd_ticking; then
		_wd_clock
		_cdl=$((_wc + _ct * 100))
		_wd_say "arm $_cp $_cdl $_cme" || _cdl=
	fi
	_cfl=
	if [ -z "$_cdl" ]; then
		[ -n "$_cme" ] && [ -n "$_wb" ] && _wd_clock && _cfl=$((_wc + _ct * 100))
		_watch "$_cp" "$_ct" "$_cme" </dev/null >/dev/null 2>&1 4>&- 9>&- &
		_wp=$!
	fi
	command wait "$_cp"
	_r=$?
	if [ -n "$_cdl" ]; then
		_wd_say disarm
		_wd_clock
		# Disarmed, the watchdog kills no more: what the command started and the
		# watchdog's TERM missed goes now.
		if [ "$_wc" -ge "$_cdl" ]; then
			echo "$_B-timeout" >&3
			kill -KILL $(_marked "$_cme") 2>/dev/null
		fi
	else
		# Stopped first, so that it starts no sleep while its tree is read, then
		# killed with its sleep: a TERM that reaches _watch just before its wait
		# begins is trapped only once the wait is over (posh), and the substitution
		# that reads fd 3 would wait out the whole timeout, then read a timeout.
		kill -STOP "$_wp" 2>/dev/null
		kill -KILL $(_tree "$_wp") 2>/dev/null
		# Its KILL, two seconds after the TERM, will not come: what a command that
		# ran out its time started and is still running goes now (and only then,
		# as under the shared watchdog: no sweep of every environment after each
		# command that ended in its time).
		if [ -n "$_cfl" ]; then
			_wd_clock
			[ "$_wc" -lt "$_cfl" ] || kill -KILL $(_marked "$_cme") 2>/dev/null
		fi
	fi
	echo "$_B-rc=$_r" >&3
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

# _self prints how the survey itself shows on the host, so that trowel never reports
# it as the host's own: the probe's PID; the probe and each of its ancestors up to
# init as "proc PID PPID UID NAME ARGS" (the SSH session, sudo, the shells that
# started it); the sockets each of them holds, as "sock PID INODE"; the SSH
# connection it came in by ("ssh CLIENT-IP CLIENT-PORT SERVER-IP SERVER-PORT": sshd's
# SSH_CONNECTION, or TROWEL_SSH_CONNECTION, which trowel's sudo command carries past
# the environment sudo scrubs); and who ran sudo (SUDO_USER, SUDO_UID).
_self() {
	printf 'pid\t%s\n' "$$"
	_sc=${TROWEL_SSH_CONNECTION:-${SSH_CONNECTION:-}}
	_self_env ssh "$_sc"
	_self_env sudo_user "${SUDO_USER:-}"
	_self_env sudo_uid "${SUDO_UID:-}"
	_sp=$$
	_sn=0
	_s_p=
	set --
	while [ "$_sn" -lt 32 ]; do
		read -r _st <"/proc/$_sp/stat" 2>/dev/null || break
		_comm=${_st#*\(}
		_comm=${_comm%\)*}
		# The parent is the field after the state; the positional parameters
		# keep the lines.
		_pp=${_st##*\) }
		_pp=${_pp#* }
		_pp=${_pp%% *}
		_uid=
		while read -r _k _v _x; do
			case $_k in Uid:)
				_uid=$_v
				break
				;;
			esac
		done <"/proc/$_sp/status" 2>/dev/null
		_args=$(tr '\000' ' ' <"/proc/$_sp/cmdline" 2>/dev/null)
		_s_p="$_s_p$_sp$_NL"
		set -- "$@" "proc$_TAB$_sp$_TAB$_pp$_TAB$_uid$_TAB$_comm$_TAB$_args"
		case $_pp in '' | 0 | *[!0-9]*) break ;; esac
		[ "$_sp" = 1 ] && break
		_sp=$_pp
		_sn=$((_sn + 1))
	done
	_self_socks "$@"
}

# _self_socks PROC... prints each "proc" line _self made with the sockets of its
# process after it, all of them read by one ls where each process cost an ls and a
# sed. ls names each directory in a line of its own before its entries when it lists
# several (busybox in an order of its own); one alone it does not name.
_self_socks() {
	set -f
	_s_o=$IFS
	IFS=$_NL
	_s_l=
	for _sp in $_s_p; do
		_s_l="$_s_l/proc/$_sp/fd$_NL"
	done
	_s_1=
	case $_s_p in *"$_NL"?*) ;; *) _s_1=${_s_p%?} ;; esac
	_s_s=$(ls -l $_s_l 2>/dev/null | awk -v p="$_s_1" '
		/^\/proc\/[0-9]+\/fd:$/ {
			p = $0
			sub(/^\/proc\//, "", p)
			sub(/\/fd:$/, "", p)
			next
		}
		p != "" && /-. socket:\[[0-9]*\]$/ {
			i = $0
			sub(/.*-. socket:\[/, "", i)
			sub(/\]$/, "", i)
			print "sock\t" p "\t" i
		}')
	IFS=$_s_o
	for _s_e in "$@"; do
		printf '%s\n' "$_s_e"
		_sp=${_s_e#proc"$_TAB"}
		_sp=${_sp%%$_TAB*}
		IFS=$_NL
		for _s_k in $_s_s; do
			case $_s_k in "sock$_TAB$_sp$_TAB"*) printf '%s\n' "$_s_k" ;; esac
		done
		IFS=$_s_o
	done
	set +f
}

# _self_env prints "NAME<tab>VALUE" for a value that is set and fits on one line.
_self_env() {
	case $2 in '' | *"$_NL"* | *"$_TAB"*) return 0 ;; esac
	printf '%s\t%s\n' "$1" "$2"
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

# --- batch ---
# The files of File, Glob and HomeFile steps are queued (_batch_one) and read together
# (_batch_flushall) at the end of a domain once enough are queued (_batch_due), before
# the slow walks, and at the end, so that a host pays a few passes of each filter
# instead of one per file: the filters' processes (tr, sed, and sed again, compiling
# some hundred expressions) cost ten times the reading of a small file. The files are
# read by one awk per batch (_batch_read), not one head each. Each file is still its
# own item, with the same name, limit, status and content as _file gives it, and its
# time. Every file that is not read (absent, denied, not a regular file, on a network
# filesystem), and those of /proc and /sys, are done by _file at once, in order; the
# queued files are read after them.
_bqr=
_bqa=
_bqc=
_bqk=
_bqh=
_bqu=
_bqn=0
_bcr=
_bca=
_bcc=
_bck=0
_bcb=0

# _batch_due reads the queue once it holds 64 items: half of what one pass takes
# (_batch_full), and few to lose should the session be cut. Each flush costs a pass
# of every filter that has something queued (five rule sets): at 32, a survey of a
# small host flushed three times before the last domain, and its config-text, command
# line and command passes were as many.
_batch_due() {
	[ "$_bqn" -lt 64 ] || _batch_flushall
	# The listings waiting for their links' targets go at a domain's end whatever
	# the files queued: one find a domain, and a session cut short loses few.
	_list_flush
}

# _batch_full tells whether a chunk of the queue (_bfc, _bfn entries) is as large as
# one pass or one awk that reads files takes: its entries travel to awk in its
# environment, which old kernels bound to 128 KiB with the arguments, and the sizes
# wc gives for them with them. 128 entries of a host's usual paths are a few KiB.
_batch_full() {
	[ "$_bfn" -ge 128 ] || [ "${#_bfc}" -ge 16384 ]
}

# _batch_glob LIMIT RED WORD... queues the regular files a Glob step's pattern
# expanded to (the shell expands it, as for _glob_files).
_batch_glob() {
	_bgl=$1
	_bgr=$2
	shift 2
	for _g in "$@"; do
		[ -f "$_g" ] && _batch_one "$_g" "$_bgl" "$_bgr"
	done
	return 0
}

# _batch_flushall writes everything queued. A filter's files and held commands go
# through the same pass, the commands after the files.
_batch_flushall() {
	_list_flush
	_batch_flush r "$_bqr$_bcr"
	_batch_flush a "$_bqa$_bca"
	_batch_flush c "$_bqc$_bcc"
	_batch_flush k "$_bqk"
	_batch_flush h "$_bqh"
	_batch_flush - "$_bqu"
	_bqr=
	_bqa=
	_bqc=
	_bqk=
	_bqh=
	_bqu=
	_bqn=0
	_bcr=
	_bca=
	_bcc=
	while [ "$_bck" -gt 0 ]; do
		unset "_bco$_bck" "_bch$_bck" "_bct$_bck"
		_bck=$((_bck - 1))
	done
	_bcb=0
}

# _batch_cmd RED LIMIT queues the command _cmd_held ran: its output (_bao), the record
# that begins its item (_bah) and the records that end it (_bat), in variables of its
# number K, and "LIMIT :K" in its filter's queue of commands. Nothing waits on a held
# command's item: its exit status, which the plan's fallbacks read (_ok_NAME), is
# known already, no step reads another's output, and a reader finds an item by its
# name wherever it stands in the stream. So a command waits for its domain's end with
# the files (_batch_due), or for the final pass; the queue is written at once when it
# holds 1 MiB of output, which bounds what the shell holds.
_batch_cmd() {
	_bck=$((_bck + 1))
	eval "_bco$_bck=\$_bao _bch$_bck=\$_bah _bct$_bck=\$_bat"
	case $1 in
	r) _bcr="$_bcr$2 :$_bck$_NL" ;;
	a) _bca="$_bca$2 :$_bck$_NL" ;;
	*) _bcc="$_bcc$2 :$_bck$_NL" ;;
	esac
	_bqn=$((_bqn + 1))
	_bcb=$((_bcb + ${#_bao}))
	_bao=
	[ "$_bcb" -lt 1048576 ] || _batch_flushall
}

# _batch_alone RED ENTRY writes one queued entry ("LIMIT PATH" or "LIMIT :K") through
# its filter alone: a file as _file reads it, a held command's output as _cmd_one
# filters it, then cuts it after LIMIT+1 bytes.
_batch_alone() {
	case ${2#* } in
	:*)
		eval "_bao=\$_bco${2#* :} _bah=\$_bch${2#* :} _bat=\$_bct${2#* :}"
		_batch_held "$1" "${2%% *}"
		;;
	*) _file "${2#* }" "${2%% *}" "$1" ;;
	esac
}

# _batch_held RED LIMIT writes a held command's item (_bah, _bao, _bat) with its
# output through its filter alone.
_batch_held() {
	printf '%s' "$_bah"
	printf '%s' "$_bao" | _batch_filter "$1" 2>/dev/null | head -c $(($2 + 1))
	printf '%s' "$_bat"
	_bao=
}

# _batch_one PATH LIMIT RED queues a readable regular file for its filter (or, with
# no filter, for _batch_read), or hands it to _file. A file read twice (by two steps)
# waits until what is queued has gone out, so its two items keep their order: the
# later one is the one a reader keeps. Unfiltered files of /proc and /sys are read at
# once: their size says nothing of their text, which changes as it is read.
_batch_one() {
	case $1 in *"$_NL"*) return 0 ;; esac
	case "$_NL$_bqr$_bqa$_bqc$_bqk$_bqh$_bqu" in
	*" $1$_NL"*) _batch_flushall ;;
	esac
	if _onnet "$1" || [ ! -f "$1" ] || [ ! -r "$1" ]; then
		_file "$1" "$2" "$3"
		return 0
	fi
	case $3 in
	r) _bqr="$_bqr$2 $1$_NL" ;;
	a) _bqa="$_bqa$2 $1$_NL" ;;
	c) _bqc="$_bqc$2 $1$_NL" ;;
	k) _bqk="$_bqk$2 $1$_NL" ;;
	h) _bqh="$_bqh$2 $1$_NL" ;;
	-)
		case $1 in
		/proc/* | /sys/*)
			_file "$1" "$2" "$3"
			return 0
			;;
		esac
		_bqu="$_bqu$2 $1$_NL"
		;;
	*)
		_file "$1" "$2" "$3"
		return 0
		;;
	esac
	_bqn=$((_bqn + 1))
}

# _batch_flush RED QUEUE reads the queued files ("LIMIT PATH" lines) and held
# commands ("LIMIT :K") through filter RED (- none), a chunk (_batch_full) at a time.
# (A for loop splits the queue: posh's ${x%%"$_NL"*} does not match the newline.)
_batch_flush() {
	_bfc=
	_bfn=0
	_bfo=$IFS
	IFS=$_NL
	set -f
	for _bfe in $2; do
		_bfc="$_bfc$_bfe$_NL"
		_bfn=$((_bfn + 1))
		if _batch_full; then
			IFS=$_bfo
			_batch_chunk "$1" "$_bfc"
			IFS=$_NL
			set -f
			_bfc=
			_bfn=0
		fi
	done
	IFS=$_bfo
	set +f
	if [ "$_bfn" = 1 ]; then
		_batch_alone "$1" "$_bfe"
	elif [ "$_bfn" -gt 1 ]; then
		_batch_chunk "$1" "$_bfc"
	fi
}

# _batch_chunk RED QUEUE reads a chunk of the queue: through its filter's pass, or,
# unfiltered, each file as its item.
_batch_chunk() {
	if [ "$1" = - ]; then
		_batch_read i "$2" 0
	else
		_batch_pass "$1" "$2"
	fi
}

# _framed is the end of the awk programs that split a filter's output back into the
# files that went in, each after a marker line of the boundary and its number (see
# _batch_pass). The program before it defines emit(i), which writes file i from its
# filtered text c, and refuse(i), true for a file it must not write; its BEGIN sets n
# (the files queued), want = 1 and lead (the boundary and a dash). awk exits with the
# number of the first file not written (its marker missing, a key block run on past
# it, refused), 0 when all were.
_framed='
	substr($0, 1, length(lead)) == lead {
		m = substr($0, length(lead) + 1)
		if (want <= n) {
			if (m != want "") bad = cur ? cur : want
		} else if (m != "end") {
			bad = cur ? cur : want
		}
		if (!bad && cur && refuse(cur)) bad = cur
		if (bad) exit
		if (cur) emit(cur)
		if (m == "end") {
			done = 1
			exit
		}
		cur = want++
		c = ""
		have = 0
		next
	}
	{
		c = have ? c "\n" $0 : $0
		have = 1
	}
	END {
		if (!done && !bad) bad = cur ? cur : want
		exit bad
	}'

# _batch_pass RED QUEUE sends the queued files and held commands' outputs through one
# filter. Each text follows a marker line of the boundary and its number, which no
# filter's expression can change (hex digits, a dash, digits); awk then writes each
# item from the filtered text between its marker and the next. The filters work line
# by line, except the private-key rule, which removes a whole BEGIN ... END block: a
# block a text leaves open would run on into the next ones and swallow their markers.
# awk sees a marker missing, writes nothing more and exits with the number of the
# first item not written, and those items are written again one by one
# (_batch_alone), so each says what it says alone. File times are the target's uptime
# as awk writes each item: together they are the batch's time. A command's item was
# made when it ran (_cmd_held); its records go to awk ahead of the filtered text
# ("BOUNDARY-h I" and "BOUNDARY-t I" lines, each before the text that begins or ends
# item I, then "BOUNDARY-r"), past the filter, and awk writes the filtered output
# between them, cut after LIMIT+1 bytes as _cmd_one's head cuts it. The one shell
# that writes the records may hold the plan's boundary in a command's output (the
# plan's own text could print it); no program's output can.
_batch_pass() {
	_batch_awk
	_now
	_bt=$_t
	_bpk=
	_bpi=0
	_bpo=$IFS
	IFS=$_NL
	set -f
	for _bpe in $2; do
		_bpi=$((_bpi + 1))
		case ${_bpe#* } in :*)
			eval "_bpk=\"\$_bpk\$_B-h \$_bpi\$_NL\$_bch${_bpe#* :}\$_NL\$_B-t \$_bpi\$_NL\$_bct${_bpe#* :}\$_NL\""
			;;
		esac
	done
	IFS=$_bpo
	set +f
	if [ -n "$_bpk" ]; then
		{
			printf '%s%s-r\n' "$_bpk" "$_B"
			_batch_feed "$2" | _batch_filter "$1" 2>/dev/null
		} | _bq=$2 awk -v b="$_B" -v t="$_bt" -v recs=0 "$_BPASS$_framed"
	else
		_batch_feed "$2" | _batch_filter "$1" 2>/dev/null | _bq=$2 awk -v b="$_B" -v t="$_bt" -v recs=1 "$_BPASS$_framed"
	fi
	_bpr=$?
	_bpk=
	[ "$_bpr" = 0 ] && return 0
	# What awk did not write is written again, item by item.
	_bpi=0
	IFS=$_NL
	set -f
	for _bpe in $2; do
		_bpi=$((_bpi + 1))
		[ "$_bpi" -lt "$_bpr" ] && continue
		IFS=$_bpo
		_batch_alone "$1" "$_bpe"
		IFS=$_NL
	done
	IFS=$_bpo
	set +f
}

# _BPASS is the start of _batch_pass's awk program, which _framed ends: emit(i) writes
# a file's item, or a command's records around its filtered text; the lines before
# "BOUNDARY-r" (unless recs is 1 already) are those records.
_BPASS='
	function emit(i,   p, u) {
		p = q[i]
		sub(/^[0-9]* /, "", p)
		if (substr(p, 1, 1) == ":") {
			printf "%s%s%s", H[i], substr(c, 1, q[i] + 1), T[i]
			return
		}
		u = "-"
		if (0 < (getline u < "/proc/uptime")) sub(/ .*/, "", u)
		close("/proc/uptime")
		printf "\n%s B file %s %s\n", b, q[i] + 0, p
		printf "%s", c
		printf "\n%s E ok 0 %s %s\n", b, t, u
		t = u
	}
	function refuse(i) { return 0 }
	BEGIN {
		n = split(ENVIRON["_bq"], q, "\n")
		if (0 < n && q[n] == "") n--
		want = 1
		cur = 0
		lead = b "-"
	}
	!recs {
		if ($0 == lead "r") {
			recs = 1
		} else if (substr($0, 1, length(lead) + 2) == lead "h " || substr($0, 1, length(lead) + 2) == lead "t ") {
			rk = substr($0, length(lead) + 1, 1)
			ri = substr($0, length(lead) + 3) + 0
			rh = 0
		} else if (rk == "h") {
			H[ri] = rh ? H[ri] "\n" $0 : $0
			rh = 1
		} else {
			T[ri] = rh ? T[ri] "\n" $0 : $0
			rh = 1
		}
		next
	}'

# _batch_feed QUEUE writes each queued file, at most LIMIT+1 bytes of it as _file
# reads, or held command's output, after its marker line, then the end marker;
# _batch_read reads the files, a chunk (_batch_full) at a time.
_batch_feed() {
	_bfi=0
	_bfc=
	_bfn=0
	_bfo=$IFS
	IFS=$_NL
	set -f
	for _bfe in $1; do
		case ${_bfe#* } in :*)
			if [ "$_bfn" != 0 ]; then
				_batch_read f "$_bfc" "$_bfi"
				IFS=$_NL
				set -f
				_bfi=$((_bfi + _bfn))
				_bfc=
				_bfn=0
			fi
			_bfi=$((_bfi + 1))
			[ "$_bfi" = 1 ] || printf '\n'
			eval "_bfr=\$_bco${_bfe#* :}"
			printf '%s-%s\n%s' "$_B" "$_bfi" "$_bfr"
			_bfr=
			continue
			;;
		esac
		_bfc="$_bfc$_bfe$_NL"
		_bfn=$((_bfn + 1))
		if _batch_full; then
			_batch_read f "$_bfc" "$_bfi"
			IFS=$_NL
			set -f
			_bfi=$((_bfi + _bfn))
			_bfc=
			_bfn=0
		fi
	done
	IFS=$_bfo
	set +f
	[ "$_bfn" = 0 ] || _batch_read f "$_bfc" "$_bfi"
	printf '\n%s-end\n' "$_B"
}

# _batch_read MODE QUEUE OFFSET reads a chunk of queued files ("LIMIT PATH" lines),
# each as head -c LIMIT+1 reads it: MODE i writes each as its item, as _file with no
# filter does; MODE f writes each after its marker line (its number past OFFSET), as
# _batch_feed does. One awk reads them all with getline, and writes a file only when
# what it read adds up to the file's size, which one wc gave for the batch: the
# lines' lengths and newlines make the size, or the size and one when the last line
# has no newline. So whatever awk does with odd bytes (CR, bytes that are not UTF-8,
# a line that never ends) it either writes exactly the file or leaves it; and it
# leaves every file with a NUL byte (which busybox's awk takes for a line's end and
# other awks may cut a string at), larger than LIMIT+1 bytes or 1 MiB (awk holds the
# file it reads), without a size (wc named it otherwise, or it went away), or whose
# size did not add up (it changed, or it is a kernel file whose size says nothing).
# awk stops at the first file it leaves, with its number and 2 as its exit status;
# head reads that one, as before, and awk goes on after it, so the files keep their
# order.
# The NUL awk compares with is the one between its own arguments in
# /proc/self/cmdline (see _batch_awk).
_batch_read() {
	_brm=$1
	_brq=$2
	_brf=$3
	_bro=$IFS
	IFS=$_NL
	set -f
	set --
	for _bre in $_brq; do
		set -- "$@" "${_bre#* }"
	done
	IFS=$_bro
	set +f
	_brn=$#
	_brs=1
	_batch_awk
	if [ "$_brn" -gt 1 ] && [ "$_bawk" = y ]; then
		_brz=$(wc -c -- "$@" 2>/dev/null)
		while [ "$_brs" -le "$_brn" ]; do
			_now
			_bq=$_brq _bz=$_brz awk -v _zq=1 -v b="$_B" -v s="$_brs" -v o="$_brf" -v m="$_brm" -v t="$_t" "$_BNUL$_BSIZE"'
			function slurp(i, sz,   p, x, r, got) {
				p = name[i]
				if (sz < 0 || lim[i] + 1 < sz || 1048576 < sz || substr(p, 1, 1) != "/" || p ~ /^\/(proc|sys|dev)\//) return 0
				nl = 0
				got = 0
				while (0 < (r = (getline x < p))) {
					got += length(x) + 1
					if (index(x, z) || sz + 1 < got) break
					L[++nl] = x
				}
				close(p)
				if (r != 0) return 0
				if (got == sz) eol = "\n"
				else if (got == sz + 1) eol = ""
				else return 0
				return 1
			}
			function text(   k) {
				for (k = 1; k < nl; k++) printf "%s\n", L[k]
				if (nl) printf "%s%s", L[nl], eol
				split("", L)
			}
			function item(i,   u) {
				printf "\n%s B file %s %s\n", b, lim[i], name[i]
				text()
				u = "-"
				if (0 < (getline u < "/proc/uptime")) sub(/ .*/, "", u)
				close("/proc/uptime")
				printf "\n%s E ok 0 %s %s\n", b, t, u
				t = u
			}
			BEGIN {
				z = nul()
				if (z == "") exit 200
				n = split(ENVIRON["_bq"], q, "\n")
				if (0 < n && q[n] == "") n--
				nw = split(ENVIRON["_bz"], w, "\n")
				wj = 1
				for (i = 1; i <= n; i++) {
					name[i] = q[i]
					sub(/^[0-9]* /, "", name[i])
					lim[i] = substr(q[i], 1, length(q[i]) - length(name[i]) - 1)
					sz[i] = size(name[i])
				}
				for (i = s; i <= n; i++) {
					if (!slurp(i, sz[i])) exit i + 2
					if (m == "i") {
						item(i)
					} else {
						if (1 < i + o) printf "\n"
						printf "%s-%d\n", b, i + o
						text()
					}
				}
				exit 0
			}'
			_brr=$?
			[ "$_brr" = 0 ] && return 0
			# awk left file _brr-2 (its own errors exit 1 or 2, a signal more).
			_brr=$((_brr - 2))
			if [ "$_brr" -lt "$_brs" ] || [ "$_brr" -gt "$_brn" ]; then
				# awk failed in itself: it is not used again.
				_bawk=n
				break
			fi
			_batch_slow "$_brm" "$_brq" "$_brf" "$_brr" "$_brr"
			_brs=$((_brr + 1))
		done
	fi
	[ "$_brs" -le "$_brn" ] && _batch_slow "$_brm" "$_brq" "$_brf" "$_brs" "$_brn"
	return 0
}

# _batch_slow MODE QUEUE OFFSET FROM TO reads the queued files FROM to TO as
# _batch_read would, one head each (for a filter's pass, f, without their NULs).
_batch_slow() {
	_bsi=0
	_bso=$IFS
	IFS=$_NL
	set -f
	for _bse in $2; do
		_bsi=$((_bsi + 1))
		[ "$_bsi" -lt "$4" ] && continue
		[ "$_bsi" -gt "$5" ] && break
		IFS=$_bso
		if [ "$1" = i ]; then
			_file "${_bse#* }" "${_bse%% *}" -
		else
			[ $((_bsi + $3)) -gt 1 ] && printf '\n'
			printf '%s-%s\n' "$_B" $((_bsi + $3))
			head -c $((${_bse%% *} + 1)) -- "${_bse#* }" 2>/dev/null | tr -d '\000'
		fi
		IFS=$_NL
	done
	IFS=$_bso
	set +f
}

# _BNUL is awk's function nul: the NUL byte, read from awk's own command line in
# /proc/self/cmdline, where one ends each argument (awk -v _zq=1 ...: argument 0,
# NUL, -v, NUL, _zq=1); or "" where awk cuts its input at a NUL (busybox), or there
# is no /proc: that awk cannot tell a file with a NUL from one without, and is not
# used to read files.
_BNUL='
function nul(   r, p, z) {
	if (!(0 < (getline r < "/proc/self/cmdline"))) return ""
	close("/proc/self/cmdline")
	p = index(r, "_zq=1")
	if (p < 5) return ""
	z = substr(r, p - 1, 1)
	if (substr(r, p - 3, 2) != "-v" || substr(r, p - 4, 1) != z) return ""
	return z
}'

# _BSIZE is the size wc gave of file NM, read from wc's lines (w[1..nw]) in the order
# the files were given, from where the last lookup stopped (wj); -1 when wc named it
# otherwise or not at all.
_BSIZE='
function size(nm,   k, l, p) {
	for (k = wj; k <= nw; k++) {
		l = w[k]
		sub(/^[ \t]*/, "", l)
		p = index(l, " ")
		if (1 < p && substr(l, p + 1) == nm && substr(l, 1, p - 1) ~ /^[0-9]+$/) {
			wj = k + 1
			return substr(l, 1, p - 1) + 0
		}
	}
	return -1
}'

# _batch_awk sets _bawk to y when awk can read files for _batch_read, n otherwise;
# once per run, before the first batch, so that wc never reads a batch for an awk
# that is of no use (busybox's wc reads every byte of a file to count them).
_batch_awk() {
	[ -n "${_bawk:-}" ] && return 0
	if awk -v _zq=1 "$_BNUL"' BEGIN { exit nul() == "" }' </dev/null >/dev/null 2>&1; then
		_bawk=y
	else
		_bawk=n
	fi
}

# _batch_filter RED is the filter _file applies for RED, to a text that holds no NUL
# (a held output lost its NULs, awk reads no file that has one, _batch_slow's head
# sends a file without them), so its sed runs without the tr before it.
_batch_filter() {
	_nonul=y
	if [ "$1" = r ]; then
		_redact
	elif [ "$1" = a ]; then
		_redact_args
	elif [ "$1" = c ]; then
		_redact_cmd
	elif [ "$1" = h ]; then
		_hashes_redact
	else
		_keys_redact
	fi
	_bfs=$?
	_nonul=
	return "$_bfs"
}
# _batch_files_content runs _files_content with one pass of the filter for all the
# files it sends. _files_content first writes its records with a placeholder line
# ("BOUNDARY-F PATH") where a file's F record goes; the files the placeholders name
# are then filtered together, each after a marker line as in _batch_pass; and awk
# writes the records again with each placeholder replaced by the F record of the
# filtered text (its length in bytes, LC_ALL=C). When a marker went missing (a key
# block left open), the files are filtered one by one instead.
_batch_files_content() {
	_flim=$1
	_bfr=$(
		_fbatch=1
		_files_content "$@"
		echo x
	)
	_bfr=${_bfr%x}
	_bfl=
	_bfn=0
	_bfo=$IFS
	IFS=$_NL
	set -f
	for _bfe in $_bfr; do
		case $_bfe in "$_B-F "*)
			_bfl="$_bfl$_flim ${_bfe#"$_B-F "}$_NL"
			_bfn=$((_bfn + 1))
			;;
		esac
	done
	IFS=$_bfo
	set +f
	{
		[ "$_bfn" = 0 ] || _batch_feed "$_bfl" | _redact 2>/dev/null
		printf '%s-records\n' "$_B"
		printf '%s' "$_bfr"
	} | awk -v b="$_B" -v nf="$_bfn" '
	BEGIN {
		lead = b "-"
		want = 1
		n = 0
		cur = 0
		ended = nf == 0
	}
	!records && substr($0, 1, length(lead)) == lead {
		m = substr($0, length(lead) + 1)
		if (m == "records") {
			if (!ended || n != nf) exit 1
			records = 1
		} else if (m == "end" && !ended) {
			ended = 1
		} else if (m == want "" && !ended) {
			cur = want++
			n++
			c[cur] = ""
			have = 0
		} else {
			exit 1
		}
		next
	}
	!records {
		if (!cur || ended) exit 1
		c[cur] = have ? c[cur] "\n" $0 : $0
		have = 1
		next
	}
	substr($0, 1, length(lead) + 2) == lead "F " {
		i++
		printf "F\t%d\t%s\n%s\n", length(c[i]), substr($0, length(lead) + 3), c[i]
		next
	}
	{ print }
	END { if (!records) exit 1 }' && return 0
	# awk wrote nothing: each file is filtered alone.
	_bfo=$IFS
	IFS=$_NL
	set -f
	for _bfe in $_bfr; do
		IFS=$_bfo
		case $_bfe in
		"$_B-F "*) _files_one "${_bfe#"$_B-F "}" ;;
		*) printf '%s\n' "$_bfe" ;;
		esac
		IFS=$_NL
	done
	IFS=$_bfo
	set +f
}
# --- end batch ---

# --- domain helpers: each survey domain keeps its shell functions between its own
# markers, so the plan files (plan_*.go) can call them. Keep them POSIX: dash, bash
# 3.2, busybox ash, posh and yash all run this script.
# --- time ---
# _lmtime prints the mtime of a path itself (a link is not followed): stat -c is in
# coreutils 5 (CentOS 5) and busybox; GNU find and perl stand in where stat lacks -c.
_lmtime() {
	if command -v stat >/dev/null 2>&1 && stat -c '%Y' "$1" 2>/dev/null; then
		return 0
	fi
	if command -v find >/dev/null 2>&1 && find "$1" -prune -printf '%T@\n' 2>/dev/null | grep .; then
		return 0
	fi
	command -v perl >/dev/null 2>&1 || return 127
	perl -e '@s = lstat($ARGV[0]) or exit 1; print int($s[9]), "\n"' "$1"
}

# _crondtz prints, for each cron daemon, "PID<tab>NAME<tab>TZ=..." from its
# environment, "-" when it has no TZ, "?" when the environment cannot be read. Only
# that one entry leaves the host. The name comes from stat: CentOS 5's kernel has
# no /proc/PID/comm.
_crondtz() {
	for _d in /proc/[0-9]*; do
		read -r _st <"$_d/stat" 2>/dev/null || continue
		_c=${_st#*\(}
		_c=${_c%%\)*}
		case $_c in
		cron | crond | cronie | vixie-cron) ;;
		*) continue ;;
		esac
		# Whether the environment can be read is the shell's own open, and its
		# first TZ= line the shell's own loop, where a grep and a head each cost
		# a process and the tr a second one.
		_z='?'
		if { : <"$_d/environ"; } 2>/dev/null; then
			_e=$(tr '\000' '\n' <"$_d/environ" 2>/dev/null)
			_z=-
			set -f
			_o=$IFS
			IFS=$_NL
			for _l in $_e; do
				case $_l in TZ=*)
					_z=$_l
					break
					;;
				esac
			done
			IFS=$_o
			set +f
		fi
		printf '%s\t%s\t%s\n' "${_d#/proc/}" "$_c" "$_z"
	done
}

# _cronexec prints "x<tab>PATH" or "-<tab>PATH" for each file of the run-parts
# directories (run-parts runs only executable ones), and "p<tab>PATH" for each
# absolute path the crontabs name that is an executable file. Only paths leave.
_cronexec() {
	for _f in /etc/cron.hourly/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.monthly/*; do
		[ -f "$_f" ] || continue
		if [ -x "$_f" ]; then
			printf 'x\t%s\n' "$_f"
		else
			printf -- '-\t%s\n' "$_f"
		fi
	done
	# grep -h reads the crontabs itself (no cat), and the loop takes the words
	# that start with "/" and one more byte (no grep: sort's order is the same with
	# or without the others) and stops at the 300th (no head).
	_n=0
	for _f in $(grep -h -v '^[ 	]*#' /etc/crontab /etc/cron.d/* /etc/anacrontab /var/spool/cron/* /var/spool/cron/crontabs/* 2>/dev/null |
		tr -c 'A-Za-z0-9/._+-' '\n' | sort -u); do
		case $_f in /?*) ;; *) continue ;; esac
		_n=$((_n + 1))
		[ "$_n" -gt 300 ] && break
		[ -f "$_f" ] && [ -x "$_f" ] && printf 'p\t%s\n' "$_f"
	done
	return 0
}
# --- end time ---
# --- accounts ---
# _keys_redact is the secret filter for authorized_keys: the keys are public and pass
# untouched (the general filter would mangle one whose base64 happens to spell "pwd"),
# but a command= or environment= value that looks secret (a word of the secret filters,
# an option --key or --auth, user:password@, mysql's -pX) is replaced. A value holding
# an escaped quote goes whole. internal/redact (KeyLines) is the same
# filter in Go, for the offline reader; a test holds the two together.
_keys_redact() {
	_rules_sed \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*\\".*\("[ ,	]\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[Pp][Aa][Ss][Ss][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[Pp][Ww][Dd][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[Ss][Ee][Cc][Rr][Ee][Tt][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[Tt][Oo][Kk][Ee][Nn][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*:\/\/[^\/:@ "]*:[^@\/ "]*@[^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[-][Kk][Ee][Yy][= ][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*[-][Aa][Uu][Tt][Hh][= ][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Cc][Oo][Mm][Mm][Aa][Nn][Dd]="\)[^"]*mysql[^"]* -p[^ "][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*\\".*\("[ ,	]\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[Pp][Aa][Ss][Ss][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[Pp][Ww][Dd][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[Ss][Ee][Cc][Rr][Ee][Tt][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[Tt][Oo][Kk][Ee][Nn][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[Cc][Rr][Ee][Dd][Ee][Nn][Tt][Ii][Aa][Ll][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[Aa][Pp][Ii][_-]*[Kk][Ee][Yy][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*:\/\/[^\/:@ "]*:[^@\/ "]*@[^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[-][Kk][Ee][Yy][= ][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*[-][Aa][Uu][Tt][Hh][= ][^"]*\("\)/\1<redacted>\2/' \
		-e 's/\([Ee][Nn][Vv][Ii][Rr][Oo][Nn][Mm][Ee][Nn][Tt]="\)[^"]*mysql[^"]* -p[^ "][^"]*\("\)/\1<redacted>\2/'
}

# _hashes_redact is the secret filter for passwd(5) and group(5): a system without
# shadow files keeps each password hash in the second field ("$1$...", 13 characters
# of DES), and an administrator may have typed anything there. Whatever follows the
# lock marks ("!", "*") is replaced unless it is empty or "x": "x", "*", "!", "!!"
# and an empty field say no more than the shadow states do and stay, and a locked
# hash stays locked ("!<redacted>"). internal/redact (Hashes) is the same filter in Go.
_hashes_redact() {
	_rules_sed \
		-e 's/^\([^:]*:[!*]*\)[^:!*x][^:]*/\1<redacted>/' \
		-e 's/^\([^:]*:[!*]*\)x[^:][^:]*/\1<redacted>/'
}

# _home_files REL LIMIT RED [q] reads REL below the home of every account of
# /etc/passwd that has an absolute home which is a directory, each home once; with q
# it queues each file for its filter's pass (_batch_one) instead of reading it at once. A home (or the
# directory holding the file) that cannot be searched is recorded as denied, not as
# absent: as an unprivileged user /root/.ssh/authorized_keys is invisible, not missing.
_home_files() {
	[ -r /etc/passwd ] || return 0
	_hseen=$_NL
	while IFS=: read -r _hn _hx _hu _hg _hc _hh _hs || [ -n "$_hn" ]; do
		case $_hh in /*) ;; *) continue ;; esac
		case $_hh in *"$_NL"* | *"$_TAB"*) continue ;; esac
		case $_hseen in *"$_NL$_hh$_NL"*) continue ;; esac
		_hseen="$_hseen$_hh$_NL"
		_hp="${_hh%/}/$1"
		if _onnet "$_hh"; then
			# Before any stat: one on a hung NFS home would hang the probe. _file
			# records the item as skipped, and why.
			_file "$_hp" "$2" "$3"
			continue
		fi
		[ -d "$_hh" ] || continue
		_hd=${_hp%/*}
		if [ ! -x "$_hh" ] || { [ -d "$_hd" ] && [ ! -x "$_hd" ]; }; then
			_begin "file $2 $_hp"
			_note "the directory cannot be searched by this user"
			_end denied 0
		elif [ "${4:-}" = q ]; then
			_batch_one "$_hp" "$2" "$3"
		else
			_file "$_hp" "$2" "$3"
		fi
	done </etc/passwd
}

# _sudoers_includes FILE prints the files sudo reads through FILE's #include,
# #includedir, @include and @includedir lines, and theirs, four levels deep and at most
# 64 files, one per line, for _glob_files to read each as its own item. Files in an
# included directory are named as sudo takes them: not those with a '.' or ending in
# '~'. Names with blanks or glob characters are left out: the caller splits on blanks.
_sudoers_includes() {
	_sq=$1
	_sseen="$_NL$1$_NL"
	_sdepth=0
	_scount=0
	set -f
	while [ -n "$_sq" ] && [ "$_sdepth" -lt 4 ]; do
		_snext=
		for _sf in $_sq; do
			[ -f "$_sf" ] && [ -r "$_sf" ] || continue
			while read -r _sa _sb _srest || [ -n "$_sa" ]; do
				case $_sa in
				'#include' | '@include' | '#includedir' | '@includedir') ;;
				*) continue ;;
				esac
				_sb=${_sb#\"}
				_sb=${_sb%\"}
				case $_sb in /*) ;; *) _sb="${_sf%/*}/$_sb" ;; esac
				case $_sa in
				*dir) _slist=$(set +f; for _se in "$_sb"/*; do [ -f "$_se" ] && printf '%s\n' "$_se"; done) ;;
				*) _slist=$_sb ;;
				esac
				for _se in $_slist; do
					_sbn=${_se##*/}
					case $_sa in *dir) case $_sbn in *.* | *~) continue ;; esac ;; esac
					case $_se in *[\ \	*?[]*) continue ;; esac
					case $_sseen in *"$_NL$_se$_NL"*) continue ;; esac
					[ "$_scount" -lt 64 ] || break
					_scount=$((_scount + 1))
					_sseen="$_sseen$_se$_NL"
					_snext="$_snext$_se$_NL"
					printf '%s\n' "$_se"
				done
			done <"$_sf"
		done
		_sq=$_snext
		_sdepth=$((_sdepth + 1))
	done
	set +f
}
# --- end accounts ---
# --- network ---
# _net_df is df for local filesystems only. busybox df has no -l: there df runs whole
# only when no network filesystem is mounted, since one hung server hangs it. One df
# tells whether -l works, where a df -l / did: one that knows it prints its header
# line at least, one that does not only its usage, on standard error, dropped then.
# The substitution holds df's output, a marker, its status and its standard error.
_net_df() {
	_ndx=$(
		{ _nde=$(df -P -k -l 2>&1 >&5); } 5>&1
		printf '%s-df %s %s' "$_B" "$?" "$_nde"
	)
	_ndo=${_ndx%"$_B-df "*}
	_nde=${_ndx##*"$_B-df "}
	_ndr=${_nde%% *}
	_nde=${_nde#* }
	if [ -n "$_ndo" ]; then
		printf '%s' "$_ndo"
		[ -n "$_nde" ] && printf '%s\n' "$_nde" >&2
		return "$_ndr"
	elif [ -z "$_netm" ]; then
		df -P -k
	else
		echo "df cannot leave out network filesystems (no -l) and some are mounted: not run" >&2
		return 1
	fi
}

# _net_du DIR... prints "path<TAB>KiB<TAB>link target<TAB>note" per existing directory,
# the slowest last in the plan's order, so a timeout keeps the lines already printed.
# note is "network" (not measured), "partial" (du could not read everything) or empty.
_net_du() {
	for _d in "$@"; do
		[ -d "$_d" ] || continue
		_dt=
		[ -L "$_d" ] && _dt=$(_rl "$_d")
		if _onnet "$_d" || { [ -n "$_dt" ] && _onnet "$_dt"; }; then
			printf '%s\t-\t%s\tnetwork\n' "$_d" "$_dt"
			continue
		fi
		_ds=$(du -sk -x "$_d/" 2>/dev/null)
		_drc=$?
		_dn=
		[ "$_drc" = 0 ] || _dn=partial
		printf '%s\t%s\t%s\t%s\n' "$_d" "${_ds%%[!0-9]*}" "$_dt" "$_dn"
	done
}

# _apparent DIR prints the apparent size in bytes of the regular files below DIR on
# DIR's own filesystem, a hard-linked file once: the sum of their lengths, which for
# a sparse file (InnoDB's ibdata1, a disk image) is far more than its blocks. Where
# _find_printf found GNU's -printf, _apparent_walk measures; else du --apparent-size
# and -printf lacking, ls -lni over find, which every userland has (coreutils 5,
# busybox). Lines that are not "inode mode links uid gid size" (a name with a newline
# in it) are not counted.
_apparent() {
	if [ "${_fpf:-}" = y ]; then
		_apparent_walk "$1/"
		return 0
	fi
	find "$1/" -xdev -type f -exec ls -lni {} + 2>/dev/null | awk '
		$1 !~ /^[0-9]+$/ || $6 !~ /^[0-9]+$/ { next }
		$3 != 1 { if (seen[$1]++) next }
		{ s += $6 }
		END { printf "%.0f\n", s }'
}

# _find_printf tells whether find has GNU's -printf (busybox's has not), asking find
# once per step: the answer stays in the step's shell. A caller that measures in a
# subshell asks first, so that the subshell inherits the answer.
_find_printf() {
	if [ -z "${_fpf:-}" ]; then
		_fpf=n
		find / -maxdepth 0 -printf '' >/dev/null 2>&1 && _fpf=y
	fi
	[ "$_fpf" = y ]
}

# _apparent_walk START... prints _apparent's sum for each START (a directory with its
# trailing slash), a line each, in order, each as soon as it is known: a timeout keeps
# the lines already printed. With GNU find one walk serves them all, with no ls and
# no awk per directory: -printf gives each file's inode, links and length, and %H the
# starting point it was found under, as given, which tells the sums apart. A line
# goes out once find has moved past its directory, the last ones only when find has
# ended (a find the watchdog killed is no finished walk). A directory named twice is
# walked once. Without -printf, or for a name with a newline (which would split a
# line of -printf), _apparent measures each directory on its own.
_apparent_walk() {
	case "$*" in *"$_NL"*) _fpf=n ;; esac
	if ! _find_printf; then
		for _aw_s in "$@"; do
			_apparent "${_aw_s%/}"
		done
		return 0
	fi
	[ $# -gt 0 ] || return 0
	_aw_l=
	_aw_seen=$_NL
	for _aw_s in "$@"; do
		_aw_l="$_aw_l$_aw_s$_NL"
		case $_aw_seen in *"$_NL$_aw_s$_NL"*) continue ;; esac
		_aw_seen="$_aw_seen$_aw_s$_NL"
		set -- "$@" "$_aw_s"
	done
	# What the loop appended are the starts, each once.
	set -f
	_aw_o=$IFS
	IFS=$_NL
	for _aw_s in $_aw_l; do shift; done
	IFS=$_aw_o
	set +f
	{
		find "$@" -xdev -type f -printf '%i %n %s %H\n' 2>/dev/null
		echo "$_B-end"
	} | _aw=$_aw_l awk -v end="$_B-end" '
	BEGIN {
		n = split(ENVIRON["_aw"], s, "\n")
		if (n && s[n] == "") n--
		for (j = 1; j <= n; j++) if (!(s[j] in first)) first[s[j]] = j
		i = 1
	}
	# upto prints the sums of the directories named before the k-th: their walks are over.
	function upto(k) {
		while (i <= n && first[s[i]] < k) printf "%.0f\n", sum[s[i++]]
		fflush()
	}
	$0 == end { ended = 1; next }
	$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ {
		h = $0
		sub(/^[0-9]+ [0-9]+ [0-9]+ /, "", h)
		if (h != cur) {
			if (h in first) upto(first[h])
			cur = h
		}
		if ($2 != 1 && seen[h, $1]++) next
		sum[h] += $3
	}
	END { if (ended) upto(n + 1) }'
}

# _net_apparent DIR... prints _net_du's lines with the apparent size in bytes in
# place of the KiB du counts: "path<TAB>bytes<TAB>link target<TAB>note".
# A step of its own: walking every file costs more than du, and a timeout here
# leaves du-data's sizes whole. The directories are walked together (_apparent_walk)
# and each line is printed in order as its sum arrives; a name or link target with a
# newline in it, which the list of lines cannot hold, has them measured one by one.
_net_apparent() {
	case "$*" in *"$_NL"*)
		_net_apparent_each "$@"
		return 0
		;;
	esac
	_na_e=
	_na_w=
	for _d in "$@"; do
		[ -d "$_d" ] || continue
		_dt=
		[ -L "$_d" ] && _dt=$(_rl "$_d")
		case $_dt in *"$_NL"*)
			_na_e=$_NL
			break
			;;
		esac
		if _onnet "$_d" || { [ -n "$_dt" ] && _onnet "$_dt"; }; then
			_na_e="${_na_e}n$_d$_TAB$_dt$_NL"
			continue
		fi
		_na_e="${_na_e}m$_d$_TAB$_dt$_NL"
		_na_w="$_na_w$_d/$_NL"
	done
	if [ "$_na_e" = "$_NL" ]; then
		_net_apparent_each "$@"
		return 0
	fi
	set -f
	_o=$IFS
	IFS=$_NL
	set -- $_na_w
	IFS=$_o
	set +f
	_apparent_walk "$@" | {
		set -f
		IFS=$_NL
		for _na_l in $_na_e; do
			IFS=$_o
			_d=${_na_l#?}
			_d=${_d%%$_TAB*}
			_dt=${_na_l#*"$_TAB"}
			case $_na_l in
			n*) printf '%s\t-\t%s\tnetwork\n' "$_d" "$_dt" ;;
			*)
				IFS= read -r _na_s || break
				printf '%s\t%s\t%s\t\n' "$_d" "$_na_s" "$_dt"
				;;
			esac
		done
		IFS=$_o
		set +f
	}
}

# _net_apparent_each DIR... is _net_apparent measuring each directory on its own.
_net_apparent_each() {
	for _d in "$@"; do
		[ -d "$_d" ] || continue
		_dt=
		[ -L "$_d" ] && _dt=$(_rl "$_d")
		if _onnet "$_d" || { [ -n "$_dt" ] && _onnet "$_dt"; }; then
			printf '%s\t-\t%s\tnetwork\n' "$_d" "$_dt"
			continue
		fi
		printf '%s\t%s\t%s\t\n' "$_d" "$(_apparent "$_d")" "$_dt"
	done
}
# --- end network ---
# --- logs ---
# _fstat DEPTH DIR... prints "bytes mtime path" for the regular files at most DEPTH
# levels below each DIR, on the DIR's own filesystem. stat -c is in coreutils 5
# (CentOS 5) and busybox; find -printf is GNU-only. Network mounts are not entered.
_fstat() {
	_fdep=$1
	shift
	for _fd in "$@"; do
		[ -d "$_fd" ] || continue
		if _onnet "$_fd"; then
			echo "trowel: $_fd is on a network filesystem: not listed" >&2
			continue
		fi
		find "$_fd" -maxdepth "$_fdep" -xdev -type f -exec stat -c '%s %Y %n' {} +
	done
}

# _log_pids prints the PIDs holding a TCP connection (established or being set up)
# to a port log collectors listen on: fluentd forward 24224, syslog 514/601/6514,
# beats 5044, elasticsearch 9200, GELF 12201, logstash 5000/5140. ss, else netstat;
# old ss names owners ("name",pid,fd), new ss pid=N, netstat PID/name.
_log_pids() {
	if command -v ss >/dev/null 2>&1; then
		ss -tanp 2>/dev/null
	elif command -v netstat >/dev/null 2>&1; then
		netstat -tanp 2>/dev/null
	fi | awk -v ports=' 24224 514 601 6514 5044 9200 12201 5000 5140 ' '
	# add keeps a PID once; END prints them in byte order, as sort -u did.
	function add(v) {
		v = v ""
		if (!(v in seen)) {
			seen[v] = 1
			p[++np] = v
		}
	}
	{
		if ($1 == "ESTAB" || $1 == "SYN-SENT") { peer = $5 }
		else if ($6 == "ESTABLISHED" || $6 == "SYN_SENT") { peer = $5 }
		else { next }
		port = peer
		sub(/.*:/, "", port)
		if (index(ports, " " port " ") == 0) next
		rest = $0
		while (match(rest, /pid=[0-9]+/)) {
			add(substr(rest, RSTART + 4, RLENGTH - 4))
			rest = substr(rest, RSTART + RLENGTH)
		}
		rest = $0
		while (match(rest, /",[0-9]+,/)) {
			add(substr(rest, RSTART + 2, RLENGTH - 3))
			rest = substr(rest, RSTART + RLENGTH)
		}
		if ($7 ~ /^[0-9]+\//) { split($7, a, "/"); add(a[1]) }
	}
	END {
		for (i = 2; i <= np; i++) {
			v = p[i]
			for (j = i - 1; 0 < j && v < p[j]; j--) p[j + 1] = p[j]
			p[j + 1] = v
		}
		for (i = 1; i <= np; i++) print p[i]
	}'
}

# _text_out PATH prints a readable, regular, non-ELF file under a "==> PATH <==" line
# (the leading "=" keeps the secret filter's name patterns off it), at most 64 KiB.
# A file found at run time may be anything a job or a command line names
# (--defaults-file=/root/.my.cnf): what _files_secret names is never read.
_text_out() {
	[ -f "$1" ] && [ -r "$1" ] || return 0
	_onnet "$1" && return 0
	_files_secret "$1" && return 0
	_mg=$(head -c 4 -- "$1" 2>/dev/null | tr -d '\000')
	case $_mg in *ELF*) return 0 ;; esac
	printf '==> %s <==\n' "$1"
	head -c 65536 -- "$1" 2>/dev/null
	echo
}

# _TEXTAWK is the awk functions _text_outs and _logconfs read files with (after
# _BNUL, whose NUL z they need). slurp(PATH, SIZE) reads the file into L[1..nl] and
# returns 1 when it read it whole: what it read adds up to SIZE, as _batch_read
# checks (eol is then its last line's end), or, SIZE -1, to at most 64 KiB (eol "",
# for callers that drop the trailing newlines); 2 for an ELF file, whose first line
# starts with four bytes that say so; 0 for a file left: a NUL in it, larger than
# 64 KiB, changed, unreadable, or, with hi set, a byte past ASCII (yash's command
# substitution drops those in the C locale, where the others keep them). head4()
# is the first four bytes of what slurp read.
_TEXTAWK='
function slurp(p, sz,   x, r, got, h) {
	if (substr(p, 1, 1) != "/") return 0
	nl = 0
	got = 0
	if (0 < (r = (getline x < p))) {
		h = substr(x, 1, 4)
		if (length(h) == 4 && !index(h, z) && index(h, "ELF")) {
			close(p)
			return 2
		}
	}
	if (65536 < sz) {
		close(p)
		return 0
	}
	for (; 0 < r; r = (getline x < p)) {
		got += length(x) + 1
		if (index(x, z) || (sz < 0 ? 65536 < got : sz + 1 < got) || (hi && x ~ /[\200-\377]/)) break
		L[++nl] = x
	}
	close(p)
	if (r != 0) return 0
	if (sz < 0) eol = ""
	else if (got == sz) eol = "\n"
	else if (got == sz + 1) eol = ""
	else return 0
	return 1
}
function head4(   k, h) {
	h = ""
	for (k = 1; k <= nl && length(h) < 4; k++) h = h L[k] (k < nl ? "\n" : eol)
	return substr(h, 1, 4)
}'

# _text_run PROGRAM FALLBACK ITEM... runs awk with PROGRAM after _BNUL and _TEXTAWK
# for the ITEMs, 64 at a time (awk's exit status tells one of them), given to it
# one a line in _tq: awk exits 0 when it wrote them all, or, at the first it
# leaves, with its number and 2, having written those before it; FALLBACK ITEM
# writes that one as a head would, and awk goes on after it. An awk that cannot
# tell a NUL (exit 200, see _BNUL) or fails in itself leaves the rest to FALLBACK.
_text_run() {
	_tr_p=$1
	_tr_f=$2
	shift 2
	_tr_s=1
	while [ "$_tr_s" -le $# ]; do
		_tr_e=$((_tr_s + 63))
		[ "$_tr_e" -le $# ] || _tr_e=$#
		_tr_r=1
		if [ "${_bawk:-y}" = y ]; then
			_tr_q=
			_tr_i=0
			for _tr_x in "$@"; do
				_tr_i=$((_tr_i + 1))
				[ "$_tr_i" -lt "$_tr_s" ] && continue
				[ "$_tr_i" -gt "$_tr_e" ] && break
				_tr_q="$_tr_q$_tr_x$_NL"
			done
			_tq=$_tr_q _tz=${_tz:-} awk -v _zq=1 -v hi="${YASH_VERSION:+1}" "$_BNUL$_TEXTAWK$_tr_p"
			_tr_r=$?
		fi
		if [ "$_tr_r" = 0 ]; then
			_tr_s=$((_tr_e + 1))
			continue
		fi
		if [ "$_tr_r" -ge 3 ] && [ "$_tr_r" -le $((_tr_e - _tr_s + 3)) ]; then
			_tr_s=$((_tr_s + _tr_r - 3))
			_tr_e=$_tr_s
		else
			_bawk=n
		fi
		while [ "$_tr_s" -le "$_tr_e" ]; do
			eval "$_tr_f \"\${$_tr_s}\""
			_tr_s=$((_tr_s + 1))
		done
	done
}

# The awk programs of _text_outs (with wc's sizes in _tz) and _logconfs for _text_run.
_TO_AWK=$_BSIZE'
BEGIN {
	z = nul()
	if (z == "") exit 200
	n = split(ENVIRON["_tq"], f, "\n")
	if (0 < n && f[n] == "") n--
	nw = split(ENVIRON["_tz"], w, "\n")
	wj = 1
	for (i = 1; i <= n; i++) {
		sz = size(f[i])
		r = sz < 0 ? 0 : slurp(f[i], sz)
		if (!r) exit i + 2
		if (r == 1 && !index(head4(), "ELF")) {
			printf "==> %s <==\n", f[i]
			for (k = 1; k <= nl; k++) printf "%s%s", L[k], (k < nl ? "\n" : eol)
			printf "\n"
		}
		split("", L)
	}
	exit 0
}'
_LF_AWK='
BEGIN {
	z = nul()
	if (z == "") exit 200
	n = split(ENVIRON["_tq"], q, "\n")
	if (0 < n && q[n] == "") n--
	for (i = 1; i <= n; i++) {
		pid = q[i]
		sub(/\t.*/, "", pid)
		p = substr(q[i], length(pid) + 2)
		r = slurp(p, -1)
		if (!r) exit i + 2
		if (r == 1 && !index(head4(), "ELF")) {
			while (nl && L[nl] == "") nl--
			printf "==> %s %s <==\n", pid, p
			if (!nl) printf "==> %s <==", p
			for (k = 1; k <= nl; k++) printf "%s%s", L[k], (k < nl ? "\n" : "")
			printf "\n"
		}
		split("", L)
	}
	exit 0
}'

# _text_outs FILE... prints _text_out's part for each FILE, in order, with one wc and
# one awk (_text_run) for all of them, where each file cost a head, and a head and a
# tr told which are ELF: awk writes a file it read whole (what it read adds up to the
# size wc gave), at most 64 KiB and without a NUL, whose first four bytes are then
# what head -c 4 | tr -d '\000' gave. (A name with a newline in it would split the
# lists: such lists go file by file.)
_text_outs() {
	case "$*" in *"$_NL"*)
		for _to_f in "$@"; do
			_text_out "$_to_f"
		done
		return 0
		;;
	esac
	_to_n=$#
	for _to_f in "$@"; do
		[ -f "$_to_f" ] && [ -r "$_to_f" ] || continue
		_onnet "$_to_f" && continue
		_files_secret "$_to_f" && continue
		set -- "$@" "$_to_f"
	done
	shift "$_to_n"
	[ $# -gt 0 ] || return 0
	_tz=
	[ "${_bawk:-y}" = y ] && _tz=$(wc -c -- "$@" 2>/dev/null)
	_text_run "$_TO_AWK" _text_out "$@"
}

# _logconfs prints, for every process _log_pids names, the configuration files its
# command line names (absolute paths under /etc or with a config suffix, not
# executable) and /etc/<name>.conf, /etc/<name>/<name>.conf: where an in-house log
# shipper says what it reads and where it sends. "==> PID PATH <==" heads each file,
# then what a command substitution of _text_out keeps of it. One awk reads them
# all, as _text_outs does, where each cost a head, a tr and a head: a file it reads
# whole, at most 64 KiB and without a NUL (which a substitution drops), it writes
# without its trailing newlines; at one it leaves it exits with its number and 2,
# and _logconf reads that one.
_logconfs() {
	_lf_l=$(_logconf_files)
	set -f
	_lf_o=$IFS
	IFS=$_NL
	set --
	for _lf_e in $_lf_l; do
		_a=${_lf_e#*"$_TAB"}
		[ -f "$_a" ] && [ -r "$_a" ] || continue
		_onnet "$_a" && continue
		_files_secret "$_a" && continue
		set -- "$@" "$_lf_e"
	done
	IFS=$_lf_o
	set +f
	[ $# -gt 0 ] || return 0
	_tz=
	_text_run "$_LF_AWK" _logconf "$@"
}

# _logconf "PID<TAB>PATH" prints _logconfs' part for one file, on its own.
# (posh's ${x%%"$_TAB"*} does not match the tab; unquoted it does.)
_logconf() {
	_mg=$(_text_out "${1#*"$_TAB"}")
	[ -n "$_mg" ] && printf '==> %s %s <==\n%s\n' "${1%%$_TAB*}" "${1#*"$_TAB"}" "${_mg#*"$_NL"}"
	return 0
}

# _logconf_files prints "PID<TAB>PATH" for each file _logconfs reads, in its order.
_logconf_files() {
	set -f
	_o=$IFS
	for _p in $(_log_pids); do
		case $_p in '' | *[!0-9]*) continue ;; esac
		read -r _st <"/proc/$_p/stat" 2>/dev/null || continue
		_cm=${_st#*\(}
		_cm=${_cm%%\)*}
		IFS=$_NL
		_seen=
		for _a in $(tr '\000' '\n' <"/proc/$_p/cmdline" 2>/dev/null) "/etc/$_cm.conf" "/etc/$_cm/$_cm.conf"; do
			IFS=$_o
			case "$_seen$_NL" in *"$_NL$_a$_NL"*) continue ;; esac
			_seen="$_seen$_NL$_a"
			case $_a in -*=/* | [A-Za-z]*=/*) _a=/${_a#*=/} ;; esac
			case $_a in
			/etc/* | *.conf | *.cfg | *.ini | *.yml | *.yaml | *.toml | *.json | *.properties | *.cnf) ;;
			*) continue ;;
			esac
			[ -f "$_a" ] && [ ! -x "$_a" ] || continue
			printf '%s\t%s\n' "$_p" "$_a"
		done
		IFS=$_o
	done
	set +f
}


# _logpos prints where log shippers record how far they have read, and the logs
# those records name, so the operator can tell whether a shipper keeps up. Its
# arguments are shipper configs (read for pos_file and the like), "--", then
# position files or globs of them (rsyslog imfile state, filebeat's registry);
# in-house shippers' configs come from _logconfs. Each position file is printed
# as "==> pos MTIME SIZE PATH <==" and its first 64 KiB; each log it names as
# "==> log SIZE MTIME INODE PATH <==".
_logpos() {
	_lc=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		[ -f "$1" ] && [ -r "$1" ] && ! _onnet "$1" && _lc="$_lc$_NL$1"
		shift
	done
	[ $# -gt 0 ] && shift
	_lp=
	for _f in "$@"; do
		[ -f "$_f" ] && _lp="$_lp$_NL$_f"
	done
	set -f
	_o=$IFS
	_lp="$_lp$_NL$(
		{
			IFS=$_NL
			for _f in $_lc; do cat -- "$_f"; done
			IFS=$_o
			_logconfs
		} 2>/dev/null | awk -v q=\' '{
			l = $0
			sub(/#.*/, "", l)
			if (match(l, /^[ \t]*(pos_file|position_file|pos_path|positions_file)[ \t]*[=: \t][ \t]*/)) {
				v = substr(l, RSTART + RLENGTH)
				gsub(/"/, "", v)
				gsub(q, "", v)
				sub(/[ \t;]+$/, "", v)
				if (v ~ /^\//) print v
			}
		}'
	)"
	# A config names its position file, so a hostile or mistaken one could name
	# /etc/shadow: secret paths are never read, a file is sent only when it starts
	# as the position formats do ("/" of fluentd's lines, JSON), and what is sent
	# goes through the secret filter like any config.
	# At most 50 of sort's lines, as head -n 50 took them: the first is the empty
	# line _lp starts with.
	_lp=$(
		IFS=$_NL
		_n=1
		for _f in $(printf '%s\n' "$_lp" | sort -u); do
			_n=$((_n + 1))
			[ "$_n" -gt 50 ] && break
			[ -n "$_f" ] && [ -f "$_f" ] && [ -r "$_f" ] || continue
			_files_secret "$_f" || _onnet "$_f" || printf '%s\n' "$_f"
		done
	)
	# The files that start as a position format, told once for both loops.
	_ls=$_NL
	IFS=$_NL
	for _f in $_lp; do
		IFS=$_o
		printf '==> pos %s <==\n' "$(stat -c '%Y %s %n' -- "$_f")"
		case $(head -c 1 -- "$_f") in
		/ | '{' | '[')
			_ls="$_ls$_f$_NL"
			head -c 65536 -- "$_f" | _redact
			;;
		esac
		echo
	done
	IFS=$_NL
	for _f in $_lp; do
		IFS=$_o
		case $_ls in *"$_NL$_f$_NL"*) head -c 65536 -- "$_f" ;; esac
		echo
	done | awk '
		/^\// { l = $0; sub(/\t.*/, "", l); print l; next }
		{
			r = $0
			# JSON: rsyslog writes "\/var\/log\/x", escaping its slashes
			while (match(r, /"(filename|source)"[ \t]*:[ \t]*"[^"]*"/)) {
				s = substr(r, RSTART, RLENGTH)
				r = substr(r, RSTART + RLENGTH)
				sub(/^"[a-z]*"[ \t]*:[ \t]*"/, "", s)
				sub(/"$/, "", s)
				gsub(/\\\//, "/", s)
				if (s ~ /^\//) print s
			}
		}' | sort -u | {
		# One stat for the first 200 logs, which prints them in their order.
		_n=0
		set --
		while IFS= read -r _l; do
			_n=$((_n + 1))
			[ "$_n" -gt 200 ] && break
			[ -f "$_l" ] && set -- "$@" "$_l"
		done
		[ $# -gt 0 ] && stat -c '==> log %s %Y %i %n <==' -- "$@"
	}
	IFS=$_o
	set +f
}

# _cron_files prints the crontab files there are (system, cron.d, users' spools,
# anacrontab); a spool it may not read is said on standard error.
_cron_files() {
	for _cd in /var/spool/cron /var/spool/cron/crontabs /var/spool/cron/tabs /etc/cron.d; do
		[ -d "$_cd" ] && [ ! -r "$_cd" ] && echo "trowel: permission denied: $_cd" >&2
	done
	for _cf in /etc/crontab /etc/anacrontab /etc/cron.d/* /var/spool/cron/* /var/spool/cron/crontabs/* /var/spool/cron/tabs/*; do
		[ -f "$_cf" ] || continue
		if [ -r "$_cf" ]; then
			echo "$_cf"
		else
			echo "trowel: permission denied: $_cf" >&2
		fi
	done
}

# _abs_words FILE... prints the words of the files' lines, cut at any character a
# path rarely holds, sorted. Its callers take the first 2000 that start with "/", the
# absolute paths (a grep and a head would each cost a process: sort's order and
# its lines are the same with or without the others).
_abs_words() {
	[ $# -gt 0 ] || return 0
	cat -- "$@" 2>/dev/null | tr -c 'A-Za-z0-9/._+@%-' '\n' | sort -u
}

# _job_scripts prints the scripts cron jobs run: the files named in crontabs that are
# scripts, and the cron.{hourly,daily,weekly,monthly} scripts.
_job_scripts() {
	_cfs=$(_cron_files)
	set -f
	_o=$IFS
	IFS=$_NL
	_n=0
	for _w in $(_abs_words $_cfs); do
		case $_w in /*) ;; *) continue ;; esac
		_n=$((_n + 1))
		[ "$_n" -gt 2000 ] && break
		case $_w in /dev/* | /proc/* | /sys/*) continue ;; esac
		[ -f "$_w" ] || continue
		case $_w in *.sh | *.bash | *.pl | *.py | *.rb | *.php) ;; *) [ -x "$_w" ] || continue ;; esac
		echo "$_w"
	done
	set +f
	for _w in /etc/cron.hourly/* /etc/cron.daily/* /etc/cron.weekly/* /etc/cron.monthly/*; do
		[ -f "$_w" ] && echo "$_w"
	done
	IFS=$_o
}

# _cron_scripts prints the text of the scripts cron jobs run, each under
# "==> PATH <==": backups hide in them (a crontab line says only backup.sh).
_cron_scripts() {
	_jl=$(_job_scripts)
	set -f
	_o=$IFS
	IFS=$_NL
	set --
	for _s in $_jl; do
		[ $# -lt 300 ] || break
		set -- "$@" "$_s"
	done
	IFS=$_o
	set +f
	_text_outs "$@"
}

# _backup_files lists, with size and mtime, the files in the usual backup places
# and in the backup-looking directories crontabs and their scripts name.
_backup_files() {
	_cfs=$(_cron_files 2>/dev/null)
	_jss=$(_job_scripts 2>/dev/null)
	set -f
	_o=$IFS
	IFS=$_NL
	_bd=
	_n=0
	for _w in $(_abs_words $_cfs $_jss); do
		case $_w in /*) ;; *) continue ;; esac
		_n=$((_n + 1))
		[ "$_n" -gt 2000 ] && break
		case $_w in
		*[Bb][Aa][Cc][Kk][Uu][Pp]* | *[Dd][Uu][Mm][Pp]* | *[Bb][Aa][Kk]* | *[Aa][Rr][Cc][Hh][Ii][Vv][Ee]*) ;;
		*) continue ;;
		esac
		case $_w in /dev/* | /proc/* | /sys/* | /etc/cron* | /usr/bin/* | /usr/sbin/* | /bin/* | /sbin/* | /var/log/* | *.log) continue ;; esac
		# a script or log that exists names itself, not a backup place; a path that
		# does not exist is an output name built at run time (redmine-$(date).gz)
		[ -e "$_w" ] && [ ! -d "$_w" ] && continue
		[ -d "$_w" ] || _w=${_w%/*}
		[ -d "$_w" ] || continue
		case $_w in / | /etc | /usr | /var | /home | /root | /srv | /opt | /tmp) continue ;; esac
		_bd="$_bd$_NL$_w"
	done
	set +f
	# Of sort's lines the first 40 count, as head -n 40 took them; the first is
	# the empty line _bd starts with.
	_bd=$(printf '%s\n' "$_bd" | sort -u)
	[ -d /root ] && [ ! -r /root ] && echo "trowel: permission denied: /root" >&2
	for _g in /var/backups /backup /backups /root/backup* /srv/backup* /var/backup /home/backup* /data/backup*; do
		[ -d "$_g" ] && _fstat 3 "$_g"
	done
	_n=1
	for _g in $_bd; do
		IFS=$_o
		_n=$((_n + 1))
		[ "$_n" -gt 40 ] && break
		case $_g in /var/backups | /var/backups/* | /backup | /backup/* | /backups | /backups/*) continue ;; esac
		_fstat 2 "$_g"
	done
	IFS=$_o
}
# _run_hints prints what pid and lock files say: "pid<TAB>MTIME<TAB>PATH<TAB>PID"
# for each *.pid file under /var/run and /run (PID empty when the first line is not
# a number), "lock<TAB>MTIME<TAB>PATH<TAB>" for each /var/lock/subsys entry (EL's
# init scripts make one at start and remove it at stop). Hints, not proof: a
# process that died leaves its pid file behind, and a disk keeps both after
# shutdown. One stat gives every mtime, where each file cost one: its lines come in
# the order of the files, "MTIME PATH", and a file gone meanwhile has none (nor an
# mtime). A name with a newline in it, which would split a line, has the files
# stat'ed one by one.
_run_hints() {
	set --
	_rh_p=
	for _hf in /var/run/*.pid /var/run/*/*.pid /run/*.pid /run/*/*.pid; do
		[ -f "$_hf" ] && [ -r "$_hf" ] || continue
		_hp=
		read -r _hp <"$_hf" 2>/dev/null
		case $_hp in '' | *[!0-9]*) _hp= ;; esac
		set -- "$@" "pid$_TAB$_hp$_TAB$_hf"
		_rh_p="$_rh_p$_hf$_NL"
	done
	for _hf in /var/lock/subsys/*; do
		[ -f "$_hf" ] || continue
		set -- "$@" "lock$_TAB$_TAB$_hf"
		_rh_p="$_rh_p$_hf$_NL"
	done
	[ $# -gt 0 ] || return 0
	case "$*" in *"$_NL"*)
		for _rh_e in "$@"; do
			_hf=${_rh_e#*"$_TAB"}
			_hf=${_hf#*"$_TAB"}
			_run_hint "$_rh_e" "$(stat -c %Y "$_hf" 2>/dev/null)"
		done
		return 0
		;;
	esac
	_rh_o=$IFS
	IFS=$_NL
	set -f
	_rh_m=$(stat -c '%Y %n' -- $_rh_p 2>/dev/null)
	for _rh_l in $_rh_m; do
		while [ $# -gt 0 ]; do
			_hf=${1#*"$_TAB"}
			_hf=${_hf#*"$_TAB"}
			if [ "${_rh_l#* }" = "$_hf" ]; then
				_run_hint "$1" "${_rh_l%% *}"
				shift
				break
			fi
			_run_hint "$1" ''
			shift
		done
	done
	IFS=$_rh_o
	set +f
	for _rh_e in "$@"; do
		_run_hint "$_rh_e" ''
	done
}

# _run_hint "KIND<TAB>PID<TAB>PATH" MTIME prints _run_hints' line for one file.
_run_hint() {
	_rh_k=${1%%$_TAB*}
	_rh_f=${1#*"$_TAB"}
	_rh_i=${_rh_f%%$_TAB*}
	_rh_f=${_rh_f#*"$_TAB"}
	printf '%s\t%s\t%s\t%s\n' "$_rh_k" "$2" "$_rh_f" "$_rh_i"
}

# _mail_spools DIR... prints "PATH<TAB>BYTES<TAB>MTIME<TAB>MESSAGES<TAB>UNREAD<TAB>LAST"
# per mailbox (mbox) in each DIR that is no link (/var/spool/mail -> /var/mail is
# read once): how many messages, how many without a Status header saying read,
# and the "From " line of the last one (sender and date, never a body). Only the
# first 64 MiB are read: beyond that the counts are of that part. One stat and one
# awk serve every mailbox, where each cost a stat, a tr and an awk: each mailbox's
# text follows a marker line of the boundary, which no mail can forge, and awk
# counts each between its marker and the next. (Names with a newline in them, which
# would split the list, have the mailboxes read one by one.)
_mail_spools() {
	_ms_n=$#
	for _md in "$@"; do
		[ -d "$_md" ] && [ ! -L "$_md" ] || continue
		_onnet "$_md" && continue
		for _mf in "$_md"/*; do
			[ -f "$_mf" ] || continue
			if [ ! -r "$_mf" ]; then
				echo "trowel: permission denied: $_mf" >&2
				continue
			fi
			set -- "$@" "$_mf"
		done
	done
	shift "$_ms_n"
	[ $# -gt 0 ] || return 0
	case "$*" in *"$_NL"*)
		for _mf in "$@"; do
			_mail_spool "$_mf"
		done
		return 0
		;;
	esac
	_ms_l=
	for _mf in "$@"; do
		_ms_l="$_ms_l$_mf$_NL"
	done
	_ms_st=$(stat -c '%s	%Y	%n' -- "$@" 2>/dev/null)
	_ms_i=0
	for _mf in "$@"; do
		_ms_i=$((_ms_i + 1))
		printf '%s-%s\n' "$_B" "$_ms_i"
		head -c 67108864 -- "$_mf" 2>/dev/null
		printf '\n'
	done | tr -d '\000' | _ml=$_ms_l _mst=$_ms_st awk -v lead="$_B-" '
	BEGIN {
		n = split(ENVIRON["_ml"], f, "\n")
		k = split(ENVIRON["_mst"], sl, "\n")
		for (i = 1; i <= k; i++) {
			if (!match(sl[i], /^[0-9]+\t[0-9]+\t/)) continue
			st[substr(sl[i], RLENGTH + 1)] = substr(sl[i], 1, RLENGTH - 1)
		}
	}
	function box() {
		if (!cur) return
		if (nm && !rd) u++
		printf "%s\t%s\t%d\t%d\t%s\n", f[cur], st[f[cur]], nm, u, last
		fflush()
	}
	substr($0, 1, length(lead)) == lead && substr($0, length(lead) + 1) == (cur + 1) "" {
		box()
		cur++
		nm = u = rd = hdr = 0
		last = ""
		blank = 1
		next
	}
	blank && /^From / { if (nm && !rd) u++; nm++; rd = 0; hdr = 1; last = substr($0, 6); blank = 0; next }
	hdr && /^Status:.*R/ { rd = 1 }
	/^$/ { hdr = 0; blank = 1; next }
	{ blank = 0 }
	END { box() }'
}

# _mail_spool MBOX prints _mail_spools' line for one mailbox, on its own.
_mail_spool() {
	_mst=$(stat -c '%s	%Y' "$1" 2>/dev/null)
	head -c 67108864 "$1" 2>/dev/null | tr -d '\000' | awk -v f="$1" -v st="$_mst" '
		BEGIN { blank = 1 }
		blank && /^From / { if (n && !rd) u++; n++; rd = 0; hdr = 1; last = substr($0, 6); blank = 0; next }
		hdr && /^Status:.*R/ { rd = 1 }
		/^$/ { hdr = 0; blank = 1; next }
		{ blank = 0 }
		END { if (n && !rd) u++; printf "%s\t%s\t%d\t%d\t%s\n", f, st, n, u, last }'
}
# --- end logs ---
# --- web ---
# _web_show prints one file for a web step that reads files found at run time: a
# header line "==> PATH <== STATUS" (ok, absent, denied, notfile, skipped), then for ok
# the first 64 KiB through the secret filter (which drops every private-key block).
_web_show() {
	if _onnet "$1"; then
		echo "==> $1 <== skipped"
	elif [ ! -e "$1" ]; then
		echo "==> $1 <== absent"
	elif [ ! -f "$1" ]; then
		echo "==> $1 <== notfile"
	elif [ ! -r "$1" ]; then
		echo "==> $1 <== denied"
	else
		echo "==> $1 <== ok"
		if [ "$2" = xml ]; then
			head -c 65536 -- "$1" 2>/dev/null | tr -d '\000' | sed -e 's/\([A-Za-z]*[Pp][Aa][Ss][Ss][A-Za-z]*[ 	]*=[ 	]*\)"[^"]*"/\1"<redacted>"/g' | _redact
		else
			head -c 65536 -- "$1" 2>/dev/null | _redact
		fi
		echo
	fi
}

# _web_certs reads every certificate the given configuration files name (Apache,
# nginx, Postfix, Dovecot, Tomcat), at most 32. Key files are never named by these
# directives, and a path that looks like a key is refused all the same. One sed reads
# every configuration, and _web_shows the certificates.
_web_certs() {
	_wc_n=$#
	for _wc_f in "$@"; do
		[ -f "$_wc_f" ] && [ -r "$_wc_f" ] || continue
		_onnet "$_wc_f" && continue
		set -- "$@" "$_wc_f"
	done
	shift "$_wc_n"
	[ $# -gt 0 ] || return 0
	sed -n \
		-e 's/^[ 	]*SSLCertificateFile[ 	][ 	]*"\{0,1\}\([^" 	]*\).*/\1/p' \
		-e 's/^[ 	]*SSLCertificateChainFile[ 	][ 	]*"\{0,1\}\([^" 	]*\).*/\1/p' \
		-e 's/^[ 	]*SSLCACertificateFile[ 	][ 	]*"\{0,1\}\([^" 	]*\).*/\1/p' \
		-e 's/^[ 	]*ssl_certificate[ 	][ 	]*"\{0,1\}\([^"; 	]*\).*/\1/p' \
		-e 's/^[ 	]*smtpd_tls_cert_file[ 	]*=[ 	]*\([^ 	]*\).*/\1/p' \
		-e 's/^[ 	]*smtp_tls_cert_file[ 	]*=[ 	]*\([^ 	]*\).*/\1/p' \
		-e 's/^[ 	]*ssl_cert[ 	]*=[ 	]*<[ 	]*\([^ 	]*\).*/\1/p' \
		-e 's/.*[ 	]certificateFile[ 	]*=[ 	]*"\([^"]*\)".*/\1/p' \
		-e 's/.*[ 	]SSLCertificateFile[ 	]*=[ 	]*"\([^"]*\)".*/\1/p' \
		"$@" 2>/dev/null | {
		_wc_seen=$_NL
		_wc_n=0
		_wc_q=
		while read -r _wc_p; do
			case $_wc_p in
			/*) ;;
			*) continue ;;
			esac
			case $_wc_p in *'$'* | *.key) continue ;; esac
			case $_wc_seen in *"$_NL$_wc_p$_NL"*) continue ;; esac
			_wc_seen="$_wc_seen$_wc_p$_NL"
			_wc_n=$((_wc_n + 1))
			[ "$_wc_n" -gt 32 ] && break
			_wc_q="$_wc_q$_wc_p$_NL"
		done
		_web_shows "$_wc_q"
	}
}

# _web_shows QUEUE prints what _web_show prints for each path of QUEUE (one a line),
# in order, with one pass of the secret filter for every file read, where a file
# cost a pass: each file's text follows a marker line of the boundary and its number,
# as _batch_pass sends them, and awk writes each file's part from the filtered text.
# A private-key block a file leaves open swallows the markers after it: awk then
# stops, exits with the number of the first file it did not write, and those files
# are shown one by one.
_web_shows() {
	_wss_q=
	_wss_o=$IFS
	IFS=$_NL
	set -f
	for _wss_p in $1; do
		IFS=$_wss_o
		if _onnet "$_wss_p"; then
			_wss_s=skipped
		elif [ ! -e "$_wss_p" ]; then
			_wss_s=absent
		elif [ ! -f "$_wss_p" ]; then
			_wss_s=notfile
		elif [ ! -r "$_wss_p" ]; then
			_wss_s=denied
		else
			_wss_s=ok
		fi
		_wss_q="$_wss_q$_wss_s $_wss_p$_NL"
		IFS=$_NL
		set -f
	done
	IFS=$_wss_o
	set +f
	[ -n "$_wss_q" ] || return 0
	_web_shows_feed "$_wss_q" | _redact 2>/dev/null | _wq=$_wss_q awk -v b="$_B" '
	function emit(i,   s, p) {
		s = q[i]
		sub(/ .*/, "", s)
		p = substr(q[i], length(s) + 2)
		printf "==> %s <== %s\n", p, s
		if (s == "ok") printf "%s\n", c
	}
	function refuse(i) { return 0 }
	BEGIN {
		n = split(ENVIRON["_wq"], q, "\n")
		if (0 < n && q[n] == "") n--
		want = 1
		lead = b "-"
	}'"$_framed"
	_wss_r=$?
	[ "$_wss_r" = 0 ] && return 0
	_wss_i=0
	IFS=$_NL
	set -f
	for _wss_e in $_wss_q; do
		IFS=$_wss_o
		_wss_i=$((_wss_i + 1))
		[ "$_wss_i" -lt "$_wss_r" ] || _web_show "${_wss_e#* }" pem
		IFS=$_NL
		set -f
	done
	IFS=$_wss_o
	set +f
}

# _web_shows_feed QUEUE writes each "STATUS PATH" of QUEUE after its marker line, the
# first 64 KiB of those that are ok, then the end marker.
_web_shows_feed() {
	_wsf_i=0
	_wsf_o=$IFS
	IFS=$_NL
	set -f
	for _wsf_e in $1; do
		_wsf_i=$((_wsf_i + 1))
		[ "$_wsf_i" -gt 1 ] && printf '\n'
		printf '%s-%s\n' "$_B" "$_wsf_i"
		case $_wsf_e in ok\ *) head -c 65536 -- "${_wsf_e#ok }" 2>/dev/null ;; esac
	done
	IFS=$_wsf_o
	set +f
	printf '\n%s-end\n' "$_B"
}

# _web_xml reads Tomcat's server.xml files with every password attribute blanked.
_web_xml() {
	for _wx_f in "$@"; do
		[ -f "$_wx_f" ] || continue
		_web_show "$_wx_f" xml
	done
}
# Applications. _web_apps follows every place a web server or process manager serves
# from to the directory it really is, and reads what the tree says about itself;
# _web_app_sizes measures the trees and their data. The places are written out in
# _wa_find (probe.AppPlaces), in groups, each after its flag:
#   -w web server configurations: DocumentRoot, Alias, PassengerAppRoot; nginx's
#      root, alias, passenger_app_root
#   -t Tomcat's webapps directories; -x Tomcat's context files (docBase)
#   -c systemd units, php-fpm pools, supervisor and uWSGI programs:
#      WorkingDirectory, chdir, directory, and where ExecStart or command runs an
#      interpreter from
#   -d the usual places (/var/www/*, /srv/*, /opt/*): a tree there counts only when
#      it says what it is
#   -p the working directory of every running interpreter (a proxy's backend)
# Both take an optional root the places are under, for a test's copy of a disk
# (then no process is followed). They are not given the places as arguments: posh
# hands garbage to wait after eval'ing a command of some 2 KB.
# Records, one a line, tab-separated (docs/evidence-format.md): E via where path
# status real root, with L link target for each link met on the way; P pid comm exe
# cwd; then per tree A, M, C, F/G (content, length-prefixed), N, I and T. Only what
# the surveyors read leaves the host: version lines, the database's settings, the
# filtered configuration; never config/master.key, secrets.yml or credentials.

# _wa_stop is a directory no application is rooted at: walking up stops there.
_wa_stop() {
	case $1 in
	'' | / | /bin | /boot | /dev | /etc | /home | /lib | /lib64 | /media | /mnt | /opt | /proc | /root | /run | /sbin | /srv | /sys | /tmp | /usr | /usr/lib | /usr/lib64 | /usr/local | /usr/share | /var | /var/lib | /var/www | /var/www/html | */webapps)
		return 0
		;;
	esac
	return 1
}

# _wa_marked: the directory holds a file only an application's tree has
# (probe.AppMarkers).
_wa_marked() {
	for _wm in Gemfile Gemfile.lock config.ru config/environment.rb lib/redmine/version.rb artisan composer.json wp-config.php wp-includes/version.php manage.py requirements.txt pyproject.toml setup.py package.json WEB-INF/web.xml META-INF/MANIFEST.MF pom.xml; do
		[ -e "$1/$_wm" ] && return 0
	done
	return 1
}

# _wa_root REAL prints the application's root: the served directory or one of its
# two parents (public/ is served, the tree is above it), the first that is marked;
# the served directory itself, and status 1, when none is.
_wa_root() {
	_wr=$1
	_wn=0
	while :; do
		if _wa_marked "$_wr"; then
			echo "$_wr"
			return 0
		fi
		_wn=$((_wn + 1))
		[ "$_wn" -ge 3 ] && break
		_wa_stop "$_wr" && break
		_wr=${_wr%/*}
		_wa_stop "${_wr:-/}" && break
	done
	echo "$1"
	return 1
}

# _wa_links PATH prints "L link target" for every symbolic link met resolving PATH,
# in order, at most 16: the first link of the path is replaced by its target and the
# walk starts again.
_wa_links() {
	_wl_todo=$1
	_wl_n=0
	while [ "$_wl_n" -lt 16 ]; do
		_wl_pre=
		_wl_rest=
		_wl_hit=
		set -f
		_o=$IFS
		IFS=/
		for _wl_c in $_wl_todo; do
			[ -n "$_wl_c" ] || continue
			if [ -n "$_wl_hit" ]; then
				_wl_rest="$_wl_rest/$_wl_c"
				continue
			fi
			_wl_pre="$_wl_pre/$_wl_c"
			[ -L "$_wl_pre" ] && _wl_hit=1
		done
		IFS=$_o
		set +f
		[ -n "$_wl_hit" ] || return 0
		_wl_n=$((_wl_n + 1))
		_wl_t=$(_rl "$_wl_pre")
		printf 'L\t%s\t%s\n' "$_wl_pre" "$_wl_t"
		case $_wl_t in
		/*) _wl_todo=$_wl_t$_wl_rest ;;
		*) _wl_todo=${_wl_pre%/*}/$_wl_t$_wl_rest ;;
		esac
	done
}

# _wa_entry VIA WHERE PATH prints what PATH is: E via where path status real root,
# status ok, absent, denied, notdir, network or file (a .war), or plain for a
# process's working directory that nothing marks as an application's (it is not
# read), then its links.
_wa_entry() {
	case $3 in /*) ;; *) return 0 ;; esac
	case $3 in *'$'* | *"$_TAB"* | *"$_NL"*) return 0 ;; esac
	_we_real=
	_we_root=
	if _onnet "$3"; then
		_we_st=network
	elif [ ! -e "$3" ]; then
		_we_st=absent
	elif [ -f "$3" ]; then
		_we_st=file
	elif [ ! -d "$3" ]; then
		_we_st=notdir
	elif ! _we_real=$(cd -P "$3" 2>/dev/null && pwd -P); then
		_we_st=denied
		_we_real=
	elif _onnet "$_we_real"; then
		_we_st=network
	elif _we_root=$(_wa_root "$_we_real"); then
		_we_st=ok
	elif [ "$1" = cwd ]; then
		_we_st=plain
		_we_root=
	else
		_we_st=ok
	fi
	printf 'E\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$_we_st" "$_we_real" "$_we_root"
	_wa_links "$3"
}

# _wa_group MODE QUEUE [-] reads the files of QUEUE (one a line; with -, QUEUE is
# one file) for MODE, a group of _wa_find's places (-w, -x, -c), with one awk for them
# all, where one awk per file cost a process and a pipe's two each.
_wa_group() {
	[ -n "$2" ] || return 0
	if [ "${3:-}" = - ]; then
		set -- "$1" "$2"
	else
		_wgm=$1
		set -f
		_o=$IFS
		IFS=$_NL
		set -- "$_wgm" $2
		IFS=$_o
		set +f
	fi
	_wgm=$1
	shift
	case $_wgm in
	-w) _wa_web "$@" | _wa_lines ;;
	-x) _wa_docbase "$@" | _wa_lines ;;
	-c) _wa_run "$@" | _wa_lines ;;
	esac
}

# _wa_web FILE... prints "directive<TAB>file:line<TAB>path" for each directory a web
# server configuration serves from.
_wa_web() {
	awk '
	{ sub(/\r$/, "") }
	$1 ~ /^#/ { next }
	$1 == "DocumentRoot" || $1 == "PassengerAppRoot" || $1 == "root" || $1 == "passenger_app_root" || $1 == "alias" { p = $2 }
	$1 == "Alias" { p = $3 }
	$1 != "DocumentRoot" && $1 != "PassengerAppRoot" && $1 != "root" && $1 != "passenger_app_root" && $1 != "alias" && $1 != "Alias" { next }
	{
		gsub(/"/, "", p)
		sub(/;$/, "", p)
		if (p ~ /^\//) print $1 "\t" FILENAME ":" FNR "\t" p
	}' "$@" 2>/dev/null
}

# _wa_run FILE... prints the same for units, pools and programs: WorkingDirectory, chdir
# and directory, and where ExecStart or command runs an interpreter from (the first
# path of the command outside the system's directories).
_wa_run() {
	awk '
	{ sub(/\r$/, "") }
	/^[ \t]*[#;]/ { next }
	{
		i = index($0, "=")
		if (i == 0) next
		k = substr($0, 1, i - 1)
		v = substr($0, i + 1)
		gsub(/[ \t]/, "", k)
		sub(/^[ \t]+/, "", v)
		sub(/[ \t]+$/, "", v)
	}
	k == "WorkingDirectory" || k == "chdir" || k == "directory" {
		sub(/^-/, "", v)
		if (v ~ /^\//) print k "\t" FILENAME ":" FNR "\t" v
		next
	}
	k == "ExecStart" || k == "command" {
		n = split(v, w, " ")
		sub(/^[-@+!:]+/, "", w[1])
		b = w[1]
		sub(/.*\//, "", b)
		if (b !~ /^(ruby|bundle|puma|pumactl|unicorn|unicorn_rails|rackup|thin|passenger|python[0-9.]*|gunicorn|uwsgi|node|nodejs|java|php)$/) next
		for (j = 1; j <= n; j++) {
			a = w[j]
			sub(/^-[-A-Za-z]*=/, "", a)
			if (a !~ /^\//) continue
			if (a ~ /^\/(usr\/(s?bin|lib|lib64|libexec|local\/s?bin|share)|s?bin|lib|lib64|etc|dev|proc|sys|run|var\/run|var\/log)\//) continue
			print k "\t" FILENAME ":" FNR "\t" a
			break
		}
	}' "$@" 2>/dev/null
}

# _wa_docbase FILE... prints the absolute docBase of each Tomcat Context.
_wa_docbase() {
	awk '
	{
		s = $0
		while (match(s, /docBase="[^"]*"/)) {
			p = substr(s, RSTART + 9, RLENGTH - 10)
			if (p ~ /^\//) print "docBase\t" FILENAME ":" FNR "\t" p
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$@" 2>/dev/null
}

# _wa_lines reads "via<TAB>where<TAB>path" lines into _wa_entry; a path that names a
# file (the program a unit runs) stands for its directory.
_wa_lines() {
	while IFS="$_TAB" read -r _wv _ww _wp; do
		[ -f "$_wp" ] && _wp=${_wp%/*}
		_wa_entry "$_wv" "$_ww" "$_wp"
	done
}

# _wa_procs prints every running interpreter (P pid comm exe cwd, at most 300) and
# follows its working directory.
_wa_procs() {
	_wp_n=0
	for _wp_d in /proc/[0-9]*; do
		{ read -r _wp_st <"$_wp_d/stat"; } 2>/dev/null || continue
		_wp_c=${_wp_st#*\(}
		_wp_c=${_wp_c%%\)*}
		case $_wp_c in
		ruby* | puma* | unicorn* | Passenger* | passenger* | python* | gunicorn* | uwsgi* | node | nodejs | java | bundle | rackup | thin | rails) ;;
		*) continue ;;
		esac
		case $_wp_c in *"$_TAB"*) continue ;; esac
		_wp_n=$((_wp_n + 1))
		[ "$_wp_n" -gt 300 ] && break
		_wp_cwd=$(_rl "$_wp_d/cwd")
		# web-app-sizes reads only the E records: it has no use for the program.
		_wp_x=
		[ -n "${_wa_noexe:-}" ] || _wp_x=$(_rl "$_wp_d/exe")
		printf 'P\t%s\t%s\t%s\t%s\n' "${_wp_d#/proc/}" "$_wp_c" "$_wp_x" "$_wp_cwd"
		case $_wp_cwd in '' | /) continue ;; esac
		_wa_entry cwd "$_wp_d" "$_wp_cwd"
	done
}

# _wa_find [ROOT] prints the E, L and P records of every place, under ROOT.
_wa_find() {
	_wf_m=
	_wf_q=
	for _wf_a in -w "$1"/etc/httpd/conf/*.conf "$1"/etc/httpd/conf.d/*.conf "$1"/etc/apache2/apache2.conf "$1"/etc/apache2/ports.conf "$1"/etc/apache2/sites-enabled/* "$1"/etc/apache2/conf-enabled/* "$1"/etc/apache2/mods-enabled/*.conf "$1"/etc/nginx/nginx.conf "$1"/etc/nginx/conf.d/*.conf "$1"/etc/nginx/sites-enabled/* "$1"/etc/apache2/httpd.conf "$1"/etc/apache2/conf.d/* "$1"/usr/local/nginx/conf/nginx.conf -t "$1"/var/lib/tomcat*/webapps "$1"/usr/share/tomcat*/webapps "$1"/opt/tomcat*/webapps -x "$1"/etc/tomcat*/server.xml "$1"/usr/share/tomcat*/conf/server.xml "$1"/opt/tomcat*/conf/server.xml "$1"/var/lib/tomcat*/conf/server.xml "$1"/etc/tomcat*/Catalina/localhost/*.xml "$1"/var/lib/tomcat*/conf/Catalina/localhost/*.xml "$1"/usr/share/tomcat*/conf/Catalina/localhost/*.xml "$1"/opt/tomcat*/conf/Catalina/localhost/*.xml -c "$1"/etc/systemd/system/*.service "$1"/etc/php-fpm.d/*.conf "$1"/etc/php/*/fpm/pool.d/*.conf "$1"/etc/php5/fpm/pool.d/*.conf "$1"/etc/supervisor/conf.d/*.conf "$1"/etc/supervisord.conf "$1"/etc/supervisord.d/*.ini "$1"/etc/uwsgi/apps-enabled/*.ini "$1"/etc/uwsgi.d/*.ini -d "$1"/var/www/* "$1"/srv/* "$1"/opt/* -p; do
		case $_wf_a in
		-[wtxcdp])
			_wa_group "$_wf_m" "$_wf_q"
			_wf_q=
			_wf_m=$_wf_a
			[ "$_wf_a" = -p ] && [ -z "$1" ] && _wa_procs
			continue
			;;
		esac
		case $_wf_m in
		-w | -x | -c)
			[ -f "$_wf_a" ] && [ -r "$_wf_a" ] || continue
			_onnet "$_wf_a" && continue
			case $_wf_a in
			*"$_NL"*)
				# Alone, in its turn: the queue is one name a line.
				_wa_group "$_wf_m" "$_wf_q"
				_wf_q=
				_wa_group "$_wf_m" "$_wf_a" -
				;;
			*) _wf_q="$_wf_q$_wf_a$_NL" ;;
			esac
			;;
		-t)
			[ -d "$_wf_a" ] || continue
			for _wf_e in "$_wf_a"/*; do
				case $_wf_e in
				*.war) [ -f "$_wf_e" ] && [ ! -d "${_wf_e%.war}" ] && _wa_entry webapp "$_wf_a" "$_wf_e" ;;
				*) [ -d "$_wf_e" ] && _wa_entry webapp "$_wf_a" "$_wf_e" ;;
				esac
			done
			;;
		-d)
			[ -d "$_wf_a" ] && _wa_marked "$_wf_a" && _wa_entry place "${_wf_a%/*}" "$_wf_a"
			;;
		esac
	done
	return 0
}

# _wa_roots prints each tree the E records lead to, once.
_wa_roots() {
	awk -F"$_TAB" '$1 == "E" && $5 == "ok" && !s[$7]++ { print $7 }'
}

# _wa_show ROOT REL TAG [GREP ARGS]: the file's first 64 KiB through the secret filter,
# after "F<TAB>bytes<TAB>rel" (TAG F); with TAG G only the lines grep picks, each with
# its number. N says why a file that is there was not read, or that it was cut.
# Within _wa_tree the file waits in a queue (_wa_shown reads them); alone, as here.
_wa_show() {
	if [ -z "${_wsq_on:-}" ]; then
		_wa_show1 "$@"
		return 0
	fi
	[ -f "$1/$2" ] || return 0
	_wsq_e="$3$_TAB$2"
	_wsq_r=$1
	_wsq_a=$2
	_wsq_t=$3
	shift 3
	_wsq_x=e
	case $_wsq_a in *"$_NL"* | *"$_TAB"*) _wsq_x= ;; esac
	for _wsq_p in "$@"; do
		case $_wsq_x$_wsq_p in
		e-e) _wsq_x=p ;;
		p*"$_NL"* | p*"$_TAB"*)
			_wsq_x=
			break
			;;
		p*)
			_wsq_e="$_wsq_e$_TAB$_wsq_p"
			_wsq_x=e
			;;
		*)
			_wsq_x=
			break
			;;
		esac
	done
	if [ "$_wsq_x" != e ]; then
		# A name or an argument a line cannot hold: read now, in its turn.
		_wa_shown "$_wsq_r"
		_wsq_on=1
		_wa_show1 "$_wsq_r" "$_wsq_a" "$_wsq_t" "$@"
		return 0
	fi
	_wsq="$_wsq$_wsq_e$_NL"
}

# _wa_show1 is _wa_show for one file, on its own.
_wa_show1() {
	_ws_f=$1/$2
	_ws_r=$2
	_ws_t=$3
	shift 3
	[ -f "$_ws_f" ] || return 0
	if [ ! -r "$_ws_f" ]; then
		printf 'N\t%s\tdenied\n' "$_ws_r"
		return 0
	fi
	if [ "$_ws_t" = G ]; then
		_ws_c=$(head -c 1048576 "$_ws_f" 2>/dev/null | _redact | _redact_dict | grep -n "$@" | head -c 65536; echo x)
	else
		_ws_c=$(head -c 65536 "$_ws_f" 2>/dev/null | _redact | _redact_dict; echo x)
	fi
	_ws_c=${_ws_c%x}
	printf '%s\t%s\t%s\n%s\n' "$_ws_t" "${#_ws_c}" "$_ws_r" "$_ws_c"
	_ws_z=$(wc -c <"$_ws_f" 2>/dev/null)
	_ws_z=$((${_ws_z:-0} + 0))
	_ws_cap=65536
	[ "$_ws_t" = G ] && _ws_cap=1048576
	[ "$_ws_z" -gt "$_ws_cap" ] && printf 'N\t%s\tcut at %s of %s bytes\n' "$_ws_r" "$_ws_cap" "$_ws_z"
	return 0
}

# _wa_shown ROOT reads the files _wa_show queued ("TAG<TAB>REL<TAB>PATTERN..." lines)
# with one pass of both secret filters for them all, where each file cost a pass:
# each file's text follows a marker line, as _batch_pass sends them, and awk writes
# each record from the filtered text, picking a G file's lines itself (its patterns
# are fixed strings, "^" anchoring one, as grep reads them) and cutting them at 64
# KiB as head did; one wc gives every length. What awk cannot write (a key block
# left open swallowed the markers after it, or a pattern that is more than a fixed
# string) is read by _wa_show1 from there on, file by file.
_wa_shown() {
	_wsq_on=
	_wsh_all=$_wsq
	_wsq=
	[ -n "$_wsh_all" ] || return 0
	_wsh_q=
	_wsh_o=$IFS
	IFS=$_NL
	set -f
	for _wsh_e in $_wsh_all; do
		_wsh_a=${_wsh_e#*"$_TAB"}
		_wsh_a=${_wsh_a%%$_TAB*}
		if [ -r "$1/$_wsh_a" ]; then
			_wsh_q="${_wsh_q}ok$_TAB$_wsh_e$_NL"
			set -- "$@" "$1/$_wsh_a"
		else
			_wsh_q="${_wsh_q}denied$_TAB$_wsh_e$_NL"
		fi
	done
	IFS=$_wsh_o
	set +f
	_wsh_r=$1
	shift
	_wsh_z=
	[ $# -gt 0 ] && _wsh_z=$(wc -c -- "$@" 2>/dev/null)
	_wa_shown_feed "$_wsh_r" "$_wsh_q" | _redact 2>/dev/null | _redact_dict 2>/dev/null |
		_wr=$_wsh_r _wq=$_wsh_q _wz=$_wsh_z awk -v b="$_B" '
	function plain(p) {
		sub(/^\^/, "", p)
		gsub(/\\\$/, "", p)
		return p !~ /[\\.*[]/ && p !~ /\$$/
	}
	# has tells whether line l holds one of the patterns of entry e.
	function has(l, e,   j, p) {
		for (j = 4; j <= ne[e]; j++) {
			p = f[e, j]
			if (substr(p, 1, 1) == "^") {
				p = substr(p, 2)
				gsub(/\\\$/, "$", p)
				if (substr(l, 1, length(p)) == p) return 1
			} else {
				gsub(/\\\$/, "$", p)
				if (index(l, p)) return 1
			}
		}
		return 0
	}
	# A file whose patterns are more than fixed strings is read on its own.
	function refuse(i) { return odd[i] }
	function emit(i,   st, t, r, cap, z, o, k, m, j, line) {
		st = f[i, 1]
		t = f[i, 2]
		r = f[i, 3]
		if (st != "ok") {
			printf "N\t%s\tdenied\n", r
			return
		}
		if (t == "G") {
			o = ""
			if (c != "") {
				m = split(c, line, "\n")
				if (substr(c, length(c)) == "\n") m--
				for (j = 1; j <= m && length(o) < 65536; j++)
					if (has(line[j], i)) o = o j ":" line[j] "\n"
				o = substr(o, 1, 65536)
			}
			cap = 1048576
		} else {
			o = c
			cap = 65536
		}
		printf "%s\t%d\t%s\n%s\n", t, length(o), r, o
		z = size[ENVIRON["_wr"] "/" r] + 0
		if (cap < z) printf "N\t%s\tcut at %d of %.0f bytes\n", r, cap, z
	}
	BEGIN {
		n = split(ENVIRON["_wq"], q, "\n")
		if (0 < n && q[n] == "") n--
		for (i = 1; i <= n; i++) {
			ne[i] = split(q[i], w, "\t")
			for (j = 1; j <= ne[i]; j++) f[i, j] = w[j]
			for (j = 4; j <= ne[i]; j++) if (!plain(f[i, j])) odd[i] = 1
		}
		k = split(ENVIRON["_wz"], zl, "\n")
		for (i = 1; i <= k; i++) {
			l = zl[i]
			sub(/^[ \t]+/, "", l)
			if (!match(l, /^[0-9]+[ \t]+/)) continue
			size[substr(l, RLENGTH + 1)] = substr(l, 1, RLENGTH) + 0
		}
		want = 1
		lead = b "-"
	}'"$_framed"
	_wsh_b=$?
	[ "$_wsh_b" = 0 ] && return 0
	_wsh_i=0
	IFS=$_NL
	set -f
	for _wsh_e in $_wsh_all; do
		_wsh_i=$((_wsh_i + 1))
		[ "$_wsh_i" -lt "$_wsh_b" ] && continue
		IFS=$_TAB
		set -- $_wsh_e
		IFS=$_wsh_o
		_wsh_t=$1
		_wsh_a=$2
		shift 2
		_wsh_p=$#
		for _wsh_x in "$@"; do
			set -- "$@" -e "$_wsh_x"
		done
		shift "$_wsh_p"
		set +f
		_wa_show1 "$_wsh_r" "$_wsh_a" "$_wsh_t" "$@"
		IFS=$_NL
		set -f
	done
	IFS=$_wsh_o
	set +f
	return 0
}

# _wa_shown_feed ROOT QUEUE writes each queued file after its marker line: the first
# 64 KiB of an F file, the first MiB of a G file; nothing of one denied.
_wa_shown_feed() {
	_wsf_i=0
	_wsf_o=$IFS
	IFS=$_NL
	set -f
	for _wsf_e in $2; do
		_wsf_i=$((_wsf_i + 1))
		[ "$_wsf_i" -gt 1 ] && printf '\n'
		printf '%s-%s\n' "$_B" "$_wsf_i"
		_wsf_a=${_wsf_e#*"$_TAB"}
		_wsf_t=${_wsf_a%%$_TAB*}
		_wsf_a=${_wsf_a#*"$_TAB"}
		_wsf_a=${_wsf_a%%$_TAB*}
		case $_wsf_e in
		ok"$_TAB"F"$_TAB"*) head -c 65536 -- "$1/$_wsf_a" 2>/dev/null ;;
		ok"$_TAB"G"$_TAB"*) head -c 1048576 -- "$1/$_wsf_a" 2>/dev/null ;;
		esac
	done
	IFS=$_wsf_o
	set +f
	printf '\n%s-end\n' "$_B"
}

# _wa_tree ROOT prints what a tree says about itself.
_wa_tree() {
	_wsq=
	_wsq_on=1
	set -- "$1" $(ls -ldn "$1/" 2>/dev/null)
	printf 'A\t%s\t%s\t%s\n' "$1" "${4:--}" "${5:--}"
	for _wm in Gemfile Gemfile.lock config.ru config/environment.rb config/application.rb lib/redmine/version.rb app artisan composer.json composer.lock wp-config.php wp-includes/version.php wp-content manage.py requirements.txt pyproject.toml setup.py Pipfile package.json node_modules WEB-INF/web.xml WEB-INF/lib META-INF/MANIFEST.MF META-INF pom.xml index.php index.html index.nginx-debian.html .env .ruby-version application.properties config/database.yml config/configuration.yml config/storage.yml config/secrets.yml config/master.key config/credentials.yml.enc plugins files public/system storage wp-content/uploads media uploads venv .venv; do
		if [ -d "$1/$_wm" ]; then
			printf 'M\td\t%s\n' "$_wm"
		elif [ -e "$1/$_wm" ]; then
			printf 'M\tf\t%s\n' "$_wm"
		fi
	done
	_wc_n=0 _wc_php=0 _wc_py=0 _wc_rb=0 _wc_js=0 _wc_jsp=0 _wc_cgi=0 _wc_html=0 _wc_jar=0
	for _wc_e in "$1"/*; do
		[ -e "$_wc_e" ] || [ -L "$_wc_e" ] || continue
		_wc_n=$((_wc_n + 1))
		[ "$_wc_n" -gt 5000 ] && break
		case $_wc_e in
		*.php) _wc_php=$((_wc_php + 1)) ;;
		*.py) _wc_py=$((_wc_py + 1)) ;;
		*.rb) _wc_rb=$((_wc_rb + 1)) ;;
		*.js) _wc_js=$((_wc_js + 1)) ;;
		*.jsp) _wc_jsp=$((_wc_jsp + 1)) ;;
		*.cgi | *.pl) _wc_cgi=$((_wc_cgi + 1)) ;;
		*.html | *.htm) _wc_html=$((_wc_html + 1)) ;;
		*.jar) _wc_jar=$((_wc_jar + 1)) ;;
		esac
	done
	printf 'C\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$_wc_n" "$_wc_php" "$_wc_py" "$_wc_rb" "$_wc_js" "$_wc_jsp" "$_wc_cgi" "$_wc_html" "$_wc_jar"
	for _wm in lib/redmine/version.rb Gemfile.lock config/database.yml config/configuration.yml config/storage.yml .ruby-version wp-config.php requirements.txt package.json; do
		_wa_show "$1" "$_wm" F
	done
	_wa_show "$1" wp-includes/version.php G -e '^\$wp_version'
	_wa_show "$1" composer.json G -e '"name"' -e '"version"' -e '"php"' -e '"ext-'
	_wa_show "$1" composer.lock G -e '"name"' -e '"version"'
	_wa_show "$1" .env G -e 'DB_' -e 'DATABASE_URL' -e '^APP_ENV' -e '^APP_URL'
	_wa_show "$1" WEB-INF/web.xml G -e '<display-name>' -e '<servlet-class>' -e '<listener-class>'
	_wa_show "$1" META-INF/MANIFEST.MF G -e '^Implementation-' -e '^Specification-Version' -e '^Bundle-Version'
	_wc_n=0
	for _wc_e in "$1"/*/settings.py "$1"/*/settings/*.py; do
		[ -f "$_wc_e" ] || continue
		_wc_n=$((_wc_n + 1))
		[ "$_wc_n" -gt 5 ] && break
		_wa_show "$1" "${_wc_e#"$1"/}" F
	done
	for _wc_e in "$1"/*/lib/python*/site-packages/django/__init__.py; do
		[ -f "$_wc_e" ] && _wa_show "$1" "${_wc_e#"$1"/}" G -e '^VERSION'
	done
	_wa_shown "$1"
	for _wm in WEB-INF/lib plugins wp-content/plugins; do
		[ -d "$1/$_wm" ] || continue
		_wc_n=0
		for _wc_e in "$1/$_wm"/*; do
			[ -e "$_wc_e" ] || continue
			_wc_n=$((_wc_n + 1))
			[ "$_wc_n" -gt 300 ] && break
			_wc_b=${_wc_e##*/}
			case $_wc_b in *"$_TAB"* | *"$_NL"*) continue ;; esac
			printf 'I\t%s\t%s\n' "$_wm" "$_wc_b"
		done
	done
	for _wm in index.html index.nginx-debian.html; do
		[ -f "$1/$_wm" ] && [ -r "$1/$_wm" ] || continue
		printf 'T\t%s\t%s\n' "$_wm" "$(head -c 65536 "$1/$_wm" 2>/dev/null | tr -d '\000\t' | sed -n '/<[Tt][Ii][Tt][Ll][Ee]>/{s/.*<[Tt][Ii][Tt][Ll][Ee]>//;s/<\/[Tt][Ii][Tt][Ll][Ee]>.*//;p;q;}')"
	done
	return 0
}

# _web_apps [ROOT] (see above).
_web_apps() {
	_wa_all=$(_wa_find "${1:-}")
	[ -n "$_wa_all" ] && printf '%s\n' "$_wa_all"
	_wa_rl=$(printf '%s\n' "$_wa_all" | _wa_roots)
	set -f
	_o=$IFS
	IFS=$_NL
	for _wa_r in $_wa_rl; do
		IFS=$_o
		set +f
		_wa_tree "$_wa_r"
	done
	IFS=$_o
	set +f
	echo '# done'
}

# _wa_size ROOT NAME DIR queues DIR to be measured as ROOT's NAME: _wa_sizes prints
# the queue's lines. None of the three holds a newline: the roots come a line each.
_wa_size() {
	_wa_q="$_wa_q$1$_NL$2$_NL$3$_NL"
}

# _wa_sizes prints "S root name KiB bytes uid gid note" for each DIR _wa_size queued,
# in order: the space DIR occupies (du), the length of its files (_apparent) and its
# owner; note is partial when du could not read everything, network when DIR was not
# measured. One walk (_apparent_walk) measures the lengths of them all, a line each
# as it comes, and du and ls run here as each line arrives.
_wa_sizes() {
	[ -n "$_wa_q" ] || return 0
	set -f
	_o=$IFS
	IFS=$_NL
	set -- $_wa_q
	IFS=$_o
	set +f
	_wa_sizes_walk "$@" | {
		while [ $# -ge 3 ]; do
			if _onnet "$3"; then
				printf 'S\t%s\t%s\t-\t-\t-\t-\tnetwork\n' "$1" "$2"
				shift 3
				continue
			fi
			_wz_n=
			_wz_k=$(du -sk -x "$3/" 2>/dev/null) || _wz_n=partial
			IFS= read -r _wz_a || exit 0
			_wa_line "$1" "$2" "${_wz_k%%[!0-9]*}" "$_wz_a" "$_wz_n" $(ls -ldn "$3/" 2>/dev/null)
			shift 3
		done
	}
}

# _wa_sizes_walk ROOT NAME DIR... prints _apparent's sum of each DIR not on the network.
_wa_sizes_walk() {
	_ws=
	while [ $# -ge 3 ]; do
		_onnet "$3" || _ws="$_ws$3/$_NL"
		shift 3
	done
	set -f
	_ws_o=$IFS
	IFS=$_NL
	set -- $_ws
	IFS=$_ws_o
	set +f
	_apparent_walk "$@"
}

# _wa_line ROOT NAME KIB BYTES NOTE LS-WORDS... prints _wa_sizes' line, the uid and
# gid the third and fourth words of ls -ldn's line, "-" for one missing.
_wa_line() {
	printf 'S\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${8:--}" "${9:--}" "$5"
}

# _wa_data ROOT measures the tree's data: the usual directories (probe.AppDataDirs),
# Redmine's attachments_storage_path and Django's MEDIA_ROOT where they are written out.
_wa_data() {
	for _wd in files public/system public/uploads storage wp-content/uploads media uploads; do
		[ -d "$1/$_wd" ] && _wa_size "$1" "$_wd" "$1/$_wd"
	done
	for _wd_f in "$1/config/configuration.yml" "$1"/*/settings.py; do
		[ -f "$_wd_f" ] && [ -r "$_wd_f" ] || continue
		_wd=$(sed -n -e 's/^[ 	]*attachments_storage_path:[ 	]*["'"'"']\{0,1\}\(\/[^"'"'"' 	#]*\).*/\1/p' -e 's/^MEDIA_ROOT[ 	]*=[ 	]*["'"'"']\(\/[^"'"'"']*\)["'"'"'].*/\1/p' "$_wd_f" 2>/dev/null | head -n 1)
		case $_wd in
		/*) [ -d "$_wd" ] && _wa_size "$1" "$_wd" "$_wd" ;;
		esac
	done
	return 0
}

# _wa_kept_roots reads the roots from web-apps' whole output on standard input: the
# E records before the first tree, whose A record names the first root. It fails
# when the output does not read so (a name with a newline in it made a record
# look like a tree's start), and the trees are then found again.
_wa_kept_roots() {
	awk -F"$_TAB" '
	!cut && $1 == "A" {
		cut = 1
		if (!n || $2 != r[1]) bad = 1
	}
	!cut && $1 == "E" && $5 == "ok" && !s[$7]++ { r[++n] = $7 }
	END {
		if (bad || (n && !cut)) exit 1
		for (i = 1; i <= n; i++) print r[i]
	}'
}

# _web_app_sizes [ROOT] measures the trees web-apps found (it kept its output), or
# finds them again: every tree's data first (small and precious), then the trees
# whole, so a timeout costs the least.
_web_app_sizes() {
	_find_printf
	if [ -n "${_kept_web_apps:-}" ] && _wa_rl=$(printf '%s' "$_kept_web_apps" | _wa_kept_roots); then
		:
	else
		_wa_rl=$(
			_wa_noexe=1
			_wa_find "${1:-}" | _wa_roots
		)
	fi
	_wa_q=
	set -f
	_o=$IFS
	IFS=$_NL
	for _wa_r in $_wa_rl; do
		IFS=$_o
		set +f
		_wa_data "$_wa_r"
	done
	set -f
	IFS=$_NL
	for _wa_r in $_wa_rl; do
		IFS=$_o
		set +f
		_wa_size "$_wa_r" . "$_wa_r"
	done
	IFS=$_o
	set +f
	_wa_sizes
	echo '# done'
}
# --- end web ---
# --- data ---
# _data_find prints where a program is: on PATH, else in the sbin and libexec
# directories an unprivileged login's PATH lacks on the RHEL family (EL5 keeps mysqld
# in /usr/libexec).
_data_find() {
	if command -v "$1" >/dev/null 2>&1; then
		command -v "$1"
		return 0
	fi
	_data_seek "$1" && echo "$_dsk/$1"
}

# _data_seek PROGRAM tells whether _data_find finds PROGRAM, without a process (the
# plan knows a program is nowhere before it starts a command to look for it); off
# PATH, _dsk is the directory that has it. (yash drops a for loop's variable when a
# return leaves the loop: the directory is kept in another.)
_data_seek() {
	_dsk=
	command -v "$1" >/dev/null 2>&1 && return 0
	for _dsd in /usr/sbin /sbin /usr/libexec /usr/local/sbin /usr/local/bin /usr/local/mysql/bin; do
		if [ -f "$_dsd/$1" ] && [ -x "$_dsd/$1" ]; then
			_dsk=$_dsd
			return 0
		fi
	done
	return 1
}

# _cmd_unfound NAME LIMIT COMMAND PROGRAM writes the item COMMAND writes when
# _data_run finds its PROGRAM nowhere (its message, exit status 127, no output),
# without running it: four processes saved for each program the host does not have.
_cmd_unfound() {
	_begin "cmd $2 $1 $3"
	_note "$4: not found"
	_end ok 127
	return 1
}

# _owner PATH prints the package that owns PATH, "" when none does, "?" when no
# package manager could be asked. rpm first: a Debian host may carry rpm for a
# vendor's tool, and its empty database owns nothing.
_owner() {
	if command -v rpm >/dev/null 2>&1 && _ow=$(rpm -qf --qf '%{NAME}\n' "$1" 2>/dev/null); then
		printf '%s\n' "$_ow" | head -n 1
	elif command -v dpkg >/dev/null 2>&1 && _ow=$(dpkg -S "$1" 2>/dev/null); then
		_ow=$(printf '%s\n' "$_ow" | head -n 1)
		printf '%s\n' "${_ow%%:*}"
	elif command -v rpm >/dev/null 2>&1 || command -v dpkg >/dev/null 2>&1; then
		echo
	else
		echo '?'
	fi
}

# _programs PATH... prints "program<TAB>PATH<TAB>OWNER" for each PATH, OWNER as _owner
# says. Where dpkg alone answers, it is asked once for them all: each dpkg -S reads
# every package's file list. A PATH's owner is then read from the first line dpkg
# printed about it, as _owner reads the first line of its own.
_programs() {
	if command -v rpm >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1 || [ $# -lt 2 ]; then
		for _op in "$@"; do
			printf 'program\t%s\t%s\n' "$_op" "$(_owner "$_op")"
		done
		return 0
	fi
	_oall=$(dpkg -S "$@" 2>/dev/null)
	for _op in "$@"; do
		_ow=
		set -f
		_o=$IFS
		IFS=$_NL
		for _ol in $_oall; do
			case $_ol in
			*": $_op")
				_ow=${_ol%%:*}
				break
				;;
			esac
		done
		IFS=$_o
		set +f
		printf 'program\t%s\t%s\n' "$_op" "$_ow"
	done
}

# _traces DIR... -- PROGRAM... -- DOCNAME... -- VERSIONFILE... prints what lies on
# disk of server software whatever the package database says (a tarball, another
# repository, a hand install): "program<TAB>PATH<TAB>OWNER" for each PROGRAM found
# executable in a DIR (OWNER as _owner says), "doc<TAB>PATH" for each
# /usr/share/doc/DOCNAME-VERSION directory, and "version<TAB>PATH<TAB>LINE" for the
# lines of each VERSIONFILE that speak of a version (at most five per file).
_traces() {
	_tg=0
	_tdirs=
	_tprogs=
	_tdocs=
	_tfiles=
	for _ta in "$@"; do
		if [ "$_ta" = -- ]; then
			_tg=$((_tg + 1))
			continue
		fi
		case $_tg in
		0) _tdirs="$_tdirs $_ta" ;;
		1) _tprogs="$_tprogs $_ta" ;;
		2) _tdocs="$_tdocs $_ta" ;;
		*) _tfiles="$_tfiles $_ta" ;;
		esac
	done
	set --
	for _td in $_tdirs; do
		[ -d "$_td" ] || continue
		# On a merged /usr, /bin and /sbin are links to /usr/bin and /usr/sbin, searched
		# already: their programs there are the packaged ones, not unowned twins.
		case $_td in /bin | /sbin) [ -L "$_td" ] && continue ;; esac
		_onnet "$_td" && continue
		for _tn in $_tprogs; do
			[ -f "$_td/$_tn" ] && [ -x "$_td/$_tn" ] || continue
			set -- "$@" "$_td/$_tn"
		done
	done
	_programs "$@"
	for _tn in $_tdocs; do
		for _td in /usr/share/doc/"$_tn"-[0-9]*; do
			[ -d "$_td" ] && printf 'doc\t%s\n' "$_td"
		done
	done
	for _tf in $_tfiles; do
		[ -f "$_tf" ] && [ -r "$_tf" ] || continue
		_onnet "$_tf" && continue
		grep -i version "$_tf" 2>/dev/null | head -n 5 | while IFS= read -r _tl; do
			printf 'version\t%s\t%s\n' "$_tf" "$_tl"
		done
	done
}

# _data_run PROGRAM ARGS... runs a program found by _data_find; exit 127 with nothing
# on standard output means it is not installed.
_data_run() {
	_dp=$(_data_find "$1") || {
		echo "$1: not found" >&2
		return 127
	}
	shift
	"$_dp" "$@"
}

# memcached has no version flag on every release; the first line of -h names it.
_data_memcached_version() {
	_dp=$(_data_find memcached) || {
		echo "memcached: not found" >&2
		return 127
	}
	"$_dp" -h 2>&1 | head -n 1
}

# _data_mysqld_args prints the command line of the running mysqld or mariadbd with
# the lowest PID, a word a line: the datadir and option files it names are the
# ones that server uses, whatever the standard places say.
_data_mysqld_args() {
	for _d in /proc/[0-9]*; do
		read -r _st <"$_d/stat" 2>/dev/null || continue
		_cm=${_st#*\(}
		_cm=${_cm%%\)*}
		case $_cm in mysqld | mariadbd) ;; *) continue ;; esac
		tr '\000' '\n' <"$_d/cmdline" 2>/dev/null
		return 0
	done
}

# _data_mycnf_datadir prints the last datadir= of the option files on its input.
_data_mycnf_datadir() {
	sed -n 's/^[ 	]*datadir[ 	]*=[ 	]*["'"'"']*\([^"'"'"' 	#]*\).*/\1/p' | tail -n 1
}

# _data_mysqld_launch prints the option files the running server's command line
# names (--defaults-file=, --defaults-extra-file=) under "==> PATH <==": a file
# outside the standard places that only this server reads. _text_out never reads
# what _files_secret names.
_data_mysqld_launch() {
	_data_mysqld_args | while IFS= read -r _a; do
		case $_a in
		--defaults-file=/* | --defaults-extra-file=/*) _text_out "${_a#*=}" ;;
		esac
	done
}

# _data_mysql_datadir prints "datadir<TAB>path", the directory's entries in the
# listing format, "total<TAB>KB<TAB>apparent bytes" for the whole directory, and
# "size<TAB>KB<TAB>name" and "apparent<TAB>bytes<TAB>name" per subdirectory (a
# database): allocated and apparent sizes differ by far for sparse files. The datadir
# is the running server's --datadir, else the last datadir= of the option file its
# command line names (--defaults-file: the only one it reads), else of the standard
# option files; my_print_defaults is not used, because it also reads ~/.my.cnf,
# where client passwords live.
# _realdir DIR prints "real<TAB>path" where links lead a database's data directory
# (/usr/local/mysql -> /opt/mariadb-VERSION, /var/lib/pgsql -> /data/pgsql), and
# nothing when none does: a copy of the tree it really lies in must leave the live
# database out.
_realdir() {
	_rp=$(cd -P "$1" 2>/dev/null && pwd -P)
	[ -n "$_rp" ] && [ "$_rp" != "$1" ] && printf 'real\t%s\n' "$_rp"
	return 0
}

_data_mysql_datadir() {
	# The last --datadir= and --defaults-file= of the command line, read here where
	# a sed and a tail each cost a process.
	_args=$(_data_mysqld_args)
	_dd=
	_df=
	set -f
	_o=$IFS
	IFS=$_NL
	for _a in $_args; do
		case $_a in
		--datadir=*) _dd=${_a#--datadir=} ;;
		--defaults-file=*) _df=${_a#--defaults-file=} ;;
		esac
	done
	IFS=$_o
	set +f
	if [ -z "$_dd" ] && [ -n "$_df" ]; then
		_dd=$(_text_out "$_df" | _data_mycnf_datadir)
	elif [ -z "$_dd" ]; then
		_dd=$(cat /etc/my.cnf /etc/mysql/my.cnf /etc/my.cnf.d/*.cnf /etc/mysql/conf.d/*.cnf /etc/mysql/mariadb.conf.d/*.cnf /etc/mysql/mysql.conf.d/*.cnf 2>/dev/null | _data_mycnf_datadir)
	fi
	[ -n "$_dd" ] || _dd=/var/lib/mysql
	_dd=${_dd%/}
	printf 'datadir\t%s\n' "$_dd"
	if [ ! -d "$_dd" ]; then
		echo "$_dd: No such file or directory" >&2
		return 2
	fi
	if [ ! -r "$_dd" ] || [ ! -x "$_dd" ]; then
		echo "$_dd: Permission denied" >&2
		return 1
	fi
	_realdir "$_dd"
	_entries "$_dd" | head -n 5000
	# The databases, and the walk that measures them all with the datadir while
	# du runs here, directory by directory, reading each sum as it comes.
	set -- "$_dd/"
	_n=0
	for _f in "$_dd"/*; do
		[ -d "$_f" ] && [ ! -L "$_f" ] || continue
		_n=$((_n + 1))
		[ "$_n" -gt 1000 ] && break
		set -- "$@" "$_f/"
	done
	_find_printf
	_apparent_walk "$@" | {
		_k=$(du -sk "$_dd/" 2>/dev/null)
		IFS= read -r _s || exit 0
		printf 'total\t%s\t%s\n' "${_k%%[!0-9]*}" "$_s"
		shift
		_bad=0
		for _f in "$@"; do
			_f=${_f%/}
			if _k=$(du -sk "$_f" 2>/dev/null); then
				printf 'size\t%s\t%s\n' "${_k%%[!0-9]*}" "${_f##*/}"
			else
				_bad=1
			fi
			IFS= read -r _s || exit 0
			printf 'apparent\t%s\t%s\n' "$_s" "${_f##*/}"
		done
		if [ "$_bad" = 1 ]; then
			echo "du: cannot read some database directories: Permission denied" >&2
			exit 1
		fi
		exit 0
	}
}

# _data_pg_version prints "path<TAB>postgres --version" for every server binary of
# the RHEL, PGDG and Debian layouts; postgres answers --version even as root.
_data_pg_version() {
	_df=
	for _dp in /usr/bin/postgres /usr/lib/postgresql/*/bin/postgres /usr/pgsql-*/bin/postgres /usr/local/pgsql/bin/postgres; do
		[ -f "$_dp" ] && [ -x "$_dp" ] || continue
		_df=1
		printf '%s\t' "$_dp"
		"$_dp" --version 2>&1 | head -n 1
	done
	if [ -z "$_df" ]; then
		echo "postgres: not found" >&2
		return 127
	fi
	return 0
}

# _data_pg_datadirs prints "datadir<TAB>path" per data directory found, then
# "size<TAB>KB<TAB>oid" per database directory under base/, or "denied<TAB>path".
_data_pg_datadirs() {
	_df=
	_bad=0
	for _dd in /var/lib/pgsql/data /var/lib/pgsql/*/data /var/lib/postgresql/*/main /usr/local/pgsql/data; do
		[ -d "$_dd" ] || continue
		_df=1
		printf 'datadir\t%s\n' "$_dd"
		_realdir "$_dd"
		if [ ! -r "$_dd/base" ] || [ ! -x "$_dd/base" ]; then
			printf 'denied\t%s\n' "$_dd"
			_bad=1
			continue
		fi
		_n=0
		for _f in "$_dd"/base/*; do
			[ -d "$_f" ] || continue
			_n=$((_n + 1))
			[ "$_n" -gt 1000 ] && break
			if _k=$(du -sk "$_f" 2>/dev/null); then
				printf 'size\t%s\t%s\n' "${_k%%[!0-9]*}" "${_f##*/}"
			fi
		done
	done
	if [ -z "$_df" ]; then
		echo "no PostgreSQL data directory in the standard places" >&2
		return 2
	fi
	if [ "$_bad" = 1 ]; then
		echo "a data directory could not be read: Permission denied" >&2
		return 1
	fi
	return 0
}
# --- end data ---
# --- files ---
# _cmd_keep VAR NAME LIMIT TIMEOUT NEEDS EXEC COMMAND is _cmd for an unfiltered
# command whose answer a later step needs too (Step.Keep): the same item, and its
# output, when whole, kept in VAR, so the later step need not run the command
# again. Whole: the command ended with status 0 within its time and its last line,
# "# done", went through head. The output goes out once the command has ended, from
# a command substitution, which drops a NUL byte: these commands print digests,
# paths and filtered text. The substitution holds the output, then the note _cmd
# would write, then a marker and "STATUS RC": the shell takes a long string apart
# only from the end its patterns scan cheaply (${x##*M} costs what follows M times
# the whole).
_cmd_keep() {
	_ckv=$1
	shift
	eval "$_ckv="
	_begin "cmd $2 $1 $6"
	if [ -n "$4" ] && ! command -v "$4" >/dev/null 2>&1; then
		_end absent 127
		return 1
	fi
	_cl=$2
	_ct=$3
	_cx=$5
	_cs=$6
	_res=$(_cmd_kept 5>&1)
	_ckt=${_res##*"$_B-kept "}
	_res=${_res%"$_B-kept "*}
	# No marker: the subshell died, as _cmd reads a missing status.
	case $_ckt in ok\ [0-9]* | timeout\ [0-9]*) ;; *) _ckt="ok 255" ;; esac
	printf '%s' "$_res"
	_end "${_ckt% *}" "${_ckt#* }"
	[ "$_ckt" = "ok 0" ] || return 1
	_res=${_res%"$_NL$_B S$_NL"*}
	case $_res in "# done$_NL" | *"$_NL# done$_NL") eval "$_ckv=\$_res" ;; esac
	return 0
}

# _cmd_kept writes the output of _cmd_keep's command (on fd 5), the note, the marker
# and "STATUS RC". (A function: posh misparses a case statement in a command
# substitution.)
_cmd_kept() {
	_ckr=$(
		{
			_cmd_wait 5>&- | head -c $((_cl + 1)) >&5
		} 3>&1
	)
	_ckc=${_ckr##*"$_B-rc="}
	case $_ckc in '' | *[!0-9]*) _ckc=255 ;; esac
	_cke=${_ckr%%"$_B-"*}
	[ -n "$_cke" ] && _note "$(printf '%.4096s' "$_cke")"
	_ckt=ok
	case $_ckr in *"$_B-timeout"*) _ckt=timeout ;; esac
	printf '%s-kept %s %s' "$_B" "$_ckt" "$_ckc"
}

# _files_again KEPT COMMAND...: what an earlier step kept (_cmd_keep), or, when it
# kept nothing, COMMAND's output, computed again.
_files_again() {
	if [ -n "$1" ]; then
		printf '%s' "$1"
	else
		shift
		"$@"
	fi
}

# Names whose content never leaves the host, not even through the secret filter:
# private keys and key stores (*.key, *.pem holding a private key, *.p12, *.pfx,
# *.jks, *.keytab, PuTTY's and OpenSSH's private keys, GnuPG's secret ring, Ceph's
# keyrings), password hashes, the files whose lines are bare credentials the filter
# cannot recognise ("user:$apr1$..." in an htpasswd, "[relay]:587 user:pw" in
# sasl_passwd, "user * pw" in chap-secrets, "machine h login u password p" in a
# .netrc, "host:port:db:user:pw" in a .pgpass), symmetric keys (NTP's and chrony's
# *keys files, rndc's and TSIG's), client credential files (.my.cnf, debian.cnf,
# *credentials*, *secret*) and NetworkManager's connections (Wi-Fi and VPN
# secrets). A copy an upgrade or an editor left beside one (.dpkg-dist, .rpmsave,
# .bak, ~) is the same file. Digests of them are harmless and still taken.
_files_secret() {
	_fsp=$1
	case $_fsp in
	*.dpkg-dist | *.dpkg-old | *.dpkg-new | *.dpkg-bak | *.ucf-dist | *.ucf-old | *.ucf-new | *.rpmnew | *.rpmsave | *.rpmorig | *.orig | *.bak | *.old | *.save | *.backup) _fsp=${_fsp%.*} ;;
	*~) _fsp=${_fsp%?} ;;
	esac
	case $_fsp in
	/etc/ssh/ssh_host_*_key | *.key | *keys | *.keyring | *.p12 | *.pfx | *.jks | *.keystore | *.keytab | *.ppk | */id_rsa | */id_dsa | */id_ecdsa | */id_ed25519 | *secring* | */private/* | /etc/shadow* | /etc/gshadow* | /etc/security/opasswd | *secret* | *passwd* | *htdigest* | *credentials* | */.pgpass | */.my.cnf | */debian.cnf | */.netrc | */system-connections/*)
		return 0
		;;
	*.pem)
		grep -e 'PRIVATE KEY-----' "$1" >/dev/null 2>&1 && return 0
		;;
	esac
	return 1
}

# _files_run is awk's run(PROG, NAME, N): PROG over NAME[1..N], with its errors, in
# as few runs as the arguments allow: a run's command line and environment stay
# under 124 KiB (old kernels bound them together to 128 KiB, new ones a single
# argument, the sh -c command, to as much). One sh and PROG a run, where xargs made a
# third process. No name holds a blank, quote or backslash: its caller reported
# those "odd", as xargs would mangle them; an empty one is skipped, as xargs skips a
# blank line.
_files_run='
function run(prog, name, n,   i, a, max, k) {
	max = 126976
	for (k in ENVIRON) max -= length(k) + length(ENVIRON[k]) + 2
	a = ""
	for (i = 1; i <= n; i++) {
		if (name[i] != "") a = a " '"'"'" name[i] "'"'"'"
		if (a != "" && (max < length(a) || i == n)) {
			fflush()
			system(prog a " 2>&1")
			a = ""
		}
	}
}'

# _files_xargs PROGRAM [HASHFILE] runs PROGRAM over the paths on standard input, then
# those of HASHFILE's "MD5  PATH" lines (ucf's: awk reads them where a sed did),
# reporting a path xargs would mangle (blanks, quotes, backslashes) as "odd" instead.
# Errors go to
# standard output: "No such file" is how a missing file shows. awk prints its own
# lines first and starts PROGRAM only then: two writers on one pipe would tear each
# other's lines where their buffers end.
_files_xargs() {
	awk -v prog="$1" '
	FILENAME != "-" {
		if (substr($0, 1, 32) !~ /^[0-9a-f]+$/ || length($0) < 33 || substr($0, 33, 1) != " ") next
		$0 = substr($0, 33)
		sub(/^  */, "")
	}
	/[ \t"'"'"'\\]/ { print "odd\t" $0; next }
	{ p[++n] = $0 }
	END { run(prog, p, n) }'"$_files_run" - ${2:+"$2"}
}

# dpkg: the md5sums lines for /etc (expected digests of files that are not
# conffiles, each after its list's name), then the current digest of every conffile
# (dpkg's status lists them with theirs) and of those files. One awk reads the status
# and the lists, where grep, awk, grep and sed did.
_files_dpkg_sums() {
	set -- /var/lib/dpkg/status /var/lib/dpkg/info/*.md5sums
	[ -f "$2" ] || set -- "$1"
	awk '
	function take(l) {
		if (l ~ /[ \t"'"'"'\\]/) odd[++nodd] = l
		else p[++n] = l
	}
	FILENAME == ARGV[1] && /^Conffiles:/ { c = 1; next }
	FILENAME == ARGV[1] && c && /^ / {
		l = $0
		sub(/ (obsolete|newconffile|remove-on-upgrade)$/, "", l)
		sub(/ [^ ]*$/, "", l)
		sub(/^ /, "", l)
		take(l)
		next
	}
	FILENAME == ARGV[1] { c = 0; next }
	index($0, " etc/") {
		print FILENAME ":" $0
		l = $0
		sub(/^[0-9a-f]*  */, "/", l)
		sums[++ns] = l
	}
	END {
		for (i = 1; i <= ns; i++) take(sums[i])
		for (i = 1; i <= nodd; i++) print "odd\t" odd[i]
		run("md5sum", p, n)
	}'"$_files_run" "$@"
	echo '# done'
}

# Regular files under /etc that no package lists (nor a diversion names), at most the
# first 20000 find meets (awk stops reading there, as head did); with "paths", only
# the paths, for the content step.
_files_dpkg_unowned() {
	_fuo=${1:-}
	set -- /var/lib/dpkg/info/*.list
	[ -f /var/lib/dpkg/diversions ] && set -- "$@" /var/lib/dpkg/diversions
	find /etc -xdev -type f 2>/dev/null | awk -v only="$_fuo" '
	FILENAME != "-" { owned[$0] = 1; next }
	20000 < ++n { n--; exit }
	!($0 in owned) { print }
	END { if (only == "") print "# checked " n + 0 " files" }' "$@" -
	[ -n "$_fuo" ] || echo '# done'
}

# rpm: every config file with its package's digest (MD5 before EL7, SHA-256 after:
# told apart by length), and its current digest. FILEFLAGS is odd for %config.
# %{=NAME} repeats the package's name for each file: rpm 4.18 refuses a plain
# %{NAME} in an array iterator ("array iterator used with different sized arrays")
# and so printed only the packages of a single file.
_files_rpm_sums() {
	rpm -qa --qf '[%{FILEFLAGS}\t%{FILEMD5S}\t%{=NAME}\t%{FILENAMES}\n]' | awk -F'\t' '
	$1 % 2 != 1 || $2 == "" || $2 == "(none)" { next }
	{ print "conf\t" $3 "\t" $2 "\t" $4 }
	$4 ~ /[ "'"'"'\\]/ { print "odd\t" $4; next }
	length($2) == 32 { m[++nm] = $4; next }
	length($2) == 64 { s[++ns] = $4; next }
	{ print "odd\t" $4 }
	END {
		run("md5sum", m, nm)
		run("sha256sum", s, ns)
	}'"$_files_run"
	echo '# done'
}

# rpm: regular files under /etc no package owns, as rpm -qf says.
_files_rpm_unowned() {
	find /etc -xdev -type f 2>/dev/null | head -n 20000 | _files_xargs 'rpm -qf' | awk '
	{ n++ }
	/is not owned by any package/ || /^odd\t/ { print }
	END { print "# checked " n + 0 " files" }'
	echo '# done'
}

# The paths whose digest differs from their package's: reads a sums stream (dpkg's
# status first for dpkg, the conf lines for rpm) and prints the changed paths.
_files_changed() {
	awk '
	FILENAME != "-" && /^Conffiles:/ { c = 1; next }
	FILENAME != "-" && c && /^ / {
		l = $0
		if (l ~ / obsolete$/) next
		sub(/ (newconffile|remove-on-upgrade)$/, "", l)
		m = l; sub(/.* /, "", m)
		sub(/ [^ ]*$/, "", l); sub(/^ /, "", l)
		want[l] = m
		next
	}
	FILENAME != "-" { c = 0; next }
	/^conf\t/ { split($0, f, "\t"); want[f[4]] = f[3]; next }
	/^\/var\/lib\/dpkg\/info\/.*\.md5sums:/ { sub(/^[^:]*:/, ""); m = $1; sub(/^[^ ]*  */, "/"); want[$0] = m; next }
	/^[0-9a-f]+  / { m = $1; sub(/^[^ ]*  /, ""); if (($0 in want) && want[$0] != m) print; next }
	' "$@" -
}

# _files_content LIMIT MAX FAMILY [PATH=TEMPLATE ...]: for each path on standard
# input, its content through the secret filter, length-prefixed (F, bytes, path), or
# why not (N, path, reason); then, for a file whose content went, the copies of its
# packaged version the host keeps (see _files_facts and _files_copy).
_files_content() {
	if [ -z "${_fbatch:-}" ]; then
		_batch_files_content "$@"
		return 0
	fi
	_fn=0
	_fcn=0
	_flim=$1
	_fmax=$2
	_ffam=$3
	shift 3
	_files_facts "$@" | while IFS= read -r _fsz && IFS= read -r _p; do
		# The copies' facts are read whatever becomes of the file: they follow it.
		_fcb=
		while IFS= read -r _fcl && [ "$_fcl" != . ]; do
			_fcb="$_fcb$_fcl$_NL"
		done
		case $_p in /*) ;; *) continue ;; esac
		_fn=$((_fn + 1))
		if [ "$_fn" -gt "$_fmax" ]; then
			printf 'N\t%s\tover the cap of %s files\n' "$_p" "$_fmax"
			continue
		fi
		_files_one "$_p" "$_fsz" && _files_copies "$_p"
	done
	echo '# done'
}

# _files_facts [PATH=TEMPLATE ...] writes each line of standard input as its size in
# bytes (when it is one of the first _fmax absolute paths and a readable regular
# file; "-" when not known) and the line itself, then what _files_copy needs of each
# copy of that file's packaged version the host may keep, in the order they are
# reported: three lines, "KIND SIZE MD5 SHA256", "=LINES" (the D record's numbers of
# the file's lines the copy lacks) and the copy's path; then ".". The copies are, by
# _ffam: dpkg's and ucf's copies of the version an upgrade did not install over an
# edited file, ucf's own copy of what it installed (its cache names a file by its path
# with each "/" a ":"), the template an install script writes the file from (the
# PATH=TEMPLATE arguments); rpm's .rpmnew; and for a copy an upgrade moved aside
# (.dpkg-old, .ucf-old, .rpmsave, .rpmorig), the file now in force.
# One sh runs one wc over all the files and copies, one md5sum and one sha256sum over
# the copies, where a wc per 64 files and four processes per copy (md5sum, sha256sum,
# wc, awk) were the content step's cost. A fact not known is "-": a name a program
# prints otherwise than it was given (a wc or md5sum that escapes odd characters), a
# copy on a network filesystem (not read here, it could hang), a copy or file over
# LIMIT bytes or a copy whose name holds a backslash (no D record goes for it); then
# _files_copy and _files_one ask again for that file alone, as they did for every file.
# The commands' arguments stay within 64 KiB: old kernels bound arguments and
# environment together to 128 KiB.
_files_facts() {
	_ftl=
	for _ft in "$@"; do
		_ftl="$_ftl$_ft$_NL"
	done
	_ftl=$_ftl _fnm=${_netm:-} awk -v max="$_fmax" -v lim="$_flim" -v fam="$_ffam" '
	function quote(s,   q, i) {
		q = ""
		while (0 < (i = index(s, "'"'"'"))) {
			q = q substr(s, 1, i - 1) "'"'"'\\'"'"''"'"'"
			s = substr(s, i + 1)
		}
		return " '"'"'" q s "'"'"'"
	}
	function onnet(p,   i) {
		for (i = 1; i <= nnet; i++) if (p == net[i] || index(p, net[i] "/") == 1) return 1
		return 0
	}
	function copy(kind, c) {
		k = ++nc[n]
		ckind[n, k] = kind
		cpath[n, k] = c
		if (onnet(c)) return
		want[c] = 1
		ca = ca quote(c)
	}
	function facts(   cmd, l, nm, s) {
		if (pa == "" && ca == "") return
		cmd = "{ "
		if (pa != "") cmd = cmd "for f in" pa "; do [ -f \"$f\" ] && [ -r \"$f\" ] && set -- \"$@\" \"$f\"; done; "
		cmd = cmd "n=$#; "
		if (ca != "") cmd = cmd "for f in" ca "; do [ -f \"$f\" ] && [ -r \"$f\" ] && set -- \"$@\" \"$f\"; done; "
		cmd = cmd "[ $# = 0 ] || wc -c \"$@\"; echo @; shift $n; [ $# = 0 ] || md5sum \"$@\"; echo @; "
		cmd = cmd "[ $# = 0 ] || ! command -v sha256sum >/dev/null || sha256sum \"$@\"; } 2>/dev/null"
		s = 0
		while (0 < (cmd | getline l)) {
			if (l == "@") {
				s++
				continue
			}
			if (s == 0) {
				sub(/^[ \t]*/, "", l)
				nm = l
				sub(/^[0-9][0-9]* /, "", nm)
				sub(/ .*/, "", l)
				if ((nm in want) && l ~ /^[0-9][0-9]*$/) size[nm] = l
			} else if (l ~ /^[0-9a-f][0-9a-f]*  /) {
				nm = l
				sub(/^[^ ]*  /, "", nm)
				sub(/ .*/, "", l)
				if (nm in want) {
					if (s == 1) md5[nm] = l
					else sha[nm] = l
				}
			}
		}
		close(cmd)
		pa = ""
		ca = ""
	}
	function known(a, p) { return (p in a) ? a[p] : "-" }
	# The numbers of the lines of file p that copy c lacks, as _files_copy gave them.
	function lines(p, c,   l, r, i, out, cut, nl) {
		split("", have)
		while (0 < (r = (getline l < c))) have[l] = 1
		close(c)
		if (r < 0) return "-"
		out = ""
		nl = 0
		i = 0
		while (0 < (r = (getline l < p))) {
			i++
			if (!(l in have)) {
				if (nl++ < 2000) out = out " " i
				else cut = 1
			}
		}
		close(p)
		if (r < 0) return "-"
		if (cut) out = out " +"
		return "=" out
	}
	BEGIN {
		nnet = 0
		n = split(ENVIRON["_fnm"], m, "\n")
		for (i = 1; i <= n; i++) if (m[i] != "") net[++nnet] = m[i]
		nt = split(ENVIRON["_ftl"], tmpl, "\n")
		n = 0
	}
	{ line[++n] = $0 }
	/^\// && ++abs <= max {
		p = $0
		want[p] = 1
		pa = pa quote(p)
		if (fam == "dpkg") {
			copy("dpkg-dist", p ".dpkg-dist")
			copy("ucf-dist", p ".ucf-dist")
			c = p
			gsub(/\//, ":", c)
			copy("ucf-cache", "/var/lib/ucf/cache/" c)
			for (t = 1; t <= nt; t++) if (index(tmpl[t], p "=") == 1) copy("template", substr(tmpl[t], length(p) + 2))
			if (p ~ /\.(dpkg-old|ucf-old)$/) {
				c = p
				sub(/\.[^.]*$/, "", c)
				copy("in-force", c)
			}
		} else if (fam == "rpm") {
			copy("rpmnew", p ".rpmnew")
			if (p ~ /\.(rpmsave|rpmorig)$/) {
				c = p
				sub(/\.[^.]*$/, "", c)
				copy("in-force", c)
			}
		}
		if (65536 < length(pa) + length(ca)) facts()
	}
	END {
		facts()
		for (i = 1; i <= n; i++) {
			p = line[i]
			print known(size, p)
			print p
			for (k = 1; k <= nc[i]; k++) {
				c = cpath[i, k]
				d = "-"
				if ((p in size) && size[p] + 0 <= lim + 0 && (c in size) && size[c] + 0 <= lim + 0 && !index(c, "\\") && !onnet(p)) d = lines(p, c)
				print ckind[i, k] " " known(size, c) " " known(md5, c) " " known(sha, c)
				print d
				print c
			}
			print "."
		}
	}'
}

# _files_one PATH [SIZE]: the F or N record of one file; true when its content went.
# SIZE is its size when _files_facts took it.
_files_one() {
	if _files_secret "$1"; then
		printf 'N\t%s\tsecret\n' "$1"
	elif [ ! -f "$1" ]; then
		printf 'N\t%s\tnot a regular file\n' "$1"
	elif [ ! -r "$1" ]; then
		printf 'N\t%s\tunreadable\n' "$1"
	elif _onnet "$1"; then
		printf 'N\t%s\ton a network filesystem\n' "$1"
	else
		case ${2:--} in
		*[!0-9]*) _fs=$(wc -c <"$1" 2>/dev/null) ;;
		*) _fs=$2 ;;
		esac
		_fs=$((${_fs:-0} + 0))
		if [ "$_fs" -gt "$_flim" ]; then
			printf 'N\t%s\ttoo large (%s bytes)\n' "$1" "$_fs"
			return 1
		fi
		# In a batch, the text is filtered with the others' (_batch_files_content).
		if [ -n "${_fbatch:-}" ]; then
			printf '%s-F %s\n' "$_B" "$1"
			return 0
		fi
		_fc=$(_redact <"$1"; echo x)
		_fc=${_fc%x}
		printf 'F\t%s\t%s\n%s\n' "${#_fc}" "$1" "$_fc"
		return 0
	fi
	return 1
}

# _files_copies PATH sends the copies _files_facts found for PATH (in _fcb).
_files_copies() {
	_fco=$IFS
	IFS=$_NL
	set -f
	_fcs=0
	for _fce in $_fcb; do
		case $_fcs in
		0)
			_fck=$_fce
			_fcs=1
			;;
		1)
			_fcd=$_fce
			_fcs=2
			;;
		*)
			# set -f holds: the facts are split, never globbed.
			IFS=$_fco
			_files_copy "$1" "$_fce" "$_fcd" $_fck
			IFS=$_NL
			set -f
			_fcs=0
			;;
		esac
	done
	IFS=$_fco
	set +f
}

# _files_copy PATH COPY LINES KIND SIZE MD5 SHA256: "C PATH KIND COPY MD5 SHA256" (a
# digest that could not be taken is "-"), COPY's F or N record, and "D PATH COPY"
# with the numbers of PATH's lines that do not appear in COPY as they are: whether a
# setting whose value the secret filter hid was changed is decided here, on the
# host, and only that answer leaves it. A fact _files_facts did not know ("-") is
# taken here, for this copy alone.
_files_copy() {
	[ -f "$2" ] || return 0
	_fcn=$((_fcn + 1))
	[ "$_fcn" -gt "$_fmax" ] && return 0
	if [ ! -r "$2" ] || _onnet "$2"; then
		printf 'C\t%s\t%s\t%s\t-\t-\n' "$1" "$4" "$2"
		printf 'N\t%s\tunreadable\n' "$2"
		return 0
	fi
	_fm=$6
	if [ "$_fm" = - ]; then
		_fm=$(md5sum <"$2" 2>/dev/null)
		_fm=${_fm%% *}
	fi
	_fh=$7
	if [ "$_fh" = - ]; then
		_fh=
		command -v sha256sum >/dev/null 2>&1 && _fh=$(sha256sum <"$2" 2>/dev/null)
		_fh=${_fh%% *}
	fi
	printf 'C\t%s\t%s\t%s\t%s\t%s\n' "$1" "$4" "$2" "${_fm:--}" "${_fh:--}"
	_files_one "$2" "$5" || return 0
	# awk -v would read a backslash in the name as an escape.
	case $2 in *'\'*) return 0 ;; esac
	printf 'D\t%s\t%s\t' "$1" "$2"
	case $3 in
	=*)
		printf '%s\n' "${3#=}"
		return 0
		;;
	esac
	awk -v c="$2" '
	FILENAME == c { have[$0] = 1; next }
	!($0 in have) { if (n++ < 2000) printf " %d", FNR; else cut = 1 }
	END { if (cut) printf " +"; print "" }' "$2" "$1" 2>/dev/null || echo
}

# _files_dpkg_content LIMIT MAX [PATH=TEMPLATE ...]
_files_dpkg_content() {
	_fl1=$1
	_fl2=$2
	shift 2
	{
		_files_again "${_kept_files_dpkg_sums:-}" _files_dpkg_sums | _files_changed /var/lib/dpkg/status
		if [ -n "${_kept_files_dpkg_unowned:-}" ]; then
			printf '%s' "${_kept_files_dpkg_unowned%"# checked "*}"
		else
			_files_dpkg_unowned paths
		fi
	} | _files_content "$_fl1" "$_fl2" dpkg "$@"
}

_files_rpm_content() {
	{
		_files_again "${_kept_files_rpm_sums:-}" _files_rpm_sums | _files_changed
		_files_again "${_kept_files_rpm_unowned:-}" _files_rpm_unowned | sed -n 's/^file \(.*\) is not owned by any package$/\1/p'
	} | _files_content "$1" "$2" rpm
}

# _files_generated PATH...: the md5 digests of the files package scripts write that
# no package lists, and of their templates: the PATHs (trowel's table) and every file
# ucf manages (its hashfile holds the digest of what it installed).
_files_generated() {
	_fhf=/var/lib/ucf/hashfile
	[ -r "$_fhf" ] || _fhf=
	printf '%s\n' "$@" | _files_xargs md5sum $_fhf
	echo '# done'
}

# The lines of the packages' install scripts that name a path under /etc, to tell
# which file no package lists was written by which package's script: "P PACKAGE",
# then "L LINE" per line (a line continued with a backslash is joined, and cut at
# 1000 bytes), and "C" after P for a script that takes debconf's answers. dpkg:
# each package's postinst.
_files_dpkg_scripts() {
	set -- /var/lib/dpkg/info/*.postinst
	[ -f "$1" ] && awk '
	FNR == 1 {
		p = FILENAME
		sub(/.*\//, "", p)
		sub(/\.postinst$/, "", p)
		sub(/:.*/, "", p)
		held = ""
		shown = 0
	}
	'"$_files_script_lines" "$@"
	echo '# done'
}

# rpm: each package's %post scriptlet.
_files_rpm_scripts() {
	rpm -qa --qf '@@trowel@@ %{NAME}\n%{POSTIN}\n' | awk '
	/^@@trowel@@ / {
		p = substr($0, 12)
		held = ""
		shown = 0
		next
	}
	'"$_files_script_lines"
	echo '# done'
}

_files_script_lines='
{
	l = $0
	if (held != "") {
		l = held " " l
		held = ""
	}
	if (l ~ /\\$/ && length(l) < 4000) {
		held = substr(l, 1, length(l) - 1)
		next
	}
}
index(l, "/usr/share/debconf/confmodule") {
	if (!shown) print "P\t" p
	shown = 1
	print "C"
	next
}
index(l, "/etc/") {
	if (!shown) print "P\t" p
	shown = 1
	print "L\t" substr(l, 1, 1000)
}'

# Software outside the package manager: every tree under /usr/local, /opt, /srv and
# /var/www, and the homes of accounts that cannot log in (service accounts) outside
# the system's own directories. Per tree: T path; S files bytes newest-mtime (at most
# 10000 files counted); M marker paths; X elf|script|other for a few executables.
# A find that has -printf (GNU's, CentOS 5's 4.2.27 too) walks several trees at once
# for all three (see _files_trees_walk); one without (busybox) walks each three times.
_files_trees() {
	_files_find_printf
	set -- /usr/local/* /opt/* /srv/* /var/www/* /var/lib/gems/*
	# The homes whose shell is nologin or false, read here where awk costs a process.
	while IFS=: read -r _u _p _i _g _c _d _s _r || [ -n "$_u" ]; do
		case $_s in
		*nologin | *false) ;;
		*) continue ;;
		esac
		case $_d in
		'' | / | /nonexistent | /dev | /dev/* | /proc | /bin | /sbin | /usr | /usr/* | /var | /var/spool/* | /var/lib/* | /var/cache/* | /var/run/* | /run | /run/* | /var/empty | /var/empty/* | /var/www | /var/www/* | /srv | /srv/* | /opt | /opt/* | /tmp | /root | /etc | /etc/* | /var/backups | /var/mail | /var/log | /var/log/*)
			continue
			;;
		esac
		set -- "$@" "$_d"
	done 2>/dev/null </etc/passwd
	_files_trees_walk "$@"
	echo '# done'
}

# _files_trees_walk TREE... prints what _files_tree prints of each TREE, in order.
# Where find has -printf, one find walks a run of trees and awk tells them apart by
# find's %H; a tree whose name %H cannot carry (a tab, a newline, not absolute) or
# that the run already holds is walked alone. A tree cut at its 10001st file or
# holding a name with a newline stops the run there, as its own walk stopped, so
# the trees after it are walked by the next find and a huge tree bounds only itself.
_files_trees_walk() {
	for _d in "$@"; do
		shift
		[ -d "$_d" ] && [ ! -L "$_d" ] || continue
		_onnet "$_d" && continue
		set -- "$@" "$_d"
	done
	while [ $# -gt 0 ]; do
		_fk=0
		_fb=$_NL
		if [ -n "$_ftf" ]; then
			for _d in "$@"; do
				case $_d in
				*"$_NL"* | *"$_TAB"* | [!/]*) break ;;
				esac
				case $_fb in
				*"$_NL$_d$_NL"*) break ;;
				esac
				_fb=$_fb$_d$_NL
				_fk=$((_fk + 1))
			done
		fi
		if [ "$_fk" = 0 ]; then
			_files_tree "$1"
			shift
			continue
		fi
		{ _fj=$(_files_tree_walk %H "$_fk" "$@" 3>&1 >&6); } 6>&1
		case $_fj in
		'' | *[!0-9]*) return 0 ;;
		esac
		shift "$_fj"
	done
}

# _files_find_printf sets _ftf when find prints what _files_tree asks of -printf.
_files_find_printf() {
	_ftf=
	case $(find / -maxdepth 0 -printf '%H %d %m %s %T@' 2>/dev/null) in
	'/ 0 '[0-7]*' '[0-9]*' '[0-9]*) _ftf=1 ;;
	esac
}

_files_tree() {
	[ -d "$1" ] && [ ! -L "$1" ] || return 0
	_onnet "$1" && return 0
	if [ -n "$_ftf" ]; then
		_files_tree_walk . 1 "$1" 3>/dev/null
		return 0
	fi
	printf 'T\t%s\n' "$1"
	_files_tree_sizes "$1"
	_files_tree_marks "$1"
}

# _files_tree_walk H K TREE... walks the first K TREEs with one find and prints their
# lines, and on fd 3 how many of them it finished. H is %H, or "." for one tree whose
# name find's line cannot carry. The walk prints each regular file (tree, depth,
# mode, size, mtime, path) and each marker (tree, depth, path); awk stops it at a
# tree's 10001st file, as head did. What it cannot answer as the three walks did is
# asked of them: a name holding a newline (the walks read it as two lines) makes awk
# say "redo"; a walk cut short, "cut", since the markers and executables of the
# other walks lie within depth 3 and 2 of the whole tree.
_files_tree_walk() {
	_fh=$1
	_fk=$2
	shift 2
	_i=0
	for _d in "$@"; do
		shift
		_i=$((_i + 1))
		[ "$_i" -le "$_fk" ] && set -- "$@" "$_d"
	done
	set -f
	find "$@" -xdev \( -path "*$_NL*" -printf "n\t$_fh\n" \) -o \( \( $_files_markers \) -printf "m\t$_fh\t%d\t%p\n" -o -true \) -type f -printf "f\t$_fh\t%d\t%m\t%s\t%T@\t%p\n" 2>/dev/null | if [ "$_fh" = %H ]; then
		awk "$_files_tree_awk" "$@"
	else
		awk "$_files_tree_awk" .
	fi | {
		_xs=
		while IFS= read -r _l; do
			case $_l in
			'x '*)
				_xs=$_xs${_l#x }$_NL
				continue
				;;
			esac
			[ -n "$_xs" ] && _files_exes "$_xs"
			_xs=
			case $_l in
			'T	.')
				_t=$1
				printf 'T\t%s\n' "$_t"
				;;
			'T	'*)
				_t=${_l#T	}
				printf '%s\n' "$_l"
				;;
			redo)
				_files_tree_sizes "$_t"
				_files_tree_marks "$_t"
				;;
			cut) _files_tree_marks "$_t" ;;
			'next '*) echo "${_l#next }" >&3 ;;
			*) printf '%s\n' "$_l" ;;
			esac
		done
		[ -n "$_xs" ] && _files_exes "$_xs"
	}
	set +f
}

# _files_exes LIST prints the X line of each executable of LIST (one a line): from
# one head, od and awk (_files_kinds) for four or more, where it costs fewer programs
# than an od each.
_files_exes() {
	set -f
	_xo=$IFS
	IFS=$_NL
	set -- $1
	IFS=$_xo
	set +f
	if [ $# -ge 4 ] && _xk=$(_files_kinds "$@"); then
		for _x in "$@"; do
			_xl=${_xk%%"$_NL"*}
			_xk=${_xk#*"$_NL"}
			printf 'X\t%s\t%s\n' "${_xl%%	*}" "$_x"
		done
		return 0
	fi
	for _x in "$@"; do
		_files_exe "$_x"
	done
}

# _files_tree_awk reads _files_tree_walk's find, the trees its arguments, and prints
# per tree T, S, the M lines and "x PATH" per executable to look into, or T and redo,
# or T, S and cut; then "next N", the trees it finished.
_files_tree_awk='
function exe(m,   v, i) {
	v = 0
	for (i = 1; i <= length(m); i++) v = v * 8 + substr(m, i, 1)
	return int(v / 64) % 2
}
function finish(   i) {
	printf "T\t%s\nS\t%d\t%.0f\t%d\n", t[k], n, b, m
	for (i = 1; i <= nm; i++) print "M\t" mark[i]
	for (i = 1; i <= nx; i++) print "x " x[i]
	fflush()
	k++
	n = b = m = seen = nm = nx = 0
}
# at(H) finishes the trees before H, which printed nothing; 0 if H is none ahead.
function at(h,   j) {
	if (h == t[k]) return 1
	for (j = k + 1; j <= nt && t[j] != h; j++) ;
	if (nt < j) return 0
	while (k < j) finish()
	return 1
}
BEGIN {
	for (i = 1; i < ARGC; i++) {
		t[i] = ARGV[i]
		delete ARGV[i]
	}
	nt = ARGC - 1
	k = 1
}
/^n\t/ {
	split($0, f, "\t")
	if (!at(f[2])) next
	printf "T\t%s\nredo\n", t[k]
	stop = 1
	exit
}
/^m\t/ {
	split($0, f, "\t")
	if (!at(f[2])) next
	if (f[3] <= 3 && nm < 40) {
		p = $0
		sub(/^m\t[^\t]*\t[^\t]*\t/, "", p)
		mark[++nm] = p
	}
	next
}
/^f\t/ {
	split($0, f, "\t")
	if (!at(f[2])) next
	if (10000 < ++seen) {
		printf "T\t%s\nS\t%d\t%.0f\t%d\ncut\n", t[k], n, b, m
		stop = 1
		exit
	}
	p = $0
	sub(/^f\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t/, "", p)
	# As when xargs passed the names to stat: one it would mangle, or a time
	# before 1970, was not counted.
	if (p !~ /[ \t"'"'"'\\]/ && f[6] !~ /^-/) {
		n++
		b += f[5]
		tm = int(f[6])
		if (m < tm) m = tm
	}
	if (f[3] <= 2 && nx < 10 && exe(f[4])) x[++nx] = p
}
END {
	if (!stop) {
		while (k <= nt) finish()
		k = nt
	}
	print "next " k
}'

# The names that mark what a tree holds: a repository, a Ruby, Node, Python, PHP,
# Java or Go project, WordPress, a build; find's words, left unquoted under set -f.
_files_markers='-name .git -o -name Gemfile -o -name config.ru -o -name package.json -o -name pyvenv.cfg -o -name requirements.txt -o -name setup.py -o -name composer.json -o -name pom.xml -o -name go.mod -o -name *.jar -o -name *.war -o -name wp-config.php -o -name Makefile'

# _files_tree_sizes DIR: the S line of at most the first 10000 files of DIR.
_files_tree_sizes() {
	find "$1" -xdev -type f 2>/dev/null | head -n 10000 | _files_xargs 'stat -c "%s %Y"' | awk '
	/^[0-9]+ [0-9]+$/ { n++; b += $1; if (m < $2) m = $2 }
	END { printf "S\t%d\t%.0f\t%d\n", n, b, m }'
}

# _files_tree_marks DIR: the M lines of DIR's first 40 markers within depth 3, and
# the X lines of its first 10 executables within depth 2.
_files_tree_marks() {
	set -f
	find "$1" -maxdepth 3 -xdev \( $_files_markers \) 2>/dev/null | head -n 40 | sed 's/^/M	/'
	set +f
	find "$1" -maxdepth 2 -xdev -type f -perm -100 2>/dev/null | head -n 10 | while IFS= read -r _x; do
		_files_exe "$_x"
	done
}

# _files_exe PATH: the X line of an executable, by its first bytes.
_files_exe() {
	_h=$(od -An -c -N4 "$1" 2>/dev/null)
	case $_h in
	*177*E*L*F*) printf 'X\telf\t%s\n' "$1" ;;
	*'#'*'!'*) printf 'X\tscript\t%s\n' "$1" ;;
	*) printf 'X\tother\t%s\n' "$1" ;;
	esac
}

# Software outside the package manager, by name and version, as the disk says them,
# never reading more than names: G gem home and specification file (gem install),
# P a pip distribution's directory with R the programs its RECORD lists, N an npm
# global module with its package.json's version line, S a source or release tree
# named NAME-VERSION with its build files, and B each command in /usr/local/bin and
# sbin: link (with its target), elf, script (with the gem a RubyGems wrapper loads)
# or other.
_files_software() {
	for _d in /var/lib/gems/* /usr/local/lib/ruby/gems/* /usr/local/share/gems; do
		[ -d "$_d/specifications" ] || continue
		for _f in "$_d"/specifications/*.gemspec; do
			[ -f "$_f" ] && printf 'G\t%s\t%s\n' "$_d" "${_f##*/}"
		done
	done
	for _f in /usr/local/lib/python*/dist-packages/*.dist-info /usr/local/lib/python*/dist-packages/*.egg-info \
		/usr/local/lib/python*/site-packages/*.dist-info /usr/local/lib/python*/site-packages/*.egg-info \
		/usr/local/lib64/python*/site-packages/*.dist-info /usr/local/lib64/python*/site-packages/*.egg-info; do
		[ -e "$_f" ] || continue
		printf 'P\t%s\n' "$_f"
		[ -f "$_f/RECORD" ] && head -n 5000 "$_f/RECORD" 2>/dev/null | awk -F, '$1 ~ /^(\.\.\/)+s?bin\/[^\/]+$/ { print "R\t" $1 }'
	done
	for _f in /usr/local/lib/node_modules/*/package.json /usr/local/lib/node_modules/@*/*/package.json; do
		[ -f "$_f" ] || continue
		_v=$(head -n 100 "$_f" 2>/dev/null | sed -n 's/^[[:space:]]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n 1)
		printf 'N\t%s\t%s\n' "${_f%/package.json}" "$_v"
	done
	for _d in /usr/local/src/* /opt/*; do
		case ${_d##*/} in
		*-[0-9]*) ;;
		*) continue ;;
		esac
		[ -d "$_d" ] && [ ! -L "$_d" ] || continue
		_m=
		for _f in Makefile configure CMakeLists.txt; do
			[ -f "$_d/$_f" ] && _m="$_m $_f"
		done
		printf 'S\t%s\t%s\n' "$_d" "${_m# }"
	done
	_files_bins /usr/local/bin/* /usr/local/sbin/*
	echo '# done'
}

# _files_bins PATH... prints the B line of each command PATH, in order. What every
# regular file's first bytes say comes from one head, one od and one awk
# (_files_kinds); where it cannot, each file is read on its own.
_files_bins() {
	_fb_d=
	_fb_f=
	for _c in "$@"; do
		if [ -L "$_c" ]; then
			_fb_d=${_fb_d}l
		elif [ -f "$_c" ]; then
			_fb_d=${_fb_d}f
			_fb_f=$_fb_f$_c$_NL
		else
			_fb_d=${_fb_d}-
		fi
	done
	_fb_k=
	case "$*" in
	*"$_NL"*) ;;
	*)
		[ -n "$_fb_f" ] && _fb_k=$(
			set -f
			IFS=$_NL
			_files_kinds $_fb_f
		) && _fb_k=$_fb_k$_NL
		;;
	esac
	for _c in "$@"; do
		_fb_c=${_fb_d%"${_fb_d#?}"}
		_fb_d=${_fb_d#?}
		case $_fb_c in
		l)
			printf 'B\t%s\tlink\t' "$_c"
			_rln "$_c"
			continue
			;;
		f) ;;
		*) continue ;;
		esac
		if [ -n "$_fb_k" ]; then
			_h=${_fb_k%%"$_NL"*}
			_fb_k=${_fb_k#*"$_NL"}
			case $_h in
			script*) printf 'B\t%s\tscript\t%s\n' "$_c" "${_h#script	}" ;;
			*) printf 'B\t%s\t%s\t\n' "$_c" "$_h" ;;
			esac
			continue
		fi
		_h=$(od -An -c -N4 "$_c" 2>/dev/null)
		case $_h in
		*177*E*L*F*) printf 'B\t%s\telf\t\n' "$_c" ;;
		*'#'*'!'*)
			printf 'B\t%s\tscript\t%s\n' "$_c" "$(head -c 1024 "$_c" 2>/dev/null | awk "$_files_gem_wrapper")"
			;;
		*) printf 'B\t%s\tother\t\n' "$_c" ;;
		esac
	done
}

# _files_kinds FILE... prints a line per FILE, in order: elf, other, or script, a tab
# and the gem a RubyGems wrapper loads, from its first 1024 bytes as _files_bins reads
# them one by one: od -c's first four bytes (elf: 177 E L F; script: a # before a !)
# and _files_gem_wrapper's lines (a NUL byte left out). head writes the files one
# after another, each after a header line "==> FILE <==" (none for a single file,
# none for one it cannot open, a newline before each but the first): awk reads od's
# bytes back into lines, and fails, printing nothing, when a header line it expects
# is there twice (a file's bytes hold another's header): the files are then read
# one by one.
_files_kinds() {
	head -c 1024 -- "$@" 2>/dev/null | od -An -v -tx1 | awk '
	function piece() {
		if (!cur) bad = 1
		else if (got[cur]++) ct[cur] = ct[cur] "0a" l
		else ct[cur] = l
		l = ""
	}
	function line() {
		if (1 < n && (l in hd)) {
			if (seen[l]++) bad = 1
			cur = hd[l]
			l = ""
			return
		}
		piece()
	}
	function gem(c,   i, s, x, rg) {
		s = ""
		for (i = 1; i <= length(c) + 2; i += 2) {
			x = substr(c, i, 2)
			if (x != "0a" && x != "") {
				s = s ch[x]
				continue
			}
			if (s ~ /This file was generated by RubyGems/) rg = 1
			if (rg && match(s, /bin_path\(.[^,]+,/)) return substr(s, RSTART + 10, RLENGTH - 12)
			s = ""
		}
		return ""
	}
	BEGIN {
		for (i = 1; i < 256; i++) {
			c = sprintf("%c", i)
			x = sprintf("%02x", i)
			hx[c] = x
			ch[x] = c
		}
		n = ARGC - 1
		for (i = 1; i <= n; i++) {
			s = "==> " ARGV[i] " <=="
			h = ""
			for (j = 1; j <= length(s); j++) h = h hx[substr(s, j, 1)]
			hd[h] = i
			delete ARGV[i]
		}
		if (n == 1) cur = 1
	}
	{
		for (j = 1; j <= NF; j++) {
			if ($j == "0a") line()
			else l = l $j
		}
	}
	END {
		if (cur) piece()
		else if (l != "") bad = 1
		if (bad) exit 1
		for (i = 1; i <= n; i++) {
			c = ct[i]
			if (substr(c, 1, 8) == "7f454c46") {
				print "elf"
				continue
			}
			k = "other"
			for (j = 1; j <= 7; j += 2) if (substr(c, j, 2) == "23") {
				for (m = j + 2; m <= 7; m += 2) if (substr(c, m, 2) == "21") k = "script"
				break
			}
			if (k == "script") print "script\t" gem(c)
			else print k
		}
	}' "$@"
}

# The gem a RubyGems wrapper loads: Gem.activate_bin_path('GEM', ...), or
# Gem.bin_path("GEM", ...) in older RubyGems.
_files_gem_wrapper='
/This file was generated by RubyGems/ { rg = 1 }
rg && match($0, /bin_path\(.[^,]+,/) { print substr($0, RSTART + 10, RLENGTH - 12); exit }'
# --- end files ---
