#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the jsii packages for the other languages from lib/ and .jsii (run
# after `npx projen compile`): the Python wheel and the Java jar for real, the
# Go module's code compiled and vetted against aws-cdk-go, and the .NET code
# generated only (no .NET SDK on the CI machine). Any error fails the script.
# Output: dist/python, dist/java (a file:// Maven repository), dist/go, dist/dotnet.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -f .jsii ] || { echo "[ci] no .jsii: run 'npx projen compile' first"; exit 1; }
# Never let a consumer pick up a package from an earlier build.
rm -rf dist/python dist/java dist/go dist/dotnet

step pacmak-python npx jsii-pacmak --target python
step pacmak-java npx jsii-pacmak --target java --maven-local-repository="$CI_LANG_WORK/m2"
# `--target go` without --code-only also runs `go mod tidy` on a go.mod whose
# indirect requirements come from node_modules versions (e.g. cloud-assembly-schema
# v53.28.0) that the Go module proxy reachable here does not serve; build below.
step pacmak-go npx jsii-pacmak --target go --code-only
step pacmak-dotnet npx jsii-pacmak --target dotnet --code-only

# Each package must carry the library's JS bundle with its bundled dependency
# (yaml), or it fails at import time in the user's language.
check_bundle() {
  local what="$1" listing="$2"
  grep -q 'package/node_modules/yaml/package.json' <<<"$listing" \
    || { echo "[ci] $what: the embedded jsii tarball has no bundled yaml"; return 1; }
}
wheel=$(ls dist/python/*.whl)
check_bundle "$wheel" "$(python3 - "$wheel" <<'PY'
import io, sys, tarfile, zipfile
z = zipfile.ZipFile(sys.argv[1])
tgz = [n for n in z.namelist() if n.endswith('.tgz')]
assert len(tgz) == 1, tgz
print('\n'.join(tarfile.open(fileobj=io.BytesIO(z.read(tgz[0]))).getnames()))
PY
)"
jar=$(ls dist/java/io/github/*/*/*/*.jar | grep -v -e '-sources.jar$' -e '-javadoc.jar$')
check_bundle "$jar" "$(python3 - "$jar" <<'PY'
import io, sys, tarfile, zipfile
z = zipfile.ZipFile(sys.argv[1])
tgz = [n for n in z.namelist() if n.endswith('.tgz')]
assert len(tgz) == 1, tgz
print('\n'.join(tarfile.open(fileobj=io.BytesIO(z.read(tgz[0]))).getnames()))
PY
)"
echo "[ci] packages carry the JS bundle with yaml: $(basename "$wheel"), $(basename "$jar")"

# Go: compile and vet the generated module for real. The indirect requirements
# pacmak copied from node_modules are dropped so that Go takes the ones
# aws-cdk-go itself requires; the direct ones (aws-cdk-go, constructs-go,
# jsii-runtime-go) are kept as generated.
build_go() (
  mod=$(dirname "$(ls dist/go/*/go.mod)")
  rm -rf "$CI_LANG_WORK/go" && mkdir -p "$CI_LANG_WORK/go" && cp -r "$mod" "$CI_LANG_WORK/go/module"
  cd "$CI_LANG_WORK/go/module"
  sed -i '/\/\/ indirect$/d' go.mod
  export GOMODCACHE="$CI_LANG_WORK/go/modcache" GOCACHE="$CI_LANG_WORK/go/buildcache"
  export GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local
  go mod tidy && go build ./... && go vet ./...
)
step go-build-vet build_go

echo "[ci] packages built:" $(cd dist && ls -d python/*.whl java/io/github/*/*/*/ go/*/ dotnet/*/)
