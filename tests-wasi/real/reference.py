#!/usr/bin/env python3
"""Runs the real-world cases (cases/NAME.cmd) under wasmtime (the `wasmtime` Python package,
`pip install wasmtime`) and writes what it printed into expected/, which the wvm test
(crates/wvm-cli/tests/real.rs) compares `wvm run` against. Without --update it only checks
that expected/ still matches wasmtime.

A case: cases/NAME.cmd holds the program (a .wasm next to this script) on its first line and
its arguments one per line after it; cases/NAME.stdin, if present, is its stdin. Each run
gets a fresh copy of inputs/ preopened as `/`; argv[0] is the program's file name.
Recorded: NAME.stdout, NAME.stderr, NAME.exit (134 for a trap, as `wvm run` and the
wasmtime CLI exit on Unix) and NAME.files (what is left in the sandbox: `dir/`,
`file SIZE`, sorted).

Usage: python3 tests-wasi/real/reference.py [--update] [NAME ...]
"""
import os
import shutil
import sys
import tempfile

import wasmtime

HERE = os.path.dirname(os.path.abspath(__file__))
TRAP_EXIT = 134


def read(path, default=b""):
    if not os.path.exists(path):
        return default
    with open(path, "rb") as f:
        return f.read()


def listing(top):
    out = []
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, top)
            if os.path.islink(full):
                out.append(f"{rel} -> {os.readlink(full)}")
            elif os.path.isdir(full):
                out.append(f"{rel}/")
            else:
                out.append(f"{rel} {os.path.getsize(full)}")
    out.sort(key=lambda s: s.encode())
    return "".join(line + "\n" for line in out)


def run(name):
    cmd = read(os.path.join(HERE, "cases", name + ".cmd")).decode().splitlines()
    program, args = cmd[0], cmd[1:]
    stdin = read(os.path.join(HERE, "cases", name + ".stdin"))
    with tempfile.TemporaryDirectory() as root:
        sandbox = os.path.join(root, "sandbox")
        shutil.copytree(os.path.join(HERE, "inputs"), sandbox)
        with open(os.path.join(root, "stdin"), "wb") as f:
            f.write(stdin)
        engine = wasmtime.Engine()
        store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        cfg = wasmtime.WasiConfig()
        cfg.argv = [program] + args
        cfg.stdin_file = os.path.join(root, "stdin")
        cfg.stdout_file = os.path.join(root, "stdout")
        cfg.stderr_file = os.path.join(root, "stderr")
        cfg.preopen_dir(sandbox, "/")
        store.set_wasi(cfg)
        module = wasmtime.Module.from_file(engine, os.path.join(HERE, program))
        inst = linker.instantiate(store, module)
        code = 0
        try:
            inst.exports(store)["_start"](store)
        except wasmtime.ExitTrap as e:
            code = e.code
        except wasmtime.Trap:
            code = TRAP_EXIT
        return {
            "stdout": read(os.path.join(root, "stdout")),
            "stderr": read(os.path.join(root, "stderr")),
            "exit": f"{code}\n".encode(),
            "files": listing(sandbox).encode(),
        }


def main():
    update = "--update" in sys.argv
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not names:
        names = sorted(f[:-4] for f in os.listdir(os.path.join(HERE, "cases")) if f.endswith(".cmd"))
    os.makedirs(os.path.join(HERE, "expected"), exist_ok=True)
    failed = 0
    for name in names:
        got = run(name)
        differs = False
        for kind, data in got.items():
            path = os.path.join(HERE, "expected", f"{name}.{kind}")
            if update:
                with open(path, "wb") as f:
                    f.write(data)
            elif read(path, None) != data:
                differs = True
                print(f"{name}: {kind} differs from wasmtime's")
        failed += differs
        print(f"{name}: {'written' if update else 'checked'} (exit {got['exit'].decode().strip()})")
    print(f"{len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
