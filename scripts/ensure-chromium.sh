#!/usr/bin/env bash
# Installs what the plot tests need from Debian when it is missing: headless Chromium (the HTML plots are opened in
# it) and a font (the PNG/SVG plots' text; SkiaSharp reads /usr/share/fonts). CI runs it as root on a fresh machine
# with Debian's apt reachable (.ci/run); elsewhere run it with sudo, or install chromium and fonts-dejavu-core yourself.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/truetype/dejavu ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "ensure-chromium: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
command -v chromium >/dev/null
