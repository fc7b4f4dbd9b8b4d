#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Publish rehearsal: publishes the built packages to real registry servers
# started here on 127.0.0.1, with the same publishing scripts (publib) and
# version the release workflow uses, then installs the library BY NAME as users
# do and synthesizes the README's two-environment app in each language:
# - npm: Verdaccio (storage in a temp folder, no uplinks, so only this package
#   exists there); publib-npm publishes dist/js/*.tgz as the release job does;
#   a fresh TypeScript app installs aws-cdk-lib, constructs and its TypeScript
#   toolchain from the normal registry and then `cdk-github-ecr-publisher` by
#   name from Verdaccio (only this package is routed there: the lock file must
#   say so), and runs app.ts with ts-node, type-checked;
# - the command-line tool: `npx cdk-github-ecr-publisher secrets --run` in that app,
#   on its cloud assembly, with a stand-in gh on PATH (8 calls: 4 values x 2
#   environments), and the same command as the Python venv's script (identical output);
# - jsii-diff, as the release's compatibility check runs it (--experimental-errors,
#   .compatignore), compares the package installed from Verdaccio with this
#   build: no breaking change. A negative control (one type removed) must fail;
# - PyPI: pypiserver; publib-pypi uploads the wheel and sdist (twine, as the
#   release job does), `twine check --strict` on both; a fresh venv runs
#   `pip install cdk-github-ecr-publisher` by name from pypiserver, other
#   packages from the normal index (pip's install report must say so), app.py;
# - Maven: publib-maven deploys the jar, sources, javadoc and pom to a file://
#   repository; a fresh Maven project with an empty local repository resolves
#   the library by its coordinates from there (Maven's _remote.repositories
#   must say so), aws-cdk-lib from Maven Central, and runs App.java;
# - the three apps' templates (both stacks) and workflows are identical.
# One aws-cdk-lib and constructs version for the three: package.json's devDependencies.
# Tools: scripts/rehearsal/tools (Verdaccio 6.8, which runs on Node 20, and the
# publib the release workflow pins, installed from a lock file; its override
# pins node-fetch to 2.7.0 because a Verdaccio dependency asks for node-fetch's
# `cjs` dist-tag, which not every registry mirror serves) and
# scripts/rehearsal/requirements.txt (pypiserver).
#
# Reuses dist/js (npx projen package:js) and dist/python + dist/java
# (scripts/ci/packages.sh, run by npx projen languages); builds what is missing.
# Every wait is bounded; the servers are stopped by PID on success, failure or
# interrupt; REHEARSAL_NPM_PORT / REHEARSAL_PYPI_PORT pick ports (default: free
# ones), and a busy port is an error. KEEP_REHEARSAL_WORK=1 keeps the temp folder.
set -euo pipefail
# Run through npx (npx projen rehearse), npm passes its own configuration down
# as npm_config_* variables (userconfig, local_prefix, cache...), which would
# override the fresh folders and the temporary HOME below: drop them, so each
# npm here reads its configuration as a user's npm would.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^npm_config_' || true)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/cdk-ecr-rehearsal.XXXXXX")"
export CI_LANG_WORK="$WORK"
# shellcheck source=scripts/ci/lib.sh
source "$ROOT/scripts/ci/lib.sh"
cd "$ROOT"

SERVER_PIDS=()
stop_servers() {
  local pid i
  for pid in "${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}"; do
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "[rehearsal] server $pid ignored SIGTERM for 10 s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "[rehearsal] stopped server (pid $pid)"
  done
  SERVER_PIDS=()
}
finish() {
  local rc=$?
  stop_servers
  echo "[rehearsal] step timings (s)"
  print_timings 28 || true
  if [ "${KEEP_REHEARSAL_WORK:-}" = "1" ]; then echo "[rehearsal] kept $WORK"; else rm -rf "$WORK"; fi
  [ "$rc" -eq 0 ] && echo "[rehearsal] PASSED" || echo "[rehearsal] FAILED (exit $rc)"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

# run NAME FUNCTION: a timed step (lib.sh) in its own bash with errexit. Bash
# ignores `set -e` inside a function called as `f || ...`, which is how step
# calls it, so each step's function runs in a child shell where it applies.
run() {
  local name="$1"; shift
  step "$name" bash -euo pipefail -c '"$@"' rehearsal "$@"
}

NAME=$(pkgjson name)
VERSION=$(pkgjson version)
CDK_VERSION=$(pkgjson devDependencies.aws-cdk-lib)
CONSTRUCTS_VERSION=$(pkgjson devDependencies.constructs)
NORMAL_NPM="$(npm config get registry)"
NORMAL_PYPI="${PIP_INDEX_URL:-https://pypi.org/simple}"
export ROOT WORK NAME VERSION CDK_VERSION CONSTRUCTS_VERSION NORMAL_NPM NORMAL_PYPI
installed_version() { node -p "require('$ROOT/node_modules/$1/package.json').version"; }
export -f installed_version
echo "[rehearsal] $NAME@$VERSION with aws-cdk-lib $CDK_VERSION, constructs $CONSTRUCTS_VERSION; work folder $WORK"

# --- inputs: the packages the release would publish -------------------------
tarball="dist/js/${NAME}@${VERSION}.jsii.tgz"
[ -f "$tarball" ] || step build-npm-tarball npx projen package:js
if ! ls dist/python/*-"$VERSION"-py3-none-any.whl dist/python/*-"$VERSION".tar.gz >/dev/null 2>&1 || [ ! -d dist/java ]; then
  step build-wheel-and-jar bash scripts/ci/packages.sh
fi
wheel=$(ls dist/python/*-"$VERSION"-py3-none-any.whl)
sdist=$(ls dist/python/*-"$VERSION".tar.gz)
export tarball wheel sdist
echo "[rehearsal] publishing $tarball, $(basename "$wheel"), $(basename "$sdist"), dist/java"

# The rehearsal must use the publib the release workflow pins.
PUBLIB_VERSION=$(node -p "require('$ROOT/scripts/rehearsal/tools/package.json').dependencies.publib")
export PUBLIB_VERSION
if [ -f .github/workflows/release.yml ] && ! grep -q "publib@${PUBLIB_VERSION}'" .github/workflows/release.yml; then
  echo "[rehearsal] scripts/rehearsal/tools/package.json has publib $PUBLIB_VERSION, .github/workflows/release.yml another: make them equal"
  exit 1
fi

# pick_port ENV_VAR: the port named by ENV_VAR (which must be free), else a free one.
pick_port() {
  python3 - "$1" "${!1:-}" <<'PY'
import socket, sys
name, wanted = sys.argv[1], sys.argv[2]
s = socket.socket()
try:
    s.bind(('127.0.0.1', int(wanted) if wanted else 0))
except OSError as e:
    sys.exit(f'[rehearsal] port {wanted} on 127.0.0.1 is in use ({e.strerror}): stop what listens there or unset {name}')
print(s.getsockname()[1])
PY
}
# Ports first, so a busy one fails before anything is installed. A free port
# can still be taken before the server binds it: wait_ready then reports the
# server's exit.
NPM_PORT=$(pick_port REHEARSAL_NPM_PORT)
PYPI_PORT=$(pick_port REHEARSAL_PYPI_PORT)

# --- tools, pinned: Verdaccio and publib (npm lock file), pypiserver (PyPI) ---
install_tools() {
  mkdir -p "$WORK/tools" && cp scripts/rehearsal/tools/package.json scripts/rehearsal/tools/package-lock.json "$WORK/tools/"
  (cd "$WORK/tools" && npm ci --no-audit --no-fund --ignore-scripts)
  "${PYTHON:-python3}" -m venv "$WORK/pyserver"
  "$WORK/pyserver/bin/pip" install --quiet -r scripts/rehearsal/requirements.txt
  echo "verdaccio $(node -p "require('$WORK/tools/node_modules/verdaccio/package.json').version"), publib $PUBLIB_VERSION, $("$WORK/pyserver/bin/pip" freeze | grep -i '^pypiserver')"
}
export -f install_tools
SHOW=1 run tools-install install_tools

# --- servers -------------------------------------------------------------------
# wait_ready NAME PID URL LOG: up to 60 s for URL to answer while PID lives.
wait_ready() {
  local name="$1" pid="$2" url="$3" log="$4" i
  for i in $(seq 1 120); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "[rehearsal] $name exited before it answered on $url (port taken?):"; tail -n 20 "$log"; return 1
    fi
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && { echo "[rehearsal] $name (pid $pid) answers on $url"; return 0; }
    sleep 0.5
  done
  echo "[rehearsal] $name did not answer on $url within 60 s:"; tail -n 20 "$log"; return 1
}

LOCAL_NPM="http://127.0.0.1:${NPM_PORT}/"
export NPM_PORT LOCAL_NPM
mkdir -p "$WORK/verdaccio/storage"
cat >"$WORK/verdaccio/config.yaml" <<EOF
storage: $WORK/verdaccio/storage
auth:
  htpasswd:
    file: $WORK/verdaccio/htpasswd
    max_users: 1
# No uplinks: a package that is not published here is not found here.
uplinks: {}
packages:
  '**':
    access: \$all
    publish: \$authenticated
log: { type: stdout, format: pretty, level: warn }
EOF
node "$WORK/tools/node_modules/verdaccio/bin/verdaccio" --config "$WORK/verdaccio/config.yaml" --listen "127.0.0.1:${NPM_PORT}" \
  >"$WORK/verdaccio/server.log" 2>&1 &
SERVER_PIDS+=($!)
SHOW=1 step npm-server-start wait_ready Verdaccio "$!" "${LOCAL_NPM}-/ping" "$WORK/verdaccio/server.log"

LOCAL_PYPI="http://127.0.0.1:${PYPI_PORT}"
export PYPI_PORT LOCAL_PYPI
mkdir -p "$WORK/pypi/packages"
# -a . -P .: uploads without authentication (nothing here is secret; the server only listens on 127.0.0.1).
"$WORK/pyserver/bin/pypi-server" run --host 127.0.0.1 --port "$PYPI_PORT" -a . -P . "$WORK/pypi/packages" \
  >"$WORK/pypi/server.log" 2>&1 &
SERVER_PIDS+=($!)
SHOW=1 step pypi-server-start wait_ready pypiserver "$!" "${LOCAL_PYPI}/simple/" "$WORK/pypi/server.log"

# --- npm -----------------------------------------------------------------------
# The release job's layout: publib runs where dist/ holds the artifacts. HOME is
# a temp folder because publib-npm writes ~/.npmrc and publib-pypi pip-installs --user.
mkdir -p "$WORK/release/dist/js" "$WORK/release/dist/python" "$WORK/home"
cp "$tarball" "$WORK/release/dist/js/"
cp "$wheel" "$sdist" "$WORK/release/dist/python/"
cp -r dist/java "$WORK/release/dist/java"
PUBLIB_BIN="$WORK/tools/node_modules/.bin"
export PUBLIB_BIN

npm_publish() {
  local token
  token=$(curl -fsS --max-time 10 -X PUT -H 'content-type: application/json' \
    -d '{"name":"rehearsal","password":"rehearsal-only"}' "${LOCAL_NPM}-/user/org.couchdb.user:rehearsal" \
    | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf-8")).token)')
  (cd "$WORK/release" && HOME="$WORK/home" NPM_TOKEN="$token" NPM_REGISTRY="127.0.0.1:${NPM_PORT}" DISABLE_HTTPS=1 \
    NPM_DIST_TAG=latest "$PUBLIB_BIN/publib-npm")
  # The registry serves exactly the bytes of the built tarball.
  local served built
  served=$(npm view "${NAME}@${VERSION}" dist.integrity --registry "$LOCAL_NPM")
  built="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  echo "served: $served"
  [ "$served" = "$built" ] || { echo "the registry serves $served, the built tarball is $built"; return 1; }
}
export -f npm_publish
SHOW=1 run npm-publish npm_publish

typescript_consumer() {
  local dir="$WORK/consumer-ts" local_lock
  mkdir -p "$dir" && cp scripts/rehearsal/typescript/app.ts scripts/rehearsal/typescript/tsconfig.json "$dir/"
  cd "$dir"
  printf '{ "name": "rehearsal-app", "version": "0.0.0", "private": true }\n' >package.json
  # A CDK app's own dependencies first, from the normal registry. (Lock files
  # record where each package came from, whatever the user's npm config says.)
  local_lock=(--no-audit --no-fund --omit-lockfile-registry-resolved=false)
  npm install "${local_lock[@]}" --registry "$NORMAL_NPM" "aws-cdk-lib@${CDK_VERSION}" "constructs@${CONSTRUCTS_VERSION}" \
    "typescript@$(installed_version typescript)" "ts-node@$(installed_version ts-node)" "@types/node@$(installed_version @types/node)"
  # Then the library by name, and only it, from the rehearsal registry (which
  # has nothing else: any other package fetched from it would fail). npm looks
  # peer dependencies up in the registry it installs from, so peers are not
  # resolved here (--legacy-peer-deps) but checked by `npm ls` below against
  # the aws-cdk-lib and constructs installed above.
  npm install "${local_lock[@]}" --registry "$LOCAL_NPM" --legacy-peer-deps "$NAME"
  npm ls --all >/dev/null || { npm ls --all | grep -i -e invalid -e missing -e unmet; exit 1; }
  node -e '
    const [lockFile, name, local] = process.argv.slice(1);
    const pkgs = JSON.parse(require("fs").readFileSync(lockFile, "utf-8")).packages;
    const fromLocal = Object.entries(pkgs).filter(([, p]) => (p.resolved ?? "").startsWith(local)).map(([k]) => k);
    for (const dep of [name, "aws-cdk-lib", "constructs"]) {
      console.log(`${dep}: ${pkgs["node_modules/" + dep]?.version} from ${pkgs["node_modules/" + dep]?.resolved}`);
    }
    if (fromLocal.join() !== `node_modules/${name}` || !pkgs["node_modules/aws-cdk-lib"].resolved) {
      console.error(`expected only ${name} from ${local}, got: ${fromLocal.join(", ") || "none"}`);
      process.exit(1);
    }' package-lock.json "$NAME" "$LOCAL_NPM"
  [ "$(node -p "require('$NAME/package.json').version")" = "$VERSION" ]
  npx --no-install ts-node app.ts "$WORK/out/typescript"
}
export -f typescript_consumer
SHOW=1 run typescript-app typescript_consumer

# The package's command-line tool as users run it, from the installed package
# (npx in the TypeScript app): `secrets --run` on the app's cloud assembly with
# an outputs file as `cdk deploy --outputs-file` writes it (values CloudFormation
# would compute filled in) and a stand-in gh on PATH that records its
# arguments; every value must reach gh once, per GitHub Environment.
fake_deploy_outputs() {
  node -e '
    const fs = require("fs"), path = require("path");
    const [cdkOut, file] = process.argv.slice(1);
    const manifest = JSON.parse(fs.readFileSync(path.join(cdkOut, "manifest.json"), "utf-8"));
    const outputs = {};
    for (const [id, a] of Object.entries(manifest.artifacts)) {
      if (a.type !== "aws:cloudformation:stack") continue;
      const t = JSON.parse(fs.readFileSync(path.join(cdkOut, a.properties.templateFile), "utf-8"));
      const value = (v) => typeof v === "string" ? v
        : v.Ref ? t.Resources[v.Ref].Properties.RepositoryName
        : v["Fn::GetAtt"] ? `arn:aws:iam::111111111111:role/${id}-${v["Fn::GetAtt"][0]}` : JSON.stringify(v);
      outputs[a.properties.stackName ?? id] = Object.fromEntries(Object.entries(t.Outputs).map(([k, o]) => [k, value(o.Value)]));
    }
    fs.writeFileSync(file, JSON.stringify(outputs, null, 2));' "$1" "$2"
}
export -f fake_deploy_outputs
cli_from_npm() {
  local dir="$WORK/cli" calls
  mkdir -p "$dir/bin"
  fake_deploy_outputs "$WORK/out/typescript/cdk.out" "$dir/outputs.json"
  printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s"\n' "$dir/gh-calls.txt" >"$dir/bin/gh"
  chmod +x "$dir/bin/gh"
  (cd "$WORK/consumer-ts" && PATH="$dir/bin:$PATH" npx --no-install cdk-github-ecr-publisher secrets \
    --outputs-file "$dir/outputs.json" --cdk-out "$WORK/out/typescript/cdk.out" --run)
  calls=$(grep -c -e '^secret set [A-Z_]* --repo octo-org/chatgpt-web --env development --body ' \
    -e '^secret set [A-Z_]* --repo octo-org/chatgpt-web --env production --body ' "$dir/gh-calls.txt")
  [ "$calls" = 8 ] && [ "$(wc -l <"$dir/gh-calls.txt")" = 8 ] \
    || { echo "expected 8 gh calls (4 values x 2 environments), got:"; cat "$dir/gh-calls.txt"; return 1; }
  echo "gh was called 8 times: 4 values in each of the GitHub Environments development and production"
}
export -f cli_from_npm
SHOW=1 run cli-from-npm cli_from_npm

# The release's compatibility check (projen's compat task), against the package
# users now get from the registry. Here the "last release" is this build, so it
# must report nothing; the negative control proves it would report a removal.
compat() {
  local published="$WORK/consumer-ts/node_modules/$NAME"
  local diff=("$ROOT/node_modules/.bin/jsii-diff" --experimental-errors -k --ignore-file "$ROOT/.compatignore")
  "${diff[@]}" "$published" "$ROOT"
  echo "jsii-diff $NAME@$VERSION (installed from $LOCAL_NPM) -> this build: no breaking change"
  # Negative control: this build with one public method removed must be reported.
  mkdir -p "$WORK/compat-negative" && cp "$ROOT/package.json" "$WORK/compat-negative/"
  ln -s "$ROOT/node_modules" "$WORK/compat-negative/node_modules"
  local removed
  removed=$(node -e '
    const fs = require("fs");
    const a = JSON.parse(fs.readFileSync(process.argv[1], "utf-8"));
    const type = Object.values(a.types).find((t) => t.kind === "class" && (t.methods ?? []).length > 0);
    const method = type.methods.shift();
    fs.writeFileSync(process.argv[2], JSON.stringify(a));
    console.log(`${type.fqn}.${method.name}`);' "$ROOT/.jsii" "$WORK/compat-negative/.jsii")
  if "${diff[@]}" "$published" "$WORK/compat-negative" >"$WORK/compat-negative.log" 2>&1; then
    echo "negative control: jsii-diff accepted $removed removed:"; cat "$WORK/compat-negative.log"; return 1
  fi
  grep -F "removed:${removed}]" "$WORK/compat-negative.log" \
    || { echo "negative control: jsii-diff failed without reporting $removed:"; cat "$WORK/compat-negative.log"; return 1; }
  echo "negative control: $removed removed is reported as breaking"
}
export -f compat
SHOW=1 run jsii-diff-compat compat

# --- PyPI ----------------------------------------------------------------------
pypi_publish() {
  (cd "$WORK/release" && HOME="$WORK/home" PYTHONUSERBASE="$WORK/home/.local" \
    TWINE_USERNAME=rehearsal TWINE_PASSWORD=rehearsal-only TWINE_REPOSITORY_URL="${LOCAL_PYPI}/" \
    "$PUBLIB_BIN/publib-pypi")
  PYTHONUSERBASE="$WORK/home/.local" python3 -m twine check --strict "$WORK"/release/dist/python/*
  local index
  index=$(curl -fsS --max-time 10 "${LOCAL_PYPI}/simple/${NAME}/")
  for f in "$wheel" "$sdist"; do
    grep -q "$(basename "$f")" <<<"$index" || { echo "pypiserver does not list $(basename "$f")"; return 1; }
  done
  echo "pypiserver lists $(basename "$wheel") and $(basename "$sdist")"
}
export -f pypi_publish
SHOW=1 run pypi-publish pypi_publish

python_consumer() {
  local venv="$WORK/consumer-py"
  "${PYTHON:-python3}" -m venv "$venv"
  "$venv/bin/pip" install --quiet --report "$WORK/pip-report.json" \
    --index-url "${LOCAL_PYPI}/simple/" --extra-index-url "$NORMAL_PYPI" \
    "$NAME" "aws-cdk-lib==${CDK_VERSION}" "constructs==${CONSTRUCTS_VERSION}"
  python3 - "$WORK/pip-report.json" "$NAME" "$VERSION" "$LOCAL_PYPI" <<'PY'
import json, sys
report, name, version, local = sys.argv[1:]
items = {i['metadata']['name'].lower(): i for i in json.load(open(report))['install']}
ours = items[name]
print(f"{name}: {ours['metadata']['version']} from {ours['download_info']['url']}")
print(f"aws-cdk-lib: {items['aws-cdk-lib']['metadata']['version']} from {items['aws-cdk-lib']['download_info']['url']}")
from_local = sorted(n for n, i in items.items() if i['download_info']['url'].startswith(local))
assert ours['metadata']['version'] == version, ours['metadata']['version']
assert from_local == [name], f'expected only {name} from {local}, got {from_local}'
PY
  "$venv/bin/python" scripts/rehearsal/python/app.py "$WORK/out/python"
  # The wheel installs the command-line tool as a script of the venv (jsii runs
  # it with the Node.js the library needs anyway): same commands as from npm.
  fake_deploy_outputs "$WORK/out/python/cdk.out" "$WORK/cli/outputs-python.json"
  "$venv/bin/cdk-github-ecr-publisher" secrets --outputs-file "$WORK/cli/outputs-python.json" --cdk-out "$WORK/out/python/cdk.out" \
    >"$WORK/cli/python.txt"
  (cd "$WORK/consumer-ts" && npx --no-install cdk-github-ecr-publisher secrets --outputs-file "$WORK/cli/outputs-python.json" \
    --cdk-out "$WORK/out/python/cdk.out") >"$WORK/cli/npm.txt"
  diff "$WORK/cli/npm.txt" "$WORK/cli/python.txt"
  [ "$(grep -c '^gh secret set ' "$WORK/cli/python.txt")" = 8 ] || { cat "$WORK/cli/python.txt"; return 1; }
  echo "the venv's cdk-github-ecr-publisher script prints the same 8 gh commands as npx"
}
export -f python_consumer
SHOW=1 run python-app python_consumer

# --- Maven ---------------------------------------------------------------------
MAVEN_REPO="$WORK/maven-repo"
export MAVEN_REPO
maven_publish() {
  mkdir -p "$MAVEN_REPO"
  (cd "$WORK/release" && HOME="$WORK/home" MAVEN_SERVER_ID=rehearsal MAVEN_REPOSITORY_URL="file://$MAVEN_REPO" \
    MAVEN_USERNAME=rehearsal MAVEN_PASSWORD=rehearsal-only "$PUBLIB_BIN/publib-maven")
  (cd "$MAVEN_REPO" && find . -type f -name '*.jar' -o -type f -name '*.pom' | sort)
}
export -f maven_publish
SHOW=1 run maven-publish maven_publish

java_consumer() {
  local dir="$WORK/consumer-java" m2="$WORK/home/.m2/repository"
  cp -r scripts/rehearsal/java "$dir"
  # No copy of the library may exist in the local repository before resolution.
  rm -rf "$m2/io/github/cdk-github-ecr-publisher"
  local mvn=(mvn -B -q -Dstyle.color=never -Dmaven.repo.local="$m2" -f "$dir/pom.xml"
    -Drehearsal.repo="file://$MAVEN_REPO" -Dpublisher.version="$VERSION"
    -Dcdk.version="$CDK_VERSION" -Dconstructs.version="$CONSTRUCTS_VERSION" -Drehearsal.outdir="$WORK/out/java")
  "${mvn[@]}" compile
  local origin="$m2/io/github/cdk-github-ecr-publisher/cdk-github-ecr-publisher/$VERSION/_remote.repositories"
  grep -q "cdk-github-ecr-publisher-${VERSION}.jar>rehearsal=" "$origin" \
    || { echo "the library was not resolved from the rehearsal repository:"; cat "$origin"; return 1; }
  echo "io.github.cdk-github-ecr-publisher:cdk-github-ecr-publisher:$VERSION resolved from file://$MAVEN_REPO"
  "${mvn[@]}" exec:exec
}
export -f java_consumer
SHOW=1 run java-app java_consumer

SHOW=1 run compare-templates node scripts/rehearsal/compare.js "$WORK/out"
stop_servers
