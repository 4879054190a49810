//! Translator rules, checked on the ops produced for small functions.

use crate::engine::ops::{Acc, Op, Slot};
use crate::{Engine, Module};

/// The ops of function 0, without the accumulator pass (tested on its own below).
fn ops(wat: &str) -> Vec<Op> {
    super::accum::DISABLED.with(|d| d.set(true));
    let o = ops_acc(wat);
    super::accum::DISABLED.with(|d| d.set(false));
    o
}

/// The ops of function 0 as the engine runs them.
fn ops_acc(wat: &str) -> Vec<Op> {
    let m = Module::new(&Engine::default(), wat).unwrap();
    m.compiled_func(0).unwrap().ops().to_vec()
}

#[test]
fn a_result_read_by_the_next_op_comes_from_the_accumulator() {
    // x * 3 + 5 >> 1, then returned: each op reads the previous one's result, which only
    // that op reads, so the first two leave it in the accumulator alone (register-result
    // variants), and so does the last one, whose result only the return reads.
    let o = ops_acc(
        "(module (func (param i32) (result i32)
           local.get 0 i32.const 3 i32.mul i32.const 5 i32.add i32.const 1 i32.shr_u))",
    );
    assert_eq!(
        o,
        vec![
            Op::I32MulImmReg {
                res: Acc,
                lhs: Slot(0),
                imm: 3
            },
            Op::I32AddImmAccReg {
                res: Acc,
                lhs: Acc,
                imm: 5
            },
            Op::I32ShrUImmAccReg {
                res: Acc,
                lhs: Acc,
                imm: 1
            },
            Op::ReturnSlotAcc { src: Acc },
        ]
    );
    // A commutative op whose right operand is the previous result is swapped; a
    // non-commutative one keeps reading its cell.
    let o = ops_acc(
        "(module (func (param i32 i32) (result i32)
           local.get 1 local.get 0 i32.const 1 i32.add i32.sub
           local.get 1 local.get 0 i32.const 1 i32.add i32.xor i32.add))",
    );
    assert!(matches!(o[1], Op::I32Sub { .. }), "{o:?}");
    assert!(
        matches!(
            o[3],
            Op::I32XorAccReg {
                lhs: Acc,
                rhs: Slot(1),
                ..
            }
        ),
        "{o:?}"
    );
}

#[test]
fn no_accumulator_at_a_branch_target() {
    // The loop header is reached from the back edge too, with another accumulator.
    let o = ops_acc(
        "(module (func (param i32) (result i32)
           local.get 0 i32.const 1 i32.add local.set 0
           (loop (local.set 0 (i32.mul (local.get 0) (i32.const 3)))
                 (br_if 0 (i32.lt_u (local.get 0) (i32.const 100))))
           local.get 0))",
    );
    let header = o
        .iter()
        .position(|op| matches!(op, Op::I32MulImm { .. } | Op::I32MulImmAcc { .. }));
    assert!(matches!(o[header.unwrap()], Op::I32MulImm { .. }), "{o:?}");
}

#[test]
fn local_get_and_const_emit_nothing_and_imm_is_used() {
    let o = ops("(module (func (param i32) (result i32) local.get 0 i32.const 7 i32.add))");
    assert_eq!(
        o,
        vec![
            Op::I32AddImm {
                dst: Slot(1),
                lhs: Slot(0),
                imm: 7
            },
            Op::ReturnSlot { src: Slot(1) }
        ]
    );
}

#[test]
fn constant_on_the_left_of_a_commutative_op_is_swapped() {
    let o = ops("(module (func (param i32) (result i32) i32.const 7 local.get 0 i32.mul))");
    assert_eq!(
        o[0],
        Op::I32MulImm {
            dst: Slot(1),
            lhs: Slot(0),
            imm: 7
        }
    );
    let o = ops("(module (func (param i32) (result i32) i32.const 7 local.get 0 i32.lt_s))");
    assert_eq!(
        o[0],
        Op::I32GtSImm {
            dst: Slot(1),
            lhs: Slot(0),
            imm: 7
        }
    );
}

#[test]
fn local_set_retargets_the_producer() {
    let o = ops("(module (func (param i32 i32) local.get 0 local.get 1 i32.sub local.set 1))");
    assert_eq!(
        o[0],
        Op::I32Sub {
            dst: Slot(1),
            lhs: Slot(0),
            rhs: Slot(1)
        }
    );
    assert_eq!(o.len(), 2);
}

#[test]
fn pending_local_read_is_preserved_before_local_set() {
    // The old value of local 0 is still on the stack when local 0 is overwritten.
    let o = ops("(module (func (param i32) (result i32)
            local.get 0  i32.const 5 local.set 0  local.get 0 i32.add))");
    assert_eq!(
        o[0],
        Op::Copy {
            dst: Slot(1),
            src: Slot(0)
        }
    );
    assert_eq!(
        o[1],
        Op::Const32 {
            dst: Slot(0),
            val: 5
        }
    );
    assert_eq!(
        o[2],
        Op::I32Add {
            dst: Slot(1),
            lhs: Slot(1),
            rhs: Slot(0)
        }
    );
}

#[test]
fn compare_and_branch_are_fused() {
    let o = ops("(module (func (param i32)
            (loop (br_if 0 (i32.lt_u (local.get 0) (i32.const 10))))))");
    assert_eq!(
        o[0],
        Op::BrIfI32LtUImm {
            lhs: Slot(0),
            imm: 10,
            target: 0
        }
    );
    let o = ops("(module (func (param i32) (result i32) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (i32.const 2)))))");
    assert!(matches!(o[0], Op::BrIfNez { cond: Slot(0), .. }), "{o:?}");
}

#[test]
fn unreachable_code_is_not_translated() {
    let o = ops(
        "(module (func (result i32) (return (i32.const 1)) (i32.add (i32.const 1) (i32.const 2))))",
    );
    // The constant lives in the frame's constant area (slot 0: no params or locals).
    assert_eq!(o, vec![Op::ReturnSlot { src: Slot(0) }]);
    let m = Module::new(
        &Engine::default(),
        "(module (func (result i32) (return (i32.const 1)) (i32.add (i32.const 1) (i32.const 2))))",
    )
    .unwrap();
    assert_eq!(&*m.compiled_func(0).unwrap().consts, &[1]);
}

#[test]
fn constants_come_from_the_constant_area_below_the_temporaries() {
    let wat = r#"(module (func (export "f") (param f64) (result f64)
        (f64.add (f64.mul (local.get 0) (f64.const 2.5)) (f64.const 2.5))))"#;
    let engine = Engine::default();
    let m = Module::new(&engine, wat).unwrap();
    let f = m.compiled_func(0).unwrap();
    assert_eq!(&*f.consts, &[2.5f64.to_bits()]);
    // param s0, constant s1, temporaries from s2 (two operand heights). The product is read
    // only by the add and the sum only by the return, both from the accumulator, so neither
    // is stored.
    assert_eq!(
        f.ops()[0],
        Op::F64MulReg {
            res: Acc,
            lhs: Slot(0),
            rhs: Slot(1)
        }
    );
    assert_eq!(
        f.ops()[1],
        Op::F64AddAccReg {
            res: Acc,
            lhs: Acc,
            rhs: Slot(1)
        }
    );
    assert_eq!(f.frame_size(), 4);
    let mut store = crate::Store::new(&engine, ());
    let i = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let func = i.get_typed_func::<f64, f64>(&store, "f").unwrap();
    assert_eq!(func.call(&mut store, 2.0).unwrap(), 7.5);
}

#[test]
fn forward_branches_are_patched_to_the_block_end() {
    let o = ops("(module (func (param i32) (result i32)
            (block (result i32) (br_if 0 (i32.const 3) (local.get 0)) (drop) (i32.const 4))))");
    // br_if with a value: skip-jump, value copy, branch; then the fallthrough value.
    let Op::BrIfEqz { target: skip, .. } = o[0] else {
        panic!("{o:?}")
    };
    assert_eq!(skip, 3);
    assert_eq!(
        o[1],
        Op::Const32 {
            dst: Slot(1),
            val: 3
        }
    );
    let Op::Br { target } = o[2] else {
        panic!("{o:?}")
    };
    assert_eq!(2 + target as usize, 4, "{o:?}");
    assert_eq!(
        o[3],
        Op::Const32 {
            dst: Slot(1),
            val: 4
        }
    );
}

#[test]
fn multi_value_return_swaps_through_temporaries() {
    let wat =
        r#"(module (func (export "f") (param i32 i32) (result i32 i32) local.get 1 local.get 0))"#;
    let engine = Engine::default();
    let m = Module::new(&engine, wat).unwrap();
    let o = m.compiled_func(0).unwrap().ops().to_vec();
    assert!(matches!(o.last(), Some(Op::Return {})));
    assert!(
        o.iter().any(|op| match op {
            Op::Copy { dst: Slot(d), .. } => *d >= 2,
            Op::Copy2 { dst1, dst2, .. } => dst1.0 >= 2 || dst2.0 >= 2,
            _ => false,
        }),
        "{o:?}"
    );
    let mut store = crate::Store::new(&engine, ());
    let i = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let f = i
        .get_typed_func::<(i32, i32), (i32, i32)>(&store, "f")
        .unwrap();
    assert_eq!(f.call(&mut store, (1, 2)).unwrap(), (2, 1));
}

#[test]
fn add_then_access_at_offset_0_is_fused() {
    let o = ops("(module (memory 1) (func (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add local.get 1 i32.store8
            local.get 0 local.get 1 i32.add i32.load))");
    assert_eq!(
        o[0],
        Op::I32Store8Idx {
            base: Slot(0),
            idx: Slot(1),
            val: Slot(1)
        }
    );
    assert_eq!(
        o[1],
        Op::I32LoadIdx {
            dst: Slot(2),
            base: Slot(0),
            idx: Slot(1)
        }
    );
    assert_eq!(o.len(), 3);
}

#[test]
fn add_then_access_is_not_fused_with_an_offset_or_a_label_between() {
    let o = ops("(module (memory 1) (func (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add i32.load offset=4))");
    assert!(matches!(o[0], Op::I32Add { .. }));
    assert!(matches!(o[1], Op::I32Load { offset: 4, .. }));
    let o = ops("(module (memory 1) (func (param i32 i32) (result i32)
            local.get 0 local.get 1 i32.add block end i32.load))");
    assert!(matches!(o[0], Op::I32Add { .. }));
    assert!(matches!(o[1], Op::I32Load { offset: 0, .. }));
}

/// Long straight-line code gets `stack_guard` ops: no run of ops without a stack check is
/// longer than the span plus one instruction's ops, and short functions get none.
#[test]
fn long_straight_line_code_gets_stack_guards() {
    use crate::engine::ops::STACK_GUARD_SPAN;
    let n = 3 * STACK_GUARD_SPAN + 17;
    let body = "local.get 0 i32.const 7 i32.xor local.set 0 ".repeat(n);
    let wat = format!("(module (func (param i32) (result i32) {body} local.get 0))");
    let o = ops_acc(&wat);
    let guards = o
        .iter()
        .filter(|op| matches!(op, Op::StackGuard {}))
        .count();
    assert!(guards >= 3, "{guards} stack guards in {} ops", o.len());
    let mut run = 0;
    let mut longest = 0;
    for op in &o {
        run = if op.checks_stack() { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    assert!(
        longest <= STACK_GUARD_SPAN + 1,
        "run of {longest} unchecked ops"
    );
    // The guards change nothing: x xor 7, an odd number of times, is x xor 7.
    assert_eq!(n % 2, 1);
    let exported = wat.replacen("(func", "(func (export \"f\")", 1);
    let engine = Engine::default();
    let m = Module::new(&engine, &exported).unwrap();
    let mut store = crate::Store::new(&engine, ());
    let inst = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let f = inst.get_typed_func::<i32, i32>(&mut store, "f").unwrap();
    assert_eq!(f.call(&mut store, 0x1230).unwrap(), 0x1230 ^ 7);
    let short = ops_acc("(module (func (param i32) (result i32) local.get 0 i32.const 1 i32.add))");
    assert!(!short.iter().any(|op| matches!(op, Op::StackGuard {})));
}

/// A result stays only in the accumulator when exactly one op reads it; values that stay on
/// the operand stack after a read (a `br_if` label value, a `local.tee`) keep their cells.
#[test]
fn register_results_only_for_values_read_once() {
    let wat = r#"(module (func (export "f") (param i32 i32) (result i32) (local i32)
        (block $b (result i32)
          (i32.mul (local.get 0) (i32.const 3))
          (local.get 1)
          (br_if $b)
          (i32.const 1)
          (i32.add))
        (local.tee 2 (i32.xor (local.get 0) (i32.const 5)))
        (i32.add)
        (i32.add (local.get 2))))"#;
    let o = ops_acc(wat);
    assert!(
        o.iter().any(|op| op.name().ends_with("_reg")),
        "no register-result op in {o:?}"
    );
    let engine = Engine::default();
    let m = Module::new(&engine, wat).unwrap();
    let mut store = crate::Store::new(&engine, ());
    let inst = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let f = inst.get_typed_func::<(i32, i32), i32>(&store, "f").unwrap();
    for (a, b) in [(7, 0), (7, 1), (-4, 9), (1000, 0)] {
        let block = if b != 0 { a * 3 } else { a * 3 + 1 };
        let t = a ^ 5;
        assert_eq!(
            f.call(&mut store, (a, b)).unwrap(),
            block + t + t,
            "f({a}, {b})"
        );
    }
}

/// A `select` whose condition the previous op computed takes it from the accumulator (one
/// op, no copy of a local first operand); after a label it reads the condition's cell.
#[test]
fn select_takes_a_fresh_condition_from_the_accumulator() {
    let wat = r#"(module
        (func (export "clamp") (param i32) (result i32)
          (select (i32.const 255) (local.get 0) (i32.gt_s (local.get 0) (i32.const 255))))
        (func (export "late") (param i32 i32) (result i32)
          (select (local.get 0) (local.get 1)
            (block (result i32) (i32.lt_u (local.get 0) (local.get 1)))))
        (func (export "teed") (param i32) (result i32) (local i32)
          (i32.add
            (select (i32.const 10) (i32.const 20)
              (local.tee 1 (i32.and (local.get 0) (i32.const 1))))
            (local.get 1))))"#;
    let engine = Engine::default();
    let m = Module::new(&engine, wat).unwrap();
    let clamp = m.compiled_func(0).unwrap().ops().to_vec();
    assert!(
        clamp
            .iter()
            .any(|op| matches!(op, Op::SelectCondAcc { .. }))
            && !clamp.iter().any(|op| matches!(op, Op::Copy { .. })),
        "{clamp:?}"
    );
    let late = m.compiled_func(1).unwrap().ops().to_vec();
    assert!(
        late.iter().any(|op| matches!(op, Op::Select { .. }))
            && !late.iter().any(|op| matches!(op, Op::SelectCondAcc { .. })),
        "{late:?}"
    );
    // A condition `local.tee` stored in a local is in the accumulator too.
    let teed = m.compiled_func(2).unwrap().ops().to_vec();
    assert!(
        teed.iter().any(|op| matches!(op, Op::SelectCondAcc { .. })),
        "{teed:?}"
    );
    let mut store = crate::Store::new(&engine, ());
    let inst = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let teed = inst.get_typed_func::<i32, i32>(&store, "teed").unwrap();
    for x in [0, 1, 2, 7, -1] {
        let c = x & 1;
        let want = if c != 0 { 10 } else { 20 } + c;
        assert_eq!(teed.call(&mut store, x).unwrap(), want, "teed({x})");
    }
    let clamp = inst.get_typed_func::<i32, i32>(&store, "clamp").unwrap();
    for (x, want) in [(0, 0), (255, 255), (256, 255), (-7, -7), (i32::MAX, 255)] {
        assert_eq!(clamp.call(&mut store, x).unwrap(), want, "clamp({x})");
    }
    let late = inst
        .get_typed_func::<(i32, i32), i32>(&store, "late")
        .unwrap();
    for (a, b) in [(1, 2), (2, 1), (-1, 3), (5, 5)] {
        let want = if (a as u32) < (b as u32) { a } else { b };
        assert_eq!(
            late.call(&mut store, (a, b)).unwrap(),
            want,
            "late({a}, {b})"
        );
    }
}

/// An `f64` operand comes from the float accumulator only after an op that computed an
/// `f64` (which sets it); after the bit-level `f64.neg` (which sets only the integer
/// accumulator) the reader keeps its cell. Both functions compute the same values.
#[test]
fn f64_operands_come_from_the_float_accumulator_only_after_f64_arithmetic() {
    let wat = "(module
        (func (export \"chain\") (param f64 f64) (result f64)
          local.get 0 local.get 1 f64.mul f64.sqrt local.get 1 f64.add)
        (func (export \"after_neg\") (param f64 f64) (result f64)
          local.get 0 f64.neg f64.sqrt local.get 1 f64.add))";
    let m = Module::new(&Engine::default(), wat).unwrap();
    let chain = m.compiled_func(0).unwrap().ops();
    let names: Vec<&str> = chain.iter().map(|o| o.name()).collect();
    assert_eq!(
        names[1..3],
        ["f64_sqrt_acc_reg", "f64_add_acc_reg"],
        "{chain:?}"
    );
    let neg = m.compiled_func(1).unwrap().ops();
    let names: Vec<&str> = neg.iter().map(|o| o.name()).collect();
    assert!(names[0].starts_with("f64_neg"), "{neg:?}");
    assert!(!names[1].contains("acc"), "{neg:?}");
    assert_eq!(names[2], "f64_add_acc_reg", "{neg:?}");
    let mut store = crate::Store::new(m.engine(), ());
    let inst = crate::Instance::new(&mut store, &m, &[]).unwrap();
    for (name, a, b, want) in [("chain", 2.0, 8.0, 12.0), ("after_neg", -9.0, 0.5, 3.5)] {
        let f = inst
            .get_typed_func::<(f64, f64), f64>(&store, name)
            .unwrap();
        assert_eq!(f.call(&mut store, (a, b)).unwrap(), want, "{name}");
    }
}

/// Two `copy` ops in a row run as one `copy2`, in order (the second reads what the first
/// wrote), unless a branch lands on the second; a copy before a `br` takes it over. The
/// functions are run as well as inspected.
#[test]
fn copy_pairs_are_fused_and_branches_still_land() {
    // A Fibonacci loop: the loop-carried pair shuffle `a, b = b, a + b` ends each round.
    let wat = "(module
        (func (export \"fib\") (param $n i32) (result i32) (local $a i32) (local $b i32) (local $t i32)
          (local.set $b (i32.const 1))
          (block $done (loop $l
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $t (i32.add (local.get $a) (local.get $b)))
            (local.set $a (local.get $b))
            (local.set $b (local.get $t))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $l)))
          (local.get $a))
        (func (export \"swap\") (param $x i32) (param $y i32) (result i32) (local $t i32)
          (local.set $t (local.get $x))
          (local.set $x (local.get $y))
          (local.set $y (local.get $t))
          (i32.sub (local.get $x) (local.get $y))))";
    let m = Module::new(&Engine::default(), wat).unwrap();
    for f in 0..2 {
        let ops = m.compiled_func(f).unwrap().ops();
        assert!(
            ops.iter().any(|o| matches!(o, Op::Copy2 { .. })),
            "func {f}: {ops:?}"
        );
    }
    let mut store = crate::Store::new(m.engine(), ());
    let inst = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let fib = inst.get_typed_func::<i32, i32>(&store, "fib").unwrap();
    let want = [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55];
    for (n, w) in want.iter().enumerate() {
        assert_eq!(fib.call(&mut store, n as i32).unwrap(), *w, "fib({n})");
    }
    let swap = inst
        .get_typed_func::<(i32, i32), i32>(&store, "swap")
        .unwrap();
    assert_eq!(swap.call(&mut store, (10, 3)).unwrap(), -7);

    // Copies right before the branch back to the loop header join it.
    let m = Module::new(
        &Engine::default(),
        "(module (func (export \"rot\") (param $n i32) (result i32)
           (local $a i32) (local $b i32) (local $t i32)
           (local.set $a (i32.const 1)) (local.set $b (i32.const 2))
           (block $done (loop $l
             (br_if $done (i32.eqz (local.get $n)))
             (local.set $n (i32.sub (local.get $n) (i32.const 1)))
             (local.set $t (local.get $a))
             (local.set $a (local.get $b))
             (local.set $b (local.get $t))
             (br $l)))
           (i32.add (i32.mul (local.get $a) (i32.const 10)) (local.get $b))))",
    )
    .unwrap();
    let ops = m.compiled_func(0).unwrap().ops();
    let names: Vec<&str> = ops.iter().map(|o| o.name()).collect();
    // (Each fused op leaves the op it took over in place, never executed.)
    assert!(
        names
            .windows(4)
            .any(|w| w == ["copy2", "copy", "copy_br", "br"]),
        "{ops:?}"
    );
    let mut store = crate::Store::new(m.engine(), ());
    let inst = crate::Instance::new(&mut store, &m, &[]).unwrap();
    let rot = inst.get_typed_func::<i32, i32>(&store, "rot").unwrap();
    for n in 0..6 {
        let want = if n % 2 == 1 { 21 } else { 12 };
        assert_eq!(rot.call(&mut store, n).unwrap(), want, "rot({n})");
    }

    // A loop header between two copies: the second is a branch target, so no fusion.
    let m = Module::new(
        &Engine::default(),
        "(module (func (param i32 i32) (result i32) (local i32)
           (local.set 2 (local.get 0))
           (loop $l (local.set 1 (local.get 2))
             (br_if $l (i32.eqz (local.get 1))))
           (local.get 1)))",
    )
    .unwrap();
    let ops = m.compiled_func(0).unwrap().ops();
    assert!(
        !ops.iter().any(|o| matches!(o, Op::Copy2 { .. })),
        "{ops:?}"
    );
}
