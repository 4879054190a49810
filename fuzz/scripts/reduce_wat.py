#!/usr/bin/env python3
"""Shrinks a `differential` finding by deleting lines of its module (ddmin-style).

usage: reduce_wat.py INPUT MODULE.wat OUT.wat [PATTERN]

INPUT is the fuzz input (it supplies the options and call arguments), MODULE.wat the module
(`differential_replay --wat` writes it). Lines of MODULE.wat are removed in chunks as long as
`differential_replay --module` still reports a divergence whose text contains PATTERN
(default "Diverge("). The replay binary is taken from $REPLAY or
/work/target-fuzz/release/examples/differential_replay.
"""
import os, subprocess, sys, tempfile

replay = os.environ.get("REPLAY", "/work/target-fuzz/release/examples/differential_replay")
inp, src, dst = sys.argv[1:4]
pattern = sys.argv[4] if len(sys.argv) > 4 else "Diverge("
lines = open(src).read().split("\n")
tmp = tempfile.NamedTemporaryFile(suffix=".wat", delete=False).name

def interesting(ls):
    open(tmp, "w").write("\n".join(ls))
    try:
        out = subprocess.run([replay, "--module", tmp, inp], capture_output=True, text=True, timeout=20).stdout
    except subprocess.TimeoutExpired:
        return False
    v = [l for l in out.split("\n") if "verdict:" in l]
    return bool(v) and "Diverge(" in v[0] and pattern in v[0] and "wvm rejects" not in v[0]

assert interesting(lines), "the module does not diverge"
# Never delete the module's first and last lines.
n = len(lines) // 2
while n >= 1:
    i = 1
    changed = False
    while i < len(lines) - 1:
        cand = lines[:i] + lines[i + n:]
        if i + n <= len(lines) - 1 and interesting(cand):
            lines = cand
            changed = True
        else:
            i += n
    print(f"chunk {n}: {len(lines)} lines", file=sys.stderr)
    if not changed:
        n //= 2
open(dst, "w").write("\n".join(lines))
print(f"{len(lines)} lines -> {dst}")
