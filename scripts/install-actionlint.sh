#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs actionlint, pinned, from the Go module proxy (no prebuilt binary
# download: only the module proxy is reachable in CI). Prints the binary's path
# on the last line of stdout.
#
#   scripts/install-actionlint.sh            # installs into $ACTIONLINT_GOBIN
#   ACTIONLINT_GOBIN=/some/dir scripts/install-actionlint.sh
#
# Idempotent: when the pinned version is already installed there, nothing is built.
set -euo pipefail

ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-v1.7.12}"
GOBIN_DIR="${ACTIONLINT_GOBIN:-${TMPDIR:-/tmp}/cdk-github-ecr-publisher-tools/actionlint-${ACTIONLINT_VERSION}/bin}"
BIN="${GOBIN_DIR}/actionlint"

if ! command -v go >/dev/null 2>&1; then
  echo "install-actionlint: the go toolchain is not on PATH (needed to build actionlint ${ACTIONLINT_VERSION})" >&2
  exit 1
fi

if [[ -x "${BIN}" ]] && "${BIN}" -version 2>/dev/null | head -n 1 | grep -qx "${ACTIONLINT_VERSION}"; then
  echo "install-actionlint: ${ACTIONLINT_VERSION} already installed" >&2
  echo "${BIN}"
  exit 0
fi

mkdir -p "${GOBIN_DIR}"
start=$(date +%s)
# GOTOOLCHAIN=local: never download another Go toolchain (not reachable here).
# -buildvcs=false: the module cache has no VCS metadata to stamp.
GOBIN="${GOBIN_DIR}" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false \
  go install "github.com/rhysd/actionlint/cmd/actionlint@${ACTIONLINT_VERSION}"
echo "install-actionlint: built ${ACTIONLINT_VERSION} in $(( $(date +%s) - start ))s" >&2
"${BIN}" -version >&2
echo "${BIN}"
