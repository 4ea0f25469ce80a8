#!/usr/bin/env bash
# Builds benchmarks/CompareSpeed in Release and runs it: how long comparing two results files of 10,000 benchmarks
# each takes end to end (load both, match, gate with time:5%, peak:10%, allocated:5%, render the table), cold and
# warm, against issue 4's goal of under 1 s. The files are generated once under the temp dir and reused.
# A report, not a gate: the program exits 0. Works from any directory. Extra arguments go to the program, e.g.:
#   scripts/compare-speed.sh --repetitions 10   # more warm repetitions
#   scripts/compare-speed.sh --regenerate       # write the two files again
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
exec dotnet run -c Release --project benchmarks/CompareSpeed -- "$@"
