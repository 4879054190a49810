//! Decoding of instructions, constant expressions and the code section.

use super::types::{block_type, heap_type, val_type};
use crate::error::DecodeError;
use crate::features::Features;
use crate::instr::{BrTable, Instr, LoadOp, MemArg, NumOp, StoreOp};
use crate::module::{ConstExpr, FuncBody};
use crate::reader::Reader;
use crate::simd::{SimdLaneOp, SimdMemLaneOp, SimdMemOp, SimdOp};
use crate::types::ValType;

/// Most locals one function may declare (as in other engines; the spec tests use far
/// fewer in valid modules and overflow u32 in the malformed ones).
pub const MAX_LOCALS: u64 = 50_000;

/// State shared by every instruction of a module.
pub struct InstrCtx<'f> {
    pub features: &'f Features,
    /// Set when `memory.init` or `data.drop` is seen (they need the data count section).
    pub uses_data_index: bool,
}

impl<'f> InstrCtx<'f> {
    pub fn new(features: &'f Features) -> Self {
        InstrCtx {
            features,
            uses_data_index: false,
        }
    }
}

#[cold]
fn illegal(r: &Reader, at: usize) -> DecodeError {
    r.error(at, "illegal opcode")
}

/// A reserved byte that must be zero (memory index in Wasm 1/2), or a memory index with
/// multi-memory.
#[inline]
fn mem_index(r: &mut Reader, ctx: &InstrCtx) -> Result<u32, DecodeError> {
    if ctx.features.multi_memory {
        return r.u32();
    }
    let at = r.pos();
    if r.u8()? != 0 {
        return Err(r.error(at, "zero byte expected"));
    }
    Ok(0)
}

#[inline]
fn mem_arg(r: &mut Reader, ctx: &InstrCtx) -> Result<MemArg, DecodeError> {
    let at = r.pos();
    let mut flags = r.u32()?;
    let mut memory = 0;
    let has_index = flags & 0x40 != 0 && ctx.features.multi_memory;
    if has_index {
        flags &= !0x40;
    }
    if flags >= 32 {
        return Err(r.error(at, "malformed memop flags"));
    }
    if has_index {
        memory = r.u32()?;
    }
    let offset = if ctx.features.memory64 {
        r.u64()?
    } else {
        u64::from(r.u32()?)
    };
    Ok(MemArg {
        align: flags,
        offset,
        memory,
    })
}

/// Decodes one instruction (after its absolute offset has been noted by the caller).
#[inline(always)]
pub fn instr(r: &mut Reader, ctx: &mut InstrCtx) -> Result<Instr, DecodeError> {
    let at = r.pos();
    let op = r.u8()?;
    Ok(match op {
        0x00 => Instr::Unreachable,
        0x01 => Instr::Nop,
        0x02 => Instr::Block(block_type(r)?),
        0x03 => Instr::Loop(block_type(r)?),
        0x04 => Instr::If(block_type(r)?),
        0x05 => Instr::Else,
        0x0b => Instr::End,
        0x0c => Instr::Br(r.u32()?),
        0x0d => Instr::BrIf(r.u32()?),
        0x0e => {
            let n = r.count()?;
            let mut targets = Vec::with_capacity(r.cap(n, 1));
            for _ in 0..n {
                targets.push(r.u32()?);
            }
            let default = r.u32()?;
            Instr::BrTable(Box::new(BrTable {
                targets: targets.into_boxed_slice(),
                default,
            }))
        }
        0x0f => Instr::Return,
        0x10 => Instr::Call(r.u32()?),
        0x11 | 0x13 => {
            if op == 0x13 && !ctx.features.tail_call {
                return Err(illegal(r, at));
            }
            let type_idx = r.u32()?;
            let table = if ctx.features.reference_types {
                r.u32()?
            } else {
                let z = r.pos();
                if r.u8()? != 0 {
                    return Err(r.error(z, "zero byte expected"));
                }
                0
            };
            if op == 0x11 {
                Instr::CallIndirect { type_idx, table }
            } else {
                Instr::ReturnCallIndirect { type_idx, table }
            }
        }
        0x12 if ctx.features.tail_call => Instr::ReturnCall(r.u32()?),
        0x1a => Instr::Drop,
        0x1b => Instr::Select,
        0x1c => {
            let n = r.count()?;
            let mut tys = Vec::with_capacity(r.cap(n, 1));
            for _ in 0..n {
                tys.push(val_type(r)?);
            }
            Instr::SelectTyped(tys.into_boxed_slice())
        }
        0x20 => Instr::LocalGet(r.u32()?),
        0x21 => Instr::LocalSet(r.u32()?),
        0x22 => Instr::LocalTee(r.u32()?),
        0x23 => Instr::GlobalGet(r.u32()?),
        0x24 => Instr::GlobalSet(r.u32()?),
        0x25 => Instr::TableGet(r.u32()?),
        0x26 => Instr::TableSet(r.u32()?),
        0x28..=0x35 => match LoadOp::from_opcode(op) {
            Some(l) => Instr::Load(l, mem_arg(r, ctx)?),
            None => return Err(illegal(r, at)),
        },
        0x36..=0x3e => match StoreOp::from_opcode(op) {
            Some(s) => Instr::Store(s, mem_arg(r, ctx)?),
            None => return Err(illegal(r, at)),
        },
        0x3f => Instr::MemorySize(mem_index(r, ctx)?),
        0x40 => Instr::MemoryGrow(mem_index(r, ctx)?),
        0x41 => Instr::I32Const(r.i32()?),
        0x42 => Instr::I64Const(r.i64()?),
        0x43 => Instr::F32Const(r.f32_bits()?),
        0x44 => Instr::F64Const(r.f64_bits()?),
        0x45..=0xc4 => match NumOp::from_opcode(0, u32::from(op)) {
            Some(n) => Instr::Numeric(n),
            None => return Err(illegal(r, at)),
        },
        0xd0 => Instr::RefNull(heap_type(r)?),
        0xd1 => Instr::RefIsNull,
        0xd2 => Instr::RefFunc(r.u32()?),
        0xfc => prefixed_fc(r, ctx, at)?,
        0xfd => prefixed_fd(r, ctx, at)?,
        _ => return Err(illegal(r, at)),
    })
}

fn prefixed_fc(r: &mut Reader, ctx: &mut InstrCtx, at: usize) -> Result<Instr, DecodeError> {
    let sub = r.u32()?;
    Ok(match sub {
        0..=7 => match NumOp::from_opcode(0xfc, sub) {
            Some(n) => Instr::Numeric(n),
            None => return Err(illegal(r, at)),
        },
        8 => {
            ctx.uses_data_index = true;
            let data = r.u32()?;
            let memory = mem_index(r, ctx)?;
            Instr::MemoryInit { data, memory }
        }
        9 => {
            ctx.uses_data_index = true;
            Instr::DataDrop(r.u32()?)
        }
        10 => {
            let dst = mem_index(r, ctx)?;
            let src = mem_index(r, ctx)?;
            Instr::MemoryCopy { dst, src }
        }
        11 => Instr::MemoryFill(mem_index(r, ctx)?),
        12 => {
            let elem = r.u32()?;
            let table = r.u32()?;
            Instr::TableInit { elem, table }
        }
        13 => Instr::ElemDrop(r.u32()?),
        14 => {
            let dst = r.u32()?;
            let src = r.u32()?;
            Instr::TableCopy { dst, src }
        }
        15 => Instr::TableGrow(r.u32()?),
        16 => Instr::TableSize(r.u32()?),
        17 => Instr::TableFill(r.u32()?),
        _ => return Err(illegal(r, at)),
    })
}

fn prefixed_fd(r: &mut Reader, ctx: &mut InstrCtx, at: usize) -> Result<Instr, DecodeError> {
    let sub = r.u32()?;
    Ok(match sub {
        0x0c => Instr::V128Const(r.array()?),
        0x0d => Instr::I8x16Shuffle(r.array()?),
        _ => {
            if let Some(op) = SimdOp::from_opcode(sub) {
                Instr::Simd(op)
            } else if let Some(op) = SimdMemOp::from_opcode(sub) {
                Instr::SimdMem(op, mem_arg(r, ctx)?)
            } else if let Some(op) = SimdLaneOp::from_opcode(sub) {
                Instr::SimdLane(op, r.u8()?)
            } else if let Some(op) = SimdMemLaneOp::from_opcode(sub) {
                let m = mem_arg(r, ctx)?;
                Instr::SimdMemLane(op, m, r.u8()?)
            } else {
                return Err(illegal(r, at));
            }
        }
    })
}

/// A constant expression up to and including its `end` (which is not stored).
pub fn const_expr(r: &mut Reader, ctx: &mut InstrCtx) -> Result<ConstExpr, DecodeError> {
    let offset = r.pos();
    let mut instrs = Vec::with_capacity(2);
    loop {
        match instr(r, ctx)? {
            Instr::End => break,
            i => instrs.push(i),
        }
    }
    Ok(ConstExpr { instrs, offset })
}

/// Control-frame kinds tracked while decoding a body, to find its final `end` and reject a
/// misplaced `else` as the reference decoder does.
const FRAME_PLAIN: u8 = 0;
const FRAME_IF: u8 = 1;

/// The local declarations at the start of a body.
fn body_locals(r: &mut Reader) -> Result<Vec<(u32, ValType)>, DecodeError> {
    let n = r.count()?;
    let mut locals = Vec::with_capacity(r.cap(n, 2));
    let mut total: u64 = 0;
    for _ in 0..n {
        let at = r.pos();
        let count = r.u32()?;
        total += u64::from(count);
        if total > MAX_LOCALS {
            return Err(r.error(at, "too many locals"));
        }
        locals.push((count, val_type(r)?));
    }
    Ok(locals)
}

/// Tracks the control frames opened and closed by `i` (at offset `at`); true at the final
/// `end` of the body.
#[inline(always)]
fn frame_step(r: &Reader, frames: &mut Vec<u8>, i: &Instr, at: usize) -> Result<bool, DecodeError> {
    Ok(match i {
        Instr::Block(_) | Instr::Loop(_) => {
            frames.push(FRAME_PLAIN);
            false
        }
        Instr::If(_) => {
            frames.push(FRAME_IF);
            false
        }
        Instr::Else => match frames.last_mut() {
            Some(f) if *f == FRAME_IF => {
                *f = FRAME_PLAIN;
                false
            }
            _ => return Err(r.error(at, "END opcode expected")),
        },
        Instr::End => frames.pop().is_none(),
        _ => false,
    })
}

/// One function body (`size` already read: `start` is where its contents begin,
/// `offset` where its size field was).
pub fn func_body(
    r: &mut Reader,
    ctx: &mut InstrCtx,
    offset: usize,
    size: usize,
    frames: &mut Vec<u8>,
) -> Result<FuncBody, DecodeError> {
    let start = r.pos();
    let locals = body_locals(r)?;
    let code_len = (start + size).saturating_sub(r.pos());
    // Roughly two bytes per instruction; bounded by the body size.
    let mut instrs = Vec::with_capacity(code_len / 2 + 1);
    let mut offsets = Vec::with_capacity(code_len / 2 + 1);
    frames.clear();
    loop {
        let at = r.pos();
        if r.at_end() {
            return Err(r.error(at, crate::reader::UNEXPECTED_END));
        }
        let i = instr(r, ctx)?;
        let done = frame_step(r, frames, &i, at)?;
        instrs.push(i);
        offsets.push(at as u32);
        if done {
            break;
        }
    }
    // Release the over-estimate (cheap: shrinking reallocations stay in place).
    instrs.shrink_to_fit();
    offsets.shrink_to_fit();
    Ok(FuncBody {
        locals,
        instrs,
        offsets,
        offset,
    })
}

/// Checks one body exactly as [`func_body`] decodes it (same errors at the same offsets)
/// but keeps only its locals: no instruction list is built, and the two instructions whose
/// decoded form allocates (`br_table`, typed `select`) are read in place.
pub fn check_func_body(
    r: &mut Reader,
    ctx: &mut InstrCtx,
    offset: usize,
    frames: &mut Vec<u8>,
) -> Result<FuncBody, DecodeError> {
    let locals = body_locals(r)?;
    frames.clear();
    loop {
        let at = r.pos();
        if r.at_end() {
            return Err(r.error(at, crate::reader::UNEXPECTED_END));
        }
        let done = match r.peek() {
            Some(0x0e) => {
                r.u8()?;
                for _ in 0..r.count()? {
                    r.u32()?;
                }
                r.u32()?;
                false
            }
            Some(0x1c) => {
                r.u8()?;
                for _ in 0..r.count()? {
                    val_type(r)?;
                }
                false
            }
            _ => {
                let i = instr(r, ctx)?;
                frame_step(r, frames, &i, at)?
            }
        };
        if done {
            break;
        }
    }
    Ok(FuncBody {
        locals,
        instrs: Vec::new(),
        offsets: Vec::new(),
        offset,
    })
}

/// Reads one body's instructions one at a time, for consumers that need not keep them all
/// (see [`func_body_reader`](super::func_body_reader)). Gives the same instructions at the
/// same offsets as `func_body`, and the same errors.
pub struct BodyReader<'a> {
    r: Reader<'a>,
    features: &'a Features,
    frames: Vec<u8>,
    /// Where the body ends (just after its last byte).
    end: usize,
    done: bool,
    uses_data_index: bool,
}

impl<'a> BodyReader<'a> {
    /// Reads the body whose size field is at `offset`: returns its locals and a reader at
    /// its first instruction.
    pub(super) fn new(
        bytes: &'a [u8],
        features: &'a Features,
        offset: usize,
    ) -> Result<(Vec<(u32, ValType)>, BodyReader<'a>), DecodeError> {
        let mut r = Reader::with_eof_message(bytes, crate::reader::UNEXPECTED_END);
        r.seek(offset);
        let size = r.len32()? as usize;
        let end = r.pos().saturating_add(size);
        let locals = body_locals(&mut r)?;
        Ok((
            locals,
            BodyReader {
                r,
                features,
                frames: Vec::new(),
                end,
                done: false,
                uses_data_index: false,
            },
        ))
    }

    /// Calls `f` with every remaining instruction and its absolute offset, up to the body's
    /// final `end`; decode errors become `E` through `decode_error`. (Faster than a loop over
    /// [`next_instr`](Self::next_instr), whose results are moved through a `Result<Option>`.)
    #[inline]
    pub fn for_each_instr<E>(
        &mut self,
        decode_error: impl Fn(DecodeError) -> E,
        mut f: impl FnMut(Instr, usize) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut ctx = InstrCtx::new(self.features);
        while !self.done {
            let (i, at) = self.step(&mut ctx).map_err(&decode_error)?;
            f(i, at)?;
        }
        self.uses_data_index |= ctx.uses_data_index;
        Ok(())
    }

    /// Whether an instruction read so far needs the data count section (`memory.init`,
    /// `data.drop`): a module without one is malformed then.
    pub fn uses_data_index(&self) -> bool {
        self.uses_data_index
    }

    /// The next instruction and its absolute offset; `None` after the body's final `end`.
    pub fn next_instr(&mut self) -> Result<Option<(Instr, usize)>, DecodeError> {
        if self.done {
            return Ok(None);
        }
        let mut ctx = InstrCtx::new(self.features);
        let next = self.step(&mut ctx)?;
        self.uses_data_index |= ctx.uses_data_index;
        Ok(Some(next))
    }

    /// Reads one instruction (the body is not done yet); after the body's final `end`, checks
    /// that the body ends there.
    #[inline(always)]
    fn step(&mut self, ctx: &mut InstrCtx) -> Result<(Instr, usize), DecodeError> {
        let r = &mut self.r;
        let at = r.pos();
        if r.at_end() {
            return Err(r.error(at, crate::reader::UNEXPECTED_END));
        }
        let i = instr(r, ctx)?;
        if frame_step(r, &mut self.frames, &i, at)? {
            self.done = true;
            if r.pos() != self.end {
                return Err(r.error(r.pos(), "section size mismatch"));
            }
        }
        Ok((i, at))
    }
}

/// How [`code_section`] treats function bodies.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Bodies {
    /// Decode every instruction.
    Decode,
    /// Check every body without building its instruction list; keep locals and offset
    /// (see [`decode_deferred`](super::decode_deferred)).
    Check,
    /// Keep only each body's offset; its contents are not looked at
    /// (see [`decode_skipping_bodies`](super::decode_skipping_bodies)).
    Skip,
}

/// The code section's contents (after its size).
pub fn code_section(
    r: &mut Reader,
    ctx: &mut InstrCtx,
    mode: Bodies,
) -> Result<Vec<FuncBody>, DecodeError> {
    let n = r.count()?;
    let mut bodies = Vec::with_capacity(r.cap(n, 2));
    let mut frames = Vec::new();
    for _ in 0..n {
        let offset = r.pos();
        let size = r.len32()? as usize;
        let start = r.pos();
        let body = match mode {
            Bodies::Decode => func_body(r, ctx, offset, size, &mut frames)?,
            Bodies::Check => check_func_body(r, ctx, offset, &mut frames)?,
            Bodies::Skip => {
                r.seek(start.saturating_add(size));
                FuncBody {
                    offset,
                    ..FuncBody::default()
                }
            }
        };
        if r.pos() != start + size {
            return Err(r.error(r.pos(), "section size mismatch"));
        }
        bodies.push(body);
    }
    Ok(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> Result<Instr, String> {
        let f = Features::wasm2();
        let mut ctx = InstrCtx::new(&f);
        let mut r = Reader::new(bytes);
        let i = instr(&mut r, &mut ctx).map_err(|e| e.message)?;
        assert_eq!(r.pos(), bytes.len(), "consumed all of {bytes:x?}");
        Ok(i)
    }

    #[test]
    fn control_and_variables() {
        assert_eq!(one(&[0x0c, 0x02]), Ok(Instr::Br(2)));
        let bt = one(&[0x0e, 0x02, 0x00, 0x01, 0x02]).unwrap();
        assert_eq!(
            bt,
            Instr::BrTable(Box::new(BrTable {
                targets: vec![0, 1].into(),
                default: 2
            }))
        );
        assert_eq!(
            one(&[0x11, 0x01, 0x00]),
            Ok(Instr::CallIndirect {
                type_idx: 1,
                table: 0
            })
        );
        assert_eq!(
            one(&[0x1c, 0x01, 0x7f]),
            Ok(Instr::SelectTyped(vec![ValType::I32].into()))
        );
        assert_eq!(one(&[0x12, 0x00]), Err("illegal opcode".into()));
        assert_eq!(one(&[0x06]), Err("illegal opcode".into()));
        assert_eq!(
            one(&[0xd0, 0x70]),
            Ok(Instr::RefNull(crate::types::HeapType::Func))
        );
    }

    #[test]
    fn memory_immediates() {
        let m = |align, offset| MemArg {
            align,
            offset,
            memory: 0,
        };
        assert_eq!(
            one(&[0x28, 0x02, 0x10]),
            Ok(Instr::Load(LoadOp::I32Load, m(2, 16)))
        );
        assert_eq!(
            one(&[0x28, 0x20, 0x00]),
            Err("malformed memop flags".into())
        );
        assert_eq!(
            one(&[0x28, 0x40, 0x00]),
            Err("malformed memop flags".into())
        );
        assert_eq!(one(&[0x40, 0x01]), Err("zero byte expected".into()));
        assert_eq!(one(&[0x3f, 0x80, 0x00]), Err("zero byte expected".into()));
        assert_eq!(
            one(&[0xfc, 0x0a, 0x00, 0x00]),
            Ok(Instr::MemoryCopy { dst: 0, src: 0 })
        );
        // Multi-memory: bit 6 announces a memory index.
        let mut f = Features::wasm2();
        f.multi_memory = true;
        let mut ctx = InstrCtx::new(&f);
        let mut r = Reader::new(&[0x36, 0x42, 0x03, 0x08]);
        let i = instr(&mut r, &mut ctx).unwrap();
        assert_eq!(
            i,
            Instr::Store(
                StoreOp::I32Store,
                MemArg {
                    align: 2,
                    offset: 8,
                    memory: 3
                }
            )
        );
    }

    #[test]
    fn prefixed_and_constants() {
        assert_eq!(
            one(&[0xfc, 0x00]),
            Ok(Instr::Numeric(NumOp::I32TruncSatF32S))
        );
        assert_eq!(one(&[0xfc, 0x12]), Err("illegal opcode".into()));
        assert_eq!(one(&[0x41, 0x7f]), Ok(Instr::I32Const(-1)));
        assert_eq!(
            one(&[0x43, 0, 0, 0x80, 0x3f]),
            Ok(Instr::F32Const(0x3f80_0000))
        );
        assert_eq!(one(&[0xfd, 0x0f]), Ok(Instr::Simd(SimdOp::I8x16Splat)));
        assert_eq!(
            one(&[0xfd, 0x15, 0x03]),
            Ok(Instr::SimdLane(SimdLaneOp::I8x16ExtractLaneS, 3))
        );
        assert_eq!(one(&[0xfd, 0x9a, 0x01]), Err("illegal opcode".into()));
        assert_eq!(one(&[0x6a]), Ok(Instr::Numeric(NumOp::I32Add)));
    }

    #[test]
    fn bodies() {
        let f = Features::wasm2();
        let mut ctx = InstrCtx::new(&f);
        let mut frames = Vec::new();
        // (local i32) block nop end end
        let b = [0x01, 0x01, 0x7f, 0x02, 0x40, 0x01, 0x0b, 0x0b];
        let mut r = Reader::new(&b);
        let body = func_body(&mut r, &mut ctx, 0, b.len(), &mut frames).unwrap();
        assert_eq!(body.locals, vec![(1, ValType::I32)]);
        assert_eq!(body.instrs.len(), 4);
        assert_eq!(body.offsets, vec![3, 5, 6, 7]);
        // else outside of an if
        let b = [0x00, 0x02, 0x40, 0x05, 0x0b, 0x0b];
        let e = func_body(&mut Reader::new(&b), &mut ctx, 0, b.len(), &mut frames).unwrap_err();
        assert_eq!(e.message, "END opcode expected");
        let b = [0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e, 0x0b];
        let e = func_body(&mut Reader::new(&b), &mut ctx, 0, b.len(), &mut frames).unwrap_err();
        assert_eq!(e.message, "too many locals");
        let b = [0x00, 0x41, 0x01];
        let e = func_body(&mut Reader::new(&b), &mut ctx, 0, b.len(), &mut frames).unwrap_err();
        assert!(e.message.starts_with("unexpected end"));
    }

    /// The check pass reports what the full decode reports, at the same offset, and reads
    /// exactly as far.
    #[test]
    fn check_pass_matches_decode() {
        let f = Features::wasm2();
        let bodies: &[&[u8]] = &[
            // (local i32) block nop end end
            &[0x01, 0x01, 0x7f, 0x02, 0x40, 0x01, 0x0b, 0x0b],
            // br_table 0 1 default 0; select (result i32); end
            &[0x00, 0x0e, 0x02, 0x00, 0x01, 0x00, 0x1c, 0x01, 0x7f, 0x0b],
            // truncated br_table
            &[0x00, 0x0e, 0x05, 0x00],
            // select with a malformed value type
            &[0x00, 0x1c, 0x01, 0x55, 0x0b],
            // br_table with an over-long count
            &[0x00, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x7f],
            // else outside of an if
            &[0x00, 0x02, 0x40, 0x05, 0x0b, 0x0b],
            // too many locals
            &[0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e, 0x0b],
            // unterminated
            &[0x00, 0x41, 0x01],
            // illegal opcode
            &[0x00, 0x06, 0x0b],
        ];
        for b in bodies {
            let mut frames = Vec::new();
            let mut ctx = InstrCtx::new(&f);
            let mut r1 = Reader::new(b);
            let full = func_body(&mut r1, &mut ctx, 0, b.len(), &mut frames);
            let mut r2 = Reader::new(b);
            let checked = check_func_body(&mut r2, &mut ctx, 0, &mut frames);
            match (full, checked) {
                (Ok(a), Ok(c)) => {
                    assert_eq!(a.locals, c.locals, "{b:x?}");
                    assert!(c.instrs.is_empty() && c.offsets.is_empty());
                    assert_eq!(r1.pos(), r2.pos(), "{b:x?}");
                }
                (Err(a), Err(c)) => assert_eq!(a, c, "{b:x?}"),
                (a, c) => panic!("{b:x?}: decode gave {a:?}, check gave {c:?}"),
            }
        }
    }
}
