#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium when it is missing: the plot tests open the HTML plots in it.
# CI runs as root on a fresh machine with Debian's apt reachable; elsewhere, run it with sudo or install chromium yourself.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null
