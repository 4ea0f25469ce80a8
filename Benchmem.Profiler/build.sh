#!/usr/bin/env bash
# Builds the allocation-counting CLR profiler into Benchmem.Profiler/bin/<rid>/, and for the linux targets the native-
# memory interposer (benchmem_native.c, LD_PRELOADed into the memory host) beside it.
# linux-x64 always (needs gcc); linux-arm64 and win-x64 only when Debian's cross compilers are on PATH
# (gcc-aarch64-linux-gnu, gcc-mingw-w64-x86-64). Idempotent; works from any directory; non-zero exit on
# a compile error or a missing gcc.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src=("$here/benchmem_profiler.c" "$here/benchmem_objects.c") # the profiler: its callbacks and its object tracking
flags=(-O2 -shared -fPIC -std=gnu11 -Wall -Wextra -Werror -fvisibility=hidden)

build() { # compiler rid output-name [extra flags...]
    local cc="$1" rid="$2" name="$3"
    shift 3
    local out="$here/bin/$rid/$name"
    mkdir -p "$here/bin/$rid"
    # Compile to a temporary file and move it into place, so a process that has the old library
    # loaded keeps its (unchanged) mapping and nobody ever sees a half-written file.
    local sources=("${src[@]}")
    [ -z "${source:-}" ] || sources=("$source")
    "$cc" "${flags[@]}" "$@" -o "$out.tmp.$$" "${sources[@]}"
    mv -f "$out.tmp.$$" "$out"
    echo "built $rid: $out"
}

command -v gcc >/dev/null || { echo "gcc not found on PATH: cannot build the linux-x64 profiler" >&2; exit 1; }
native() { source="$here/benchmem_native.c" build "$@"; } # compiler rid: the interposer (glibc only)
case "$(uname -m)" in
    x86_64) build gcc linux-x64 libbenchmem_profiler.so; native gcc linux-x64 libbenchmem_native.so ;;
    aarch64) build gcc linux-arm64 libbenchmem_profiler.so; native gcc linux-arm64 libbenchmem_native.so ;;
    *) echo "unsupported host architecture $(uname -m)" >&2; exit 1 ;;
esac

if [ "$(uname -m)" = x86_64 ]; then
    if command -v aarch64-linux-gnu-gcc >/dev/null; then
        build aarch64-linux-gnu-gcc linux-arm64 libbenchmem_profiler.so
        native aarch64-linux-gnu-gcc linux-arm64 libbenchmem_native.so
    else
        echo "skipped linux-arm64: aarch64-linux-gnu-gcc not on PATH"
    fi
fi
if command -v x86_64-w64-mingw32-gcc >/dev/null; then
    # -static-libgcc: no libgcc DLL to ship next to it.
    build x86_64-w64-mingw32-gcc win-x64 benchmem_profiler.dll -static-libgcc
else
    echo "skipped win-x64: x86_64-w64-mingw32-gcc not on PATH"
fi
