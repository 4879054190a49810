#!/usr/bin/env bash
# Builds the WASI test programs (src/*.c) into wasm/*.wasm with zig's C compiler.
# Needs `pip install ziglang`. The built .wasm files are committed, so tests do not need zig.
# Usage: tests-wasi/build.sh [name ...]   (no names: all programs)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/wasm"
if [ "$#" -eq 0 ]; then
    set -- $(cd "$here/src" && ls *.c | sed 's/\.c$//')
fi
for name in "$@"; do
    echo "building $name.wasm"
    python3 -m ziglang cc --target=wasm32-wasi -O2 -s -Wall -Werror \
        -o "$here/wasm/$name.wasm" "$here/src/$name.c"
done
