#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Lints every workflow the tests rendered (.lint-out/workflows/*.yml, written by
# test/workflow-options.test.ts and test/workflow-match.test.ts, not committed)
# plus any files or directories given as arguments (e.g. examples/chatgpt-web/out)
# with actionlint, pinned (scripts/install-actionlint.sh). Zero findings required.
#
#   scripts/lint-workflows.sh [path...]
#
# Deterministic: shellcheck/pyflakes integration is off (the workflows have no
# `run:` scripts, and those tools may or may not be on PATH), colour is off, and
# an empty config replaces any .github/actionlint.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTIONLINT="${ACTIONLINT:-$(bash scripts/install-actionlint.sh | tail -n 1)}"

files=()
collect() {
  local path="$1"
  if [[ -d "${path}" ]]; then
    while IFS= read -r -d '' f; do files+=("$f"); done \
      < <(find "${path}" -maxdepth 1 -type f \( -name '*.yml' -o -name '*.yaml' \) -print0 | sort -z)
  elif [[ -f "${path}" ]]; then
    files+=("${path}")
  else
    echo "lint-workflows: ${path} does not exist" >&2
    exit 1
  fi
}

# The tests' workflows are always linted: without them the run would pass having checked only the arguments.
if [[ ! -d .lint-out/workflows ]]; then
  echo "lint-workflows: .lint-out/workflows does not exist: run the tests first (npx projen test, or npx jest test/workflow)" >&2
  exit 1
fi
collect .lint-out/workflows
for arg in "$@"; do
  collect "${arg}"
done

if [[ ${#files[@]} -eq 0 ]]; then
  echo "lint-workflows: no workflow files found: run the tests first (npx jest test/workflow) or pass paths" >&2
  exit 1
fi

config="$(mktemp)"
trap 'rm -f "${config}"' EXIT
echo '{}' > "${config}"

start=$(date +%s%N)
"${ACTIONLINT}" -no-color -shellcheck= -pyflakes= -config-file "${config}" "${files[@]}"
echo "lint-workflows: ${#files[@]} workflow file(s), 0 findings ($(( ($(date +%s%N) - start) / 1000000 )) ms, $("${ACTIONLINT}" -version | head -n 1))"
