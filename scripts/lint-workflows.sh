#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Lints every workflow and local action the tests rendered, not committed:
#   .lint-out/workflows/*.yml       single workflow files (workflow, match, diagnosis, fleet tests)
#   .lint-out/repositories/*/       a publisher's files as in a checkout: .github/workflows/ and
#                                   the diagnosis action in .github/actions/ (workflow-options tests)
# plus the files or directories given as arguments (e.g. examples/chatgpt-web/out/repo/.github/workflows:
# a `.github/workflows` folder brings the `.github/actions` next to it) with
#   1. actionlint, pinned (scripts/install-actionlint.sh). It reads a local action (`uses: ./...`) only
#      inside a git checkout, so each repository's .github/ is also linted in a temporary folder with
#      a .git: the action's metadata and the inputs each step passes are then checked too; and
#   2. zizmor, pinned in requirements-ci.txt (the venv .ci/run creates, or $ZIZMOR), offline, at its
#      default persona, on the workflows and the action files.
# Zero findings required, except in the files rendered on purpose with release tags instead of commit
# SHAs (a path containing "release-tags"): there zizmor must report exactly its unpinned-uses finding
# for every remote action, which also shows that zizmor is really checking.
#
#   scripts/lint-workflows.sh [path...]
#
# Both linters run as scripts/workflow-linters.sh calls them (deterministic).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/workflow-linters.sh
source scripts/workflow-linters.sh

ACTIONLINT="${ACTIONLINT:-$(bash scripts/install-actionlint.sh | tail -n 1)}"

files=()   # workflows
actions=() # action.yml of local actions
roots=()   # folders holding .github/workflows (and maybe .github/actions)
yaml_files() {
  find "$1" -maxdepth "$2" -type f \( -name "$3.yml" -o -name "$3.yaml" \) -print0 | sort -z
}
add_root() {
  local root="$1"
  roots+=("${root}")
  if [[ -d "${root}/.github/actions" ]]; then
    while IFS= read -r -d '' f; do actions+=("$f"); done < <(yaml_files "${root}/.github/actions" 2 action)
  fi
}
collect() {
  local path="$1"
  if [[ -d "${path}" ]]; then
    while IFS= read -r -d '' f; do files+=("$f"); done < <(yaml_files "${path}" 1 '*')
    if [[ "$(basename "${path}")" == workflows && "$(basename "$(dirname "${path}")")" == .github ]]; then
      add_root "$(dirname "$(dirname "${path}")")"
    fi
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
if [[ -d .lint-out/repositories ]]; then
  for repository in .lint-out/repositories/*/; do
    [[ -d "${repository}.github/workflows" ]] && collect "${repository%/}/.github/workflows"
  done
fi
for arg in "$@"; do
  collect "${arg}"
done

if [[ ${#files[@]} -eq 0 ]]; then
  echo "lint-workflows: no workflow files found: run the tests first (npx jest test/workflow) or pass paths" >&2
  exit 1
fi

# actionlint skips a local action it cannot find: a workflow written without its action must fail here.
for root in "${roots[@]}"; do
  while IFS= read -r local_action; do
    if [[ ! -f "${root}/${local_action}/action.yml" && ! -f "${root}/${local_action}/action.yaml" ]]; then
      echo "lint-workflows: ${root}: a workflow uses ./${local_action}, which has no action.yml there" >&2
      exit 1
    fi
  done < <(cat "${root}"/.github/workflows/*.y*ml | sed -n 's|^ *uses: \./\([^ ]*\).*$|\1|p' | sort -u)
done

start=$(date +%s%N)
run_actionlint "${files[@]}"
# Again inside a git checkout, where actionlint resolves `uses: ./.github/actions/...`.
checked=0
for root in "${roots[@]}"; do
  [[ -d "${root}/.github/actions" ]] || continue
  project="$(mktemp -d)"
  mkdir "${project}/.git"
  cp -R "${root}/.github" "${project}/.github"
  if ! run_actionlint "${project}"/.github/workflows/*.y*ml; then
    rm -rf "${project}"
    echo "lint-workflows: actionlint: the findings above are in ${root} (linted as a checkout in a temporary folder)" >&2
    exit 1
  fi
  rm -rf "${project}"
  checked=$((checked + 1))
done
echo "lint-workflows: actionlint: ${#files[@]} workflow file(s), ${checked} checkout(s) with local actions (${#actions[@]} action file(s)), 0 findings ($(( ($(date +%s%N) - start) / 1000000 )) ms, $("${ACTIONLINT}" -version | head -n 1))"

ZIZMOR="${ZIZMOR:-.venv-lint/bin/zizmor}"
[[ -x "${ZIZMOR}" ]] || { echo "lint-workflows: ${ZIZMOR} not found: install requirements-ci.txt into .venv-lint (see .ci/run) or set ZIZMOR" >&2; exit 1; }
pinned=() tagged=()
for f in "${files[@]}" "${actions[@]}"; do
  if [[ "$f" == *release-tags* ]]; then tagged+=("$f"); else pinned+=("$f"); fi
done
start=$(date +%s%N)
count="$(zizmor_count regular "${pinned[@]}")"
if [[ "${count}" != "0" ]]; then
  "${ZIZMOR}" --offline "${pinned[@]}" || true
  echo "lint-workflows: zizmor: ${count} finding(s) in the rendered workflows and actions" >&2
  exit 1
fi
echo "lint-workflows: zizmor: ${#pinned[@]} workflow and action file(s), 0 findings ($(( ($(date +%s%N) - start) / 1000000 )) ms, $("${ZIZMOR}" --version))"
for f in "${tagged[@]}"; do
  report="$(zizmor_report regular "$f")"
  summary="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const other = r.filter((x) => x.ident !== "unpinned-uses");
    console.log(`${r.length - other.length} ${other.length}`);' <<<"${report}")"
  # A local action (uses: ./...) is no remote reference to pin.
  uses="$(grep 'uses: ' "$f" | grep -vc 'uses: \./' || true)"
  if [[ "${summary}" != "${uses} 0" ]]; then
    echo "lint-workflows: zizmor on ${f}: expected ${uses} unpinned-uses findings and nothing else, got (unpinned-uses, other) = ${summary}" >&2
    exit 1
  fi
  echo "lint-workflows: zizmor: ${f} (release tags on purpose): ${uses} unpinned-uses findings, as expected"
done
