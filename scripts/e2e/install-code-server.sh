#!/usr/bin/env bash
# Install code-server (VS Code's own server + web workbench, 1.100.3) from the npm registry, plus the apt
# packages the e2e tests need. Needs only the npm registry and Debian apt (nothing from GitHub).
# Idempotent: a working install of the right version in the cache is reused as is.
# usage: scripts/e2e/install-code-server.sh        env: NN_E2E_CACHE, CS_VERSION (see env.sh)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/env.sh"
t0=$SECONDS

# 1. apt: compiler + python + kerberos headers for code-server's native modules, Debian's rg (seeded into
#    @vscode/ripgrep below), chromium + fonts for the browser, curl for the health check.
PKGS=(build-essential python3 pkg-config libkrb5-dev ripgrep chromium fonts-liberation curl)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "e2e install: apt packages missing: ${missing[*]}"
  $SUDO apt-get update -qq        # fresh containers have no package lists
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(cs_version)" = "$CS_VERSION" ] && [ -f "$CS_PTY" ]; then
  echo "e2e install: code-server $CS_VERSION already in $CS_DIR"
  exit 0
fi
echo "e2e install: installing code-server $CS_VERSION into $CS_DIR"
rm -rf "$CS_DIR"            # a half-finished install is not worth repairing: start clean
mkdir -p "$CS_DIR"
cd "$CS_DIR"
echo '{ "name": "nn-trainer-e2e-code-server", "version": "0.0.0", "private": true }' > package.json

# 2. @vscode/ripgrep's postinstall downloads rg from GitHub unless its download cache (under $TMPDIR) already
#    holds the release tarball: seed it with Debian's rg. Names pinned by @vscode/ripgrep 1.15.11, the
#    version in code-server 4.100.3's lib/vscode/npm-shrinkwrap.json (it wants rg release v13.0.0-10).
export TMPDIR=$CS_DIR/.tmp
case $(uname -m) in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "e2e install: no ripgrep seed for $(uname -m)" >&2; exit 1 ;;
esac
mkdir -p "$TMPDIR/rg" "$TMPDIR/vscode-ripgrep-cache-1.15.11"
cp "$(command -v rg)" "$TMPDIR/rg/rg"
tar czf "$TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-$RG_TARGET.tar.gz" -C "$TMPDIR/rg" rg

# 3. npm install. code-server's postinstall runs `npm install` again in lib/vscode and lib/vscode/extensions,
#    which build native modules (node-pty, kerberos, spdlog, @parcel/watcher, ...) with node-gyp.
#  - nodedir: node's own headers (Debian: /usr/include/node), so node-gyp downloads nothing.
#  - yes: nested npx calls must not prompt (a user .npmrc may say yes=false).
#  - unsafe_perm: code-server's postinstall.sh refuses to run as root unless npm_config_unsafe_perm=true
#    (npm >= 7 only warns "Unknown env config", the variable still reaches the script).
#  - npm 11 gates dependency install scripts behind an allowlist ("npm warn install-scripts ...
#    npm install-scripts approve"); unreviewed scripts still run in 11.19 but are meant to be blocked, and a
#    user/CI strict-allow-scripts or deny would block them. An allowlist cannot work here: the nested installs
#    run in lib/vscode (a package.json we do not control), and an .npmrc allow-scripts is re-exported by npm
#    to the postinstall's env, where the nested npm rejects it as a CLI flag (EALLOWSCRIPTS). So allow all
#    scripts for this one isolated install of a pinned version (nested trees are shrinkwrap-pinned).
#    Older npm ignores the key (warns "Unknown env config").
NODE_PREFIX=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
export npm_config_nodedir=${npm_config_nodedir:-$NODE_PREFIX}
export npm_config_yes=true npm_config_unsafe_perm=true npm_config_ignore_scripts=false
export npm_config_dangerously_allow_all_scripts=true
npm install --no-audit --no-fund --no-update-notifier "code-server@$CS_VERSION"

# 4. node-pty's postinstall has been seen to leave build/Release without pty.node (it re-runs
#    `node-gyp configure`); rebuild it with npm's bundled node-gyp (~5 s) so the pty host always loads.
NODE_GYP=$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js
(cd "$CS_DIR/node_modules/code-server/lib/vscode/node_modules/node-pty" &&
  node "$NODE_GYP" rebuild --nodedir="$npm_config_nodedir" > "$TMPDIR/node-pty-rebuild.log" 2>&1) ||
  { cat "$TMPDIR/node-pty-rebuild.log"; exit 1; }
test -f "$CS_PTY"
v=$(cs_version)
[ "$v" = "$CS_VERSION" ] || { echo "e2e install: code-server --version says '$v'" >&2; exit 1; }
rm -rf "$TMPDIR"
echo "e2e install: code-server $v ready in $CS_DIR ($((SECONDS - t0)) s, $(du -sh "$CS_DIR" | cut -f1))"
