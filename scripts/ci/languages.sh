#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# The jsii language checks, in the order CI runs them after `npx projen compile`:
# docs.sh (README examples, API reference in 4 languages, docstrings), then
# packages.sh (wheel, jar, Go module, .NET code), then consumers.sh (Python and
# Java apps on those packages, template equality with TypeScript). One work
# directory (venv, Maven repository, Go caches) serves the three and is deleted
# at the end (KEEP_CI_LANG_WORK=1 keeps it). Prints the time of every step.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
dir="$(dirname "${BASH_SOURCE[0]}")"

summary() {
  local rc=$?
  echo "[ci] language checks: step timings (s)"
  print_timings 24 || true
  [ "${KEEP_CI_LANG_WORK:-}" = "1" ] || rm -rf "$CI_LANG_WORK"
  exit "$rc"
}
trap summary EXIT

bash "$dir/docs.sh"
bash "$dir/packages.sh"
bash "$dir/consumers.sh"
