#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Lints every workflow the tests rendered (.lint-out/workflows/*.yml, written by
# the workflow, match, diagnosis and fleet tests, not committed) plus any files
# or directories given as arguments (e.g. examples/chatgpt-web/out) with
#   1. actionlint, pinned (scripts/install-actionlint.sh), and
#   2. zizmor, pinned in requirements-ci.txt (the venv .ci/run creates, or
#      $ZIZMOR), offline, at its default persona.
# Zero findings required, except in the workflows rendered on purpose with
# release tags instead of commit SHAs (*release-tags*.yml): there zizmor must
# report exactly its unpinned-uses finding for every action, which also shows
# that zizmor is really checking.
#
#   scripts/lint-workflows.sh [path...]
#
# Both linters run as scripts/workflow-linters.sh calls them (deterministic).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/workflow-linters.sh
source scripts/workflow-linters.sh

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

start=$(date +%s%N)
run_actionlint "${files[@]}"
echo "lint-workflows: actionlint: ${#files[@]} workflow file(s), 0 findings ($(( ($(date +%s%N) - start) / 1000000 )) ms, $("${ACTIONLINT}" -version | head -n 1))"

ZIZMOR="${ZIZMOR:-.venv-lint/bin/zizmor}"
[[ -x "${ZIZMOR}" ]] || { echo "lint-workflows: ${ZIZMOR} not found: install requirements-ci.txt into .venv-lint (see .ci/run) or set ZIZMOR" >&2; exit 1; }
pinned=() tagged=()
for f in "${files[@]}"; do
  if [[ "$(basename "$f")" == *release-tags* ]]; then tagged+=("$f"); else pinned+=("$f"); fi
done
start=$(date +%s%N)
count="$(zizmor_count regular "${pinned[@]}")"
if [[ "${count}" != "0" ]]; then
  "${ZIZMOR}" --offline "${pinned[@]}" || true
  echo "lint-workflows: zizmor: ${count} finding(s) in the rendered workflows" >&2
  exit 1
fi
echo "lint-workflows: zizmor: ${#pinned[@]} workflow file(s), 0 findings ($(( ($(date +%s%N) - start) / 1000000 )) ms, $("${ZIZMOR}" --version))"
for f in "${tagged[@]}"; do
  report="$(zizmor_report regular "$f")"
  summary="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const other = r.filter((x) => x.ident !== "unpinned-uses");
    console.log(`${r.length - other.length} ${other.length}`);' <<<"${report}")"
  uses="$(grep -c 'uses: ' "$f")"
  if [[ "${summary}" != "${uses} 0" ]]; then
    echo "lint-workflows: zizmor on ${f}: expected ${uses} unpinned-uses findings and nothing else, got (unpinned-uses, other) = ${summary}" >&2
    exit 1
  fi
  echo "lint-workflows: zizmor: ${f} (release tags on purpose): ${uses} unpinned-uses findings, as expected"
done
