#!/bin/bash
# lab/bench.sh - cost of a trowel survey vs. its peers, against the legacy lab
# host, in one run (make bench; the lab must be up).
#
#   (a) ansible-playbook: gather_facts (setup) + package_facts + service_facts
#       + community.general.listen_ports_facts - what an Ansible-based
#       inventory of a host costs (Debian's ansible package, defaults:
#       ControlPersist on, no pipelining)
#   (b) trowel survey ssh://root@10.231.0.10 (one POSIX-sh probe over one
#       SSH session), if ./cmd/trowel builds and has "survey"; then its
#       profile: the ten costliest probe items and the cost per plan domain,
#       from the times the kept evidence records (trowel survey --profile)
#   (c) N (default 300, BENCH_N) trivial checks, one `ssh host cmd` each -
#       what goss/testinfra-style remote checks cost without multiplexing
#   (d) trowel verify ssh://root@10.231.0.10 against a spec of at least N
#       expectations (legacy's own, repeated): one survey, one SSH session,
#       if ./cmd/trowel has "verify"
#
# (a) and (b) run twice: cold, right after the page cache is dropped (as on a
# server just rebooted, or whose cache the day's work has filled with other
# things), and warm, right after.
#
# For each: wall time, CPU on the controller (this machine: bash `time`
# user+sys of the whole command tree) and CPU spent ON THE TARGET.
#
# Target CPU method: every process an SSH connection causes on the target
# (sshd's per-connection processes, the shell, python, ansible modules,
# trowel's probe) descends from the legacy host's sshd listener ("master").
# When a process exits and is reaped by its parent, its utime+stime plus
# its own reaped children's (cutime+cstime) are added to the parent's
# cutime/cstime; so after all connections of a run are closed and reaped,
# the delta of utime+stime+cutime+cstime (fields 14-17 of
# /proc/<master>/stat, in clock ticks) over the run is the CPU the run cost
# on the target, handshakes and crypto included. Ansible's ControlPersist
# master is closed explicitly (ssh -O exit) and we wait until the sshd
# master has no children left before reading the counters. Caveats: work a
# run hands to other daemons (e.g. service_facts running init scripts that
# talk to mariadb, or anything daemonizing) is not counted; other SSH
# traffic to legacy during the bench would be - do not run tests meanwhile.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_root
[ -f "$LAB_STATE/lab.json" ] || die "the lab is not up: make lab-up"
CFG=$LAB_STATE/ssh_config
N=${BENCH_N:-300}
ADDR=$(host_field legacy 2)
TICK=$(getconf CLK_TCK)
TMP=$(mktemp -d /tmp/trowel-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# host pid of the legacy host's port-22 sshd listener
sshd_master() {
	local init nspid p
	init=$(cat "/proc/$(cat "$LAB_STATE/hosts/legacy/pid")/task/"*/children | awk '{print $1}')
	nspid=$(cat "/proc/$init/root/run/sshd.pid")
	for p in $(ip netns pids trowel-legacy); do
		if [ "$(awk '/^NSpid:/ {print $NF}' "/proc/$p/status" 2>/dev/null)" = "$nspid" ] &&
			[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sshd ]; then
			echo "$p"; return 0
		fi
	done
	die "cannot find legacy's sshd (ns pid $nspid)"
}
ticks() { # utime+stime+cutime+cstime of a pid
	sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13 + $14 + $15}'
}
wait_reaped() { # until the sshd master has no children (connections closed)
	local i
	for i in $(seq 100); do
		[ -z "$(cat /proc/"$MASTER"/task/*/children 2>/dev/null | tr -d ' ')" ] && return 0
		sleep 0.1
	done
	log "warning: sshd on legacy still has children; target CPU is a lower bound"
}

MASTER=$(sshd_master)
ssh -F "$CFG" legacy true || die "cannot ssh to legacy"
wait_reaped

declare -A WALL CCPU TCPU
# measure NAME CMD...: run CMD, record wall, controller and target CPU
measure() {
	local name=$1 t0 t1 c0 c1 tf="$TMP/time.$1"; shift
	wait_reaped
	c0=$(ticks "$MASTER")
	local TIMEFORMAT='%R %U %S'
	set +e
	{ time "$@" >"$TMP/$name.log" 2>&1; } 2>"$tf"
	local rc=$?
	set -e
	wait_reaped
	c1=$(ticks "$MASTER")
	read -r t0 t1 c <<<"$(tail -n1 "$tf")"
	WALL[$name]=$t0
	CCPU[$name]=$(awk -v u="$t1" -v s="$c" 'BEGIN {printf "%.2f", u + s}')
	TCPU[$name]=$(awk -v a="$c0" -v b="$c1" -v t="$TICK" 'BEGIN {printf "%.2f", (b - a) / t}')
	if [ $rc != 0 ]; then
		log "$name failed (exit $rc):"; tail -n 20 "$TMP/$name.log" >&2
		return $rc
	fi
}

# --- (a) ansible --------------------------------------------------------------
cat >"$TMP/inventory.ini" <<EOI
legacy ansible_host=legacy ansible_user=root ansible_ssh_common_args='-F $CFG'
EOI
cat >"$TMP/facts.yml" <<'EOY'
- hosts: legacy
  gather_facts: true
  tasks:
    - ansible.builtin.package_facts:
    - ansible.builtin.service_facts:
    - community.general.listen_ports_facts:
EOY
: >"$TMP/ansible.cfg"
ansible_run() {
	ANSIBLE_CONFIG="$TMP/ansible.cfg" ANSIBLE_SSH_CONTROL_PATH_DIR="$TMP/cp" \
		ANSIBLE_LOCAL_TEMP="$TMP/atmp" ANSIBLE_NOCOWS=1 ANSIBLE_PYTHON_INTERPRETER=auto_silent \
		ansible-playbook -i "$TMP/inventory.ini" "$TMP/facts.yml"
	local s
	for s in "$TMP"/cp/*; do
		[ -S "$s" ] && ssh -o ControlPath="$s" -O exit legacy >/dev/null 2>&1
	done
	return 0
}
# drop_caches empties the page cache of the whole machine, the lab hosts' included
# (they share this kernel): the next run reads every file and program from disk.
drop_caches() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}
log "(a) ansible: setup + package_facts + service_facts + listen_ports_facts, cold ..."
drop_caches
measure ansible_cold ansible_run
log "(a) ansible, warm ..."
measure ansible ansible_run

# --- (b) trowel survey --------------------------------------------------------
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
TROWEL=
if [ -x "$GO" ] && (cd "$REPO_DIR" && "$GO" build -o "$TMP/trowel" ./cmd/trowel) >"$TMP/build.log" 2>&1 &&
	"$TMP/trowel" survey --help >/dev/null 2>&1; then
	TROWEL=$TMP/trowel
fi
if [ -n "$TROWEL" ]; then
	log "(b) trowel survey ssh://root@$ADDR, cold ..."
	drop_caches
	measure trowel_cold "$TROWEL" survey "ssh://root@$ADDR" --ssh-config "$CFG" --keep-evidence "$TMP/cold.evidence" -o /dev/null || TROWEL=
fi
if [ -n "$TROWEL" ]; then
	log "(b) trowel survey ssh://root@$ADDR, warm ..."
	measure trowel "$TROWEL" survey "ssh://root@$ADDR" --ssh-config "$CFG" --keep-evidence "$TMP/warm.evidence" -o /dev/null || TROWEL=
else
	echo "trowel survey not available yet"
fi

# --- (d) trowel verify: a 300-expectation spec, one SSH session ---------------
# The spec is legacy's own (trowel spec), its expectations repeated under new IDs
# until there are at least $N, so the row compares with (c) check for check.
if [ -n "$TROWEL" ] && "$TROWEL" verify --help >/dev/null 2>&1; then
	"$TROWEL" survey "ssh://root@$ADDR" --ssh-config "$CFG" -o "$TMP/legacy.json" >/dev/null 2>&1
	"$TROWEL" spec "$TMP/legacy.json" -o "$TMP/one.yaml"
	awk -v n="$N" '
		/^expectations:/ { body = 1; print; next }
		!body { print; next }
		{ lines[++m] = $0; if ($0 ~ /^  - id: /) count++ }
		END {
			for (k = 0; k * count < n; k++)
				for (i = 1; i <= m; i++) {
					l = lines[i]
					if (k > 0 && l ~ /^  - id: /) l = l "#copy" k
					print l
				}
		}' "$TMP/one.yaml" >"$TMP/spec.yaml"
	VERIFY_N=$(grep -c '^  - id: ' "$TMP/spec.yaml")
	# exit 1 (a failed expectation: legacy's own stale crond) is a finished run
	verify_run() { "$TROWEL" verify "ssh://root@$ADDR" --ssh-config "$CFG" --against "$TMP/spec.yaml" --format tap; [ $? -le 1 ]; }
	log "(d) trowel verify ssh://root@$ADDR against $VERIFY_N expectations ..."
	measure verify verify_run || VERIFY_N=
else
	echo "trowel verify not available yet"
fi

# --- (c) N x ssh host check ---------------------------------------------------
checks() {
	local i
	for i in $(seq "$N"); do
		ssh -F "$CFG" legacy "test -e /etc/hostname" || return 1
	done
}
log "(c) $N x ssh legacy <check> ..."
measure checks checks

# --- report ---------------------------------------------------------------------
echo
printf '%-52s %9s %15s %15s\n' "legacy host ($ADDR)" "wall s" "target CPU s" "local CPU s"
row() { printf '%-52s %9s %15s %15s\n' "$1" "${WALL[$2]}" "${TCPU[$2]}" "${CCPU[$2]}"; }
row "ansible facts (setup+package+service+listen_ports)" ansible
row "ansible facts, cold cache" ansible_cold
[ -n "$TROWEL" ] && row "trowel survey" trowel
[ -n "$TROWEL" ] && row "trowel survey, cold cache" trowel_cold
[ -n "${VERIFY_N:-}" ] && row "trowel verify, $VERIFY_N expectations (1 ssh session)" verify
row "$N x 'ssh host check' (goss/testinfra style)" checks
ratio() { # LABEL ANSIBLE-RUN TROWEL-RUN
	awk -v l="$1" -v aw="${WALL[$2]}" -v tw="${WALL[$3]}" -v ac="${TCPU[$2]}" -v tc="${TCPU[$3]}" 'BEGIN {
		printf "ratio ansible/trowel, %s: wall %.1fx, target CPU %s\n", l, aw / tw, (tc > 0 ? sprintf("%.1fx", ac / tc) : "n/a (trowel < 1 tick)") }'
}
if [ -n "$TROWEL" ]; then
	ratio warm ansible trowel
	ratio cold ansible_cold trowel_cold
fi
echo "(target CPU: delta of utime+stime+cutime+cstime of legacy's sshd listener, pid $MASTER on this machine; see the header of lab/bench.sh)"

# Where trowel's time went on legacy, item by item and domain by domain: the
# profile of each kept archive, re-read (nothing is sent to legacy again).
if [ -n "$TROWEL" ]; then
	for run in cold warm; do
		echo
		echo "trowel survey, $run cache:"
		"$TROWEL" survey "$TMP/$run.evidence" --profile --no-store --format json -o /dev/null 2>&1
	done
fi
