#!/usr/bin/env bash
# Builds the native allocation profiler and benchmarks/MemoryPassCost in Release and runs it: what one memory pass
# costs as a multiple of the measured call's own time, in process and in a memory-host child (profiler loaded,
# DOTNET_TieredCompilation=0), for four workloads (~100 ns, ~10 us, ~1 ms of small allocations; one 10 MiB array),
# plus the fixed cost of a pass and the profiler's slowdown of the call. About 20 s after the build.
# A report, not a gate: the program exits 0. Works from any directory. Extra arguments go to the program, e.g.:
#   scripts/memory-pass-cost.sh --repeats 50 --samples 11  # more passes per Measure call, more calls per workload
#   scripts/memory-pass-cost.sh --max-time 0.5             # shorter TimingEngine budget per call
#   scripts/memory-pass-cost.sh --skip-control             # no TieredCompilation=0-without-profiler child
# Without gcc the profiler is not built; the program then reports the in-process numbers only.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
bash Benchmem.Profiler/build.sh || echo "memory-pass-cost: the profiler did not build; the memory host will not be measured" >&2
exec dotnet run -c Release --project benchmarks/MemoryPassCost -- "$@"
