#!/usr/bin/env bash
# Builds every benchmark program in bench/programs/ into bench/wasm/ with zig's C compiler:
#   bench/wasm/NAME.wasm       freestanding, no imports, exports run(n) -> checksum
#   bench/wasm/NAME.wasi.wasm  WASI command: main reads n from argv[1], prints the checksum
#   bench/wasm/large.wasm      SQLite + QuickJS (load-time case), see build_large below
# Idempotent: installs ziglang with pip when missing; rebuilding gives the same files.
# Usage: bench/build.sh [--large]   (--large also rebuilds the committed wasm/large.wasm)
set -euo pipefail
cd "$(dirname "$0")"

if ! python3 -c 'import ziglang' 2>/dev/null; then
    echo "installing ziglang (pip)..."
    python3 -m pip install --quiet ziglang
fi
ZCC=(python3 -m ziglang cc)

# Wasm feature set: MVP plus the small Wasm 2.0 extensions every peer engine handles.
# Bulk memory only where the program is about it (memops).
FEAT=(-mcpu=mvp -mmutable-globals -msign-ext -mnontrapping-fptoint)
COMMON=(-O2 -g0 -Wall -Wextra -Werror -Wno-unused-function)
# 1 MiB of stack, as in the freestanding builds (zig's default for WASI is 16 MiB, which every
# engine would then allocate and often touch).
STACK=(-Wl,-z,stack-size=1048576)
PROGRAMS=(empty fib sieve matmul hash nbody interp qsort i64 memops imgfilter imgfilter_scalar)

mkdir -p wasm
for p in "${PROGRAMS[@]}"; do
    extra=()
    src="$p"
    if [ "$p" = memops ]; then extra=(-mbulk-memory); fi
    # The SIMD benchmark: vectorised with -msimd128; its scalar twin is the same source without.
    if [ "$p" = imgfilter ]; then extra=(-msimd128); fi
    if [ "$p" = imgfilter_scalar ]; then src=imgfilter; fi
    "${ZCC[@]}" --target=wasm32-freestanding "${FEAT[@]}" "${extra[@]}" "${COMMON[@]}" \
        -nostdlib -Wl,--no-entry -Wl,--export=run \
        "programs/$src.c" -o "wasm/$p.wasm"
    "${ZCC[@]}" --target=wasm32-wasi "${FEAT[@]}" "${extra[@]}" "${COMMON[@]}" -DBENCH_WASI -s "${STACK[@]}" \
        "programs/$src.c" -o "wasm/$p.wasi.wasm"
    echo "built wasm/$p.wasm ($(wc -c < "wasm/$p.wasm") B), wasm/$p.wasi.wasm ($(wc -c < "wasm/$p.wasi.wasm") B)"
done
rm -f wasm/*.o

# ---- the load-time case: SQLite + QuickJS as one large module ----
# The SQLite amalgamation comes from the crates.io package libsqlite3-sys (its bundled
# sqlite3/ directory), fetched with cargo; QuickJS from the PyPI sdist of `quickjs`, which
# carries the upstream sources, fetched with pip. Both into a scratch directory.
SQLITE_CRATE_VERSION=0.40.0
QUICKJS_SDIST_VERSION=1.19.4
build_large() {
    local scratch="${TMPDIR:-/tmp}/wvm-bench-sqlite"
    local src="${SQLITE_SRC:-$scratch/vendor/libsqlite3-sys-$SQLITE_CRATE_VERSION/sqlite3}"
    if [ ! -f "$src/sqlite3.c" ]; then
        echo "fetching the SQLite amalgamation (crates.io libsqlite3-sys $SQLITE_CRATE_VERSION)..."
        mkdir -p "$scratch/src"
        cat > "$scratch/Cargo.toml" <<TOML
[package]
name = "wvm-bench-sqlite-fetch"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
libsqlite3-sys = { version = "=$SQLITE_CRATE_VERSION", default-features = false, features = ["bundled"] }
[workspace]
TOML
        echo 'fn main() {}' > "$scratch/src/main.rs"
        (cd "$scratch" && cargo vendor --versioned-dirs vendor > /dev/null)
    fi
    local qjs_dir="${TMPDIR:-/tmp}/wvm-bench-quickjs"
    local qjs="$qjs_dir/quickjs-$QUICKJS_SDIST_VERSION/upstream-quickjs"
    if [ ! -f "$qjs/quickjs.c" ]; then
        echo "fetching QuickJS (PyPI sdist quickjs $QUICKJS_SDIST_VERSION)..."
        mkdir -p "$qjs_dir"
        python3 -m pip download --quiet --no-deps --no-binary :all: -d "$qjs_dir" \
            "quickjs==$QUICKJS_SDIST_VERSION"
        tar xzf "$qjs_dir/quickjs-$QUICKJS_SDIST_VERSION.tar.gz" -C "$qjs_dir"
    fi
    # QuickJS: EMSCRIPTEN selects its portable configuration (switch dispatch, no atomics, no
    # native stack probing); wasm has only round-to-nearest, so the directed rounding modes
    # QuickJS asks for are given dummy values (fesetround then fails and nearest is used).
    "${ZCC[@]}" --target=wasm32-wasi "${FEAT[@]}" -O2 -g0 -s -mexec-model=reactor "${STACK[@]}" \
        -w -I"$src" -I"$qjs" \
        -DSQLITE_OS_OTHER=1 -DSQLITE_THREADSAFE=0 -DSQLITE_TEMP_STORE=3 \
        -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL -DSQLITE_OMIT_SHARED_CACHE \
        -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE -DSQLITE_ENABLE_GEOPOLY \
        -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_STAT4 \
        -D_GNU_SOURCE -DEMSCRIPTEN -DFE_DOWNWARD=0x400 -DFE_UPWARD=0x800 -DCONFIG_BIGNUM \
        -DCONFIG_VERSION="\"$(cat "$qjs/VERSION")\"" \
        programs/large/large.c programs/large/js.c programs/large/wasi_stubs.c "$src/sqlite3.c" \
        "$qjs/quickjs.c" "$qjs/libregexp.c" "$qjs/libunicode.c" "$qjs/cutils.c" "$qjs/libbf.c" \
        -o wasm/large.wasm
    rm -f wasm/*.o
    echo "built wasm/large.wasm ($(wc -c < wasm/large.wasm) B)"
}

# large.wasm is committed; rebuild it only when missing or asked for (it takes minutes).
if [ "${1:-}" = "--large" ] || [ ! -f wasm/large.wasm ]; then
    build_large
fi
