#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# cdk-range.sh: check this library against one aws-cdk-lib / constructs pair.
#
#   bash scripts/ci/cdk-range.sh [options] CDK_VERSION CONSTRUCTS_VERSION [TEST_PATH ...]
#   bash scripts/ci/cdk-range.sh [options] --pair floor|newest [TEST_PATH ...]
#
# Run from the repository root after npm ci. It
#   1. installs aws-cdk-lib@CDK_VERSION and constructs@CONSTRUCTS_VERSION into a
#      cache folder outside the repository (${CDK_RANGE_CACHE:-${TMPDIR:-/tmp}/cdk-range-cache}),
#      reusing an earlier install of the same pair (a fresh install: point
#      CDK_RANGE_CACHE at an empty folder, as .ci/run does);
#   2. type-checks src/ and examples/ against that pair (`paths` pointing at the
#      cache; tsconfig.dev.json's other settings), proves the mapping took effect
#      (only the cache's aws-cdk-lib is read), and fails on any use of an API
#      that pair marks @deprecated (scripts/ci/cdk-range-typecheck.js);
#   3. runs the given jest suites against that pair at runtime (moduleNameMapper
#      to the cache) with JSII_DEPRECATED=fail, plus a probe test that asserts
#      the loaded aws-cdk-lib and constructs are the requested versions;
#   4. prints timings and removes its work folder (configs, jest cache).
# It writes nothing in the repository: every config lives in the work folder,
# with rootDir pointing at the repository. (Suites that write files of their own,
# e.g. test/workflow.test.ts -> test/workflows.out/, still do; the script
# compares `git status` before and after and fails if the tree changed.)
#
# --pair NAME takes the versions from .cdk-range.json ("floor": the lowest
# versions the peer dependencies allow; "newest": the newest release, refreshed
# by `npx projen cdk-range:refresh`), and, without TEST_PATHs, its "suites".
#
# Options:
#   --typecheck-only     skip jest
#   --legacy-peer-deps   let npm install a constructs outside aws-cdk-lib's peer range
#   --max-workers N      jest workers (default ${CDK_RANGE_MAX_WORKERS:-1})
#   --deprecated MODE    JSII_DEPRECATED value (default fail; quiet|warn|fail)
#
# Exit code: 0 when every step passed, 1 when the type check or a suite failed,
# 2 on a usage or install error.
set -euo pipefail

usage() { sed -n '3,37p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

typecheck_only=0; peer_flag=(); max_workers="${CDK_RANGE_MAX_WORKERS:-1}"; deprecated=fail; pair=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --typecheck-only) typecheck_only=1; shift ;;
    --legacy-peer-deps) peer_flag=(--legacy-peer-deps); shift ;;
    --max-workers) max_workers="$2"; shift 2 ;;
    --deprecated) deprecated="$2"; shift 2 ;;
    --pair) pair="$2"; shift 2 ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) echo "cdk-range: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
repo="$(pwd -P)"
if [[ ! -f "$repo/package.json" || ! -d "$repo/src" || ! -x "$repo/node_modules/.bin/tsc" || ! -x "$repo/node_modules/.bin/jest" ]]; then
  echo "cdk-range: run from the repository root after npm ci (needs package.json, src/, node_modules/.bin/{tsc,jest})" >&2
  exit 2
fi
if [[ -n "$pair" ]]; then
  # "floor" or "newest" from .cdk-range.json: aws-cdk-lib, constructs, then the suites, one per line.
  if ! range="$(node -e '
    const [file, pair] = process.argv.slice(1);
    const config = JSON.parse(require("fs").readFileSync(file, "utf8"));
    const p = config[pair];
    if (!p || !p["aws-cdk-lib"] || !p.constructs) throw new Error(`${file} has no "${pair}" with "aws-cdk-lib" and "constructs"`);
    console.log([p["aws-cdk-lib"], p.constructs, ...(config.suites || [])].join("\n"));
  ' "$repo/.cdk-range.json" "$pair" 2>&1)"; then
    echo "cdk-range: --pair $pair: $range" >&2
    exit 2
  fi
  mapfile -t range_lines <<<"$range"
  set -- "${range_lines[0]}" "${range_lines[1]}" "$@"
  [[ $# -gt 2 ]] || set -- "$@" "${range_lines[@]:2}"
fi
[[ $# -ge 2 ]] || usage
cdk_version="$1"; constructs_version="$2"; shift 2
tests=("$@")
for t in "${tests[@]}"; do
  [[ -f "$t" ]] || { echo "cdk-range: no such test file: $t" >&2; exit 2; }
done

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION="${JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION:-20}"
tmp_root="${TMPDIR:-/tmp}"
cache="${CDK_RANGE_CACHE:-$tmp_root/cdk-range-cache}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd -P)"
case "$cache/" in
  "$repo"/*) echo "cdk-range: cache $cache is inside the repository; set CDK_RANGE_CACHE elsewhere" >&2; exit 2 ;;
esac

work="$(mktemp -d "$tmp_root/cdk-range-work.XXXXXX")"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
git_state() {
  if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$repo" --no-optional-locks status --porcelain --untracked-files=all 2>/dev/null
  fi
}

state_before="$(git_state)"
t_start="$(now)"
label="aws-cdk-lib@$cdk_version constructs@$constructs_version"
echo "== cdk-range: $label"

# ---- 1. install --------------------------------------------------------------
t0="$(now)"
install_note="cached"
install_dir="$cache/aws-cdk-lib-$cdk_version+constructs-$constructs_version${peer_flag:+-legacy-peers}"
if [[ ! -f "$install_dir/.complete" ]]; then
  install_note="installed"
  staging="$(mktemp -d "$cache/.staging.XXXXXX")"
  echo '{ "name": "cdk-range-probe", "private": true }' > "$staging/package.json"
  if ! npm install --prefix "$staging" --no-audit --no-fund --ignore-scripts --no-package-lock --loglevel=error \
      "${peer_flag[@]}" "aws-cdk-lib@$cdk_version" "constructs@$constructs_version" > "$work/npm.log" 2>&1; then
    echo "cdk-range: npm install failed for $label:" >&2
    tail -n 30 "$work/npm.log" >&2
    rm -rf "$staging"
    exit 2
  fi
  touch "$staging/.complete"
  # Another run may have finished the same pair meanwhile: keep the first.
  mv -T "$staging" "$install_dir" 2>/dev/null || rm -rf "$staging"
fi
nm="$install_dir/node_modules"
got_cdk="$(node -p "require('$nm/aws-cdk-lib/package.json').version")"
got_constructs="$(node -p "require('$nm/constructs/package.json').version")"
if [[ "$got_cdk" != "$cdk_version" || "$got_constructs" != "$constructs_version" ]]; then
  echo "cdk-range: $install_dir holds aws-cdk-lib@$got_cdk constructs@$got_constructs, not the requested pair" >&2
  exit 2
fi
t_install="$(elapsed "$t0" "$(now)")"
echo "-- install: ${t_install}s ($install_note, $install_dir)"

status=0

# ---- 2. type check and deprecated APIs --------------------------------------
t0="$(now)"
cat > "$work/tsconfig.json" <<EOF
{
  "extends": "$repo/tsconfig.dev.json",
  "compilerOptions": {
    "noEmit": true,
    "incremental": false,
    "rootDir": "/",
    "typeRoots": ["$repo/node_modules/@types"],
    "paths": {
      "aws-cdk-lib": ["$nm/aws-cdk-lib"],
      "aws-cdk-lib/*": ["$nm/aws-cdk-lib/*"],
      "constructs": ["$nm/constructs"]
    }
  },
  "include": ["$repo/src/**/*.ts", "$repo/examples/**/*.ts"],
  "exclude": []
}
EOF
typecheck="passed"
if ! node "$repo/scripts/ci/cdk-range-typecheck.js" "$work/tsconfig.json" "$nm" "$repo" "$work" 2>&1 | sed 's/^/   /'; then
  typecheck="FAILED"; status=1
fi
t_typecheck="$(elapsed "$t0" "$(now)")"
echo "-- typecheck: ${t_typecheck}s ($typecheck)"

# ---- 3. jest -----------------------------------------------------------------
t_jest="skipped"; jest_result="skipped"
if [[ $typecheck_only -eq 0 && ${#tests[@]} -gt 0 ]]; then
  t0="$(now)"
  mkdir -p "$work/probe"
  cat > "$work/probe/cdk-range-probe.test.js" <<EOF
test('cdk-range probe: aws-cdk-lib and constructs come from the requested install', () => {
  expect(require('aws-cdk-lib/package.json').version).toBe('$cdk_version');
  expect(require('constructs/package.json').version).toBe('$constructs_version');
  expect(require.resolve('aws-cdk-lib').startsWith('$nm/')).toBe(true);
  expect(require.resolve('constructs').startsWith('$nm/')).toBe(true);
});
EOF
  node - "$repo" "$work" "$nm" "$max_workers" > "$work/jest.config.json" <<'EOF'
const [repo, work, nm] = process.argv.slice(2);
const base = require(`${repo}/package.json`).jest || {};
const transform = {};
for (const [pattern, value] of Object.entries(base.transform || { '^.+\\.[t]sx?$': ['ts-jest', {}] })) {
  const [name, options] = Array.isArray(value) ? value : [value, {}];
  const opts = { ...options };
  if (opts.tsconfig && !opts.tsconfig.startsWith('/')) opts.tsconfig = `${repo}/${opts.tsconfig}`;
  // The type check above already checked src/: no type diagnostics here. (ts-jest
  // transpiles file by file when the tsconfig has isolatedModules, as test/tsconfig.json does.)
  if (name === 'ts-jest') opts.diagnostics = false;
  transform[pattern] = [name, opts];
}
const config = {
  ...base,
  rootDir: repo,
  roots: ['<rootDir>', `${work}/probe`],
  testMatch: [...(base.testMatch || []), `${work}/probe/*.test.js`],
  // Keep the repository's ignore patterns from hiding the probe (e.g. a TMPDIR under /var/lib/).
  testPathIgnorePatterns: (base.testPathIgnorePatterns || ['/node_modules/'])
    .map((p) => (p.startsWith('<rootDir>') ? p : `<rootDir>.*${p}`)),
  transform,
  moduleNameMapper: {
    ...(base.moduleNameMapper || {}),
    '^aws-cdk-lib$': `${nm}/aws-cdk-lib`,
    '^aws-cdk-lib/(.*)$': `${nm}/aws-cdk-lib/$1`,
    '^constructs$': `${nm}/constructs`,
    '^constructs/(.*)$': `${nm}/constructs/$1`,
  },
  collectCoverage: false,
  reporters: ['default'],
  cacheDirectory: `${work}/jest-cache`,
};
delete config.coverageDirectory;
process.stdout.write(JSON.stringify(config, undefined, 2));
EOF
  jest_result="passed"
  if ! JSII_DEPRECATED="$deprecated" "$repo/node_modules/.bin/jest" --config "$work/jest.config.json" --ci \
      --maxWorkers="$max_workers" --runTestsByPath "$work/probe/cdk-range-probe.test.js" "${tests[@]}" 2>&1 \
      | tee "$work/jest.out"; then
    jest_result="FAILED"; status=1
  fi
  if ! grep -q "cdk-range-probe.test.js" "$work/jest.out"; then
    echo "cdk-range: the probe test did not run; cannot tell which aws-cdk-lib the suites used" >&2
    jest_result="FAILED (probe)"; status=1
  fi
  t_jest="$(elapsed "$t0" "$(now)")s"
  echo "-- jest: $t_jest ($jest_result, JSII_DEPRECATED=$deprecated, ${#tests[@]} suite(s))"
fi

# ---- 4. clean tree, summary --------------------------------------------------
if [[ "$(git_state)" != "$state_before" ]]; then
  echo "cdk-range: the working tree changed during the run:" >&2
  diff <(printf '%s\n' "$state_before") <(git_state) >&2 || true
  status=1
fi
t_total="$(elapsed "$t_start" "$(now)")"
echo "== cdk-range summary: $label: install ${t_install}s ($install_note), typecheck ${t_typecheck}s ($typecheck), jest $t_jest ($jest_result), total ${t_total}s"
exit $status
