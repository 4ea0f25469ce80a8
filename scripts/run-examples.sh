#!/usr/bin/env bash
# The main job on a fresh clone: pack Benchmem, then run the example suite against the packed packages exactly
# as a user's project would, with memory passes on for every benchmark, printing the table and writing
# examples/Examples/BenchmarkResults/Examples-report-full.json. Extra arguments go to the run settings,
# e.g. scripts/run-examples.sh Benchmem.Columns=peak,allocated,retained
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/pack.sh"
dotnet test "$root/examples/Examples/Examples.csproj" -c Release --nologo -- Benchmem.Enabled=true "$@"
