//! Control and parametric instructions: blocks, branches, calls, `drop`, `select`.

use wvm_binary::{BlockType, FuncType, HeapType, ValType};

use super::{FrameKind, FuncValidator, Result, Types};
use crate::module::index_val_type;

impl<'a> FuncValidator<'a> {
    fn check_block_type(&self, bt: BlockType) -> Result<()> {
        match bt {
            BlockType::Empty
            | BlockType::Value(ValType::I32 | ValType::I64 | ValType::F32 | ValType::F64) => Ok(()),
            BlockType::Value(t) => self.check_val_type(t),
            BlockType::Func(i) => {
                if (i as usize) >= self.ctx.module.types.len() {
                    return Err(self.err(format!("unknown type {i}")));
                }
                if !self.ctx.features.multi_value {
                    return Err(self.err("invalid result arity"));
                }
                Ok(())
            }
        }
    }

    pub(super) fn visit_unreachable(&mut self) -> Result<()> {
        self.set_unreachable()
    }

    pub(super) fn visit_block(&mut self, kind: FrameKind, bt: BlockType) -> Result<()> {
        self.check_block_type(bt)?;
        if let BlockType::Func(_) = bt {
            self.pop_types(self.start_types(kind, bt))?;
        }
        self.push_ctrl(kind, bt);
        Ok(())
    }

    pub(super) fn visit_if(&mut self, bt: BlockType) -> Result<()> {
        self.check_block_type(bt)?;
        self.pop(ValType::I32)?;
        if let BlockType::Func(_) = bt {
            self.pop_types(self.start_types(FrameKind::If, bt))?;
        }
        self.push_ctrl(FrameKind::If, bt);
        Ok(())
    }

    pub(super) fn visit_else(&mut self) -> Result<()> {
        let kind = self.frame_at(0).map(|f| f.kind);
        if kind != Some(FrameKind::If) {
            return Err(self.err("else without matching if"));
        }
        let f = self.pop_ctrl()?;
        self.push_ctrl(FrameKind::Else, f.ty);
        Ok(())
    }

    pub(super) fn visit_end(&mut self) -> Result<()> {
        let f = self.pop_ctrl()?;
        if f.kind == FrameKind::If {
            // An `if` without `else` passes its parameters through as results.
            let same = match f.ty {
                BlockType::Empty => true,
                BlockType::Value(_) => false,
                BlockType::Func(_) => self.start_types(f.kind, f.ty).eq(self.end_types(f.ty)),
            };
            if !same {
                return Err(self.type_mismatch());
            }
        }
        self.push_frame_results(&f);
        Ok(())
    }

    pub(super) fn visit_br(&mut self, l: u32) -> Result<()> {
        let types = self.label(l)?;
        self.pop_types(types)?;
        self.set_unreachable()
    }

    pub(super) fn visit_br_if(&mut self, l: u32) -> Result<()> {
        let types = self.label(l)?;
        self.pop(ValType::I32)?;
        self.pop_types(types)?;
        self.push_types(types);
        Ok(())
    }

    pub(super) fn visit_br_table(&mut self, targets: &[u32], default: u32) -> Result<()> {
        self.pop(ValType::I32)?;
        let default_types = self.label(default)?;
        let arity = default_types.len();
        for &l in targets {
            let types = self.label(l)?;
            if types.len() != arity {
                return Err(self.type_mismatch());
            }
            self.check_top_types(types)?;
        }
        self.pop_types(default_types)?;
        self.set_unreachable()
    }

    fn results(&self) -> Types<'a> {
        Types::Slice(&self.func_type().results)
    }

    pub(super) fn visit_return(&mut self) -> Result<()> {
        self.pop_types(self.results())?;
        self.set_unreachable()
    }

    fn callee(&self, f: u32) -> Result<&'a FuncType> {
        match self.ctx.func_type(f) {
            Some(t) => Ok(t),
            None => Err(self.err(format!("unknown function {f}"))),
        }
    }

    pub(super) fn visit_call(&mut self, f: u32) -> Result<()> {
        let ty = self.callee(f)?;
        self.pop_slice(&ty.params)?;
        self.push_types(Types::Slice(&ty.results));
        Ok(())
    }

    /// Checks the immediates of `call_indirect` and pops the table index.
    fn indirect_callee(&mut self, type_idx: u32, table: u32) -> Result<&'a FuncType> {
        let Some(tt) = self.ctx.table_type(table) else {
            return Err(self.err(format!("unknown table {table}")));
        };
        let is_func_table = matches!(
            tt.elem.heap,
            HeapType::Func | HeapType::Concrete(_) | HeapType::NoFunc
        );
        if !is_func_table {
            return Err(self.type_mismatch());
        }
        let Some(ty) = self.ctx.module.types.get(type_idx as usize) else {
            return Err(self.err(format!("unknown type {type_idx}")));
        };
        self.pop(index_val_type(tt.index))?;
        Ok(ty)
    }

    pub(super) fn visit_call_indirect(&mut self, type_idx: u32, table: u32) -> Result<()> {
        let ty = self.indirect_callee(type_idx, table)?;
        self.pop_slice(&ty.params)?;
        self.push_types(Types::Slice(&ty.results));
        Ok(())
    }

    fn check_tail_call(&self, callee: &FuncType) -> Result<()> {
        let caller = self.results();
        let callee_results = Types::Slice(&callee.results);
        let ok = callee_results.len() == caller.len()
            && (0..caller.len()).all(|i| match (callee_results.get(i), caller.get(i)) {
                (Some(a), Some(b)) => self.ctx.val_matches(a, b),
                _ => false,
            });
        if ok {
            Ok(())
        } else {
            Err(self.type_mismatch())
        }
    }

    fn tail_calls_enabled(&self) -> Result<()> {
        if self.ctx.features.tail_call {
            Ok(())
        } else {
            Err(self.err("tail calls support is not enabled"))
        }
    }

    pub(super) fn visit_return_call(&mut self, f: u32) -> Result<()> {
        self.tail_calls_enabled()?;
        let ty = self.callee(f)?;
        self.check_tail_call(ty)?;
        self.pop_slice(&ty.params)?;
        self.set_unreachable()
    }

    pub(super) fn visit_return_call_indirect(&mut self, type_idx: u32, table: u32) -> Result<()> {
        self.tail_calls_enabled()?;
        let ty = self.indirect_callee(type_idx, table)?;
        self.check_tail_call(ty)?;
        self.pop_slice(&ty.params)?;
        self.set_unreachable()
    }

    pub(super) fn visit_select(&mut self) -> Result<()> {
        self.pop(ValType::I32)?;
        let t1 = self.pop_any()?;
        let t2 = self.pop_any()?;
        // Without a type annotation both operands must be numbers or vectors (unknown counts
        // as either) and, when both are known, equal.
        if t1.is_ref() || t2.is_ref() {
            return Err(self.type_mismatch());
        }
        if t1.is_unknown() {
            self.push_ty(t2)
        } else if t2.is_unknown() || t1 == t2 {
            self.push_ty(t1)
        } else {
            Err(self.type_mismatch())
        }
    }

    pub(super) fn visit_select_typed(&mut self, ts: &[ValType]) -> Result<()> {
        let [t] = ts else {
            return Err(self.err("invalid result arity"));
        };
        if !self.ctx.features.reference_types {
            return Err(self.err("reference types support is not enabled"));
        }
        self.check_val_type(*t)?;
        self.pop(ValType::I32)?;
        self.pop(*t)?;
        self.pop(*t)?;
        self.push(*t)
    }
}
