//! The execution engine: the op set, the translator (Wasm → ops) and the executor.

#[macro_use]
mod op_list;
#[macro_use]
mod op_props;
pub(crate) mod execute;
pub mod ops;
pub(crate) mod translate;

use crate::error::Error;
use ops::{CompiledOp, Op};

/// A translated function body, ready to run.
#[derive(Debug)]
pub struct CompiledFunc {
    pub(crate) ops: Box<[CompiledOp]>,
    /// Byte offset in the module binary of the instruction each op came from.
    pub(crate) offsets: OpOffsets,
    pub(crate) num_params: u32,
    pub(crate) num_results: u32,
    /// Parameters plus declared locals.
    pub(crate) num_locals: u32,
    /// Cells the frame needs: locals, constants and the deepest operand stack.
    pub(crate) frame_size: u32,
    /// Constants the function reads from slots `num_locals..num_locals + consts.len()`,
    /// copied into the frame on entry.
    pub(crate) consts: Box<[u64]>,
    /// Index in the module's function index space.
    pub(crate) func_index: u32,
    pub(crate) name: Option<Box<str>>,
}

/// The byte offset of the instruction each op of a function came from, stored compactly
/// (they are only read for trap backtraces): the difference to the previous op's offset,
/// zigzag-encoded as LEB128, which takes one byte for most ops instead of four.
#[derive(Debug, Default)]
pub(crate) struct OpOffsets {
    deltas: Box<[u8]>,
    len: usize,
}

impl From<&[u32]> for OpOffsets {
    fn from(offsets: &[u32]) -> Self {
        let mut deltas = Vec::with_capacity(offsets.len() + offsets.len() / 4);
        let mut prev = 0i64;
        for &o in offsets {
            let d = o as i64 - prev;
            prev = o as i64;
            let mut z = ((d << 1) ^ (d >> 63)) as u64;
            loop {
                let byte = (z & 0x7f) as u8;
                z >>= 7;
                if z == 0 {
                    deltas.push(byte);
                    break;
                }
                deltas.push(byte | 0x80);
            }
        }
        OpOffsets {
            deltas: deltas.into_boxed_slice(),
            len: offsets.len(),
        }
    }
}

impl OpOffsets {
    /// The offset of op `idx` (a scan from the first op: for backtraces only).
    pub(crate) fn get(&self, idx: usize) -> Option<u32> {
        if idx >= self.len {
            return None;
        }
        let mut bytes = self.deltas.iter();
        let mut cur = 0i64;
        for _ in 0..=idx {
            let mut z = 0u64;
            let mut shift = 0u32;
            loop {
                let b = *bytes.next()?;
                z |= u64::from(b & 0x7f).checked_shl(shift)?;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            cur += ((z >> 1) as i64) ^ -((z & 1) as i64);
        }
        u32::try_from(cur).ok()
    }
}

impl CompiledFunc {
    /// The ops of this function (a copy: the executor stores them with their handlers).
    pub fn ops(&self) -> Vec<Op> {
        self.ops.iter().map(CompiledOp::op).collect()
    }

    /// The op at `i` (branch offset in ops).
    fn op(&self, i: usize) -> Option<Op> {
        self.ops.get(i).map(CompiledOp::op)
    }

    /// Number of frame cells (8 bytes each) the function uses.
    pub fn frame_size(&self) -> u32 {
        self.frame_size
    }

    /// Checks the invariants the executor relies on for memory safety: every slot lies inside
    /// the frame, every branch lands on an op of this function, multi-op sequences are
    /// complete and the last op does not fall through.
    pub(crate) fn verify(&self) -> Result<(), Error> {
        let bad = |what: &str, at: usize| {
            Err(Error::usage(format!(
                "internal error: translated code of func {} breaks an invariant ({what} at op {at})",
                self.func_index
            )))
        };
        let n = self.ops.len();
        match self.op(n.wrapping_sub(1)) {
            Some(op) if op.is_terminal() => {}
            _ => return bad("falls off the end", n),
        }
        if self.num_params > self.frame_size
            || self.num_locals as u64 + self.consts.len() as u64 > self.frame_size as u64
        {
            return bad("frame smaller than locals", 0);
        }
        // The entries of every `br_table`: only their table reads them, no branch may land on
        // one (the threaded backend stores another op's handler in them).
        let mut is_entry = vec![false; n];
        for (i, op) in self.ops.iter().enumerate() {
            if let Op::BrTable { len, .. } = op.op {
                for e in is_entry.iter_mut().skip(i + 1).take(len as usize + 1) {
                    *e = true;
                }
            }
        }
        for (i, op) in self.ops.iter().map(CompiledOp::op).enumerate() {
            let mut ok = true;
            op.for_each_cells(|s, c| ok &= s as u64 + c as u64 <= self.frame_size as u64);
            if !ok {
                return bad("slot outside frame", i);
            }
            let mut op2 = op;
            if let Some(t) = op.has_target().then(|| op2.target_mut()).flatten() {
                let to = i as i64 + *t as i64;
                if to < 0 || to >= n as i64 {
                    return bad("branch outside function", i);
                }
                if is_entry[to as usize] {
                    return bad("branch into a br_table", i);
                }
            }
            match op {
                Op::BrTable { len, .. } => {
                    let last = i as u64 + 1 + len as u64;
                    if last >= n as u64 {
                        return bad("truncated br_table", i);
                    }
                    for j in i + 1..=last as usize {
                        if !matches!(self.op(j), Some(Op::Br { .. })) {
                            return bad("br_table entry is not a branch", j);
                        }
                    }
                }
                // It continues two ops on (see `translate/fuse.rs`).
                Op::Copy2 { .. } if i + 2 >= n => return bad("copy2 at the end", i),
                Op::CallIndirect { .. } if !matches!(self.op(i + 1), Some(Op::Extra { .. })) => {
                    return bad("call_indirect without table", i);
                }
                Op::SimdShuffle { .. }
                    if !matches!(
                        (self.op(i + 1), self.op(i + 2)),
                        (Some(Op::Extra { .. }), Some(Op::Extra { .. }))
                    ) =>
                {
                    return bad("i8x16.shuffle without lanes", i);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::OpOffsets;

    #[test]
    fn op_offsets_round_trip() {
        let offsets: Vec<u32> = vec![0, 5, 5, 6, 200, 3, 70_000, u32::MAX, 0, 1 << 31, 17];
        let packed = OpOffsets::from(offsets.as_slice());
        assert_eq!(packed.len, offsets.len());
        for (i, &o) in offsets.iter().enumerate() {
            assert_eq!(packed.get(i), Some(o), "op {i}");
        }
        assert_eq!(packed.get(offsets.len()), None);
        // Small steps take one byte each.
        let steps: Vec<u32> = (1000..1100).collect();
        let packed = OpOffsets::from(steps.as_slice());
        assert!(packed.deltas.len() <= 102, "{}", packed.deltas.len());
        assert_eq!(packed.get(99), Some(1099));
        assert_eq!(OpOffsets::default().get(0), None);
    }
}
