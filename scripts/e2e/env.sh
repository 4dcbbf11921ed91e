# Shared defaults for the e2e scripts; sourced, not executed.
# The code-server install is big (~300 MB) and slow to build, so it lives in a cache OUTSIDE the repo
# and is reused across runs and checkouts (CI: cache this folder keyed on CS_VERSION).
E2E_CACHE=${NN_E2E_CACHE:-$HOME/.cache/nn-trainer-e2e}
# 4.100.3 (= VS Code 1.100.3) is the last code-server whose engines.node is 20; 4.103+ need Node 22.
CS_VERSION=${CS_VERSION:-4.100.3}
CS_DIR=$E2E_CACHE/code-server
CS_BIN=$CS_DIR/node_modules/.bin/code-server
CS_PTY=$CS_DIR/node_modules/code-server/lib/vscode/node_modules/node-pty/build/Release/pty.node

# Prints the installed code-server version ("" if none). code-server writes a default config file (and
# logs a line about it) on first start, so point XDG at the cache instead of ~/.config and skip log lines.
cs_version() {
  [ -x "$CS_BIN" ] || return 0
  XDG_CONFIG_HOME=$CS_DIR/.xdg XDG_DATA_HOME=$CS_DIR/.xdg "$CS_BIN" --version 2>/dev/null | awk '/^[0-9]+\./{print $1; exit}' || true
}
