#!/usr/bin/env python3
"""Runner shim for wasm3 (PyPI `pywasm3`): run_wasm3.py FILE.wasm EXPORT [ARG...]

Parses and loads the module into a wasm3 runtime, calls EXPORT with the integer arguments and
prints each result on its own line. Modules with imports get wasm3's WASI linked in.
"""
import sys

import wasm3

STACK_BYTES = 1 << 20  # wasm3 value stack; fib's recursion depth needs far less


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: run_wasm3.py FILE.wasm EXPORT [ARG...]", file=sys.stderr)
        return 2
    path, name, args = sys.argv[1], sys.argv[2], [int(a) for a in sys.argv[3:]]
    with open(path, "rb") as f:
        data = f.read()
    env = wasm3.Environment()
    runtime = env.new_runtime(STACK_BYTES)
    module = env.parse_module(data)
    runtime.load(module)
    try:
        module.link_wasi()
    except Exception:  # no imports to link, or already linked
        pass
    func = runtime.find_function(name)
    result = func(*args)
    if result is None:
        results = []
    elif isinstance(result, (list, tuple)):
        results = list(result)
    else:
        results = [result]
    for r in results:
        print(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
