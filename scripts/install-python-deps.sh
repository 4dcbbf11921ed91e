#!/usr/bin/env bash
# The Python side of the tests, from Debian's packages: PyTorch, scikit-learn and matplotlib run the exported
# train.py and run.ipynb against a run's numbers (test/unit). Idempotent; as root (else through sudo).
set -euo pipefail
PKGS=(python3 python3-torch python3-sklearn python3-matplotlib)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "python deps: ${PKGS[*]} installed"; exit 0; }
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "python deps: installing ${missing[*]} (Debian's packages, several hundred MB the first time)"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
