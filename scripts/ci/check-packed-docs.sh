#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Checks the docs users see, from the packed npm tarball (dist/js, run after
# `npx projen package:js`), the way Construct Hub and the release jobs use it:
# 1. the tarball ships the translated examples (.jsii.tabl.json), the rosetta
#    fixture, and the bundled yaml's license text (ISC: its notice must travel
#    with every copy; the wheel, jar and NuGet package embed this tarball);
# 2. jsii-docgen run on the unpacked tarball (as Construct Hub does) renders the
#    README and API reference in python, java, csharp and go with every README
#    example translated: no "non-compiling source" banner, no TypeScript fence
#    left in the README part. A negative control (tablet and fixture removed)
#    must show the banner once per README and docstring example, so the check
#    cannot pass by matching nothing;
# 3. the wheel and sdist in dist/python (built by scripts/ci/packages.sh from the
#    same assembly and tablet, and published by the rehearsal) have a long
#    description whose ```python blocks are Python: one per README example,
#    each parsed by Python's own parser.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

VERSION=$(pkgjson version)
NAME=$(pkgjson name)
tarball="dist/js/${NAME}@${VERSION}.jsii.tgz"
[ -f "$tarball" ] || { echo "[ci] no $tarball: run 'npx projen package:js' first"; exit 1; }

WORK="$CI_LANG_WORK/packed-docs"
rm -rf "$WORK" && mkdir -p "$WORK"
PKG="$WORK/package"
tar -xzf "$tarball" -C "$WORK"
BIN="$ROOT/node_modules/.bin"

contents() {
  local missing=0 f
  for f in .jsii .jsii.tabl.json rosetta/default.ts-fixture README.md LICENSE node_modules/yaml/LICENSE; do
    if [ -f "$PKG/$f" ]; then echo "  ok   $f"; else echo "  FAIL $f is not in $tarball"; missing=1; fi
  done
  grep -q 'Permission to use, copy, modify, and/or distribute this software' "$PKG/node_modules/yaml/LICENSE" \
    || { echo "  FAIL node_modules/yaml/LICENSE is not the ISC license text"; missing=1; }
  # The tests' and linters' output is never shipped (CI packs after running the tests).
  for f in .lint-out .venv-lint test; do
    if [ -e "$PKG/$f" ]; then echo "  FAIL $f is in $tarball"; missing=1; else echo "  ok   no $f"; fi
  done
  return "$missing"
}
SHOW=1 step packed-contents contents

# The peer dependencies, as a user's node_modules would have them (the bundled yaml is already inside).
ln -s "$ROOT/node_modules/aws-cdk-lib" "$ROOT/node_modules/constructs" "$PKG/node_modules/"
examples=$(grep -c -E '^```(ts|typescript)\b' "$PKG/README.md" || true)
# Docstring examples (@example) are translated too, and rendered in the API reference part.
docstring_examples=$(node -e '
  let n = 0;
  const walk = (v) => { if (v && typeof v === "object") { if (typeof v.example === "string") n++; Object.values(v).forEach(walk); } };
  walk(JSON.parse(require("fs").readFileSync(process.argv[1], "utf-8")).types);
  console.log(n);' "$PKG/.jsii")
# The README's own Python example (the Python path) stays as written: Python
# readers get it next to the translations.
python_examples=$(grep -c -E '^```python$' "$PKG/README.md" || true)
nofixture_examples=$(grep -c -E '^```(ts|typescript) .*\bnofixture\b' "$PKG/README.md" || true)
echo "[ci] $tarball: README has $examples TypeScript example(s) and $python_examples Python one(s), the docstrings $docstring_examples"

BANNER='Example automatically generated from non-compiling source'
# check_docgen LANG FENCE FILE: README part of FILE has $examples FENCE blocks, no TypeScript, no banner,
# and no other mark rosetta leaves where it could not translate (instead of failing).
check_docgen() (
  local lang="$1" fence="$2" out="$3" examples="$examples"
  [ "$lang" != python ] || examples=$((examples + python_examples))
  [ -s "$out" ] || { echo "empty $out"; exit 1; }
  readme=$(awk '/^# API Reference/ { exit } { print }' "$out")
  found=$(grep -c -E "^\`\`\`${fence}\$" <<<"$readme" || true)
  ts=$(grep -c -E '^```(ts|typescript)\b' <<<"$readme" || true)
  banners=$(grep -c -F "$BANNER" "$out" || true)
  untranslated=$(grep -c -i -e 'untranslatable' -e 'could not translate' "$out" || true)
  echo "$lang: $found \`\`\`$fence block(s) in the README part (want $examples), $ts TypeScript, $banners banner(s), $untranslated untranslated mark(s)"
  [ "$found" -eq "$examples" ] && [ "$ts" -eq 0 ] && [ "$banners" -eq 0 ] && [ "$untranslated" -eq 0 ]
)
docgen() (
  local lang="$1" fence="$2" out="$WORK/API.$1.md"
  cd "$PKG" && "$BIN/jsii-docgen" --language "$lang" --readme --output "$out"
  check_docgen "$lang" "$fence" "$out"
)
SHOW=1 step packed-docgen-python docgen python python
SHOW=1 step packed-docgen-java docgen java java
SHOW=1 step packed-docgen-csharp docgen csharp csharp
SHOW=1 step packed-docgen-go docgen go go

negative_control() (
  cp -r "$PKG" "$WORK/untranslated"
  rm -rf "$WORK/untranslated/.jsii.tabl.json" "$WORK/untranslated/rosetta"
  cd "$WORK/untranslated" && "$BIN/jsii-docgen" --language python --readme --output "$WORK/untranslated.md"
  banners=$(grep -c -F "$BANNER" "$WORK/untranslated.md" || true)
  # A `nofixture` example brings its own imports and still compiles: only the others lose their translation.
  local want=$((examples - nofixture_examples + docstring_examples))
  echo "without tablet and fixture: $banners banner(s) (want $want, one per example that needs the fixture)"
  [ "$banners" -eq "$want" ]
)
SHOW=1 step packed-docgen-negative-control negative_control

wheel_readme() {
  ls dist/python/*-"$VERSION"-py3-none-any.whl >/dev/null 2>&1 \
    || { echo "[ci] no wheel for $VERSION in dist/python: run 'npx projen languages' (or package:python) first"; return 1; }
  python3 - "$((examples + python_examples))" "$BANNER" dist/python/*-"$VERSION"-py3-none-any.whl dist/python/*-"$VERSION".tar.gz <<'PY'
import ast, email, re, sys, tarfile, zipfile
want, banner, files = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
assert len(files) == 2, f"expected one wheel and one sdist, got {files}"
failed = 0
for path in files:
    if path.endswith('.whl'):
        z = zipfile.ZipFile(path)
        meta = z.read(next(n for n in z.namelist() if n.endswith('.dist-info/METADATA'))).decode()
    else:
        t = tarfile.open(path)
        meta = t.extractfile(next(m for m in t.getmembers() if m.name.count('/') == 1 and m.name.endswith('/PKG-INFO'))).read().decode()
    msg = email.message_from_string(meta)
    description = msg.get_payload() or msg.get('Description', '')
    kind = msg.get('Description-Content-Type')
    blocks = re.findall(r'^```python\n(.*?)^```', description, re.M | re.S)
    ts = len(re.findall(r'^```(?:ts|typescript)\b', description, re.M))
    bad = []
    for i, code in enumerate(blocks, 1):
        if banner in code:
            bad.append(f'block {i}: {banner}')
        try:
            ast.parse(code)
        except SyntaxError as e:
            bad.append(f'block {i}: not Python ({e.msg}, line {e.lineno}): {code.splitlines()[(e.lineno or 1) - 1]!r}')
    ok = len(blocks) == want and ts == 0 and not bad and kind == 'text/markdown'
    failed += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {path.split('/')[-1]}: {kind}, {len(blocks)} python block(s) (want {want}), {ts} TypeScript, {len(bad)} problem(s)")
    for b in bad:
        print(f'       {b}')
sys.exit(1 if failed else 0)
PY
}
SHOW=1 step packed-wheel-readme wheel_readme
