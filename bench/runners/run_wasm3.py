#!/usr/bin/env python3
"""Runner shim for wasm3 (PyPI `pywasm3`): run_wasm3.py FILE.wasm EXPORT [ARG...]

Parses and loads the module into a wasm3 runtime, calls EXPORT with the integer arguments and
prints each result on its own line.

With EXPORT `_start` the module is run as a WASI command and ARG... become its argv. pywasm3
does not expose wasm3's WASI, so this file links the few WASI preview1 functions our
benchmark programs import (args, fd_write to stdout/stderr, proc_exit, and stubs) itself.
"""
import struct
import sys

import wasm3

STACK_BYTES = 1 << 20  # wasm3 value stack; fib's recursion depth needs far less
WASI = "wasi_snapshot_preview1"
ERRNO_BADF = 8
ERRNO_SPIPE = 70


class ProcExit(Exception):
    def __init__(self, code: int):
        super().__init__(f"proc_exit({code})")
        self.code = code


def link_wasi(module, runtime, argv: list[str], exit_box: list) -> None:
    encoded = [a.encode() + b"\0" for a in argv]

    def mem():
        return runtime.get_memory(0)

    def args_sizes_get(argc_ptr, size_ptr):
        m = mem()
        m[argc_ptr:argc_ptr + 4] = struct.pack("<I", len(encoded))
        m[size_ptr:size_ptr + 4] = struct.pack("<I", sum(len(a) for a in encoded))
        return 0

    def args_get(argv_ptr, buf_ptr):
        m = mem()
        for i, a in enumerate(encoded):
            m[argv_ptr + 4 * i:argv_ptr + 4 * i + 4] = struct.pack("<I", buf_ptr)
            m[buf_ptr:buf_ptr + len(a)] = a
            buf_ptr += len(a)
        return 0

    def fd_write(fd, iovs, iovs_len, nwritten_ptr):
        if fd not in (1, 2):
            return ERRNO_BADF
        m = mem()
        total = 0
        out = sys.stdout.buffer if fd == 1 else sys.stderr.buffer
        for i in range(iovs_len):
            base, length = struct.unpack("<II", bytes(m[iovs + 8 * i:iovs + 8 * i + 8]))
            out.write(bytes(m[base:base + length]))
            total += length
        out.flush()
        m[nwritten_ptr:nwritten_ptr + 4] = struct.pack("<I", total)
        return 0

    def fd_fdstat_get(fd, stat_ptr):
        if fd not in (0, 1, 2):
            return ERRNO_BADF
        m = mem()
        # filetype = character device (2), no flags, all rights
        m[stat_ptr:stat_ptr + 24] = struct.pack("<BxHxxxxQQ", 2, 0, (1 << 64) - 1, (1 << 64) - 1)
        return 0

    def fd_seek(fd, offset, whence, newoffset_ptr):
        return ERRNO_SPIPE

    def fd_close(fd):
        return 0

    def proc_exit(code):
        exit_box.append(code)
        raise ProcExit(code)

    table = {
        "args_sizes_get": ("i(ii)", args_sizes_get),
        "args_get": ("i(ii)", args_get),
        "fd_write": ("i(iiii)", fd_write),
        "fd_fdstat_get": ("i(ii)", fd_fdstat_get),
        "fd_seek": ("i(iIii)", fd_seek),
        "fd_close": ("i(i)", fd_close),
        "proc_exit": ("v(i)", proc_exit),
    }
    for name, (sig, fn) in table.items():
        try:
            module.link_function(WASI, name, sig, fn)
        except Exception:  # pylint: disable=broad-except
            pass  # not imported by this module (pywasm3 usually just ignores it)


def main() -> int:
    if len(sys.argv) < 3:
        print("usage: run_wasm3.py FILE.wasm EXPORT [ARG...]", file=sys.stderr)
        return 2
    path, name = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    env = wasm3.Environment()
    runtime = env.new_runtime(STACK_BYTES)
    module = env.parse_module(data)
    runtime.load(module)
    if name == "_start":
        exit_box: list = []
        link_wasi(module, runtime, [path, *sys.argv[3:]], exit_box)
        try:
            runtime.find_function("_start")()
        except Exception:
            if exit_box:
                return exit_box[0]
            raise
        return 0
    func = runtime.find_function(name)
    result = func(*[int(a) for a in sys.argv[3:]])
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
