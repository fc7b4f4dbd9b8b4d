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

# The README's Python app (its one ```python block), as a user runs it from infra/
# of their repository: it synthesizes and writes ../.github/workflows/publish-chatgpt-web.yml.
readme_python() {
  local dir="$CI_LANG_WORK/readme-python"
  rm -rf "$dir" && mkdir -p "$dir/infra"
  python3 - README.md "$dir/infra/app.py" <<'PY'
import re, sys
blocks = re.findall(r'^```python\n(.*?)^```', open(sys.argv[1]).read(), re.M | re.S)
assert len(blocks) == 1, f'expected one python block in the README, found {len(blocks)}'
open(sys.argv[2], 'w').write(blocks[0])
PY
  (cd "$dir/infra" && "$CI_LANG_WORK/venv/bin/python" app.py)
  python3 - "$dir" <<'PY'
import json, sys
d = sys.argv[1]
types = sorted(r['Type'] for r in json.load(open(f'{d}/infra/cdk.out/ChatgptWebEcr.template.json'))['Resources'].values())
assert types == ['AWS::ECR::Repository', 'AWS::IAM::OIDCProvider', 'AWS::IAM::Role'], types
workflow = open(f'{d}/.github/workflows/publish-chatgpt-web.yml').read()
assert 'name: publish-chatgpt-web' in workflow, workflow[:300]
print(f'README python app: {types}; .github/workflows/publish-chatgpt-web.yml written')
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
