#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Construct Hub readiness, from lib/ and .jsii (run after `npx projen compile`):
# 1. README.md is the one compiled into .jsii (Construct Hub renders that copy);
# 2. every ```ts example of the README compiles and translates to Python, Java,
#    C# and Go: `jsii-rosetta extract --strict` with rosetta/*.ts-fixture;
# 3. every public type, member and parameter has a docstring, optional struct
#    properties have @default, no name is a reserved word (check-api-docs.js).
# The API reference in python, java, csharp and go (jsii-docgen, as Construct Hub
# renders it) is checked from the packed tarball: scripts/ci/check-packed-docs.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

[ -f .jsii ] || { echo "[ci] no .jsii: run 'npx projen compile' first"; exit 1; }

readme_is_compiled() {
  node -e '
    const fs = require("fs");
    const compiled = (JSON.parse(fs.readFileSync(".jsii", "utf-8")).readme || {}).markdown;
    const onDisk = fs.readFileSync("README.md", "utf-8");
    // jsii stores the README as read, so any difference means a stale .jsii.
    if (compiled === undefined || compiled.trim() !== onDisk.trim()) {
      console.error("README.md differs from the README in .jsii: run npx projen compile after editing it");
      process.exit(1);
    }
    const blocks = (onDisk.match(/^```(ts|typescript)\b.*$/gm) || []).length;
    console.log(`README.md is compiled into .jsii (${blocks} TypeScript example(s))`);'
}
SHOW=1 step readme-in-assembly readme_is_compiled

# --strict: every example must compile (with the fixture) and translate, or fail.
# The tablet it writes (.jsii.tabl.json, git-ignored) lets docgen and pacmak
# reuse the translations instead of compiling them again. The tablet from
# post-compile is kept as a cache: an example that did not compile is never
# cached, so --strict still fails on it.
step rosetta-extract-strict npx jsii-rosetta extract --strict .jsii
grep -v '^!!' "$CI_LANG_WORK/logs/rosetta-extract-strict.log" | grep -i -e 'snippet' -e 'example' | tail -n 3 || true

SHOW=1 step api-docstrings node scripts/ci/check-api-docs.js .jsii
