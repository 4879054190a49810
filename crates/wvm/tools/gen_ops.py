#!/usr/bin/env python3
"""Generates src/engine/op_list.rs and src/engine/translate/num_map.rs from the NumOp table
in wvm-binary (instr.rs). Run from crates/wvm: python3 tools/gen_ops.py"""
import re
src = open('../wvm-binary/src/instr.rs').read()
nums = re.findall(r'\((0x[0-9a-f]+|0), (0x[0-9a-f]+), (\w+), "([\w.]+)", \[([\w, ]*)\], (\w+)\)', src)
nums = [(v, t, [p.strip() for p in ps.split(',') if p.strip()], r) for (_, _, v, t, ps, r) in nums]
nums = [n for n in nums if '.' in n[1] and not n[1].startswith(('v128','i8x16','i16x8','i32x4','i64x2','f32x4','f64x2'))]
def snake(t): return t.replace('.', '_')
CMP = ['Eq','Ne','LtS','LtU','GtS','GtU','LeS','LeU','GeS','GeU']
out = []
E = out.append
E('// Generated once by tools/gen_ops.py from the NumOp table of wvm-binary; edit the script,')
E('// not this file, when numeric operators change. Other ops are listed by hand below.')
E('')
E('/// Every internal op, as `(Name, snake_name, "doc", { field: Type, ... })`.')
E('///')
E('/// Field conventions: `dst` is the slot an op writes (the translator may retarget it),')
E('/// `target` a branch offset relative to the op itself, `Slot`/`Args*` frame cells.')
E('macro_rules! for_each_op {')
E('    ($m:ident) => {')
E('        $m! {')
hand = r'''
            (Trap, trap, "Traps with `code`.", { code: TrapCode })
            (Copy, copy, "`dst = src`.", { dst: Slot, src: Slot })
            (CopyBr, copy_br, "A `copy` taking over the `br` after it: `dst = src`, then jumps by `target` ops.", { dst: Slot, src: Slot, target: i32 })
            (Copy2Br, copy2_br, "A `copy2` taking over the `br` after the second `copy`: jumps by `target` ops.", { dst1: Slot16, src1: Slot16, dst2: Slot16, src2: Slot16, target: i32 })
            (Copy2, copy2, "Two `copy` ops in one: `dst1 = src1`, then `dst2 = src2`; continues two ops on, after the second `copy` (see translate/fuse.rs).", { dst1: Slot16, src1: Slot16, dst2: Slot16, src2: Slot16 })
            (Const32, const32, "`dst = val` (32-bit value, zero-extended).", { dst: Slot, val: u32 })
            (Const64, const64, "`dst = val`.", { dst: Slot, val: u64 })
            (Extra, extra, "Extra immediates of the preceding op; never executed.", { a: u32, b: u32 })
            (Br, br, "Jumps by `target` ops.", { target: i32 })
            (BrIfNez, br_if_nez, "Jumps if the i32 in `cond` is not zero.", { cond: Slot, target: i32 })
            (BrIfEqz, br_if_eqz, "Jumps if the i32 in `cond` is zero.", { cond: Slot, target: i32 })
            (BrTable, br_table, "Jumps to entry `min(index, len)` of the `len + 1` `br` ops that follow.", { index: Slot, len: u32 })
            (Return, ret, "Returns; results are already in slots `0..n`.", {})
            (ReturnSlot, return_slot, "Copies `src` to slot 0 and returns.", { src: Slot })
            (Call, call, "Calls function `func` of the current instance; arguments and results at `args..`.", { func: u32, args: Slot })
            (CallInternal, call_internal, "Calls the module's defined function `def`; arguments and results at `args..`.", { def: u32, args: Slot })
            (CallIndirect, call_indirect, "Calls through a table (`Extra.a` = table index) after a type check against canonical type `type_id`.", { type_id: u32, index: Slot, args: Slot })
            (Select, select, "`if cond == 0 { acc = b }` (the first operand is already in `acc`).", { acc: Slot, b: Slot, cond: Slot })
            (SelectCondAcc, select_cond_acc, "`dst = if acc != 0 { a } else { b }`: a `select` whose condition the previous op just computed (in the accumulator).", { dst: Slot, a: Slot, b: Slot })
            (GlobalGet, global_get, "`dst = global[idx]`.", { dst: Slot, idx: u32 })
            (GlobalSet, global_set, "`global[idx] = src`.", { src: Slot, idx: u32 })
            (MemorySize, memory_size, "`dst = memory[mem].size` in pages.", { dst: Slot, mem: u32 })
            (MemoryGrow, memory_grow, "`dst = memory[mem].grow(delta)` (old size or -1).", { dst: Slot, delta: Slot, mem: u32 })
            (MemoryFill, memory_fill, "`memory.fill` with `[d, val, n]` at `args`.", { args: Args3, mem: u32 })
            (MemoryCopy, memory_copy, "`memory.copy` with `[d, s, n]` at `args`.", { args: Args3, dst_mem: u32, src_mem: u32 })
            (MemoryInit, memory_init, "`memory.init` with `[d, s, n]` at `args`.", { args: Args3, data: u32, mem: u32 })
            (DataDrop, data_drop, "`data.drop`.", { data: u32 })
            (TableGet, table_get, "`dst = table[table][index]`.", { dst: Slot, index: Slot, table: u32 })
            (TableSet, table_set, "`table[table][index] = val`.", { index: Slot, val: Slot, table: u32 })
            (TableSize, table_size, "`dst = table[table].size`.", { dst: Slot, table: u32 })
            (TableGrow, table_grow, "`table.grow` with `[init, n]` at `args`; result in `args`.", { args: Args2, table: u32 })
            (TableFill, table_fill, "`table.fill` with `[i, val, n]` at `args`.", { args: Args3, table: u32 })
            (TableCopy, table_copy, "`table.copy` with `[d, s, n]` at `args`.", { args: Args3, dst_table: u32, src_table: u32 })
            (TableInit, table_init, "`table.init` with `[d, s, n]` at `args`.", { args: Args3, elem: u32, table: u32 })
            (ElemDrop, elem_drop, "`elem.drop`.", { elem: u32 })
            (RefFunc, ref_func, "`dst = ref.func func` (instance function index).", { dst: Slot, func: u32 })
            (I32LoadIdx, i32_load_idx, "`i32.load` at `base + idx` (wrapping i32 add, offset 0): a fused `i32.add` + load.", { dst: Slot, base: Slot, idx: Slot })
            (I64LoadIdx, i64_load_idx, "`i64.load` at `base + idx` (wrapping i32 add, offset 0).", { dst: Slot, base: Slot, idx: Slot })
            (F64LoadIdx, f64_load_idx, "`f64.load` at `base + idx` (wrapping i32 add, offset 0).", { dst: Slot, base: Slot, idx: Slot })
            (I32Load8UIdx, i32_load8_u_idx, "`i32.load8_u` at `base + idx` (wrapping i32 add, offset 0).", { dst: Slot, base: Slot, idx: Slot })
            (I32StoreIdx, i32_store_idx, "`i32.store` of `val` at `base + idx` (wrapping i32 add, offset 0): a fused `i32.add` + store.", { base: Slot, idx: Slot, val: Slot })
            (I64StoreIdx, i64_store_idx, "`i64.store` of `val` at `base + idx` (wrapping i32 add, offset 0).", { base: Slot, idx: Slot, val: Slot })
            (F64StoreIdx, f64_store_idx, "`f64.store` of `val` at `base + idx` (wrapping i32 add, offset 0).", { base: Slot, idx: Slot, val: Slot })
            (I32Store8Idx, i32_store8_idx, "`i32.store8` of `val` at `base + idx` (wrapping i32 add, offset 0).", { base: Slot, idx: Slot, val: Slot })
            // Added by hand (fuel, interruption, NaN canonicalization; see docs/fuel.md).
            (ConsumeFuel, consume_fuel, "Charges `amount` fuel for the code up to the next landing point; traps (resumably) when not enough is left.", { amount: u64 })
            (ConsumeFuelBytes, consume_fuel_bytes, "Charges 1 fuel per 64 units of the length in `len` (bulk memory/table ops); traps (resumably) when not enough is left.", { len: Slot })
            (CheckInterrupt, check_interrupt, "Traps with \"interrupted\" if the engine's interrupt flag is set.", {})
            (StackGuard, stack_guard, "Does nothing; the threaded backend checks the native stack here (see `threaded.rs`).", {})
            (CanonF32, canon_f32, "Replaces a NaN f32 in `reg` by the canonical NaN.", { reg: Slot })
            (CanonF64, canon_f64, "Replaces a NaN f64 in `reg` by the canonical NaN.", { reg: Slot })
'''
E(hand.strip('\n'))
for ty in ['I32', 'I64']:
    for c in CMP:
        n = f'{ty.lower()}_{c.lower()[:2]}' + ('_' + c[2].lower() if len(c) == 3 else '')
        E(f'            (BrIf{ty}{c}, br_if_{n}, "Jumps if `{n.replace("_", ".", 1)}(lhs, rhs)`.", {{ lhs: Slot, rhs: Slot, target: i32 }})')
        E(f'            (BrIf{ty}{c}Imm, br_if_{n}_imm, "Jumps if `{n.replace("_", ".", 1)}(lhs, imm)`.", {{ lhs: Slot, imm: i32, target: i32 }})')
loads = re.findall(r'\((0x[0-9a-f]+), (\w+), "([\w.]+)", (\w+), (\d)\)', src)
ld = [l for l in loads if int(l[0],16) <= 0x35]
st = [l for l in loads if 0x36 <= int(l[0],16) <= 0x3e]
for (_, v, t, _, _) in ld:
    E(f'            ({v}, {snake(t)}, "`{t}`: `dst = mem[ptr + offset]`.", {{ dst: Slot, ptr: Slot, offset: u32 }})')
for (_, v, t, _, _) in st:
    E(f'            ({v}, {snake(t)}, "`{t}`: `mem[ptr + offset] = val`.", {{ ptr: Slot, val: Slot, offset: u32 }})')
for (v, t, ps, r) in nums:
    if len(ps) == 2:
        E(f'            ({v}, {snake(t)}, "`{t}`.", {{ dst: Slot, lhs: Slot, rhs: Slot }})')
        if ps[0] in ('I32', 'I64'):
            E(f'            ({v}Imm, {snake(t)}_imm, "`{t}` with an immediate right operand (sign-extended).", {{ dst: Slot, lhs: Slot, imm: i32 }})')
    else:
        E(f'            ({v}, {snake(t)}, "`{t}`.", {{ dst: Slot, src: Slot }})')
simd_hand = r'''
            // SIMD ops (added by hand, not generated; see `execute/simd.rs`, `translate/simd.rs`).
            (SimdUnary, simd_unary, "`out = op(a)` (v128).", { out: V128Slot, a: V128Slot, op: SimdOp })
            (SimdBinary, simd_binary, "`out = op(a, b)` (v128).", { out: V128Slot, a: V128Slot, b: V128Slot, op: SimdOp })
            (SimdTernary, simd_ternary, "`args = op(args, args+2, args+4)` (three v128 operands).", { args: V128Args3, op: SimdOp })
            (SimdTest, simd_test, "`dst = op(a)` (v128 -> i32).", { dst: Slot, a: V128Slot, op: SimdOp })
            (SimdSplat, simd_splat, "`out = op(a)` (scalar -> v128).", { out: V128Slot, a: Slot, op: SimdOp })
            (SimdShift, simd_shift, "`out = op(a, amount)`.", { out: V128Slot, a: V128Slot, amount: Slot, op: SimdOp })
            (SimdExtractLane, simd_extract_lane, "`dst = a[lane]`.", { dst: Slot, a: V128Slot, op: SimdLaneOp, lane: u8 })
            (SimdReplaceLane, simd_replace_lane, "`out = a` with `a[lane] = b`.", { out: V128Slot, a: V128Slot, b: Slot, op: SimdLaneOp, lane: u8 })
            (SimdShuffle, simd_shuffle, "`i8x16.shuffle`; the lane indices follow in two `Extra` ops.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdLoad, simd_load, "SIMD load `op` from `ptr + offset` in memory `mem`.", { out: V128Slot, ptr: Slot, offset: u32, op: SimdMemOp, mem: u8 })
            (SimdStore, simd_store, "`v128.store` of `val` at `ptr + offset` in memory `mem`.", { ptr: Slot, val: V128Slot, offset: u32, mem: u8 })
            (SimdLoadLane, simd_load_lane, "`args` = `[ptr, v (2 cells)]`; the result replaces them from `args` on.", { args: Args3, offset: u32, op: SimdMemLaneOp, lane: u8, mem: u8 })
            (SimdStoreLane, simd_store_lane, "`args` = `[ptr, v (2 cells)]`: stores lane `lane` of `v` at `ptr + offset` in memory `mem`.", { args: Args3, offset: u32, op: SimdMemLaneOp, lane: u8, mem: u8 })
            (GlobalGetV128, global_get_v128, "`out = global[idx]` (v128).", { out: V128Slot, idx: u32 })
            (GlobalSetV128, global_set_v128, "`global[idx] = src` (v128).", { src: V128Slot, idx: u32 })
'''
E(simd_hand.strip('\n'))
simd_spec = r'''
            // SIMD specialisations (simd helper): NaN canonicalization of float lanes, and
            // dedicated ops for hot SIMD operators (see `execute/simd.rs`, `translate/simd.rs`).
            (CanonF32x4, canon_f32x4, "Replaces each NaN f32 lane of the v128 in `reg` by the canonical NaN.", { reg: V128Slot })
            (CanonF64x2, canon_f64x2, "Replaces each NaN f64 lane of the v128 in `reg` by the canonical NaN.", { reg: V128Slot })
            (SimdI8x16Add, simd_i8x16_add, "`out = i8x16.add(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI8x16Sub, simd_i8x16_sub, "`out = i8x16.sub(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI16x8Add, simd_i16x8_add, "`out = i16x8.add(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI16x8Sub, simd_i16x8_sub, "`out = i16x8.sub(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI16x8Mul, simd_i16x8_mul, "`out = i16x8.mul(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI32x4Add, simd_i32x4_add, "`out = i32x4.add(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI32x4Sub, simd_i32x4_sub, "`out = i32x4.sub(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI32x4Mul, simd_i32x4_mul, "`out = i32x4.mul(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI32x4MinS, simd_i32x4_min_s, "`out = i32x4.min_s(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI32x4MaxS, simd_i32x4_max_s, "`out = i32x4.max_s(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdV128And, simd_v128_and, "`out = v128.and(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdV128Or, simd_v128_or, "`out = v128.or(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdV128Xor, simd_v128_xor, "`out = v128.xor(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI8x16NarrowI16x8U, simd_i8x16_narrow_i16x8_u, "`out = i8x16.narrow_i16x8_u(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI16x8NarrowI32x4U, simd_i16x8_narrow_i32x4_u, "`out = i16x8.narrow_i32x4_u(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdF32x4Add, simd_f32x4_add, "`out = f32x4.add(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdF32x4Sub, simd_f32x4_sub, "`out = f32x4.sub(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdF32x4Mul, simd_f32x4_mul, "`out = f32x4.mul(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdF64x2Add, simd_f64x2_add, "`out = f64x2.add(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdF64x2Mul, simd_f64x2_mul, "`out = f64x2.mul(a, b)`.", { out: V128Slot, a: V128Slot, b: V128Slot })
            (SimdI16x8ExtendLowI8x16U, simd_i16x8_extend_low_i8x16_u, "`out = i16x8.extend_low_i8x16_u(a)`.", { out: V128Slot, a: V128Slot })
            (SimdI16x8ExtendHighI8x16U, simd_i16x8_extend_high_i8x16_u, "`out = i16x8.extend_high_i8x16_u(a)`.", { out: V128Slot, a: V128Slot })
            (SimdI32x4ExtendLowI16x8U, simd_i32x4_extend_low_i16x8_u, "`out = i32x4.extend_low_i16x8_u(a)`.", { out: V128Slot, a: V128Slot })
            (SimdI32x4ExtendHighI16x8U, simd_i32x4_extend_high_i16x8_u, "`out = i32x4.extend_high_i16x8_u(a)`.", { out: V128Slot, a: V128Slot })
            (SimdI16x8Shl, simd_i16x8_shl, "`out = i16x8.shl(a, amount)`.", { out: V128Slot, a: V128Slot, amount: Slot })
            (SimdI16x8ShrU, simd_i16x8_shr_u, "`out = i16x8.shr_u(a, amount)`.", { out: V128Slot, a: V128Slot, amount: Slot })
            (SimdI32x4Shl, simd_i32x4_shl, "`out = i32x4.shl(a, amount)`.", { out: V128Slot, a: V128Slot, amount: Slot })
            (SimdI32x4ShrS, simd_i32x4_shr_s, "`out = i32x4.shr_s(a, amount)`.", { out: V128Slot, a: V128Slot, amount: Slot })
            (SimdI32x4ShrU, simd_i32x4_shr_u, "`out = i32x4.shr_u(a, amount)`.", { out: V128Slot, a: V128Slot, amount: Slot })
            (SimdV128Load, simd_v128_load, "`v128.load` from `ptr + offset` in memory 0.", { out: V128Slot, ptr: Slot, offset: u32 })
            (SimdV128Store, simd_v128_store, "`v128.store` of `val` at `ptr + offset` in memory 0.", { ptr: Slot, val: V128Slot, offset: u32 })
'''
E(simd_spec.strip('\n'))

# ---- accumulator variants: the same op reading one operand from the accumulator (the value
# the previous op wrote) instead of its frame cell. Handlers are shared (`impl Src` operands);
# the translator's pass in translate/accum.rs picks the variants (mapping in acc_map.rs).
ENTRY = re.compile(r'^\s+\((\w+), (\w+), "(.*)", \{ (.*) \}\)$')
ACC_FIELD = {
    'dst: Slot, lhs: Slot, rhs: Slot': 'lhs',
    'dst: Slot, lhs: Slot, imm: i32': 'lhs',
    'dst: Slot, src: Slot': 'src',
    'lhs: Slot, rhs: Slot, target: i32': 'lhs',
    'lhs: Slot, imm: i32, target: i32': 'lhs',
    'cond: Slot, target: i32': 'cond',
    'dst: Slot, ptr: Slot, offset: u32': 'ptr',
    'ptr: Slot, val: Slot, offset: u32': 'val',
    'src: Slot': 'src',
    'src: Slot, idx: u32': 'src',
}
# Integer ops whose operands may be swapped so that the accumulator becomes `lhs`.
COMMUTATIVE = set()
for ty in ('I32', 'I64'):
    for o in ('Add', 'Mul', 'And', 'Or', 'Xor', 'Eq', 'Ne'):
        COMMUTATIVE.add(ty + o)
    COMMUTATIVE.update({f'BrIf{ty}Eq', f'BrIf{ty}Ne'})
# Float add/mul too: swapping changes at most which NaN payload propagates when both operands
# are NaNs, which WebAssembly leaves open (and canonicalize_nans makes uniform anyway).
COMMUTATIVE.update({'F32Add', 'F32Mul', 'F64Add', 'F64Mul', 'F32Eq', 'F32Ne', 'F64Eq', 'F64Ne'})
# Ordered comparisons: `a < b` is `b > a`, so the accumulator can become `lhs` of the mirror.
MIRROR = {}
for ty in ('I32', 'I64'):
    for a, b in (('LtS', 'GtS'), ('LtU', 'GtU'), ('LeS', 'GeS'), ('LeU', 'GeU')):
        for pre in ('', 'BrIf'):
            MIRROR[f'{pre}{ty}{a}'] = f'{pre}{ty}{b}'
            MIRROR[f'{pre}{ty}{b}'] = f'{pre}{ty}{a}'
for ty in ('F32', 'F64'):
    for a, b in (('Lt', 'Gt'), ('Le', 'Ge')):
        MIRROR[f'{ty}{a}'] = f'{ty}{b}'
        MIRROR[f'{ty}{b}'] = f'{ty}{a}'
base_ops = []
for line in '\n'.join(out).split('\n'):
    m = ENTRY.match(line)
    if m:
        base_ops.append(m.groups())
acc_ops = []
E('            // Accumulator variants (generated; see translate/accum.rs).')
for (name, sn, doc, fields) in base_ops:
    f = ACC_FIELD.get(fields)
    if f is None:
        continue
    acc_ops.append((name, sn, fields, f))
    nf = fields.replace(f'{f}: Slot', f'{f}: Acc', 1)
    E(f'            ({name}Acc, {sn}_acc, "`{sn}` with `{f}` from the accumulator.", {{ {nf} }})')
# ---- register-result variants: the same op (or its accumulator variant) leaving its result
# only in the accumulator, without storing it to a frame cell, for a value the next op reads
# from the accumulator and nothing reads later (see translate/accum.rs). The `dst` field
# becomes `res: Acc`: the handler is the same (`dst: impl Dst`), the result goes nowhere else.
REG_BASES = {v for (_, v, _, _, _) in ld} | {'I32LoadIdx', 'I64LoadIdx', 'F64LoadIdx', 'I32Load8UIdx'}
for (v, t, ps, r) in nums:
    REG_BASES.add(v)
    if len(ps) == 2 and ps[0] in ('I32', 'I64'):
        REG_BASES.add(v + 'Imm')
reg_ops = []
E('            // Register-result variants (generated; see translate/accum.rs).')
# (variant, snake name, fields, handler): the base ops, then their accumulator variants.
reg_bases = [(n, sn, f, sn) for (n, sn, _, f) in base_ops if n in REG_BASES]
reg_bases += [(n + 'Acc', sn + '_acc', f.replace(f'{a}: Slot', f'{a}: Acc', 1), sn)
              for (n, sn, f, a) in acc_ops if n in REG_BASES]
for (name, sn, fields, handler) in reg_bases:
    if not fields.startswith('dst: Slot, '):
        continue
    nf = fields.replace('dst: Slot', 'res: Acc', 1)
    reg_ops.append((name, sn, fields, nf, handler))
    E(f'            ({name}Reg, {sn}_reg, "`{sn}` with its result only in the accumulator.", {{ {nf} }})')
E('        }')
E('    };')
E('}')
open('src/engine/op_list.rs', 'w').write('\n'.join(out) + '\n')

al = ['// Generated by tools/gen_ops.py: the accumulator variant of each op shares its handler.']
for (name, sn, fields, f) in acc_ops:
    al.append(f'pub(super) use self::{sn} as {sn}_acc;')
for (name, sn, fields, nf, handler) in reg_ops:
    al.append(f'pub(super) use self::{handler} as {sn}_reg;')
open('src/engine/execute/acc_aliases.rs', 'w').write('\n'.join(al) + '\n')

am = ['// Generated by tools/gen_ops.py: accumulator variants of ops (see accum.rs).',
      'use crate::engine::ops::{Acc, Op, Slot};',
      '',
      '/// The accumulator variant of `op` when one of its operands is slot `d` (swapping the',
      '/// operands of a commutative op if needed).',
      'pub(super) fn to_acc(op: &Op, d: Slot) -> Option<Op> {',
      '    Some(match *op {']
for (name, sn, fields, f) in acc_ops:
    names = [x.split(':')[0] for x in fields.split(', ')]
    pat = ', '.join(names)
    build = ', '.join('lhs: Acc' if (n == f and f == 'lhs') else (f'{n}: Acc' if n == f else n) for n in names)
    am.append(f'        Op::{name} {{ {pat} }} if {f} == d => Op::{name}Acc {{ {build} }},')
    if name in COMMUTATIVE and 'rhs' in names:
        build2 = ', '.join('lhs: Acc' if n == 'lhs' else ('rhs: lhs' if n == 'rhs' else n) for n in names)
        am.append(f'        Op::{name} {{ {pat} }} if rhs == d => Op::{name}Acc {{ {build2} }},')
    elif name in MIRROR and 'rhs' in names:
        build2 = ', '.join('lhs: Acc' if n == 'lhs' else ('rhs: lhs' if n == 'rhs' else n) for n in names)
        am.append(f'        Op::{name} {{ {pat} }} if rhs == d => Op::{MIRROR[name]}Acc {{ {build2} }},')
am += ['        _ => return None,', '    })', '}', '',
       '/// The slot whose value an op leaves in the accumulator (its `dst`: every handler writes',
       '/// its result with `Exec::set`, which also sets the accumulator), if any.',
       'pub(super) fn writes_acc(op: &Op) -> Option<Slot> {',
       '    let mut op = *op;',
       '    op.dst_mut().copied()',
       '}']
# ---- the float accumulator (`Exec::facc`): which ops leave an `f64` in it and which
# accumulator variants read their operand from it. Both follow from the Rust type each
# handler in execute/numeric.rs computes on (`name, type, |a, ..| expr;`): an `f64` read with
# `Exec::get::<f64>` comes from the float accumulator, an `f64` written with `Exec::set`
# goes to it. The bit-level f64 ops compute on `u64` and use the integer accumulator only.
# Debug builds check every float-accumulator read (`Src::read_f64` for `Acc`), so a wrong
# entry here fails the spec tests instead of computing with a stale value.
handler_type = dict(re.findall(r'^\s+(\w+), (\w+), \|', open('src/engine/execute/numeric.rs').read(), re.M))
def computes_f64(v, t, r):
    sn = snake(t)
    return r == 'F64' and (handler_type.get(sn) == 'f64' or sn.startswith(('f64_convert', 'f64_promote')))
all_names = {name for (name, sn, doc, fields) in base_ops}
facc_writers = [v for (v, t, ps, r) in nums if computes_f64(v, t, r)] + ['F64Load', 'F64LoadIdx']
facc_writers = [w for w in facc_writers if w in all_names]
acc_names = {name for (name, _, _, _) in acc_ops}
facc_writers += [w + 'Acc' for w in facc_writers if w in acc_names]
reads_f64 = {v for (v, t, ps, r) in nums if handler_type.get(snake(t)) == 'f64'}
facc_readers = [name + 'Acc' for name in sorted(acc_names) if name in reads_f64]
am += ['',
       '/// True if `op` leaves an `f64` in the float accumulator (`Exec::set` of an `f64`).',
       'pub(super) fn writes_facc(op: &Op) -> bool {',
       '    matches!(op, ' + ' | '.join(f'Op::{w} {{ .. }}' for w in sorted(facc_writers)) + ')',
       '}',
       '',
       '/// True if accumulator variant `op` reads its operand from the float accumulator.',
       'pub(super) fn reads_facc(op: &Op) -> bool {',
       '    matches!(op, ' + ' | '.join(f'Op::{w} {{ .. }}' for w in sorted(facc_readers)) + ')',
       '}']
open('src/engine/translate/acc_map.rs', 'w').write('\n'.join(am) + '\n')
rm = ['// Generated by tools/gen_ops.py: register-result variants of ops (see accum.rs).',
      'use crate::engine::ops::{Acc, Op};',
      '',
      '/// The register-result variant of `op`: the same op leaving its result only in the',
      '/// accumulator.',
      'pub(super) fn to_reg(op: &Op) -> Option<Op> {',
      '    Some(match *op {']
for (name, sn, fields, nf, handler) in reg_ops:
    names = [x.split(':')[0] for x in fields.split(', ')]
    pat = ', '.join(('dst: _' if n == 'dst' else n) for n in names)
    build = ', '.join(('res: Acc' if n == 'dst' else n) for n in names)
    rm.append(f'        Op::{name} {{ {pat} }} => Op::{name}Reg {{ {build} }},')
rm += ['        _ => return None,', '    })', '}']
open('src/engine/translate/reg_map.rs', 'w').write('\n'.join(rm) + '\n')
# Leave the generated Rust as `cargo fmt` would (op_list.rs is a macro body rustfmt skips).
import subprocess
subprocess.run(['rustfmt', '--edition', '2021', 'src/engine/translate/acc_map.rs',
                'src/engine/translate/reg_map.rs',
                'src/engine/execute/acc_aliases.rs'], check=True)

m = []
M = m.append
M('// Generated once by tools/gen_ops.py: maps wvm-binary NumOps to internal ops.')
M('use crate::engine::ops::{Op, Slot};')
M('use wvm_binary::NumOp;')
M('')
M('/// The three-slot op for a binary NumOp.')
M('pub(crate) fn binary(op: NumOp, dst: Slot, lhs: Slot, rhs: Slot) -> Option<Op> {')
M('    Some(match op {')
for (v, t, ps, r) in nums:
    if len(ps) == 2: M(f'        NumOp::{v} => Op::{v} {{ dst, lhs, rhs }},')
M('        _ => return None,')
M('    })')
M('}')
M('')
M('/// The slot-immediate op for a binary integer NumOp.')
M('pub(crate) fn binary_imm(op: NumOp, dst: Slot, lhs: Slot, imm: i32) -> Option<Op> {')
M('    Some(match op {')
for (v, t, ps, r) in nums:
    if len(ps) == 2 and ps[0] in ('I32','I64'): M(f'        NumOp::{v} => Op::{v}Imm {{ dst, lhs, imm }},')
M('        _ => return None,')
M('    })')
M('}')
M('')
M('/// The two-slot op for a unary NumOp.')
M('pub(crate) fn unary(op: NumOp, dst: Slot, src: Slot) -> Option<Op> {')
M('    Some(match op {')
for (v, t, ps, r) in nums:
    if len(ps) == 1: M(f'        NumOp::{v} => Op::{v} {{ dst, src }},')
M('        _ => return None,')
M('    })')
M('}')
M('')
M('/// A fused compare-and-branch for an integer comparison.')
M('pub(crate) fn branch(op: NumOp, lhs: Slot, rhs: Slot, target: i32) -> Option<Op> {')
M('    Some(match op {')
for ty in ['I32','I64']:
    for c in CMP: M(f'        NumOp::{ty}{c} => Op::BrIf{ty}{c} {{ lhs, rhs, target }},')
M('        _ => return None,')
M('    })')
M('}')
M('')
M('/// A fused compare-with-immediate-and-branch.')
M('pub(crate) fn branch_imm(op: NumOp, lhs: Slot, imm: i32, target: i32) -> Option<Op> {')
M('    Some(match op {')
for ty in ['I32','I64']:
    for c in CMP: M(f'        NumOp::{ty}{c} => Op::BrIf{ty}{c}Imm {{ lhs, imm, target }},')
M('        _ => return None,')
M('    })')
M('}')
open('src/engine/translate/num_map.rs', 'w').write('\n'.join(m) + '\n')
print(len(nums), len(ld), len(st))

# Reverse map: a compare op back to (NumOp, dst, lhs, rhs) for compare+branch fusion.
r = []
R = r.append
R('')
R('/// The right operand of a compare being fused into a branch.')
R('#[derive(Clone, Copy, Debug, PartialEq)]')
R('pub(crate) enum Rhs {')
R('    Slot(Slot),')
R('    Imm(i32),')
R('}')
R('')
R('/// If `op` is an integer comparison, its NumOp, result slot, left and right operands.')
R('pub(crate) fn compare_of(op: &Op) -> Option<(NumOp, Slot, Slot, Rhs)> {')
R('    Some(match *op {')
for ty in ['I32','I64']:
    for c in CMP:
        R(f'        Op::{ty}{c} {{ dst, lhs, rhs }} => (NumOp::{ty}{c}, dst, lhs, Rhs::Slot(rhs)),')
        R(f'        Op::{ty}{c}Imm {{ dst, lhs, imm }} => (NumOp::{ty}{c}, dst, lhs, Rhs::Imm(imm)),')
    R(f'        Op::{ty}Eqz {{ dst, src }} => (NumOp::{ty}Eq, dst, src, Rhs::Imm(0)),')
R('        _ => return None,')
R('    })')
R('}')
open('src/engine/translate/num_map.rs', 'a').write('\n'.join(r) + '\n')
