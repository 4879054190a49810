#!/usr/bin/env python3
"""Run the wvm benchmarks on wvm and on peer engines and compare.

Usage: python3 bench/compare.py [--wvm PATH] [--runs N] [--small] [--only NAME[,NAME...]]
                                [--engines wvm,wasmi,wasmtime,wasm3,node] [--skip-missing]
                                [--no-install] [--wasi] [--strict] [--json FILE]
                                [--baseline PATH]

Every benchmark in bench/wasm/ is a module with no imports exporting `run(n)` that returns a
checksum (see bench/programs/). For each benchmark the engines run alternately, `--runs` times
each, each run a fresh process. Reported per engine and benchmark: the median wall time of the
process (start to exit: startup, load, compile/validate, instantiate, run), its peak resident
memory, and whether its checksum agrees with the other engines and with the checksum recorded
below (`expect`, what every peer engine gives), so even a run of wvm alone is checked.

The `large` row is the load-time case: bench/wasm/large.wasm (SQLite + QuickJS, 2.2 MB, 2 MB
of code) with the export `noop` that returns 0 at once, so the time is process start + load + decode/validate
(+ compile, for engines that compile) + instantiate. What each engine does on load:
  wvm       `wvm run --compilation-mode eager --invoke noop FILE`: like wasmi's eager mode,
            decode + validate + translate every function (its default, lazy translation,
            validates every function but translates only those that are called)
  wasmi     `wasmi --compilation-mode eager --invoke noop FILE`: eager mode translates every
            function up front (its default, lazy-translation, would skip almost all of them)
  wasmtime  Python binding: Module.from_file compiles the whole module with Cranelift, then
            instantiate (WASI defined in the linker)
  wasm3     Python binding: parse + load; wasm3 compiles functions lazily on first call, so this
            is mostly parsing
  node      V8: new WebAssembly.Module + Instance; node 20's V8 validates the module and
            compiles each function lazily (--wasm-lazy-compilation is on by default), with
            Liftoff on first call and TurboFan for hot code
Runners written in Python (wasmtime, wasm3) include the Python interpreter's start (~tens of
ms) and node its own start; the `empty` row shows each engine's fixed cost.

With --wasi the WASI builds (bench/wasm/NAME.wasi.wasm) run instead, as commands whose argv[1]
is n and which print the checksum: `wvm run FILE n`, `wasmi FILE n`, and the runners with the
export name `_start` (node:wasi; wasmtime's WASI; a minimal WASI shim for wasm3 in its runner).
The SQLite rows have no WASI build and are left out there.

The `imgfilter` row is the SIMD benchmark (bench/programs/imgfilter.c built with -msimd128, its
hot loops are v128 code); `imgfilter_scalar` is the same source built without -msimd128, so the
two rows show what SIMD is worth on each engine. wasm3 has no SIMD: its imgfilter cell shows
"n/a (no SIMD)" and counts as skipped, not failed (also under --strict).

--baseline PATH adds a second wvm binary as the engine column `wvm-base` (run like wvm,
alternating with the other engines, checksums checked) with the ratio column wvm/wvm-base: a
before/after comparison of two builds of wvm in one run, e.g.
  python3 bench/compare.py --engines wvm --baseline /path/to/old/wvm --runs 3

Exit status: 1 if any two engines disagree on a checksum (or, with --strict, if any engine
failed or could not be run), else 0. The last line printed is "checksums: N passed, N failed"
(", N skipped" for engines not run), counting benchmark x engine cells. Engines that fail
are reported as "n/a (error: ...)" and never stop the run.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
WASM_DIR = os.path.join(BENCH_DIR, "wasm")
RUNNERS = os.path.join(BENCH_DIR, "runners")

ALL_ENGINES = ["wvm", "wasmi", "wasmtime", "wasm3", "node"]
BASE = "wvm-base"  # the --baseline binary, run like wvm
FUEL = "wvm-fuel"  # --fuel: wvm with fuel metering on (a budget it never exhausts)
FUEL_BUDGET = str(10**18)
NO_SIMD = {"wasm3"}  # engines without the SIMD proposal
TIMEOUT_S = 300.0
NET_NOISE_FRACTION = 0.2  # net times below this share of the median are startup noise


@dataclass
class Bench:
    name: str
    n: int | None  # argument for the normal run (None: no argument)
    small: int | None  # argument for --small
    bits: int = 32  # width of the checksum: results compare modulo 2**bits
    export: str = "run"
    what: str = ""
    module: str = ""  # file name in bench/wasm without .wasm; default: name
    expect: int | None = None  # checksum for n (unsigned, modulo 2**bits), as every peer gives
    expect_small: int | None = None  # checksum for the small size
    simd: bool = False  # uses v128 instructions (engines in NO_SIMD cannot run it)

    def wasm(self, wasi: bool) -> str:
        suffix = ".wasi.wasm" if wasi else ".wasm"
        return os.path.join(WASM_DIR, f"{self.module or self.name}{suffix}")

    def unsupported(self, engine: str) -> str | None:
        """Why `engine` cannot run this benchmark at all (shown as n/a, counted as skipped)."""
        if self.simd and engine in NO_SIMD:
            return "no SIMD"
        return None


# Sizes: each normal size takes roughly 0.5-2 s on wasmi 2.0 on the reference machine.
BENCHES = [
    Bench("empty", 0, 0, expect=0, expect_small=0,
          what="startup only: run() returns 0"),
    Bench("fib", 36, 20, expect=14930352, expect_small=6765,
          what="recursive calls: fib(n)"),
    Bench("sieve", 50, 1, expect=2950963345, expect_small=1130598,
          what="byte loads/stores: n sieves of 1 MiB"),
    Bench("matmul", 450, 20, expect=2933653554, expect_small=2151132080,
          what="f64: n x n matrix multiply"),
    Bench("hash", 1800, 5, expect=3027072717, expect_small=26542065,
          what="i32 rotates/bit ops: n passes over 64 KiB"),
    Bench("nbody", 400000, 1000, expect=1442821152, expect_small=3871920994,
          what="f64 + sqrt: n steps of 5 bodies"),
    Bench("interp", 25000, 50, expect=568848260, expect_small=2504117678,
          what="br_table dispatch: n loops of a 512-op bytecode body"),
    Bench("qsort", 200000, 1000, expect=1075115951, expect_small=2030425318,
          what="call_indirect comparator: sort n u32 twice"),
    Bench("i64", 16000000, 10000, bits=64,
          expect=8246266533341418721, expect_small=3885253437952292324,
          what="i64 xorshift/mul-hash: n iterations"),
    Bench("memops", 150000, 100, expect=143838509, expect_small=4015657959,
          what="memory.copy/fill: n rounds on 2 x 1 MiB"),
    Bench("imgfilter", 40, 1, expect=1713976853, expect_small=590363951, simd=True,
          what="SIMD (-msimd128): n passes of blur + sharpen + contrast over 512x256 RGBA u8"),
    Bench("imgfilter_scalar", 40, 1, module="imgfilter_scalar",
          expect=1713976853, expect_small=590363951,
          what="the same image filter source built without -msimd128"),
    Bench("sqlite", 20000, 100, export="query", module="large",
          expect=63309253, expect_small=1055178764,
          what="SQLite in-memory: insert n rows, group-by query (large.wasm)"),
    Bench("js", 40000, 200, export="js", module="large",
          expect=1441797564, expect_small=(-16946759) % (1 << 32),
          what="QuickJS: arrays, sort, objects, JSON, regexp in JavaScript (large.wasm)"),
    Bench("large", None, None, export="noop", module="large",
          expect=0, expect_small=0,
          what="load time: SQLite + QuickJS module (large.wasm), call noop()"),
]


@dataclass
class RunResult:
    ok: bool
    seconds: float = 0.0
    maxrss_kb: int = 0
    value: int | None = None
    error: str = ""


@dataclass
class Cell:
    runs: list[RunResult] = field(default_factory=list)

    def ok_runs(self) -> list[RunResult]:
        return [r for r in self.runs if r.ok]

    def failed(self) -> RunResult | None:
        return next((r for r in self.runs if not r.ok), None)

    def median(self) -> float | None:
        ok = self.ok_runs()
        if not ok or self.failed():
            return None
        return statistics.median(r.seconds for r in ok)

    def maxrss_kb(self) -> int | None:
        ok = self.ok_runs()
        if not ok or self.failed():
            return None
        return max(r.maxrss_kb for r in ok)

    def value(self) -> int | None:
        vals = {r.value for r in self.ok_runs()}
        if len(vals) != 1:
            return None
        return vals.pop()


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- engines


def engine_command(engine: str, wvm: str, wasm: str, export: str, args: list[str],
                   load_only: bool, base: str = "") -> list[str]:
    """The command running `export(args)`; export `_start` runs a WASI command with argv args."""
    # A baseline binary may predate --compilation-mode (it translated eagerly anyway).
    is_base = engine == BASE
    if engine == BASE:
        engine, wvm = "wvm", base
    if engine == FUEL:
        if export == "_start":
            return [wvm, "run", "--fuel", FUEL_BUDGET, wasm, *args]
        # The load row compares eager translation, as for wvm (see the docstring).
        mode = ["--compilation-mode", "eager"] if load_only else []
        return [wvm, "run", "--fuel", FUEL_BUDGET, *mode, "--invoke", export, wasm, *args]
    if export == "_start" and engine == "wvm":
        return [wvm, "run", wasm, *args]
    if export == "_start" and engine == "wasmi":
        return ["wasmi", wasm, *args]
    if engine == "wvm":
        mode = ["--compilation-mode", "eager"] if load_only and not is_base else []
        return [wvm, "run", *mode, "--invoke", export, wasm, *args]
    if engine == "wasmi":
        mode = ["--compilation-mode", "eager"] if load_only else []
        return ["wasmi", *mode, "--invoke", export, wasm, *args]
    if engine == "wasmtime":
        return [sys.executable, os.path.join(RUNNERS, "run_wasmtime.py"), wasm, export, *args]
    if engine == "wasm3":
        return [sys.executable, os.path.join(RUNNERS, "run_wasm3.py"), wasm, export, *args]
    if engine == "node":
        return ["node", "--no-warnings", os.path.join(RUNNERS, "run_node.js"), wasm, export, *args]
    raise ValueError(engine)


def python_has(module: str) -> bool:
    probe = subprocess.run([sys.executable, "-c", f"import {module}"],
                           capture_output=True, text=True)
    return probe.returncode == 0


def run_quiet(cmd: list[str]) -> tuple[bool, str]:
    log(f"  $ {' '.join(cmd)}")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, str(e)
    tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
    return p.returncode == 0, " | ".join(tail)


def wasmi_version() -> tuple[int, ...] | None:
    if not shutil.which("wasmi"):
        return None
    p = subprocess.run(["wasmi", "--version"], capture_output=True, text=True)
    m = re.search(r"(\d+)\.(\d+)\.(\d+)", p.stdout)
    return tuple(int(x) for x in m.groups()) if m else None


def ensure_engine(engine: str, wvm: str, install: bool, base: str = "") -> str | None:
    """Returns None when the engine is usable, else why not."""
    if engine == BASE:
        if os.path.isfile(base) and os.access(base, os.X_OK):
            return None
        return f"baseline wvm binary not found at {base}"
    if engine in ("wvm", FUEL):
        if os.path.isfile(wvm) and os.access(wvm, os.X_OK):
            return None
        return f"wvm binary not found at {wvm} (cargo build --release -p wvm-cli)"
    if engine == "wasmi":
        v = wasmi_version()
        if v is not None and v >= (2, 0, 0):
            return None
        if not install:
            return "wasmi_cli >= 2.0 not installed (cargo install wasmi_cli --locked)"
        log(f"installing wasmi_cli (found {v})...")
        ok, msg = run_quiet(["cargo", "install", "wasmi_cli", "--locked"])
        v = wasmi_version()
        return None if v is not None else f"cargo install wasmi_cli failed: {msg}"
    if engine in ("wasmtime", "wasm3"):
        module, package = ("wasmtime", "wasmtime") if engine == "wasmtime" else ("wasm3", "pywasm3")
        if python_has(module):
            return None
        if not install:
            return f"python package {package} not installed"
        log(f"installing {package} (pip)...")
        ok, msg = run_quiet([sys.executable, "-m", "pip", "install", "--quiet", package])
        return None if python_has(module) else f"pip install {package} failed: {msg}"
    if engine == "node":
        return None if shutil.which("node") else "node not found on PATH"
    return f"unknown engine {engine}"


def engine_version(engine: str, wvm: str, base: str = "") -> str:
    def cmd_out(cmd: list[str]) -> str:
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
            return (p.stdout or p.stderr).strip().splitlines()[0] if (p.stdout or p.stderr) else "?"
        except (OSError, subprocess.TimeoutExpired, IndexError):
            return "?"

    if engine == "wvm":
        return cmd_out([wvm, "--version"])
    if engine == BASE:
        return f"{cmd_out([base, '--version'])} ({base})"
    if engine == FUEL:
        return f"{cmd_out([wvm, '--version'])} with --fuel {FUEL_BUDGET}"
    if engine == "wasmi":
        return cmd_out(["wasmi", "--version"])
    if engine == "wasmtime":
        try:
            return f"wasmtime-py {importlib.metadata.version('wasmtime')}"
        except importlib.metadata.PackageNotFoundError:
            return "?"
    if engine == "wasm3":
        try:
            v = importlib.metadata.version("pywasm3")
        except importlib.metadata.PackageNotFoundError:
            return "?"
        core = cmd_out([sys.executable, "-c", "import wasm3; print(getattr(wasm3, 'M3_VERSION', '?'))"])
        return f"pywasm3 {v} (wasm3 {core})"
    if engine == "node":
        return "node " + cmd_out(["node", "--version"])
    return "?"


# ---------------------------------------------------------------- running

# An integer standing alone (not part of a word such as "i32" or of a float such as "1.5").
INT_RE = re.compile(r"(?<![\w.])-?\d+(?![\w.])")


def parse_value(stdout: str, bits: int) -> int | None:
    """The last integer printed, taken modulo 2**bits (engines print i32/i64 signed)."""
    for line in reversed(stdout.strip().splitlines()):
        found = INT_RE.findall(line)
        if found:
            return int(found[-1]) % (1 << bits)
    return None


def short(msg: str, limit: int = 160) -> str:
    msg = " ".join(msg.split())
    return msg if len(msg) <= limit else msg[: limit - 3] + "..."


# Peak memory: the max RSS that wait4 reports for a child forked from this (Python) process
# starts at the size of the fork's copy of the harness, and exec keeps that high-water mark.
# GNU time is a small process, so its report of its own child's max RSS is the engine's alone.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_once(cmd: list[str], bits: int, expect_output: bool) -> RunResult:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r", suffix=".rss") as rss_file:
        full = cmd
        if GNU_TIME:
            full = [GNU_TIME, "-q", "-f", "%M", "-o", rss_file.name, *cmd]
        try:
            t0 = time.perf_counter()
            proc = subprocess.Popen(full, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as e:
            return RunResult(False, error=short(str(e)))
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            try:
                proc.kill()
            except OSError:
                pass

        timer = threading.Timer(TIMEOUT_S, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        maxrss_kb = usage.ru_maxrss
        if GNU_TIME:
            rss_file.seek(0)
            found = re.findall(r"^(\d+)$", rss_file.read(), re.M)
            if found:
                maxrss_kb = int(found[-1])
    if timed_out.is_set():
        return RunResult(False, error=f"timeout after {TIMEOUT_S:.0f} s")
    if proc.returncode != 0:
        lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
        # the most telling line is usually the first "error" line, else the last line
        pick = next((ln for ln in lines if "rror" in ln or "trap" in ln.lower()), None)
        detail = pick or (lines[-1] if lines else stdout.strip()[-200:]) or "(no output)"
        return RunResult(False, error=short(f"exit {proc.returncode}: {detail}"))
    value = parse_value(stdout, bits)
    if expect_output and value is None:
        return RunResult(False, error=short(f"no integer in output: {stdout!r}"))
    return RunResult(True, seconds, maxrss_kb, value)


# ---------------------------------------------------------------- report


def fmt_time(s: float | None) -> str:
    if s is None:
        return "n/a"
    return f"{s * 1000:.1f} ms" if s < 1.0 else f"{s:.3f} s"


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values))


def md_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(header), sep, *[line(r) for r in rows]])


def time_table(benches: list[Bench], engines: list[str], cells: dict, mismatches: dict,
               missing: dict, small: bool, note, baseline: dict[str, float] | None) -> str:
    """Median times per engine; with `baseline`, each engine's baseline is subtracted."""
    peers = [e for e in engines if e != "wvm"]
    show_ratio = "wvm" in engines and bool(peers)
    header = ["bench", "n", *engines]
    if show_ratio:
        header += [f"wvm/{p}" for p in peers]
    header.append("check")
    rows = []
    per_engine_times: dict[str, list[float]] = {e: [] for e in engines}
    ratios: dict[str, list[float]] = {p: [] for p in peers}
    complete = 0  # rows used for the geometric means of times
    row_meds: list[dict[str, float]] = []
    for b in benches:
        if baseline is not None and b.name == "empty":
            continue
        n = b.small if small else b.n
        row = [b.name, "-" if n is None else str(n)]
        meds = {}
        for e in engines:
            if e in missing:
                row.append("n/a")
                continue
            why = b.unsupported(e)
            if why:
                row.append(f"n/a ({why})")
                continue
            cell: Cell = cells[(b.name, e)]
            bad = cell.failed()
            if bad:
                row.append("n/a (error: " + note(f"{e}/{b.name}: n/a (error: {bad.error})") + ")")
                continue
            med = cell.median()
            if baseline is not None:
                if e not in baseline:
                    row.append("-")
                    continue
                net = med - baseline[e]
                if net < NET_NOISE_FRACTION * med:
                    # within startup noise: no meaningful net time, left out of ratios/geomeans
                    row.append("~0")
                    continue
                med = net
            meds[e] = med
            row.append(fmt_time(med))
        if show_ratio:
            for p in peers:
                if meds.get("wvm") and meds.get(p):
                    row.append(f"{meds['wvm'] / meds[p]:.2f}")
                    ratios[p].append(meds["wvm"] / meds[p])
                else:
                    row.append("-")
        if b.name in mismatches:
            row.append("MISMATCH " + note(f"{b.name}: checksums disagree: {mismatches[b.name]}"))
        else:
            row.append("ok" if meds else "-")
        rows.append(row)
        row_meds.append(meds)
    # Geomean of times: over the rows where every engine that ran anything has a time (an
    # engine that failed everywhere, like a wvm that does not run yet, is left out).
    active = {e for meds in row_meds for e in meds}
    for meds in row_meds:
        if active and all(e in meds for e in active):
            complete += 1
            for e in meds:
                per_engine_times[e].append(meds[e])
    gm_row = ["geomean", f"{complete} rows"]
    for e in engines:
        g = geomean(per_engine_times[e]) if e not in missing else None
        gm_row.append(fmt_time(g))
    if show_ratio:
        for p in peers:
            g = geomean(ratios[p])
            gm_row.append(f"{g:.2f}" if g else "-")
    gm_row.append("")
    rows.append(gm_row)
    return md_table(header, rows)


def report(benches: list[Bench], engines: list[str], cells: dict, mismatches: dict,
           missing: dict, small: bool) -> str:
    notes: list[str] = []

    def note(text: str) -> str:
        if text not in notes:
            notes.append(text)
        return f"[{notes.index(text) + 1}]"

    out = ["### Median wall time per run (process start to exit)", "",
           time_table(benches, engines, cells, mismatches, missing, small, note, None), ""]
    if "wvm" in engines and FUEL in engines and "wvm" not in missing:
        over = []
        for b in benches:
            if b.name == "empty" or b.name in mismatches:
                continue
            a, f = cells[(b.name, "wvm")].median(), cells[(b.name, FUEL)].median()
            if a and f and not cells[(b.name, "wvm")].failed() and not cells[(b.name, FUEL)].failed():
                over.append(f / a)
        g = geomean(over)
        if g:
            out += [f"Fuel metering overhead (wall time, {FUEL} / wvm, geomean over {len(over)} "
                    f"rows without `empty`): {100 * (g - 1):+.1f}% (worst row "
                    f"{100 * (max(over) - 1):+.1f}%).", ""]
    if "wvm" in engines and len(engines) > 1:
        out += ["wvm/peer: ratio of medians (below 1: wvm is faster). Geomean row: times over "
                "the rows where every engine that ran anything has a time; ratios over the rows "
                "where both ran.", ""]
    baseline = {}
    if not small and any(b.name == "empty" for b in benches):
        for e in engines:
            c = cells.get(("empty", e))
            if e not in missing and c is not None and c.median() is not None:
                baseline[e] = min(r.seconds for r in c.ok_runs())
    if baseline and len(benches) > 1:
        out += ["### Net time: median minus the same engine's fastest `empty` run (startup "
                "removed)", "",
                time_table(benches, engines, cells, mismatches, missing, small, note, baseline),
                "", f"`~0`: less than {NET_NOISE_FRACTION:.0%} of the median is left after "
                "taking startup away, i.e. the run is mostly startup (or startup time varied); "
                "such cells are left out of ratios and geomeans.", ""]

    mem_header = ["bench", *engines]
    mem_rows = []
    for b in benches:
        row = [b.name]
        for e in engines:
            why = None if e in missing else b.unsupported(e)
            kb = None if e in missing or why else cells[(b.name, e)].maxrss_kb()
            row.append((f"n/a ({why})" if why else "n/a") if kb is None else f"{kb / 1024:.1f} MB")
        mem_rows.append(row)
    how = "GNU time %M" if GNU_TIME else "wait4 ru_maxrss, includes the harness's fork"
    out += [f"### Peak resident memory (max RSS of the engine process, {how})", "",
            md_table(mem_header, mem_rows), ""]
    for e, why in missing.items():
        out.append(f"- {e}: not run ({why})")
    for i, text in enumerate(notes, 1):
        out.append(f"[{i}] {text}")
    return "\n".join(out)


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wvm", default=os.path.join(REPO_DIR, "target", "release", "wvm"),
                    help="path to the wvm binary (default: target/release/wvm)")
    ap.add_argument("--runs", type=int, default=3, help="runs per engine and benchmark")
    ap.add_argument("--small", action="store_true",
                    help="CI smoke: tiny sizes, 1 run, still checks that outputs agree")
    ap.add_argument("--only", help="comma-separated benchmark names")
    ap.add_argument("--engines", default=",".join(ALL_ENGINES),
                    help=f"comma-separated, from {','.join(ALL_ENGINES)}")
    ap.add_argument("--skip-missing", action="store_true",
                    help="continue without a peer that cannot be installed")
    ap.add_argument("--no-install", action="store_true", help="never install peers")
    ap.add_argument("--strict", action="store_true",
                    help="exit 1 if any engine failed or could not be run at all")
    ap.add_argument("--wasi", action="store_true",
                    help="run the WASI builds (NAME.wasi.wasm: argv n, prints the checksum)")
    ap.add_argument("--json", help="also write the raw results to this file")
    ap.add_argument("--fuel", action="store_true",
                    help=f"also run wvm with fuel metering on, as the engine {FUEL!r}, and "
                         "report the metering overhead")
    ap.add_argument("--baseline", metavar="PATH",
                    help=f"a second wvm binary, run as the extra engine {BASE!r} (before/after)")
    args = ap.parse_args()

    wvm = os.path.abspath(args.wvm)
    runs = 1 if args.small else max(1, args.runs)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for e in engines:
        if e not in ALL_ENGINES:
            ap.error(f"unknown engine {e!r}; known: {', '.join(ALL_ENGINES)}")
    base = ""
    if args.baseline:
        base = os.path.abspath(args.baseline)
        # right after wvm, so the table reads wvm | wvm-base | ...
        at = engines.index("wvm") + 1 if "wvm" in engines else 0
        engines.insert(at, BASE)
    if args.fuel:
        at = engines.index("wvm") + 1 if "wvm" in engines else 0
        engines.insert(at, FUEL)
    benches = BENCHES
    if args.only:
        wanted = {x.strip() for x in args.only.split(",")}
        unknown = wanted - {b.name for b in BENCHES}
        if unknown:
            ap.error(f"unknown benchmark(s) {', '.join(sorted(unknown))}; "
                     f"known: {', '.join(b.name for b in BENCHES)}")
        benches = [b for b in BENCHES if b.name in wanted]
    if args.wasi:
        benches = [b for b in benches if os.path.exists(b.wasm(True))]

    missing: dict[str, str] = {}
    for e in engines:
        why = ensure_engine(e, wvm, install=not args.no_install, base=base)
        if why is None:
            continue
        if e in ("wvm", BASE, FUEL):
            # wvm not built yet: keep going, its cells become n/a with the reason.
            log(f"note: {why}")
            missing[e] = why
        elif args.skip_missing:
            log(f"skipping {e}: {why}")
            missing[e] = why
        else:
            log(f"error: {why} (use --skip-missing to continue without it)")
            return 2

    versions = {e: ("not run" if e in missing else engine_version(e, wvm, base)) for e in engines}
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")), "?")
    except OSError:
        pass
    log(f"machine: {os.cpu_count()} cpus, {cpu}, {platform.platform()}")
    for e in engines:
        log(f"  {e}: {versions[e]}")

    cells = {(b.name, e): Cell() for b in benches for e in engines}
    for b in benches:
        wasm = b.wasm(args.wasi)
        export = "_start" if args.wasi else b.export
        n = b.small if args.small else b.n
        argv = [] if n is None else [str(n)]
        for i in range(runs):
            for e in engines:  # alternate engines within each round
                if e in missing or b.unsupported(e):
                    continue
                cmd = engine_command(e, wvm, wasm, export, argv, load_only=export == "noop",
                                     base=base)
                try:
                    r = run_once(cmd, b.bits, expect_output=True)
                except Exception as exc:  # pylint: disable=broad-except  # never crash the run
                    r = RunResult(False, error=short(f"harness error: {exc!r}"))
                cells[(b.name, e)].runs.append(r)
                status = (f"{r.seconds * 1000:9.1f} ms {r.maxrss_kb / 1024:7.1f} MB  = {r.value}"
                          if r.ok else f"FAILED: {r.error}")
                log(f"{b.name:7} {'' if n is None else n:>9} run {i + 1}/{runs} {e:9} {status}")

    mismatches: dict[str, str] = {}
    for b in benches:
        values = {}
        for e in engines:
            if e in missing or b.unsupported(e) or cells[(b.name, e)].failed():
                continue
            c = cells[(b.name, e)]
            per_run = {r.value for r in c.ok_runs()}
            if len(per_run) > 1:
                values[e] = f"varies between runs {sorted(per_run)}"
            else:
                values[e] = per_run.pop()
        expected = b.expect_small if args.small else b.expect
        if expected is not None and values:
            values["expected"] = expected
        if len({str(v) for v in values.values()}) > 1:
            mismatches[b.name] = ", ".join(f"{e}={v}" for e, v in values.items())
            log(f"!!! CHECKSUM MISMATCH in {b.name}: {mismatches[b.name]}")

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Machine: {os.cpu_count()} x {cpu}; {platform.platform()}; load average at end: {load}")
    print(f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; runs per cell: {runs}"
          f"{' (small sizes)' if args.small else ''}{'; WASI builds' if args.wasi else ''}")
    print("Engines: " + "; ".join(f"{e} = {versions[e]}" for e in engines))
    print()
    print(report(benches, engines, cells, mismatches, missing, args.small))

    if args.json:
        raw = {
            "machine": {"cpus": os.cpu_count(), "cpu": cpu, "platform": platform.platform()},
            "versions": versions, "small": args.small, "wasi": args.wasi, "runs": runs, "missing": missing,
            "mismatches": mismatches,
            "results": [
                {"bench": b.name, "engine": e, "n": b.small if args.small else b.n,
                 "runs": [r.__dict__ for r in cells[(b.name, e)].runs]}
                for b in benches for e in engines
            ],
        }
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1)

    # One closing line in the plain "N passed, N failed" form: a cell (benchmark x engine)
    # passes when the engine ran it and its checksum is right.
    passed = failed = skipped = 0
    for b in benches:
        expected = b.expect_small if args.small else b.expect
        for e in engines:
            if e in missing or b.unsupported(e):
                skipped += 1
                continue
            c = cells[(b.name, e)]
            wrong = b.name in mismatches and (expected is None or c.value() != expected)
            if c.failed() or wrong or not c.ok_runs():
                failed += 1
            else:
                passed += 1
    print()
    print(f"checksums: {passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))

    if mismatches:
        log(f"FAILED: checksum mismatch in {', '.join(mismatches)}")
        return 1
    if args.strict:
        if failed:
            log(f"FAILED (--strict): {failed} engine/benchmark cells failed")
            return 1
        if missing:
            log(f"FAILED (--strict): not run: {', '.join(missing)}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
