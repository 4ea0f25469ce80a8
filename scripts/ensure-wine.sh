#!/usr/bin/env bash
# Installs Debian's Wine (64-bit only) and jq for scripts/win-x64-under-wine.sh when they are missing.
# Needs root (or sudo) and apt; exits non-zero when it cannot install them.
set -euo pipefail
missing=()
command -v wine >/dev/null || missing+=(wine wine64)
command -v winepath >/dev/null || missing+=(wine)
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64-win32)
command -v jq >/dev/null || missing+=(jq)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
command -v apt-get >/dev/null || { echo "no apt-get: cannot install ${missing[*]}" >&2; exit 1; }
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
