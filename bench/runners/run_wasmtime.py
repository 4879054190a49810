#!/usr/bin/env python3
"""Runner shim for wasmtime (PyPI `wasmtime`): run_wasmtime.py FILE.wasm EXPORT [ARG...]

Compiles the module (Cranelift, wasmtime's default), instantiates it, calls EXPORT with the
integer arguments and prints each result on its own line. Imports, if any, are satisfied
with WASI (wasmtime's own implementation).

With EXPORT `_start` the module is run as a WASI command and ARG... become its argv.
"""
import sys

import wasmtime


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: run_wasmtime.py FILE.wasm EXPORT [ARG...]", file=sys.stderr)
        return 2
    path, name = sys.argv[1], sys.argv[2]
    command = name == "_start"
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    module = wasmtime.Module.from_file(engine, path)
    linker = wasmtime.Linker(engine)
    if module.imports:
        linker.define_wasi()
        wasi = wasmtime.WasiConfig()
        wasi.inherit_stdout()
        wasi.inherit_stderr()
        if command:
            wasi.argv = [path, *sys.argv[3:]]
        store.set_wasi(wasi)
    instance = linker.instantiate(store, module)
    func = instance.exports(store)[name]
    if command:
        try:
            func(store)
        except wasmtime.ExitTrap as e:
            return e.code
        return 0
    result = func(store, *[int(a) for a in sys.argv[3:]])
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
