#!/bin/bash
# lab/with-lab.sh CMD... - bring the lab up, run CMD with the lab required (so lab
# tests fail instead of skipping), and always bring the lab down again, whether CMD
# passed, failed or was interrupted.
set -uo pipefail
here=$(dirname "$0")
cleanup() { bash "$here/down.sh" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM
bash "$here/up.sh" || { echo "lab-up failed: the lab tests cannot run" >&2; exit 1; }
TROWEL_LAB_REQUIRED=1 "$@"
