//! Function body validation: the specification's algorithm (Wasm 2.0, appendix
//! "Validation Algorithm") with an operand stack of possibly-unknown types and a control
//! stack of frames, each remembering whether the rest of its block is unreachable.
//!
//! The per-category instruction rules live in the sibling files; this file holds the state,
//! the stack primitives and the dispatch.

mod control;
mod memory;
mod numeric;
mod reference;
mod simd;
mod table;
mod variable;

use wvm_binary::{BlockType, FuncType, Instr, ValType};

use crate::error::ValidationError;
use crate::module::{val_type_error, ModuleValidator};

/// What opened a control frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameKind {
    Block,
    Loop,
    If,
    Else,
    /// The implicit block of the function body.
    Function,
}

/// A control frame.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub(crate) kind: FrameKind,
    /// The block type; the function frame uses `Func(type of the function)` but has no
    /// start types (parameters are locals).
    pub(crate) ty: BlockType,
    /// Operand stack height at the start of the block (after popping its parameters).
    pub(crate) height: usize,
    /// Whether the rest of the block is unreachable (the stack is polymorphic).
    pub(crate) unreachable: bool,
}

/// An operand type; `None` is the unknown type of values in unreachable code.
pub(crate) type Operand = Option<ValType>;

/// Buffers of a [`FuncValidator`], to be reused for the next function so that validating a
/// module allocates per module, not per function.
#[derive(Debug, Default)]
pub struct FuncValidatorAllocations {
    operands: Vec<Operand>,
    ctrls: Vec<Frame>,
    locals: Vec<(u32, ValType)>,
}

/// A sequence of value types: a borrowed slice or a single inline type (`[t]` block types).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Types<'a> {
    Slice(&'a [ValType]),
    One(ValType),
}

impl<'a> Types<'a> {
    pub(crate) const EMPTY: Types<'static> = Types::Slice(&[]);

    #[inline]
    pub(crate) fn len(self) -> usize {
        match self {
            Types::Slice(s) => s.len(),
            Types::One(_) => 1,
        }
    }

    #[inline]
    pub(crate) fn get(self, i: usize) -> Option<ValType> {
        match self {
            Types::Slice(s) => s.get(i).copied(),
            Types::One(t) => (i == 0).then_some(t),
        }
    }

    pub(crate) fn eq(self, other: Types<'_>) -> bool {
        self.len() == other.len() && (0..self.len()).all(|i| self.get(i) == other.get(i))
    }
}

type Result<T> = core::result::Result<T, ValidationError>;

/// Validates one function body, one instruction at a time.
///
/// Feed every instruction of the body (the final `end` included) to [`FuncValidator::visit`]
/// in order, then call [`FuncValidator::finish`]. Between visits the queries
/// ([`FuncValidator::is_unreachable`], [`FuncValidator::label_types`], ...) describe the
/// state after the last visited instruction.
#[derive(Debug)]
pub struct FuncValidator<'a> {
    pub(crate) ctx: &'a ModuleValidator<'a>,
    func_idx: u32,
    ty: &'a FuncType,
    /// Local groups including parameters: `(exclusive end index, type)`, ascending.
    locals: Vec<(u32, ValType)>,
    num_locals: u32,
    operands: Vec<Operand>,
    ctrls: Vec<Frame>,
    offset: usize,
}

impl<'a> FuncValidator<'a> {
    pub(crate) fn new(
        ctx: &'a ModuleValidator<'a>,
        defined_index: usize,
        allocs: FuncValidatorAllocations,
    ) -> Result<Self> {
        let module = ctx.module;
        let func_idx = ctx
            .num_imported_funcs
            .saturating_add(u32::try_from(defined_index).unwrap_or(u32::MAX));
        let (Some(ty), Some(body)) = (ctx.func_type(func_idx), module.code.get(defined_index))
        else {
            return Err(ValidationError::new(
                format!("unknown function {func_idx}"),
                0,
                None,
            ));
        };
        let FuncValidatorAllocations {
            mut operands,
            mut ctrls,
            mut locals,
        } = allocs;
        operands.clear();
        ctrls.clear();
        locals.clear();
        let mut v = FuncValidator {
            ctx,
            func_idx,
            ty,
            locals,
            num_locals: 0,
            operands,
            ctrls,
            offset: body.offset,
        };
        let mut n: u64 = 0;
        for p in ty.params.iter() {
            n += 1;
            v.push_local_group(n, *p);
        }
        for (count, t) in &body.locals {
            if let Some(m) = val_type_error(&ctx.features, module.types.len(), *t) {
                return Err(v.err(m));
            }
            if !t.is_defaultable() {
                return Err(v.err("non-defaultable local types are not supported"));
            }
            n += u64::from(*count);
            if n > u64::from(u32::MAX) {
                return Err(v.err("too many locals"));
            }
            if *count > 0 {
                v.push_local_group(n, *t);
            }
        }
        v.num_locals = n as u32;
        v.ctrls.push(Frame {
            kind: FrameKind::Function,
            ty: BlockType::Func(ctx.func_types.get(func_idx as usize).copied().unwrap_or(0)),
            height: 0,
            unreachable: false,
        });
        Ok(v)
    }

    fn push_local_group(&mut self, end: u64, t: ValType) {
        let end = end as u32;
        match self.locals.last_mut() {
            Some((e, last)) if *last == t => *e = end,
            _ => self.locals.push((end, t)),
        }
    }

    /// Index of the function in the function index space.
    pub fn func_index(&self) -> u32 {
        self.func_idx
    }

    /// The function's signature.
    pub fn func_type(&self) -> &'a FuncType {
        self.ty
    }

    /// Number of locals including parameters.
    pub fn num_locals(&self) -> u32 {
        self.num_locals
    }

    /// Type of local `idx` (parameters first).
    #[inline]
    pub fn local_type(&self, idx: u32) -> Option<ValType> {
        if idx >= self.num_locals {
            return None;
        }
        let i = self.locals.partition_point(|(end, _)| *end <= idx);
        self.locals.get(i).map(|(_, t)| *t)
    }

    /// Whether the code after the last visited instruction is unreachable (also true once
    /// the function's final `end` has been visited).
    pub fn is_unreachable(&self) -> bool {
        self.ctrls.last().is_none_or(|f| f.unreachable)
    }

    /// Number of operands on the operand stack (all frames).
    pub fn operand_depth(&self) -> usize {
        self.operands.len()
    }

    /// Number of open control frames, including the function's own frame.
    pub fn control_depth(&self) -> usize {
        self.ctrls.len()
    }

    /// Type of the operand `depth_from_top` below the top (0 is the top); `None` if there
    /// is no such operand or its type is unknown (unreachable code).
    pub fn operand_type(&self, depth_from_top: usize) -> Option<ValType> {
        let len = self.operands.len();
        if depth_from_top >= len {
            return None;
        }
        self.operands
            .get(len - 1 - depth_from_top)
            .copied()
            .flatten()
    }

    /// The kind of the frame `relative_depth` levels out (0 is the innermost).
    pub fn frame_kind(&self, relative_depth: u32) -> Option<FrameKind> {
        self.frame_at(relative_depth).map(|f| f.kind)
    }

    /// The types a branch to label `relative_depth` carries: the parameters of a loop, the
    /// results of any other block. Empty for an out-of-range depth.
    pub fn label_types(&self, relative_depth: u32) -> &[ValType] {
        let Some(f) = self.frame_at(relative_depth) else {
            return &[];
        };
        match (&f.ty, f.kind) {
            (BlockType::Empty, _) => &[],
            (BlockType::Value(_), FrameKind::Loop) => &[],
            (BlockType::Value(t), _) => core::slice::from_ref(t),
            (BlockType::Func(i), kind) => match self.ctx.module.types.get(*i as usize) {
                Some(ft) if kind == FrameKind::Loop => &ft.params,
                Some(ft) => &ft.results,
                None => &[],
            },
        }
    }

    /// Checks that the whole body was visited, i.e. the function's final `end` was seen.
    pub fn finish(self) -> Result<()> {
        self.check_finished()
    }

    fn check_finished(&self) -> Result<()> {
        if self.ctrls.is_empty() {
            Ok(())
        } else {
            Err(self.err("END opcode expected"))
        }
    }

    /// Like [`FuncValidator::finish`], also handing back the buffers for the next function.
    pub fn finish_reuse(self) -> (Result<()>, FuncValidatorAllocations) {
        let r = self.check_finished();
        (r, self.into_allocations())
    }

    /// The buffers, for [`ModuleValidator::func_validator_with`].
    pub fn into_allocations(self) -> FuncValidatorAllocations {
        FuncValidatorAllocations {
            operands: self.operands,
            ctrls: self.ctrls,
            locals: self.locals,
        }
    }

    /// Validates the next instruction. `offset` is its byte offset (for error messages).
    pub fn visit(&mut self, instr: &Instr, offset: usize) -> Result<()> {
        self.offset = offset;
        if self.ctrls.is_empty() {
            return Err(self.err("operators remaining after end of function"));
        }
        match instr {
            Instr::Unreachable => self.visit_unreachable(),
            Instr::Nop => Ok(()),
            Instr::Block(bt) => self.visit_block(FrameKind::Block, *bt),
            Instr::Loop(bt) => self.visit_block(FrameKind::Loop, *bt),
            Instr::If(bt) => self.visit_if(*bt),
            Instr::Else => self.visit_else(),
            Instr::End => self.visit_end(),
            Instr::Br(l) => self.visit_br(*l),
            Instr::BrIf(l) => self.visit_br_if(*l),
            Instr::BrTable(t) => self.visit_br_table(&t.targets, t.default),
            Instr::Return => self.visit_return(),
            Instr::Call(f) => self.visit_call(*f),
            Instr::CallIndirect { type_idx, table } => self.visit_call_indirect(*type_idx, *table),
            Instr::ReturnCall(f) => self.visit_return_call(*f),
            Instr::ReturnCallIndirect { type_idx, table } => {
                self.visit_return_call_indirect(*type_idx, *table)
            }
            Instr::Drop => self.pop_any().map(drop),
            Instr::Select => self.visit_select(),
            Instr::SelectTyped(ts) => self.visit_select_typed(ts),
            Instr::LocalGet(i) => self.visit_local_get(*i),
            Instr::LocalSet(i) => self.visit_local_set(*i),
            Instr::LocalTee(i) => self.visit_local_tee(*i),
            Instr::GlobalGet(i) => self.visit_global_get(*i),
            Instr::GlobalSet(i) => self.visit_global_set(*i),
            Instr::TableGet(t) => self.visit_table_get(*t),
            Instr::TableSet(t) => self.visit_table_set(*t),
            Instr::TableInit { elem, table } => self.visit_table_init(*elem, *table),
            Instr::ElemDrop(e) => self.visit_elem_drop(*e),
            Instr::TableCopy { dst, src } => self.visit_table_copy(*dst, *src),
            Instr::TableGrow(t) => self.visit_table_grow(*t),
            Instr::TableSize(t) => self.visit_table_size(*t),
            Instr::TableFill(t) => self.visit_table_fill(*t),
            Instr::Load(op, m) => self.visit_load(*op, m),
            Instr::Store(op, m) => self.visit_store(*op, m),
            Instr::MemorySize(m) => self.visit_memory_size(*m),
            Instr::MemoryGrow(m) => self.visit_memory_grow(*m),
            Instr::MemoryInit { data, memory } => self.visit_memory_init(*data, *memory),
            Instr::DataDrop(d) => self.visit_data_drop(*d),
            Instr::MemoryCopy { dst, src } => self.visit_memory_copy(*dst, *src),
            Instr::MemoryFill(m) => self.visit_memory_fill(*m),
            Instr::I32Const(_) => self.push(ValType::I32),
            Instr::I64Const(_) => self.push(ValType::I64),
            Instr::F32Const(_) => self.push(ValType::F32),
            Instr::F64Const(_) => self.push(ValType::F64),
            Instr::Numeric(op) => self.visit_numeric(*op),
            Instr::RefNull(h) => self.visit_ref_null(*h),
            Instr::RefIsNull => self.visit_ref_is_null(),
            Instr::RefFunc(f) => self.visit_ref_func(*f),
            Instr::V128Const(_) => self.visit_v128_const(),
            Instr::I8x16Shuffle(lanes) => self.visit_i8x16_shuffle(lanes),
            Instr::Simd(op) => self.visit_simd(*op),
            Instr::SimdMem(op, m) => self.visit_simd_mem(*op, m),
            Instr::SimdLane(op, lane) => self.visit_simd_lane(*op, *lane),
            Instr::SimdMemLane(op, m, lane) => self.visit_simd_mem_lane(*op, m, *lane),
        }
    }

    // ----- errors -----

    #[cold]
    #[inline(never)]
    pub(crate) fn err(&self, message: impl Into<String>) -> ValidationError {
        ValidationError::new(message, self.offset, Some(self.func_idx))
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn type_mismatch(&self) -> ValidationError {
        self.err("type mismatch")
    }

    /// Checks a value type named by an immediate (block types, typed select).
    pub(crate) fn check_val_type(&self, t: ValType) -> Result<()> {
        match val_type_error(&self.ctx.features, self.ctx.module.types.len(), t) {
            None => Ok(()),
            Some(m) => Err(self.err(m)),
        }
    }

    // ----- operand stack -----

    #[inline]
    fn top_frame(&self) -> Result<&Frame> {
        match self.ctrls.last() {
            Some(f) => Ok(f),
            None => Err(self.err("operators remaining after end of function")),
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, t: ValType) -> Result<()> {
        self.operands.push(Some(t));
        Ok(())
    }

    #[inline]
    pub(crate) fn push_operand(&mut self, t: Operand) {
        self.operands.push(t);
    }

    /// Pops one operand of any type; `None` means unknown.
    #[inline]
    pub(crate) fn pop_any(&mut self) -> Result<Operand> {
        let f = self.top_frame()?;
        if self.operands.len() <= f.height {
            if f.unreachable {
                return Ok(None);
            }
            return Err(self.type_mismatch());
        }
        Ok(self.operands.pop().flatten())
    }

    /// Pops one operand that must match `expected`; returns its actual type.
    #[inline]
    pub(crate) fn pop(&mut self, expected: ValType) -> Result<Operand> {
        let actual = self.pop_any()?;
        match actual {
            Some(a) if a != expected && !self.ctx.val_matches(a, expected) => {
                Err(self.type_mismatch())
            }
            _ => Ok(actual),
        }
    }

    /// Pops operands matching `types` (the last type is on top).
    #[inline]
    pub(crate) fn pop_types(&mut self, types: Types<'_>) -> Result<()> {
        for i in (0..types.len()).rev() {
            if let Some(t) = types.get(i) {
                self.pop(t)?;
            }
        }
        Ok(())
    }

    #[inline]
    pub(crate) fn push_types(&mut self, types: Types<'_>) {
        match types {
            Types::Slice(s) => self.operands.extend(s.iter().map(|t| Some(*t))),
            Types::One(t) => self.operands.push(Some(t)),
        }
    }

    pub(crate) fn pop_slice(&mut self, types: &[ValType]) -> Result<()> {
        self.pop_types(Types::Slice(types))
    }

    /// Checks, without changing the stack, that the top operands match `types`.
    pub(crate) fn check_top_types(&self, types: Types<'_>) -> Result<()> {
        let f = self.top_frame()?;
        let n = types.len();
        let len = self.operands.len();
        for i in 0..n {
            // The operand `i` below the top must match types[n - 1 - i].
            let Some(expected) = types.get(n - 1 - i) else {
                continue;
            };
            if len > f.height + i {
                if let Some(Some(actual)) = self.operands.get(len - 1 - i) {
                    if *actual != expected && !self.ctx.val_matches(*actual, expected) {
                        return Err(self.type_mismatch());
                    }
                }
            } else if !f.unreachable {
                return Err(self.type_mismatch());
            }
        }
        Ok(())
    }

    // ----- control stack -----

    pub(crate) fn frame_at(&self, relative_depth: u32) -> Option<&Frame> {
        let n = self.ctrls.len();
        let d = relative_depth as usize;
        if d >= n {
            return None;
        }
        self.ctrls.get(n - 1 - d)
    }

    /// Parameter types of a block type (empty for the function frame).
    pub(crate) fn start_types(&self, kind: FrameKind, ty: BlockType) -> Types<'a> {
        match (kind, ty) {
            (FrameKind::Function, _) | (_, BlockType::Empty | BlockType::Value(_)) => Types::EMPTY,
            (_, BlockType::Func(i)) => match self.ctx.module.types.get(i as usize) {
                Some(ft) => Types::Slice(&ft.params),
                None => Types::EMPTY,
            },
        }
    }

    /// Result types of a block type.
    pub(crate) fn end_types(&self, ty: BlockType) -> Types<'a> {
        match ty {
            BlockType::Empty => Types::EMPTY,
            BlockType::Value(t) => Types::One(t),
            BlockType::Func(i) => match self.ctx.module.types.get(i as usize) {
                Some(ft) => Types::Slice(&ft.results),
                None => Types::EMPTY,
            },
        }
    }

    /// The types a branch to `frame` carries.
    pub(crate) fn frame_label_types(&self, frame: &Frame) -> Types<'a> {
        if frame.kind == FrameKind::Loop {
            self.start_types(frame.kind, frame.ty)
        } else {
            self.end_types(frame.ty)
        }
    }

    /// Label types of the frame `relative_depth` levels out, or "unknown label".
    pub(crate) fn label(&self, relative_depth: u32) -> Result<Types<'a>> {
        match self.frame_at(relative_depth) {
            Some(f) => Ok(self.frame_label_types(f)),
            None => Err(self.err(format!("unknown label {relative_depth}"))),
        }
    }

    pub(crate) fn push_ctrl(&mut self, kind: FrameKind, ty: BlockType) {
        let start = self.start_types(kind, ty);
        self.ctrls.push(Frame {
            kind,
            ty,
            height: self.operands.len(),
            unreachable: false,
        });
        self.push_types(start);
    }

    /// Pops the innermost frame after checking that exactly its results are on the stack.
    pub(crate) fn pop_ctrl(&mut self) -> Result<Frame> {
        let f = *self.top_frame()?;
        self.pop_types(self.end_types(f.ty))?;
        if self.operands.len() != f.height {
            return Err(self.type_mismatch());
        }
        self.ctrls.pop();
        Ok(f)
    }

    /// Marks the rest of the current block unreachable and drops its operands.
    pub(crate) fn set_unreachable(&mut self) -> Result<()> {
        let height = self.top_frame()?.height;
        self.operands.truncate(height);
        if let Some(f) = self.ctrls.last_mut() {
            f.unreachable = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
