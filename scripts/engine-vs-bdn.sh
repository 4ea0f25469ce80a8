#!/usr/bin/env bash
# Builds benchmarks/EngineVsBenchmarkDotNet in Release and runs it: Benchmem's timing engine against BenchmarkDotNet
# on the same two methods (a ~50 ns dictionary lookup, a ~500 µs sort), printing medians, ratios and wall times.
# A report, not a gate: the program exits 0 and prints "GOAL MISSED" when a ratio or time goal is missed.
# Works from any directory. Extra arguments go to the program, e.g.:
#   scripts/engine-vs-bdn.sh --job short        # BDN ShortRun (~5 s per benchmark) instead of MediumRun (~25-55 s)
#   scripts/engine-vs-bdn.sh --only Lookup --runs 5
#   scripts/engine-vs-bdn.sh --skip-bdn         # Benchmem only, e.g. to retune the operations
#   scripts/engine-vs-bdn.sh --bdn-iteration-ms 25   # MediumRun with 25 ms iterations (~3-5 s per benchmark)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
exec dotnet run -c Release --project benchmarks/EngineVsBenchmarkDotNet -- "$@"
