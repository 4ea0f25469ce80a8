#!/usr/bin/env bash
# Issue 21's acceptance, measured on this machine (a report, not a gate): runs benchmarks/TimeGateSuite (4 benchmarks
# at ns, µs and ms scale) RUNS+1 times unchanged and RUNS times with exactly 20% more work, alternating
# (U0 S1 U1 S2 U1 … S10 U10), then compares with `benchmem compare --fail-on time:10%`:
#   - consecutive unchanged runs U(i-1) → U(i): any failure is a false alarm;
#   - U(i-1) → S(i): a failure is the +20% caught.
# Each comparison runs twice: calibrated (the files as written) and raw (the same files with Benchmem.Calibration
# removed: today's BenchmarkDotNet-style comparison of medians). Prints both figures side by side, the "not judged"
# count, and the calibration's cost (its share of the timing budget). ~1 min per run pair on a 2-core VM.
# Usage: scripts/time-gate-acceptance.sh [RUNS]  (default 10; RUNS=3 for a quick look). Keeps its files in
# artifacts/time-gate/ (the last run's only). scripts/time-gate-acceptance.sh --report-only [RUNS] judges the files
# already there again (after a change to compare, the same runs under the new rules). LAUNCHES=N times every run in
# N processes (Benchmem.Launches; default 1, the test host alone).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
report_only=0
if [ "${1:-}" = --report-only ]; then report_only=1; shift; fi
runs=${1:-10}
out="$root/artifacts/time-gate"
cd "$root"
if [ "$report_only" = 0 ]; then
rm -rf "$out" && mkdir -p "$out"

echo "== pack Benchmem and build the suite and the benchmem tool (Release)"
scripts/pack.sh >/dev/null
dotnet build benchmarks/TimeGateSuite/TimeGateSuite.csproj -c Release --nologo -v q >/dev/null
dotnet build Benchmem.Cli/Benchmem.Cli.csproj -c Release --nologo -v q >/dev/null
cli=(dotnet "$root/Benchmem.Cli/bin/Release/net10.0/Benchmem.Cli.dll")

run_suite() { # name extra-work-percent
  local started=$SECONDS
  TIMEGATE_EXTRA_WORK=$2 dotnet test benchmarks/TimeGateSuite/TimeGateSuite.csproj -c Release --no-build --nologo \
    -- "Benchmem.Json=$out/$1.json" Benchmem.Reports=none "Benchmem.Launches=${LAUNCHES:-1}" >"$out/$1.log" 2>&1 \
    || { echo "run $1 failed:"; tail -20 "$out/$1.log"; exit 1; }
  echo "$1 $((SECONDS - started))" >>"$out/wall.txt"
  jq 'del(.Benchmarks[].Benchmem.Calibration)' "$out/$1.json" >"$out/$1.raw.json"
}

echo "== $((2 * runs + 1)) runs, alternating unchanged (U) and +20% work (S)"
run_suite U0 0
for i in $(seq 1 "$runs"); do
  run_suite "S$i" 20
  run_suite "U$i" 0
  echo "   run pair $i of $runs done ($(date +%T), load $(cut -d' ' -f1 /proc/loadavg))"
done
else
  [ -f "$out/U$runs.json" ] || { echo "--report-only: no runs in $out (run the script without it first)"; exit 2; }
  dotnet build Benchmem.Cli/Benchmem.Cli.csproj -c Release --nologo -v q >/dev/null
  cli=(dotnet "$root/Benchmem.Cli/bin/Release/net10.0/Benchmem.Cli.dll")
fi

# compare BASE CAND SUFFIX RULE → prints "exit not_judged_lines regressions"
compare() {
  local log="$out/compare-$1-$2$3-${4//[:%]/_}.txt" code=0
  "${cli[@]}" compare "$out/$1$3.json" "$out/$2$3.json" --fail-on "$4" >/dev/null 2>"$log" || code=$?
  [ "$code" -le 1 ] || { echo "compare failed with exit $code:"; cat "$log"; exit 1; }
  local judged regressions
  judged=$(grep -c "not judged:" "$log" || true)
  regressions=$(grep -oE "^benchmem: .*: ([0-9]+) regressions?" "$log" | grep -oE "[0-9]+ regression" | grep -oE "[0-9]+" || echo 0)
  echo "$code $judged $regressions"
}

report() { # rule
  local rule=$1
  for mode in calibrated raw; do
    local suffix="" alarms=0 notjudged=0 caught=0 caughtBench=0 missedNotJudged=0
    [ "$mode" = raw ] && suffix=.raw
    for i in $(seq 1 "$runs"); do
      read -r code judged _ < <(compare "U$((i - 1))" "U$i" "$suffix" "$rule")
      [ "$code" = 1 ] && alarms=$((alarms + 1))
      [ "$judged" -gt 0 ] && notjudged=$((notjudged + 1))
      read -r code judged regressions < <(compare "U$((i - 1))" "S$i" "$suffix" "$rule")
      [ "$code" = 1 ] && caught=$((caught + 1))
      caughtBench=$((caughtBench + regressions))
      [ "$judged" -gt 0 ] && missedNotJudged=$((missedNotJudged + judged))
    done
    printf "%-22s %-10s false alarms %2d of %d (comparisons with a not-judged line: %d) | +20%% caught %2d of %d (benchmarks %d of %d; not judged %d)\n" \
      "$rule" "$mode" "$alarms" "$runs" "$notjudged" "$caught" "$runs" "$caughtBench" $((4 * runs)) "$missedNotJudged"
  done
}

echo "== results (files in $out)"
report "time:10%"
report "time:10%:significant"

# The calibration's cost: its share of every benchmark's timing (the budget is fixed, so the suite takes as long).
jq -s '[.[].Benchmarks[] | {c: .Benchmem.Calibration.Milliseconds, t: .Benchmem.Timing.TotalMilliseconds}] as $b
       | "calibration cost: \((($b | map(.c) | add) / ($b | map(.t) | add) * 1000 | round) / 10)% of the timing time "
         + "(\(($b | map(.c) | add | round)) ms of \(($b | map(.t) | add | round)) ms over \($b | length) benchmark timings)"' -r \
  "$out"/U*[0-9].json "$out"/S*[0-9].json
awk '{ s += $2; n++ } END { printf "suite wall time: %.1f s a run on average (dotnet test included)\n", s / n }' "$out/wall.txt"
echo "machine now: $("${cli[@]}" calibrate --duration 10 | grep -E '^(Between|Contention|Verdict)' | tr '\n' ' ')"
