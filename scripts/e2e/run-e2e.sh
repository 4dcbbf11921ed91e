#!/usr/bin/env bash
# End-to-end tests of the extension in a REAL VS Code workbench: code-server 4.100.3 (VS Code 1.100.3)
# driven by Debian's headless Chromium through playwright-core. Offline: npm registry + apt only.
#   (a) the extension-host suite: a compiled index.js exporting run() (the @vscode/test-electron contract),
#       run in code-server's Node extension host (test/e2e/run-extension-tests.js);
#   (b) every UI test file <ui-dir>/*.ui.js: each exports `async function (page, ctx)`, run one by one in a
#       fresh browser by test/e2e/run-ui-tests.js (see its header for the exact contract).
#
# usage: scripts/e2e/run-e2e.sh [--ext DIR] [--tests FILE] [--vsix FILE] [--ui DIR] [--workspace DIR]
#   --ext DIR        extension folder loaded as extensionDevelopmentPath   (env E2E_EXT, default: repo root)
#   --tests FILE     extension-host suite entry, e.g. out/test/e2e/index.js  (env E2E_TESTS; unset: skip (a))
#   --vsix FILE      install this .vsix into code-server and run the UI tests against it instead of --ext
#                    (env E2E_VSIX; the host suite still uses --ext)
#   --ui DIR         folder of *.ui.js files                     (env E2E_UI_DIR, default test/e2e/ui)
#   --workspace DIR  fixture folder copied into each fresh temp workspace      (env E2E_WORKSPACE)
# env: E2E_ARTIFACTS (screenshots, logs; default test-results/e2e), NN_E2E_CACHE (code-server cache),
#      PORT (default: a free one), E2E_KEEP=1 (keep the temp run dir), E2E_HOST_TIMEOUT_MS, E2E_UI_TIMEOUT_MS
# Exit 0 iff everything passed and at least one test ran. Last line: "N passed, N failed" (each mocha test
# of the host suite + each UI test file).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
EXT=${E2E_EXT:-$REPO} TESTS=${E2E_TESTS:-} VSIX=${E2E_VSIX:-} UI_DIR=${E2E_UI_DIR:-$REPO/test/e2e/ui}
WS_FIXTURE=${E2E_WORKSPACE:-}
while [ $# -gt 0 ]; do
  case $1 in
    --ext) EXT=$2 ;; --tests) TESTS=$2 ;; --vsix) VSIX=$2 ;; --ui) UI_DIR=$2 ;; --workspace) WS_FIXTURE=$2 ;;
    *) echo "unknown argument: $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
abs() { realpath -- "$1"; }
EXT=$(abs "$EXT")
[ -z "$TESTS" ] || { [ -f "$TESTS" ] || { echo "no extension-host suite at $TESTS (compiled?)" >&2; exit 1; }; TESTS=$(abs "$TESTS"); }
ART=${E2E_ARTIFACTS:-$REPO/test-results/e2e}
mkdir -p "$ART"
export E2E_ARTIFACTS=$(abs "$ART")     # the node runners read it

"$HERE/install-code-server.sh"
. "$HERE/env.sh"

RUN=$(mktemp -d "${TMPDIR:-/tmp}/nn-e2e.XXXXXX")
cleanup() {
  "$HERE/stop-code-server.sh" "$RUN" || true
  cp "$RUN/code-server.log" "$E2E_ARTIFACTS/" 2>/dev/null || true
  if [ "${E2E_KEEP:-}" = 1 ]; then echo "run dir kept: $RUN"; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
trap 'exit 130' INT; trap 'exit 143' TERM    # so a cancelled CI job still stops code-server

# One fresh workspace per part, so UI tests never see files the host suite wrote.
fresh_ws() {
  mkdir -p "$RUN/$1"
  if [ -n "$WS_FIXTURE" ]; then cp -a "$WS_FIXTURE/." "$RUN/$1/"; fi
  echo "$RUN/$1"
}
WS_HOST=$(fresh_ws ws-host)
WS_UI=$(fresh_ws ws-ui)

UI_EXT_ARGS=(--ext "$EXT")
if [ -n "$VSIX" ]; then
  # Same isolated dirs as start-code-server.sh uses, so the server finds the installed extension.
  XDG_CONFIG_HOME=$RUN/xdg/config XDG_DATA_HOME=$RUN/xdg/data "$CS_BIN" --user-data-dir "$RUN/user-data" \
    --extensions-dir "$RUN/extensions" --install-extension "$(abs "$VSIX")"
  UI_EXT_ARGS=()
fi
URL=$("$HERE/start-code-server.sh" "$RUN" "$WS_HOST")

PASSED=0 FAILED=0
# Runs one node runner, shows its output, adds its E2E-RESULT counts (a runner that died without one: 1 failed).
run_part() {
  local log=$RUN/part.log
  node "$@" 2>&1 | tee "$log" || true
  local res
  res=$(grep -E '^E2E-RESULT passed=[0-9]+ failed=[0-9]+$' "$log" | tail -n 1 || true)
  if [ -z "$res" ]; then FAILED=$((FAILED + 1)); return; fi
  res=${res#E2E-RESULT passed=}
  PASSED=$((PASSED + ${res%% *}))
  FAILED=$((FAILED + ${res##*=}))
}

if [ -n "$TESTS" ]; then
  echo "== extension-host suite: $TESTS"
  run_part "$REPO/test/e2e/run-extension-tests.js" --url "$URL" --ext "$EXT" --tests "$TESTS" --folder "$WS_HOST"
else
  echo "== extension-host suite: none given (--tests / E2E_TESTS), skipped"
fi

shopt -s nullglob
UI_FILES=("$UI_DIR"/*.ui.js)
if [ ${#UI_FILES[@]} -gt 0 ]; then
  echo "== UI tests: ${#UI_FILES[@]} file(s) in $UI_DIR"
  run_part "$REPO/test/e2e/run-ui-tests.js" --url "$URL" --folder "$WS_UI" "${UI_EXT_ARGS[@]}" "${UI_FILES[@]}"
else
  echo "== UI tests: no *.ui.js in $UI_DIR"
fi

echo "artifacts: $E2E_ARTIFACTS"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
