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
# Both programs share it, so Benchmem.Core is compiled once.
work="$root/artifacts/arm64-qemu"
app="$work/app"
suite="$work/host"
mkdir -p "$work"
rm -rf "$app" "$suite"
publish() { # project output
    if ! dotnet publish "$root/Benchmem.Profiler/$1/$1.csproj" -c Release -r linux-arm64 --self-contained \
            --artifacts-path "$work/build" -o "$2" --nologo -v q -nodeReuse:false >"$work/publish.log" 2>&1; then
        cat "$work/publish.log" >&2
        echo "linux-arm64 under qemu: publishing $1 for linux-arm64 failed" >&2
        exit 2
    fi
}
publish TestChild "$app"
publish EmulatedHost "$suite"
# The memory host's entry assembly, built (platform-neutral) as Benchmem.NUnit's reference: next to the tests, as the
# package puts it.
cp "$work/build/bin/Benchmem.NUnit.MemoryHost/release/Benchmem.NUnit.MemoryHost.dll" "$suite/"

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

# One real [BenchMem] benchmark through the memory host (NUnit's runner, Benchmem's commands in their memory-host role)
# under emulation, started as MemoryHost.RunChild starts it: the profiler's variables, its role, its output file.
results="$work/host-results.jsonl"
rm -f "$results"
echo "EmulatedHost.EmulatedBenchmarks.KeepTenThousand" >"$work/host-tests.txt"
memory_host=("${host[@]}" BENCHMEM_ROLE=memory-host "BENCHMEM_MEMORY_HOST_OUTPUT=$results")
if ! (cd "$suite" && "${base[@]}" "${memory_host[@]}" qemu-aarch64-static -L /usr/aarch64-linux-gnu ./EmulatedHost \
        "$suite/EmulatedHost.dll" "$work/host-tests.txt") >"$work/host.log" 2>&1 || [ ! -s "$results" ]; then
    cat "$work/host.log" >&2
    echo "linux-arm64 under qemu: the memory host wrote no result" >&2
    exit 2
fi
# 10,000 kept objects and their array: 10,001 objects and 320,024 bytes in every pass, all of it live at the end.
host_checks='.Benchmem as $b |
  (select(.HardwareIntrinsics | startswith("ArmBase") | not) | "memory host: not an arm64 process (\(.HardwareIntrinsics))"),
  (select($b.AllocationsMethod != "profiler") | "memory host: allocations by \($b.AllocationsMethod), not the profiler"),
  (select($b.PassPeakMethods != ["live", "live", "live"]) | "memory host: peak methods \($b.PassPeakMethods), expected live x3"),
  (select($b.Series.Allocations != [10001, 10001, 10001]) | "memory host: allocations \($b.Series.Allocations), expected 10,001 x3"),
  (select($b.Series.AllocatedBytes != [320024, 320024, 320024]) | "memory host: allocated \($b.Series.AllocatedBytes), expected 320,024 x3"),
  ($b.Series.PeakBytes[] | select(. < 320024 - 4096 - 1024 or . > 320024 + 1024) | "memory host: peak \(.), true high-water 320,024"),
  ($b.Series.RetainedBytes[] | select(. < 0 or . > 512) | "memory host: retained \(.), expected 0")'

# The checks, as AllocationCounterProfilerTests asserts them on x64: one line per wrong number.
printf '%s\n' "$counts" >"$work/counts.json" # kept for a look at the numbers
printf '%s\n' "$peaks" >"$work/peaks.json"
wrong="$(jq -n -r --argjson counts "$counts" --argjson peaks "$peaks" --arg peak live --argjson worker 16384 --argjson skip '["objects1M"]' \
    -f "$root/Benchmem.Profiler/TestChild/truths.jq"; jq -r "$host_checks" "$results")"
if [ -n "$wrong" ]; then
    echo "linux-arm64 under qemu: wrong numbers:" >&2
    echo "$wrong" >&2
    echo "counting run: $counts" >&2
    echo "peak run: $peaks" >&2
    echo "memory host: $(cat "$results")" >&2
    exit 1
fi
echo "linux-arm64 under qemu: the arm64 profiler counts 10,001 objects / 241,024 bytes exactly and reads" \
    "${#workloads[@]} workloads' live peaks, allocations and leaks as on x64; the memory host ran a [BenchMem] benchmark" \
    "there with 10,001 allocations exactly ($((SECONDS - start)) s)"
