# SPDX-License-Identifier: Apache-2.0
# Shared by scripts/ci/*.sh (sourced, not run). Sets ROOT and CI_LANG_WORK and
# defines `step`, which times one command and keeps its output in a log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export NODE_NO_WARNINGS=1

# One throw-away directory per run (venv, Maven and Go caches, outputs): nothing
# is read from a previous run. languages.sh creates it once for all scripts.
if [ -z "${CI_LANG_WORK:-}" ]; then
  CI_LANG_WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdk-ecr-langs.XXXXXX")"
  export CI_LANG_WORK
  if [ "${KEEP_CI_LANG_WORK:-}" != "1" ]; then
    trap 'rm -rf "$CI_LANG_WORK"' EXIT
  fi
fi
mkdir -p "$CI_LANG_WORK/logs"

# step NAME CMD...: runs CMD with output to $CI_LANG_WORK/logs/NAME.log, prints
# the duration (and appends it to timings.txt). SHOW=1 prints the whole log
# (test output); otherwise only the end of the log, and only on failure.
step() {
  local name="$1"; shift
  local log="$CI_LANG_WORK/logs/$name.log"
  local start end rc=0
  start=$(date +%s.%N)
  "$@" >"$log" 2>&1 || rc=$?
  end=$(date +%s.%N)
  local secs
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  echo "$name $secs" >>"$CI_LANG_WORK/timings.txt"
  if [ "${SHOW:-0}" = "1" ]; then
    # (Maven's quiet mode still prints colour resets: strip escape codes.)
    grep -v '^!!' "$log" | sed 's/\x1b\[[0-9;]*m//g' || true
  fi
  if [ "$rc" -ne 0 ]; then
    [ "${SHOW:-0}" = "1" ] || grep -v '^!!' "$log" | tail -n 60
    echo "[ci] FAILED: $name (exit $rc, ${secs}s; full log: $log)"
    return "$rc"
  fi
  echo "[ci] $name: ${secs}s"
}

# print_timings WIDTH: the table of the steps' durations (timings.txt), with the total.
print_timings() {
  [ -f "$CI_LANG_WORK/timings.txt" ] && awk -v w="$1" '{ printf "  %-*s %6.1f\n", w, $1, $2; t += $2 } END { printf "  %-*s %6.1f\n", w, "total", t }' "$CI_LANG_WORK/timings.txt"
}

# pkgjson FIELD.PATH: a value from package.json (e.g. devDependencies.aws-cdk-lib).
pkgjson() {
  node -e 'const p = require(process.argv[1]); console.log(process.argv[2].split(".").reduce((o, k) => o[k], p))' \
    "$ROOT/package.json" "$1"
}
