# SPDX-License-Identifier: Apache-2.0
# The two workflow linters, called the same way wherever workflows are linted
# (scripts/lint-workflows.sh, scripts/ci/lint-release-workflows.sh). Sourced,
# not run; the caller sets ACTIONLINT and ZIZMOR (pinned binaries).

# run_actionlint FILE...: deterministic: shellcheck/pyflakes integration off
# (they may or may not be on PATH), no colour, and an empty config instead of
# any .github/actionlint.yaml.
run_actionlint() {
  local config rc=0
  config="$(mktemp)"
  echo '{}' >"$config"
  "$ACTIONLINT" -no-color -shellcheck= -pyflakes= -config-file "$config" "$@" || rc=$?
  rm -f "$config"
  return "$rc"
}

# zizmor_report PERSONA FILE...: zizmor's findings as JSON, offline. zizmor
# exits non-zero when it finds something: the JSON is what callers check.
zizmor_report() {
  local persona="$1"; shift
  "$ZIZMOR" --offline --no-progress --persona "$persona" --format json "$@" 2>/dev/null || true
}

# zizmor_count PERSONA FILE...: the number of findings (suppressed ones excluded).
zizmor_count() {
  zizmor_report "$@" | node -e 'console.log(JSON.parse(require("fs").readFileSync(0, "utf8")).length)'
}
