#!/usr/bin/env python3
"""Adds an i32 probe after every instruction of a printed module that clearly leaves an i32
on the stack: the value is also stored to an exported memory "probe" (4 bytes each, in
execution order of the text), so that a `differential_replay --module` run reports the first
differing intermediate value as a memory difference.

usage: probe_i32.py IN.wat OUT.wat     (the module must not have a memory of its own)
"""
import re, sys

CMP = r"(eqz|eq|ne|lt_s|lt_u|gt_s|gt_u|le_s|le_u|ge_s|ge_u|lt|gt|le|ge)"
def produces_i32(op):
    if op.startswith("i32.") and not op.startswith("i32.store"):
        return True
    if re.fullmatch(r"(i64|f32|f64)\." + CMP, op):
        return True
    if op in ("ref.is_null", "v128.any_true") or op.endswith(".all_true") or op.endswith(".bitmask"):
        return True
    if re.fullmatch(r"(i8x16|i16x8)\.extract_lane_[su]|i32x4\.extract_lane", op):
        return True
    return False

src = open(sys.argv[1]).read().split("\n")
out, off, infunc = [], 0, False
for l in src:
    s = l.strip()
    if infunc and not s.startswith("(local"):
        out.append("    (local $probe i32)")
        infunc = False
    out.append(l)
    if re.match(r"\s*\(func ", l):
        infunc = True
        continue
    op = s.split(" ")[0] if s else ""
    if produces_i32(op) and off < 65536:
        ind = l[: len(l) - len(l.lstrip())]
        out += [ind + x for x in ("local.tee $probe", "i32.const %d" % off, "local.get $probe", "i32.store", )]
        off += 4
# The last line is the module's closing parenthesis.
for i in range(len(out) - 1, -1, -1):
    if out[i].strip() == ")":
        out.insert(i, '  (memory (export "probe") 1)')
        break
open(sys.argv[2], "w").write("\n".join(out))
print(off // 4, "probes", file=sys.stderr)
