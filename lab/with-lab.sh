#!/bin/bash
# lab/with-lab.sh CMD... - bring the lab up, run CMD with the lab required (so lab
# tests fail instead of skipping), and always bring the lab down again, whether CMD
# passed, failed or was interrupted.
#
# CMD runs in a session of its own, waited for in the background: bash runs a trap
# only once a foreground child has finished, and a TERM sent to this script alone
# (a CI job's timeout) must not wait for a test run. On INT or TERM the whole of
# CMD (go test and its test binaries) is killed, then the lab is taken down.
set -uo pipefail
here=$(dirname "$0")
child=
cleanup() { bash "$here/down.sh" >/dev/null 2>&1 || true; }
stop() {
	[ -n "$child" ] && kill -TERM -- "-$child" 2>/dev/null && wait "$child" 2>/dev/null
	exit 130
}
trap cleanup EXIT
trap stop INT TERM
bash "$here/up.sh" || { echo "lab-up failed: the lab tests cannot run" >&2; exit 1; }
TROWEL_LAB_REQUIRED=1 setsid "$@" &
child=$!
wait "$child"
