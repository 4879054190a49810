#!/usr/bin/env bash
# Builds real-world programs, unmodified, from sources shipped in registry packages, into
# WASI commands next to this script (the .wasm files are committed; tests do not need zig):
#   sqlite3.wasm  the SQLite shell (shell.c + sqlite3.c of the autoconf amalgamation that the
#                 npm package sqlite3@6.0.1 ships as deps/sqlite-autoconf-3520000.tar.gz)
#   lua.wasm      the Lua 5.4 interpreter (lua.c + the core library and standard libraries
#                 from the lupa 2.8 sdist on PyPI), see build_lua for its one limitation
# Third-party sources are fetched into a scratch directory (${TMPDIR:-/tmp}/wvm-real-src) with
# the ordinary clients (npm, pip) and never committed. Idempotent; installs ziglang with pip
# when missing.
# Usage: tests-wasi/real/build.sh [sqlite] [lua]   (no names: both)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="${TMPDIR:-/tmp}/wvm-real-src"
mkdir -p "$scratch"

if ! python3 -c 'import ziglang' 2>/dev/null; then
    echo "installing ziglang (pip)..."
    python3 -m pip install --quiet ziglang
fi
ZCC=(python3 -m ziglang cc --target=wasm32-wasi)
# wasi-libc's emulations for what these programs use (signal, clock(), getpid, mmap).
EMUL_DEFS=(-D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID
           -D_WASI_EMULATED_MMAN)
EMUL_LIBS=(-lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid
           -lwasi-emulated-mman)

SQLITE_NPM=sqlite3@6.0.1
SQLITE_DIR=sqlite-autoconf-3520000
build_sqlite() {
    local src="$scratch/$SQLITE_DIR"
    if [ ! -f "$src/shell.c" ]; then
        echo "fetching the SQLite amalgamation (npm $SQLITE_NPM)..."
        (cd "$scratch" && rm -rf package && npm pack --silent "$SQLITE_NPM" > /dev/null \
            && tar xzf sqlite3-*.tgz && tar xzf "package/deps/$SQLITE_DIR.tar.gz")
    fi
    echo "building sqlite3.wasm (takes a few minutes)..."
    # No threads, no extension loading, no WAL (no shared memory in WASI), no system() (the
    # shell's .system/.shell/.edit), which wasi-libc lacks.
    "${ZCC[@]}" -O2 -s -w "${EMUL_DEFS[@]}" \
        -DSQLITE_THREADSAFE=0 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_WAL \
        -DSQLITE_NOHAVE_SYSTEM -DSQLITE_ENABLE_MATH_FUNCTIONS \
        "$src/shell.c" "$src/sqlite3.c" "${EMUL_LIBS[@]}" -o "$here/sqlite3.wasm"
    echo "built sqlite3.wasm ($(wc -c < "$here/sqlite3.wasm") B)"
}

LUPA_VERSION=2.8
LUA_DIR=lua54
build_lua() {
    local src="$scratch/lupa-$LUPA_VERSION/third-party/$LUA_DIR"
    if [ ! -f "$src/lua.c" ]; then
        echo "fetching the Lua sources (PyPI lupa $LUPA_VERSION sdist)..."
        python3 -m pip download --quiet --no-deps --no-binary :all: --no-build-isolation \
            "lupa==$LUPA_VERSION" -d "$scratch"
        (cd "$scratch" && tar xzf "lupa-$LUPA_VERSION.tar.gz")
    fi
    echo "building lua.wasm..."
    # wasi-libc's setjmp/longjmp need the exception-handling proposal, so shim/lua/setjmp.h
    # stands in for <setjmp.h> and sets Lua's own LUAI_THROW/LUAI_TRY hooks: a Lua error
    # prints its message and aborts (a trap) instead of unwinding to pcall; coroutine
    # yields are errors too. os.execute reports "no shell", os.tmpname and io.tmpfile fail
    # (wasi-libc has no system, tmpnam or tmpfile). The Lua sources are not changed.
    local files
    files=$(cd "$src" && ls *.c | grep -v -E '^(onelua|ltests)\.c$' | sed "s|^|$src/|")
    # shellcheck disable=SC2086
    "${ZCC[@]}" -O2 -s -std=gnu99 -Wno-deprecated-declarations -I"$here/shim/lua" \
        -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS \
        "-Dl_system(cmd)=((cmd)==NULL?0:-1)" -DLUA_TMPNAMBUFSIZE=32 \
        "-Dlua_tmpnam(b,e)={ (b)[0]=0; e=1; }" \
        $files "$here/shim/lua/wasi_stubs.c" \
        -lwasi-emulated-signal -lwasi-emulated-process-clocks -o "$here/lua.wasm"
    echo "built lua.wasm ($(wc -c < "$here/lua.wasm") B)"
}

if [ "$#" -eq 0 ]; then set -- sqlite lua; fi
for what in "$@"; do
    case "$what" in
        sqlite) build_sqlite ;;
        lua) build_lua ;;
        *) echo "unknown program $what (sqlite, lua)" >&2; exit 2 ;;
    esac
done
