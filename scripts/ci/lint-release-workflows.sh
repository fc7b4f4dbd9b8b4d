#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Lints this project's own GitHub workflows, which projen generates from
# .projenrc.ts (.github/workflows/*.yml: build, release, upgrade, PR lint):
# 1. every `uses:` is pinned by full commit SHA, and that SHA is the one
#    src/private/action-pins.ts gives the action (the table the construct's
#    rendered workflow uses too);
# 2. actionlint (pinned, scripts/install-actionlint.sh): 0 findings. Its
#    shellcheck integration is off (scripts/workflow-linters.sh);
# 3. zizmor (pinned in requirements-ci.txt, --offline, default persona):
#    0 findings. The pedantic persona's count is printed too.
# Both linters must first reject scripts/ci/fixtures/known-bad-workflow.yml,
# so a linter that checks nothing cannot pass.
#
#   scripts/ci/lint-release-workflows.sh            (installs the pinned zizmor into a temp venv)
#   ZIZMOR=.venv-lint/bin/zizmor scripts/ci/lint-release-workflows.sh   (.ci/run)
set -euo pipefail
cd "$(dirname "$0")/../.."

files=(.github/workflows/*.yml)
[ -f "${files[0]}" ] || { echo "lint-release-workflows: no .github/workflows/*.yml: run npx projen" >&2; exit 1; }
bad=scripts/ci/fixtures/known-bad-workflow.yml

work="$(mktemp -d "${TMPDIR:-/tmp}/cdk-ecr-wflint.XXXXXX")"
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)

ACTIONLINT="${ACTIONLINT:-$(bash scripts/install-actionlint.sh | tail -n 1)}"
if [ -z "${ZIZMOR:-}" ]; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check "$(grep -E '^zizmor==' requirements-ci.txt)"
  ZIZMOR="$work/venv/bin/zizmor"
fi
echo "lint-release-workflows: $("$ACTIONLINT" -version | head -n 1) (actionlint), $("$ZIZMOR" --version) ($(( $(date +%s) - t0 ))s to install)"

# shellcheck source=scripts/workflow-linters.sh
source scripts/workflow-linters.sh

# Self-test: each linter rejects the known-bad workflow.
if run_actionlint "$bad" >/dev/null 2>&1; then echo "self-test: actionlint passed $bad, which it must reject" >&2; exit 1; fi
n=$(zizmor_count regular "$bad")
[ "$n" -gt 0 ] || { echo "self-test: zizmor found nothing in $bad, which it must reject" >&2; exit 1; }
echo "self-test: actionlint rejects $bad; zizmor reports $n finding(s) in it"

# 1. Pins: full SHAs, from the table.
node - "${files[@]}" <<'JS'
const fs = require('fs');
// The table itself, as the construct and .projenrc.ts read it.
require('ts-node').register({ transpileOnly: true });
const pins = new Map(Object.entries(require(require('path').resolve('src/private/action-pins.ts')).ACTION_PINS));
if (pins.size === 0) throw new Error('no pins found in src/private/action-pins.ts');
let uses = 0;
const problems = [];
for (const file of process.argv.slice(2)) {
  for (const [i, line] of fs.readFileSync(file, 'utf-8').split('\n').entries()) {
    const m = /^\s*(?:-\s+)?uses:\s*(\S+)\s*$/.exec(line);
    if (!m) continue;
    uses++;
    const [action, ref] = m[1].split('@');
    const pin = pins.get(action);
    if (!pin) problems.push(`${file}:${i + 1}: ${m[1]} is not in src/private/action-pins.ts`);
    else if (ref !== pin.sha) problems.push(`${file}:${i + 1}: ${m[1]} is not the pinned ${action}@${pin.sha} (${pin.version})`);
  }
}
problems.forEach((p) => console.log(`  FAIL ${p}`));
console.log(`pins: ${uses} uses: in ${process.argv.length - 2} workflow(s), each the commit SHA of src/private/action-pins.ts; ${problems.length} problem(s)`);
process.exit(problems.length ? 1 : 0);
JS

# 2. actionlint
run_actionlint "${files[@]}"
echo "actionlint: ${#files[@]} workflow file(s), 0 findings"

# 3. zizmor
n=$(zizmor_count regular "${files[@]}")
if [ "$n" -ne 0 ]; then
  "$ZIZMOR" --offline --no-progress "${files[@]}" || true
  echo "zizmor: $n finding(s)"; exit 1
fi
echo "zizmor: ${#files[@]} workflow file(s), 0 findings (pedantic persona, for information: $(zizmor_count pedantic "${files[@]}"))"
echo "lint-release-workflows: done in $(( $(date +%s) - t0 ))s"
