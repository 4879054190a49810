#!/usr/bin/env python3
"""Checks that the threaded dispatch of a built binary really uses tail calls.

Usage: check_tail_calls.py BINARY [BINARY...]

The threaded backend (crates/wvm/src/engine/execute/threaded.rs) relies on LLVM turning each
op handler's call of the next handler into a jump. If that ever failed for a handler, every
execution of that op would leave a native stack frame behind and a long loop would overflow
the stack. This script disassembles BINARY (objdump) and checks every handler function
(`wvm::engine::execute::threaded::op_handlers::*`, and the hand-written ones in `EXTRA`):

  * it makes no indirect `call` (a dispatch to the next handler that was not turned into a
    jump would be one; helpers are called directly, libc through the GOT by `call *X(%rip)`);
  * it ends in an indirect `jmp` (the tail call), except the ops that never continue
    (`trap`, `extra`).

Exit status 0 if every handler passes, 1 otherwise (listing the offenders), 2 if the binary
contains no threaded handlers at all (e.g. built with the portable dispatch).
"""
import re
import shutil
import subprocess
import sys

PREFIX = "wvm::engine::execute::threaded::op_handlers::"
# Handlers written by hand outside the generated module (e.g. the direct `br_table`).
EXTRA = {"wvm::engine::execute::threaded::br_table_direct": "br_table_direct"}
NEVER_CONTINUE = {"trap", "extra"}
FUNC_RE = re.compile(r"^[0-9a-f]+ <(.*)>:$")
# A dispatch that stayed a call: an indirect call through the handler table, i.e. with a
# scaled index (`call *(%base,%index,8)`, or from a register the table entry was loaded into,
# which the missing jump below catches). Other indirect calls (host functions through
# `StoreHooks`, libc through the GOT) are fine.
INDIRECT_CALL = re.compile(r"\bcall\s+\*(0x[0-9a-f]+)?\(%\w+,%\w+,8\)")
INDIRECT_JMP = re.compile(r"\bjmp\s+\*")
# aarch64: `blr xN` is an indirect call, `br xN` an indirect jump.
A64_CALL = re.compile(r"\bblr\s+x\d+")
A64_JMP = re.compile(r"\bbr\s+x\d+")


def check(binary: str) -> int:
    objdump = shutil.which("objdump")
    if objdump is None:
        print("check_tail_calls: objdump not found (install binutils)", file=sys.stderr)
        return 1
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", "-C", binary],
                         check=True, capture_output=True, text=True).stdout
    handlers = {}
    name = None
    for line in out.splitlines():
        m = FUNC_RE.match(line)
        if m:
            sym = m.group(1)
            name = sym[len(PREFIX):] if sym.startswith(PREFIX) else EXTRA.get(sym)
            if name is not None:
                name = re.sub(r"<.*$", "", name)
                handlers.setdefault(name, []).append({"calls": [], "jmps": 0})
            continue
        if name is None or not line.strip():
            if not line.strip():
                name = None
            continue
        rec = handlers[name][-1]
        if INDIRECT_CALL.search(line) or A64_CALL.search(line):
            rec["calls"].append(line.strip())
        if INDIRECT_JMP.search(line) or A64_JMP.search(line):
            rec["jmps"] += 1
    if not handlers:
        print(f"{binary}: no threaded op handlers found (portable dispatch?)")
        return 2
    bad = []
    copies = 0
    for h, recs in sorted(handlers.items()):
        for rec in recs:
            copies += 1
            if rec["calls"]:
                bad.append(f"{h}: indirect call {rec['calls'][0]!r}")
            if rec["jmps"] == 0 and h not in NEVER_CONTINUE:
                bad.append(f"{h}: no indirect jump (tail call missing)")
    if bad:
        print(f"{binary}: {len(bad)} handler(s) without a proper tail call:")
        for b in bad[:20]:
            print("  " + b)
        if len(bad) > 20:
            print(f"  ... and {len(bad) - 20} more")
        return 1
    print(f"{binary}: all {len(handlers)} op handlers ({copies} copies) dispatch by tail jump")
    return 0


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    return max(check(b) for b in sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
