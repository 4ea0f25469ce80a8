#!/usr/bin/env bash
# The linux-arm64 profiler proven by running it, not only compiled: publishes the ground-truth program
# (Benchmem.Profiler/TestChild) self-contained for linux-arm64, runs it under Debian's user-mode qemu with the arm64
# profiler loaded exactly as the memory host loads it (AllocationCounter.EnvironmentFor, tiered compilation off), and
# checks the numbers the x64 tests check (Benchmem.Profiler/TestChild/truths.jq, as Benchmem.Core.Tests'
# AllocationCounterProfilerTests asserts them): object sizes are the same on both 64-bit targets, so the truths are too.
# Exit 0: every number right, or skipped because qemu cannot be installed here (it says so). 1: a wrong number.
# 2: the build or the emulated program failed. Run from any directory; CI calls it from .ci/run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$SECONDS

if ! "$root/scripts/ensure-qemu-arm64.sh"; then
    echo "linux-arm64 under qemu: skipped (qemu-user-static and the arm64 runtime libraries cannot be installed here)"
    exit 0
fi

bash "$root/Benchmem.Profiler/build.sh" >/dev/null
library="$root/Benchmem.Profiler/bin/linux-arm64/libbenchmem_profiler.so"
[ -f "$library" ] || { echo "linux-arm64 under qemu: build.sh made no $library" >&2; exit 2; }

# Its own artifacts path: the x64 tests build the same project, and a RID-specific restore must not overwrite their obj/.
work="$root/artifacts/arm64-qemu"
app="$work/app"
mkdir -p "$work"
rm -rf "$app"
if ! dotnet publish "$root/Benchmem.Profiler/TestChild/TestChild.csproj" -c Release -r linux-arm64 --self-contained \
        --artifacts-path "$work/build" -o "$app" --nologo -v q -nodeReuse:false >"$work/publish.log" 2>&1; then
    cat "$work/publish.log" >&2
    echo "linux-arm64 under qemu: publishing TestChild for linux-arm64 failed" >&2
    exit 2
fi

# A clean environment, as a user's would be after the memory host set its variables. The qemu root has no arm64 ICU:
# invariant globalization (nothing measured formats or compares culture text).
base=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1)
none=()
emulate() { # name of an array of NAME=VALUE variables, then TestChild's arguments
    local -n variables="$1"
    shift
    "${base[@]}" "${variables[@]}" qemu-aarch64-static -L /usr/aarch64-linux-gnu "$app/TestChild" "$@"
}
# The last JSON line a run printed (the runtime may print warnings before it).
json() { grep '^{' | tail -n 1; }

# The host's variables, from the host's own code (run under emulation: this build is arm64).
mapfile -t profiler < <(emulate none environment "$library")
[ ${#profiler[@]} -gt 0 ] || { echo "linux-arm64 under qemu: TestChild printed no environment" >&2; exit 2; }
# As MemoryHost.RunChild adds: fully optimized code from the first call (no re-JIT allocating inside a pass).
host=("${profiler[@]}" DOTNET_TieredCompilation=0)

counts="$(emulate profiler | json)" || { echo "linux-arm64 under qemu: the counting run failed" >&2; exit 2; }
# Every workload but the million-object churn (~40 s under emulation alone; its counts are covered by kept1000's).
workloads=(array100MiB drop100Keep50 drop64Keep10x1 churn kept1000 strings1000 listGrowth100k loh1MiB pinned64KiB
    collectInside leak4224 taskRun40000 parallelFor asyncYield nothing)
peaks="$(emulate host precise "${workloads[@]}" | json)" || { echo "linux-arm64 under qemu: the peak run failed" >&2; exit 2; }

# The checks, as AllocationCounterProfilerTests asserts them on x64: one line per wrong number.
wrong="$(jq -n -r --argjson counts "$counts" --argjson peaks "$peaks" --arg peak live --argjson skip '["objects1M"]' \
    -f "$root/Benchmem.Profiler/TestChild/truths.jq")"
if [ -n "$wrong" ]; then
    echo "linux-arm64 under qemu: wrong numbers:" >&2
    echo "$wrong" >&2
    echo "counting run: $counts" >&2
    echo "peak run: $peaks" >&2
    exit 1
fi
echo "linux-arm64 under qemu: the arm64 profiler counts 10,001 objects / 241,024 bytes exactly and reads" \
    "${#workloads[@]} workloads' live peaks, allocations and leaks as on x64 ($((SECONDS - start)) s)"
