#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Start-up of the Python wheel's `cdk-github-ecr-publisher` command (the script
# jsii-pacmak generates: it loads the package, and with it aws-cdk-lib, into
# the jsii runtime, then runs lib/private/cli/main.js on Node.js).
# Usage: python-cli-startup.sh VENV (a virtual environment with the wheel installed)
#
# Prints the time of `--help` as generated (jsii's package cache turned
# off by the script, so aws-cdk-lib's tarball is extracted on every call) and
# with JSII_RUNTIME_PACKAGE_CACHE=enabled (the first call fills the cache), as
# wall time and as CPU time (user + system, Python and Node.js together: what a
# start costs whatever else the machine runs), next to `import aws_cdk` with the
# same cache: the generated script loads aws-cdk-lib into the jsii runtime
# before it runs the command, and nothing the package does can avoid that (on a
# 2-core machine it is most of the time; the README points Python users to
# `npx cdk-github-ecr-publisher`, the same command on Node.js alone). Fails if
# the help is not printed, if the silenced Node.js end-of-life banner still
# appears, or if a cached start takes more than ${PYTHON_CLI_MAX_SECONDS:-3} s
# of CPU beyond that import (medians of three).
set -euo pipefail
venv="${1:?usage: python-cli-startup.sh VENV}"
cli="$venv/bin/cdk-github-ecr-publisher"
max="${PYTHON_CLI_MAX_SECONDS:-3}"
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT

# run LABEL ENV...: one timed `--help`; prints "WALL CPU" in seconds; checks stdout and stderr.
run() {
  local label="$1"; shift
  local TIMEFORMAT='%R %U %S' times
  times=$( { time env "$@" JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_RUNTIME_PACKAGE_CACHE_ROOT="$cache" \
    "$cli" --help >"$cache/out" 2>"$cache/err"; } 2>&1 )
  grep -q '^Usage: cdk-github-ecr-publisher <command>' "$cache/out" || { echo "$label: no usage printed" >&2; cat "$cache/out" "$cache/err" >&2; exit 1; }
  if grep -q 'end-of-life' "$cache/err"; then echo "$label: the end-of-life banner was not silenced" >&2; cat "$cache/err" >&2; exit 1; fi
  awk '{ printf "%.2f %.2f", $1, $2 + $3 }' <<<"$times"
}

median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
# report LABEL "WALL CPU"...: one line, and the CPU median on stdout's last word.
report() {
  local label="$1"; shift
  local walls=() cpus=() r
  for r in "$@"; do walls+=("${r% *}"); cpus+=("${r#* }"); done
  echo "$label: wall ${walls[*]} s (median $(median "${walls[@]}")), CPU ${cpus[*]} s (median $(median "${cpus[@]}"))"
}

generated=$(run generated)
first=$(run first-cached JSII_RUNTIME_PACKAGE_CACHE=enabled)
cached=()
for _ in 1 2 3; do cached+=("$(run cached JSII_RUNTIME_PACKAGE_CACHE=enabled)"); done

echo "python cli --help, as generated (package cache off): wall ${generated% *} s, CPU ${generated#* } s"
echo "python cli --help, first call with JSII_RUNTIME_PACKAGE_CACHE=enabled (fills the cache): wall ${first% *} s, CPU ${first#* } s"
report "python cli --help, JSII_RUNTIME_PACKAGE_CACHE=enabled" "${cached[@]}"
cpus=()
for r in "${cached[@]}"; do cpus+=("${r#* }"); done
cpu=$(median "${cpus[@]}")

# The floor: aws-cdk-lib loaded into the jsii runtime with the same cache.
floor_cpu=()
for _ in 1 2 3; do
  t=$( { TIMEFORMAT='%U %S'; time env JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 JSII_RUNTIME_PACKAGE_CACHE=enabled \
    JSII_RUNTIME_PACKAGE_CACHE_ROOT="$cache" "$venv/bin/python" -c 'import aws_cdk' >/dev/null 2>&1; } 2>&1 )
  floor_cpu+=("$(awk '{ printf "%.2f", $1 + $2 }' <<<"$t")")
done
floor=$(median "${floor_cpu[@]}")
echo "python -c 'import aws_cdk', JSII_RUNTIME_PACKAGE_CACHE=enabled: CPU ${floor_cpu[*]} s (median ${floor})"
awk -v m="$cpu" -v f="$floor" -v max="$max" 'BEGIN { exit !(m - f <= max) }' \
  || { echo "a cached start takes ${cpu} s of CPU, more than ${max} s beyond loading aws-cdk-lib (${floor} s)"; exit 1; }
echo "the command's own start-up beyond loading aws-cdk-lib: $(awk -v m="$cpu" -v f="$floor" 'BEGIN { printf "%.2f", m - f }') s of CPU (at most ${max})"
