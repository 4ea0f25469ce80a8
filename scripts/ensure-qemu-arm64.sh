#!/usr/bin/env bash
# Installs what scripts/arm64-under-qemu.sh needs when it is missing: Debian's user-mode qemu, the arm64 C and C++
# runtime libraries a linux-arm64 .NET app loads (under /usr/aarch64-linux-gnu, qemu's -L root), the arm64 cross
# compiler for the profiler, and jq for the checks. Needs root (or sudo) and apt; exits non-zero when it cannot.
set -euo pipefail
root=/usr/aarch64-linux-gnu/lib
missing=()
command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
[ -e "$root/ld-linux-aarch64.so.1" ] || missing+=(libc6-arm64-cross)
[ -e "$root/libstdc++.so.6" ] || missing+=(libstdc++6-arm64-cross)
[ -e "$root/libgcc_s.so.1" ] || missing+=(libgcc-s1-arm64-cross)
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
command -v jq >/dev/null || missing+=(jq)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
command -v apt-get >/dev/null || { echo "no apt-get: cannot install ${missing[*]}" >&2; exit 1; }
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
