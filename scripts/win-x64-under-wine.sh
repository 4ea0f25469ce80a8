#!/usr/bin/env bash
# The win-x64 profiler run, not only compiled: publishes the ground-truth program (Benchmem.Profiler/TestChild)
# self-contained for win-x64, runs it under Debian's Wine with the win-x64 profiler loaded exactly as the memory host
# loads it (AllocationCounter.EnvironmentFor, tiered compilation off), and checks its numbers
# (Benchmem.Profiler/TestChild/truths.jq): counts and bytes exact as on linux-x64; the live peak only bounded, because
# the profiler's forced-GC threads are pthread-only (on Windows the truth lies in [peak, peak + bound], PrecisePeak
# falls back to that). Wine is not Windows: this proves the DLL, its exports and the CLR's profiler ABI, not the OS.
# Exit 0: every number right, or skipped because Wine cannot be installed here (it says so). 1: a wrong number.
# 2: the build or the program under Wine failed. Not in CI (Wine is a large install); run it by hand.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$SECONDS

if ! "$root/scripts/ensure-wine.sh"; then
    echo "win-x64 under Wine: skipped (Wine cannot be installed here)"
    exit 0
fi

bash "$root/Benchmem.Profiler/build.sh" >/dev/null
library="$root/Benchmem.Profiler/bin/win-x64/benchmem_profiler.dll"
[ -f "$library" ] || { echo "win-x64 under Wine: build.sh made no $library" >&2; exit 2; }

# Its own artifacts path: the x64 tests build the same project, and a RID-specific restore must not overwrite their obj/.
work="$root/artifacts/win-x64-wine"
app="$work/app"
mkdir -p "$work"
rm -rf "$app"
if ! dotnet publish "$root/Benchmem.Profiler/TestChild/TestChild.csproj" -c Release -r win-x64 --self-contained \
        --artifacts-path "$work/build" -o "$app" --nologo -v q -nodeReuse:false >"$work/publish.log" 2>&1; then
    cat "$work/publish.log" >&2
    echo "win-x64 under Wine: publishing TestChild for win-x64 failed" >&2
    exit 2
fi

# A clean environment and a Wine prefix of its own (created on first use, ~10 s).
base=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" "WINEPREFIX=$work/prefix" WINEDEBUG=-all)
none=()
run() { # name of an array of NAME=VALUE variables, then TestChild's arguments
    local -n variables="$1"
    shift
    "${base[@]}" "${variables[@]}" wine "$app/TestChild.exe" "$@" 2>>"$work/wine.log" | tr -d '\r'
}
json() { grep '^{' | tail -n 1; }

# The host's variables, from the host's own code, for the DLL's Windows path (Wine maps / to Z:).
windows_library="$("${base[@]}" winepath -w "$library" 2>/dev/null | tr -d '\r')"
mapfile -t profiler < <(run none environment "$windows_library")
[ ${#profiler[@]} -gt 0 ] || { cat "$work/wine.log" >&2; echo "win-x64 under Wine: TestChild printed no environment" >&2; exit 2; }
host=("${profiler[@]}" DOTNET_TieredCompilation=0) # as MemoryHost.RunChild adds

counts="$(run profiler | json)" || { echo "win-x64 under Wine: the counting run failed" >&2; exit 2; }
# Every workload but parallelFor: under Wine 8, .NET 10 dies when it finalizes a DynamicMethod, with or without the
# profiler ("Internal CLR error (0x80131506)" in DynamicResolver+DestroyScout.Finalize, measured), a Wine fault, not
# one of the profiler. The memory host (NUnit's runner, Benchmem.Profiler/EmulatedHost published for win-x64) dies the
# same way, so unlike scripts/arm64-under-qemu.sh no [BenchMem] benchmark runs here.
workloads=(array100MiB drop100Keep50 drop64Keep10x1 churn kept1000 strings1000 objects1M listGrowth100k loh1MiB
    pinned64KiB collectInside leak4224 taskRun40000 asyncYield nothing)
peaks="$(run host precise "${workloads[@]}" | json)" || { echo "win-x64 under Wine: the peak run failed" >&2; exit 2; }

printf '%s\n' "$counts" >"$work/counts.json" # kept for a look at the numbers
printf '%s\n' "$peaks" >"$work/peaks.json"
wrong="$(jq -n -r --argjson counts "$counts" --argjson peaks "$peaks" --arg peak bounded --argjson worker 16384 --argjson skip '["parallelFor"]' \
    -f "$root/Benchmem.Profiler/TestChild/truths.jq")"
if [ -n "$wrong" ]; then
    echo "win-x64 under Wine: wrong numbers:" >&2
    echo "$wrong" >&2
    echo "counting run: $counts" >&2
    echo "peak run: $peaks" >&2
    exit 1
fi
echo "win-x64 under Wine: the win-x64 profiler counts 10,001 objects / 241,024 bytes exactly and reads ${#workloads[@]} workloads'" \
    "allocations and leaks as on linux-x64, their live peaks within the stated bound ($((SECONDS - start)) s)"
