//! Snapshot of the translated code for a small function: documents the translator's output
//! (fused compare-and-branch, a copy taking over the branch after it, which stays in place
//! unexecuted, immediates, calls in place, `return_slot`).

use wvm::*;

#[test]
fn fib_listing() {
    let engine = Engine::default();
    let module = Module::new(
        &engine,
        r#"(module
          (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
              (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    )
    .unwrap();
    let expected = "\
func 0 (fib) params=1 results=1 locals=1 frame=4
     0: br_if_i32_ge_s_imm lhs=s0 imm=2 target=3
     1: copy_br dst=s1 src=s0 target=7
     2: br target=6
     3: i32_sub_imm dst=s1 lhs=s0 imm=1
     4: call_internal def=0 args=s1
     5: i32_sub_imm dst=s2 lhs=s0 imm=2
     6: call_internal def=0 args=s2
     7: i32_add dst=s1 lhs=s1 rhs=s2
     8: return_slot src=s1
";
    assert_eq!(debug::disassemble_module(&module), expected);
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    assert_eq!(
        i.get_typed_func::<i32, i32>(&store, "fib")
            .unwrap()
            .call(&mut store, 20)
            .unwrap(),
        6765
    );
}
