#!/usr/bin/env bash
# Start code-server (VS Code 1.100.3 server + web workbench) in the background on 127.0.0.1 with ALL its
# state (user data, extensions, XDG config/data/cache) under a run dir, so a run never reads or writes the
# user's ~/.config, ~/.local or VS Code profile; then wait until /healthz answers.
# usage: scripts/e2e/start-code-server.sh <run-dir> [workspace-folder]
# env:   PORT (default: a free port), CS_EXTRA_ARGS (more code-server flags)
# writes <run-dir>/code-server.{pid,port,log}; prints the base URL (only that) on stdout.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh"
[ $# -ge 1 ] || { echo "usage: $0 <run-dir> [workspace-folder]" >&2; exit 2; }
RUN=$(mkdir -p "$1" && cd "$1" && pwd)
WS=${2:-$RUN/workspace}
[ -x "$CS_BIN" ] || { echo "code-server not installed: run scripts/e2e/install-code-server.sh" >&2; exit 1; }
PORT=${PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}

mkdir -p "$RUN/user-data/User" "$RUN/extensions" "$RUN/xdg/config" "$RUN/xdg/data" "$RUN/xdg/cache" "$WS"
# startupEditor none: else the Welcome page opens late and steals focus from the command palette.
# The rest keeps the workbench quiet and offline (no update checks, no trust prompt, no tips/toasts).
cat > "$RUN/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.enabled": false
}
JSON

# setsid: own process group, so stop-code-server.sh can kill the server with its extension hosts.
# EXTENSIONS_GALLERY={}: no marketplace (code-server defaults to open-vsx.org), so no lookups that fail offline.
EXTENSIONS_GALLERY=${EXTENSIONS_GALLERY:-'{}'} \
  XDG_CONFIG_HOME=$RUN/xdg/config XDG_DATA_HOME=$RUN/xdg/data XDG_CACHE_HOME=$RUN/xdg/cache \
  setsid "$CS_BIN" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$RUN/user-data" --extensions-dir "$RUN/extensions" ${CS_EXTRA_ARGS:-} "$WS" \
  > "$RUN/code-server.log" 2>&1 < /dev/null &
PID=$!
echo "$PID" > "$RUN/code-server.pid"
echo "$PORT" > "$RUN/code-server.port"
for _ in $(seq 1 120); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    echo "code-server up: pid $PID, log $RUN/code-server.log" >&2
    echo "http://127.0.0.1:$PORT"
    exit 0
  fi
  kill -0 "$PID" 2>/dev/null || break      # died (port taken, bad flag...): fail now, not after 60 s
  sleep 0.5
done
echo "code-server did not come up on port $PORT; its log:" >&2
cat "$RUN/code-server.log" >&2
"$HERE/stop-code-server.sh" "$RUN"
exit 1
