# The ground truths of TestChild's output, for running it where no .NET test host runs (scripts/arm64-under-qemu.sh,
# scripts/win-x64-under-wine.sh). The same numbers Benchmem.Core.Tests' AllocationCounterProfilerTests asserts on
# linux-x64: object sizes are the same on every 64-bit target. Prints one line per wrong number, nothing when all hold.
#   jq -n -r --argjson counts <TestChild's line> --argjson peaks <TestChild precise's line> \
#      --arg peak live|bounded --argjson skip '[workloads not run]' --argjson worker <bytes> -f truths.jq
# $peak: "live" where the profiler forces GCs (pthreads: the peak within max(4 KiB, 1%) of the truth, PrecisePeak to
# the byte); "bounded" where it cannot (Windows: the truth anywhere in [peak, peak + bound], PrecisePeak falls back).
# $worker: what a thread-pool worker the pool starts during a pass may allocate for itself, counted as the call's
# other-thread allocation (16384 everywhere: measured 4-8 KB on Linux, up to 8,224 B; 10,792 B under Wine).

# name, true live high-water (bytes, from object sizes), how far above it a multi-threaded workload may read
def truths: [
  ["array100MiB", 104857624, 0], ["drop100Keep50", 104857624, 0], ["drop64Keep10x1", 67108888, 0],
  ["churn", 196688, 0], ["kept1000", 32024, 0], ["strings1000", 4048, 0], ["objects1M", 24, 0],
  ["listGrowth100k", 786512, 0], ["loh1MiB", 1048600, 0], ["pinned64KiB", 65560, 0], ["collectInside", 10485784, 0],
  ["leak4224", 4224, 0], ["taskRun40000", 40024, 16384], ["parallelFor", 400096, 4096], ["asyncYield", 13024, 16384],
  ["nothing", 0, 0]];
# name, objects, bytes: counted exactly in the same passes as the peak
def exact_allocations: [["kept1000", 1001, 32024], ["objects1M", 1000000, 24000000], ["listGrowth100k", 17, 1048976],
  ["leak4224", 1, 4224], ["nothing", 0, 0]];
# Runtime objects that live or die during a pass move a reading a little either way.
def slack: 1024;
def run($w): $w as $name | ($skip | index([$name | sub("\\.precise$"; "")])) == null;
def passes($w): ($peaks[$w].passes // []) | .[];
def modes($n): $n, (select($n != "objects1M") | $n + ".precise"); # a million GCs: not run precisely
def promise($t; $a): [4096, ((($t + $a) / 100) | floor)] | max;

# 10,000 kept objects and their array, counted in a cold and a warm window
(if $counts.active != true then "counting: the profiler is not active: \($counts.error)"
 else (["cold", "warm"][] as $w | $counts[$w] // {} |
   (select(.objects != 10001) | "counting \($w): \(.objects) objects, expected 10,001 (10,000 kept objects and their array)"),
   (select(.bytes != 241024) | "counting \($w): \(.bytes) bytes, expected 241,024"),
   (select(.bytes != .threadBytes) | "counting \($w): \(.bytes) bytes vs the runtime's own per-thread count \(.threadBytes)"))
 end),
(select($peaks.live != true) | "peaks: the profiler does not follow the live heap"),
(truths[] as [$n, $t, $a] | select(run($n)) | modes($n) as $w |
  (select($peaks[$w] == null) | "\($w): not measured"),
  (passes($w) |
    (select(.method != "live" and .method != "precise") | "\($w): peak method \(.method), expected live or precise"),
    (select($t > .peak + .bound + slack) | "\($w): the truth \($t) is above peak \(.peak) + bound \(.bound)"),
    (select(.peak > $t + $a + slack) | "\($w): peak \(.peak) above the true high-water \($t)"),
    (select($peak == "live" and ($w | endswith(".precise") | not) and .peak < $t - promise($t; $a) - slack)
      | "\($w): peak \(.peak), more than max(4 KiB, 1%) below the true high-water \($t)"),
    (select($peak == "live" and ($w | endswith(".precise")) and .peak < $t - slack)
      | "\($w): precise peak \(.peak), the true high-water is \($t)"))),
(exact_allocations[] as [$n, $o, $b] | select(run($n)) | modes($n) as $w | passes($w) |
  (select(.allocations != $o) | "\($w): \(.allocations) allocations, expected \($o)"),
  (select(.allocated != $b) | "\($w): \(.allocated) bytes allocated, expected \($b)"),
  (select(.multi) | "\($w): flagged multi-threaded")),
# retained: a real leak of 4,224 bytes per pass reads it to ±512, a call that keeps nothing 0
(modes("leak4224") as $w | passes($w) | select(.retained < 4224 - 512 or .retained > 4224 + 512)
  | "\($w): retained \(.retained), expected the 4,224-byte leak"),
(("kept1000", "strings1000", "churn", "array100MiB", "nothing") as $n | select(run($n)) | modes($n) as $w | passes($w)
  | select(.retained < 0 or .retained > 512) | "\($w): retained \(.retained), expected 0 (nothing leaks)"),
# other threads count whatever their size, and flag the pass
((["taskRun40000", 40024], ["asyncYield", 13024]) as [$n, $b] | select(run($n)) | passes($n) |
  (select(.multi | not) | "\($n): not flagged multi-threaded"),
  (select(.allocated < $b or .allocated > $b + $worker) | "\($n): \(.allocated) bytes allocated, expected \($b) (+ at most \($worker) of a pool worker's own)"))
