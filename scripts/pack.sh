#!/usr/bin/env bash
# Packs Benchmem.Core, Benchmem.NUnit, Benchmem.Sweeps and Benchmem.Cli into artifacts/packages (the local feed nuget.config names).
# The version comes from git (0.2.0-alpha.0.N, see Directory.Build.props), so each commit packs under a version of
# its own; older Benchmem packages are removed from the feed, and a same-version copy (uncommitted changes pack
# under the commit's version) is dropped from NuGet's package cache, so projects that restore next get these bits.
# Writes artifacts/packages/Benchmem.props (the version, for examples/) and prints the version last.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
feed="$root/artifacts/packages"
mkdir -p "$feed"
rm -f "$feed"/Benchmem.*.nupkg "$feed"/benchmem.*.nupkg
for project in Benchmem.Core Benchmem.NUnit Benchmem.Sweeps Benchmem.Cli; do
  dotnet pack "$root/$project/$project.csproj" -c Release -o "$feed" --nologo -v quiet
done
package=$(ls "$feed"/Benchmem.NUnit.*.nupkg)
version=$(basename "$package" .nupkg)
version=${version#Benchmem.NUnit.}
cache=${NUGET_PACKAGES:-$HOME/.nuget/packages}
rm -rf "$cache/benchmem.core/$version" "$cache/benchmem.nunit/$version" "$cache/benchmem.sweeps/$version" "$cache/benchmem.cli/$version"
cat > "$feed/Benchmem.props" <<PROPS
<Project>
  <!-- Written by scripts/pack.sh: the version of the Benchmem packages in this feed. -->
  <PropertyGroup><BenchmemVersion>$version</BenchmemVersion></PropertyGroup>
</Project>
PROPS
echo "Packed Benchmem $version into $feed"
