#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Uses the packages scripts/ci/packages.sh built, as users of each language do:
# - TypeScript: test/consumers/typescript/app.ts against lib/;
# - Python: a fresh venv with the wheel + aws-cdk-lib/constructs from PyPI,
#   then test/consumers/python/app.py (synth + template assertions) and the
#   README's Python app (synth, workflow written);
# - Java: test/consumers/java with Maven, the jar from dist/java and
#   aws-cdk-lib/constructs from Maven Central (synth + template assertions);
# then test/consumers/compare.js proves the three templates are equal.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

CDK_VERSION=$(pkgjson devDependencies.aws-cdk-lib)
CONSTRUCTS_VERSION=$(pkgjson devDependencies.constructs)
VERSION=$(pkgjson version)
OUT="$CI_LANG_WORK/consumers"
rm -rf "$OUT" && mkdir -p "$OUT"
wheel=$(ls dist/python/*-"$VERSION"-py3-none-any.whl 2>/dev/null) \
  || { echo "[ci] no wheel for $VERSION in dist/python: run scripts/ci/packages.sh first"; exit 1; }
[ -d "dist/java" ] || { echo "[ci] no dist/java: run scripts/ci/packages.sh first"; exit 1; }
echo "[ci] consumers use aws-cdk-lib $CDK_VERSION, constructs $CONSTRUCTS_VERSION, $(basename "$wheel")"

SHOW=1 step consumer-typescript node -r ts-node/register/transpile-only test/consumers/typescript/app.ts "$OUT"

# Python
export PIP_CACHE_DIR="$CI_LANG_WORK/pip-cache" PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
step python-venv-install bash -c '
  "${PYTHON:-python3}" -m venv "$1/venv" &&
  "$1/venv/bin/pip" install --quiet "$2" "aws-cdk-lib==$3" "constructs==$4" &&
  "$1/venv/bin/pip" freeze | grep -i -e cdk -e jsii -e constructs' _ "$CI_LANG_WORK" "$wheel" "$CDK_VERSION" "$CONSTRUCTS_VERSION"
SHOW=1 step consumer-python "$CI_LANG_WORK/venv/bin/python" test/consumers/python/app.py "$OUT"
# The wheel's command: start-up as generated and with jsii's package cache (README, Python and Java).
SHOW=1 step python-cli-startup bash scripts/ci/python-cli-startup.sh "$CI_LANG_WORK/venv"

# The README's Python app (its one ```python block), followed as a user does from infra/ of their repository:
# the venv activated (on PATH), the CDK CLI (this repository's pinned aws-cdk), no AWS credentials, and the
# README's offline recipe: `cdk synth --no-lookups` stops on the provider lookup, the wheel's own
# `cdk-github-ecr-publisher context --not-found` records the answer, the next synth passes and writes
# ../.github/workflows/publish-chatgpt-web.yml. (Running app.py alone would write cdk.out to a temporary folder.)
readme_python() {
  local dir="$CI_LANG_WORK/readme-python"
  rm -rf "$dir" && mkdir -p "$dir/infra" "$dir/home"
  python3 - README.md "$dir/infra/app.py" <<'PY'
import re, sys
blocks = re.findall(r'^```python\n(.*?)^```', open(sys.argv[1]).read(), re.M | re.S)
assert len(blocks) == 1, f'expected one python block in the README, found {len(blocks)}'
open(sys.argv[2], 'w').write(blocks[0])
PY
  echo '{ "app": "python app.py" }' > "$dir/infra/cdk.json"
  local cdk=(node "$ROOT/node_modules/aws-cdk/bin/cdk" --no-notices --no-version-reporting)
  local offline=(env -u AWS_PROFILE -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN
    -u AWS_REGION -u AWS_DEFAULT_REGION HOME="$dir/home" AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
    AWS_EC2_METADATA_DISABLED=true CDK_DISABLE_CLI_TELEMETRY=true PATH="$CI_LANG_WORK/venv/bin:$PATH")
  (
    cd "$dir/infra"
    if "${offline[@]}" "${cdk[@]}" synth --no-lookups --quiet > ../first.log 2>&1; then
      echo "the first synth should stop on the provider lookup:"; cat ../first.log; exit 1
    fi
    grep -q "Context lookups have been disabled" ../first.log || { cat ../first.log; exit 1; }
    "${offline[@]}" cdk-github-ecr-publisher context --not-found
    "${offline[@]}" "${cdk[@]}" synth --no-lookups --quiet
  )
  python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
types = sorted(r['Type'] for r in json.load(open(f'{d}/infra/cdk.out/ChatgptWebEcr.template.json'))['Resources'].values())
assert types == ['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role'], types
context = json.load(open(f'{d}/infra/cdk.context.json'))
assert [k for k in context if k.startswith('cc-api-provider:account=111111111111:')], context
workflow = open(f'{d}/.github/workflows/publish-chatgpt-web.yml').read()
assert 'name: publish-chatgpt-web' in workflow, workflow[:300]
print(f'README python app, offline recipe: {types}; cdk.context.json recorded; .github/workflows/publish-chatgpt-web.yml written')
PY
}
SHOW=1 step readme-python readme_python

# Java: built in a copy so that Maven's target/ never lands in the work tree.
rm -rf "$CI_LANG_WORK/java-consumer" && cp -r test/consumers/java "$CI_LANG_WORK/java-consumer"
MVN=(mvn -B -Dstyle.color=never -Dmaven.repo.local="$CI_LANG_WORK/m2" -f "$CI_LANG_WORK/java-consumer/pom.xml"
  -Dpublisher.repo="file://$ROOT/dist/java" -Dpublisher.version="$VERSION"
  -Dcdk.version="$CDK_VERSION" -Dconstructs.version="$CONSTRUCTS_VERSION" -Dconsumer.outdir="$OUT")
step java-maven-compile "${MVN[@]}" --quiet compile
SHOW=1 step consumer-java "${MVN[@]}" --quiet exec:exec

SHOW=1 step compare-templates node test/consumers/compare.js "$OUT"
