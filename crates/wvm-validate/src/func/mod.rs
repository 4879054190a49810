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
mod ty;
mod variable;

pub(crate) use ty::Ty;

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
    /// The packed result type of a `[] -> [t]` block (unused for other block types).
    pub(crate) value_ty: Ty,
    /// Operand stack height at the start of the block (after popping its parameters).
    pub(crate) height: usize,
    /// Whether the rest of the block is unreachable (the stack is polymorphic).
    pub(crate) unreachable: bool,
}

/// Buffers of a [`FuncValidator`], to be reused for the next function so that validating a
/// module allocates per module, not per function.
#[derive(Debug, Default)]
pub struct FuncValidatorAllocations {
    operands: Vec<Ty>,
    ctrls: Vec<Frame>,
    locals: Vec<(u32, ValType)>,
    dense_locals: Vec<Ty>,
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

/// Internal results box the error so that the hot paths return a single word.
type Result<T> = core::result::Result<T, Box<ValidationError>>;

/// Results of the public API.
type PubResult<T> = core::result::Result<T, ValidationError>;

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
    /// Declared local groups: `(exclusive end index, type)`, ascending; indices count the
    /// parameters first.
    locals: Vec<(u32, ValType)>,
    /// The types of the first locals, for a lookup without searching (see
    /// [`dense_locals_limit`]); the others are found in `locals` by binary search.
    dense_locals: Vec<Ty>,
    num_locals: u32,
    operands: Vec<Ty>,
    ctrls: Vec<Frame>,
    /// `height` and `unreachable` of the innermost frame, mirrored for the hot paths.
    height: usize,
    unreachable: bool,
    offset: usize,
}

/// How many leading locals get a flat type table: all of them in ordinary functions, but
/// never more than a small multiple of the body's length, so that a tiny body declaring
/// tens of thousands of locals cannot make validation time grow with the declared count.
fn dense_locals_limit(num_instrs: usize) -> u64 {
    256 + 8 * num_instrs as u64
}

impl<'a> FuncValidator<'a> {
    pub(crate) fn new(
        ctx: &'a ModuleValidator<'a>,
        defined_index: usize,
        body: Option<&wvm_binary::FuncBody>,
        allocs: FuncValidatorAllocations,
    ) -> PubResult<Self> {
        let func_idx = ctx
            .num_imported_funcs
            .saturating_add(u32::try_from(defined_index).unwrap_or(u32::MAX));
        let (Some(ty), Some(body)) = (ctx.func_type(func_idx), body) else {
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
            mut dense_locals,
        } = allocs;
        operands.clear();
        ctrls.clear();
        locals.clear();
        dense_locals.clear();
        let mut v = FuncValidator {
            ctx,
            func_idx,
            ty,
            locals,
            dense_locals,
            num_locals: 0,
            operands,
            ctrls,
            height: 0,
            unreachable: false,
            offset: body.offset,
        };
        // Parameters are looked up in the signature; only declared locals are grouped here
        // (so the cost per function does not grow with a shared signature's length).
        let num_params = ty.params.len() as u64;
        let mut n: u64 = num_params;
        for (count, t) in &body.locals {
            if let Some(m) = val_type_error(&ctx.features, ctx.module.types.len(), *t) {
                return Err(*v.err(m));
            }
            if !t.is_defaultable() {
                return Err(*v.err("non-defaultable local types are not supported"));
            }
            n += u64::from(*count);
            if n > u64::from(u32::MAX) {
                return Err(*v.err("too many locals"));
            }
            if *count > 0 {
                v.push_local_group(n, *t);
            }
        }
        v.num_locals = n as u32;
        let dense = n.min(dense_locals_limit(body.instrs.len())) as u32;
        let dense_params = num_params.min(u64::from(dense)) as usize;
        v.dense_locals.extend(
            ty.params
                .iter()
                .take(dense_params)
                .map(|t| Ty::from_val(*t)),
        );
        let mut start = dense_params as u32;
        for &(end, t) in &v.locals {
            let end = end.min(dense);
            let count = end.saturating_sub(start) as usize;
            v.dense_locals
                .extend(core::iter::repeat_n(Ty::from_val(t), count));
            start = end;
            if end == dense {
                break;
            }
        }
        v.ctrls.push(Frame {
            kind: FrameKind::Function,
            ty: BlockType::Func(ctx.func_types.get(func_idx as usize).copied().unwrap_or(0)),
            value_ty: Ty::UNKNOWN,
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
        if let Some(t) = self.dense_locals.get(idx as usize) {
            return t.to_val();
        }
        self.local_type_sparse(idx)
    }

    /// Packed type of local `idx`, for the hot paths.
    #[inline]
    pub(crate) fn local_ty(&self, idx: u32) -> Option<Ty> {
        match self.dense_locals.get(idx as usize) {
            Some(t) => Some(*t),
            None => self.local_type_sparse(idx).map(Ty::from_val),
        }
    }

    fn local_type_sparse(&self, idx: u32) -> Option<ValType> {
        if idx >= self.num_locals {
            return None;
        }
        if let Some(t) = self.ty.params.get(idx as usize) {
            return Some(*t);
        }
        let i = self.locals.partition_point(|(end, _)| *end <= idx);
        self.locals.get(i).map(|(_, t)| *t)
    }

    /// Whether the code after the last visited instruction is unreachable (also true once
    /// the function's final `end` has been visited).
    pub fn is_unreachable(&self) -> bool {
        self.ctrls.is_empty() || self.unreachable
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
            .and_then(|t| t.to_val())
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
    pub fn finish(self) -> PubResult<()> {
        self.check_finished()
    }

    fn check_finished(&self) -> PubResult<()> {
        if self.ctrls.is_empty() {
            Ok(())
        } else {
            Err(*self.err("END opcode expected"))
        }
    }

    /// Like [`FuncValidator::finish`], also handing back the buffers for the next function.
    pub fn finish_reuse(self) -> (PubResult<()>, FuncValidatorAllocations) {
        let r = self.check_finished();
        (r, self.into_allocations())
    }

    /// The buffers, for [`ModuleValidator::func_validator_with`].
    pub fn into_allocations(self) -> FuncValidatorAllocations {
        FuncValidatorAllocations {
            operands: self.operands,
            ctrls: self.ctrls,
            locals: self.locals,
            dense_locals: self.dense_locals,
        }
    }

    /// Validates the next instruction. `offset` is its byte offset (for error messages).
    #[inline]
    pub fn visit(&mut self, instr: &Instr, offset: usize) -> PubResult<()> {
        match self.visit_instr(instr, offset) {
            Ok(()) => Ok(()),
            Err(e) => Err(*e),
        }
    }

    fn visit_instr(&mut self, instr: &Instr, offset: usize) -> Result<()> {
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
    pub(crate) fn err(&self, message: impl Into<String>) -> Box<ValidationError> {
        Box::new(ValidationError::new(
            message,
            self.offset,
            Some(self.func_idx),
        ))
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn type_mismatch(&self) -> Box<ValidationError> {
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
        self.operands.push(Ty::from_val(t));
        Ok(())
    }

    #[inline]
    pub(crate) fn push_ty(&mut self, t: Ty) -> Result<()> {
        self.operands.push(t);
        Ok(())
    }

    /// Pops one operand of any type (possibly [`Ty::UNKNOWN`]).
    #[inline]
    pub(crate) fn pop_any(&mut self) -> Result<Ty> {
        if self.operands.len() > self.height {
            if let Some(t) = self.operands.pop() {
                return Ok(t);
            }
        }
        if self.unreachable {
            Ok(Ty::UNKNOWN)
        } else {
            Err(self.type_mismatch())
        }
    }

    /// Pops one operand that must match `expected`.
    #[inline]
    pub(crate) fn pop(&mut self, expected: ValType) -> Result<()> {
        self.pop_ty(Ty::from_val(expected))
    }

    /// Pops one operand that must match `expected`.
    #[inline]
    pub(crate) fn pop_ty(&mut self, expected: Ty) -> Result<()> {
        if self.operands.len() > self.height {
            if let Some(t) = self.operands.last() {
                if *t == expected {
                    self.operands.pop();
                    return Ok(());
                }
            }
        }
        self.pop_slow(expected)
    }

    /// `pop_ty` when the top is not exactly `expected`: unknown, a subtype, an empty
    /// polymorphic stack or an error.
    #[inline(never)]
    fn pop_slow(&mut self, expected: Ty) -> Result<()> {
        let actual = self.pop_any()?;
        if self.ty_matches(actual, expected) {
            Ok(())
        } else {
            Err(self.type_mismatch())
        }
    }

    /// Whether an operand of type `actual` may be used where `expected` is required.
    #[inline]
    fn ty_matches(&self, actual: Ty, expected: Ty) -> bool {
        if actual == expected || actual.is_unknown() {
            return true;
        }
        match (actual.to_val(), expected.to_val()) {
            (Some(a), Some(e)) => self.ctx.val_matches(a, e),
            _ => false,
        }
    }

    /// Pops operands matching `types` (the last type is on top).
    #[inline]
    pub(crate) fn pop_types(&mut self, types: Types<'_>) -> Result<()> {
        match types {
            Types::One(t) => self.pop(t),
            Types::Slice(s) => {
                for t in s.iter().rev() {
                    self.pop(*t)?;
                }
                Ok(())
            }
        }
    }

    #[inline]
    pub(crate) fn push_types(&mut self, types: Types<'_>) {
        match types {
            Types::Slice(s) => self.operands.extend(s.iter().map(|t| Ty::from_val(*t))),
            Types::One(t) => self.operands.push(Ty::from_val(t)),
        }
    }

    pub(crate) fn pop_slice(&mut self, types: &[ValType]) -> Result<()> {
        self.pop_types(Types::Slice(types))
    }

    /// Checks, without changing the stack, that the top operands match `types`.
    pub(crate) fn check_top_types(&self, types: Types<'_>) -> Result<()> {
        let f = *self.top_frame()?;
        let n = types.len();
        let len = self.operands.len();
        for i in 0..n {
            // The operand `i` below the top must match types[n - 1 - i].
            let Some(expected) = types.get(n - 1 - i) else {
                continue;
            };
            if len > f.height + i {
                if let Some(actual) = self.operands.get(len - 1 - i) {
                    if !self.ty_matches(*actual, Ty::from_val(expected)) {
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

    #[inline]
    pub(crate) fn push_ctrl(&mut self, kind: FrameKind, ty: BlockType) {
        let value_ty = match ty {
            BlockType::Value(t) => Ty::from_val(t),
            _ => Ty::UNKNOWN,
        };
        self.ctrls.push(Frame {
            kind,
            ty,
            value_ty,
            height: self.operands.len(),
            unreachable: false,
        });
        self.height = self.operands.len();
        self.unreachable = false;
        if let BlockType::Func(_) = ty {
            self.push_types(self.start_types(kind, ty));
        }
    }

    /// Pushes the results of a block that just ended.
    #[inline]
    pub(crate) fn push_frame_results(&mut self, f: &Frame) {
        match f.ty {
            BlockType::Empty => {}
            BlockType::Value(_) => self.operands.push(f.value_ty),
            BlockType::Func(_) => self.push_types(self.end_types(f.ty)),
        }
    }

    /// Pops the innermost frame after checking that exactly its results are on the stack.
    pub(crate) fn pop_ctrl(&mut self) -> Result<Frame> {
        let f = *self.top_frame()?;
        match f.ty {
            BlockType::Empty => {}
            BlockType::Value(_) => self.pop_ty(f.value_ty)?,
            BlockType::Func(_) => self.pop_types(self.end_types(f.ty))?,
        }
        if self.operands.len() != f.height {
            return Err(self.type_mismatch());
        }
        self.ctrls.pop();
        if let Some(outer) = self.ctrls.last() {
            self.height = outer.height;
            self.unreachable = outer.unreachable;
        }
        Ok(f)
    }

    /// Marks the rest of the current block unreachable and drops its operands.
    pub(crate) fn set_unreachable(&mut self) -> Result<()> {
        let height = self.top_frame()?.height;
        self.operands.truncate(height);
        if let Some(f) = self.ctrls.last_mut() {
            f.unreachable = true;
        }
        self.unreachable = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
