#!/usr/bin/env bash
# Sets up a fresh machine that has only Node.js and apt: pnpm, the Debian
# packages pipette's tests and benchmarks use, the dependencies, and a build.
# Safe to run again: everything already present is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION with npm" >&2
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

# Debian packages: the oracles (PyPA packaging), the real-world wheels and the
# local index server (nginx with its njs module, used by @pipette/fixtures for
# content negotiation, failing and truncating locations). Installed only when
# one is missing.
apt_packages=(python3-packaging python3-pip-whl python3-setuptools-whl python3-wheel-whl python3-venv nginx libnginx-mod-http-js time fish tcsh zsh)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null || true
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export CI=${CI:-true}
pnpm install --frozen-lockfile --reporter=silent || pnpm install --reporter=silent
pnpm turbo run build --output-logs=errors-only
