#!/usr/bin/env bash
# Packs Benchmem.Core and Benchmem.NUnit into artifacts/packages (the local feed nuget.config names) and drops
# any same-version copy from NuGet's package cache, so projects that restore next get these very bits.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/Directory.Build.props")
mkdir -p "$root/artifacts/packages"
dotnet pack "$root/Benchmem.Core/Benchmem.Core.csproj" -c Release -o "$root/artifacts/packages" --nologo -v quiet
dotnet pack "$root/Benchmem.NUnit/Benchmem.NUnit.csproj" -c Release -o "$root/artifacts/packages" --nologo -v quiet
dotnet pack "$root/Benchmem.Cli/Benchmem.Cli.csproj" -c Release -o "$root/artifacts/packages" --nologo -v quiet
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
rm -rf "$cache/benchmem.core/$version" "$cache/benchmem.nunit/$version" "$cache/benchmem.cli/$version"
echo "Packed Benchmem $version into $root/artifacts/packages"
