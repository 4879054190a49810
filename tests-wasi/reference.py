#!/usr/bin/env python3
"""Runs the WASI test programs under wasmtime (the `wasmtime` Python package) as a reference,
with the same sandbox fixture as crates/wvm-wasi/tests/programs.rs, and compares with
expected/ (or rewrites expected/ with --update). A development aid for checking that the
expectations are right independently of wvm; the Rust test does not need it.

Usage: python3 tests-wasi/reference.py [--update] [name ...]
"""
import os
import sys
import tempfile

import wasmtime

HERE = os.path.dirname(os.path.abspath(__file__))

# Where wasmtime itself does not do what WASI preview 1 asks, so expected/ was written for
# the specified behaviour: these are skipped here.
WASMTIME_DIFFERS = {
    "clocks": "wasmtime has no process/thread CPU-time clocks",
    "files": "wasmtime answers fd_allocate (posix_fallocate) with an error",
    "raw": "wasmtime traps on out-of-bounds pointers where WASI asks for EFAULT",
}


def read(path, default=None, binary=False):
    if not os.path.exists(path):
        return default
    with open(path, "rb" if binary else "r", encoding=None if binary else "utf-8") as f:
        return f.read()


def fixture(root):
    os.makedirs(os.path.join(root, "sandbox", "data"))
    os.makedirs(os.path.join(root, "ro"))
    os.makedirs(os.path.join(root, "outside"))
    with open(os.path.join(root, "sandbox", "data", "hello.txt"), "w") as f:
        f.write("hello from the host\n")
    with open(os.path.join(root, "ro", "ro.txt"), "w") as f:
        f.write("read-only data\n")
    with open(os.path.join(root, "outside", "secret.txt"), "w") as f:
        f.write("secret\n")


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
    exp = os.path.join(HERE, "expected", name)
    args = [f"{name}.wasm"] + read(exp + ".args", "").splitlines()
    env = [tuple(l.split("=", 1)) for l in read(exp + ".env", "").splitlines()]
    stdin = read(exp + ".stdin", b"", binary=True)
    with tempfile.TemporaryDirectory() as root:
        fixture(root)
        with open(os.path.join(root, "stdin"), "wb") as f:
            f.write(stdin)
        engine = wasmtime.Engine()
        store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        cfg = wasmtime.WasiConfig()
        cfg.argv = args
        cfg.env = env
        cfg.stdin_file = os.path.join(root, "stdin")
        cfg.stdout_file = os.path.join(root, "stdout")
        cfg.stderr_file = os.path.join(root, "stderr")
        cfg.preopen_dir(os.path.join(root, "sandbox"), "/")
        cfg.preopen_dir(os.path.join(root, "ro"), "/ro", False)
        store.set_wasi(cfg)
        module = wasmtime.Module.from_file(engine, os.path.join(HERE, "wasm", name + ".wasm"))
        inst = linker.instantiate(store, module)
        code = 0
        try:
            inst.exports(store)["_start"](store)
        except wasmtime.ExitTrap as e:
            code = e.code
        out = {
            "stdout": read(os.path.join(root, "stdout"), b"", binary=True),
            "stderr": read(os.path.join(root, "stderr"), b"", binary=True),
            "exit": f"{code}\n".encode(),
            "files": listing(os.path.join(root, "sandbox")).encode(),
        }
        assert listing(os.path.join(root, "ro")) == "ro.txt 15\n", "ro changed"
        assert listing(os.path.join(root, "outside")) == "secret.txt 7\n", "outside changed"
        return out


def main():
    update = "--update" in sys.argv
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not names:
        names = sorted(f[:-5] for f in os.listdir(os.path.join(HERE, "wasm")) if f.endswith(".wasm"))
    failed = 0
    skipped = 0
    for name in names:
        if name in WASMTIME_DIFFERS:
            print(f"{name}: skipped ({WASMTIME_DIFFERS[name]})")
            skipped += 1
            continue
        got = run(name)
        for kind, data in got.items():
            path = os.path.join(HERE, "expected", f"{name}.{kind}")
            if update:
                with open(path, "wb") as f:
                    f.write(data)
            elif read(path, b"", binary=True) != data:
                failed += 1
                print(f"{name}: {kind} differs")
        print(f"{name}: {'written' if update else 'checked'} (exit {got['exit'].decode().strip()})")
    print(f"{len(names) - failed - skipped} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
