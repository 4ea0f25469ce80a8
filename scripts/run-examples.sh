#!/usr/bin/env bash
# The main job on a fresh clone: pack Benchmem, then run the example suite against the packed packages exactly
# as a user's project would, printing the table and writing examples/Examples/BenchmarkResults/*.json.
# Extra arguments go to `dotnet test` (e.g. -- Benchmem.Json=out.json).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/pack.sh"
dotnet test "$root/examples/Examples/Examples.csproj" -c Release --nologo "$@"
