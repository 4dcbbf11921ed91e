#!/usr/bin/env bash
# Stop the code-server started by start-code-server.sh for <run-dir>: its whole process group (server,
# extension hosts, pty host), TERM first, KILL after 5 s. No-op when nothing runs.
# usage: scripts/e2e/stop-code-server.sh <run-dir>
set -euo pipefail
PIDFILE=${1:?usage: $0 <run-dir>}/code-server.pid
[ -f "$PIDFILE" ] || exit 0
PID=$(cat "$PIDFILE")
kill -TERM -- "-$PID" 2>/dev/null || kill -TERM "$PID" 2>/dev/null || true
for _ in $(seq 1 20); do
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.25
done
kill -KILL -- "-$PID" 2>/dev/null || true
rm -f "$PIDFILE"
