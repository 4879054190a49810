;; `select` whose condition tests the same local that is one of its operands (the pattern
;; wasm-smith emits to keep divisors non-zero). Spec: `select` returns its first operand when
;; the condition is non-zero, else the second. wasmi 2.0.0 returns the wrong operand in every
;; function below (known oracle bug `wasmi-select-eqz`, docs/fuzzing.md); wvm is right.
(module
  ;; select(1, x, x == 0) with x = 7: condition 0, so 7.
  (func (export "eqz") (param $x i32) (result i32)
    (select (i32.const 1) (local.get $x) (i32.eqz (local.get $x))))
  ;; The same with `i32.eq 0`.
  (func (export "eq0") (param $x i32) (result i32)
    (select (i32.const 5) (local.get $x) (i32.eq (local.get $x) (i32.const 0))))
  ;; The local as the first operand: condition 0, so the second operand, 1.
  (func (export "first") (param $x i32) (result i32)
    (select (local.get $x) (i32.const 1) (i32.eqz (local.get $x))))
  ;; As wasm-smith writes it: 1 / (x == 0 ? 1 : x), unsigned; 1 / 7 = 0.
  (func (export "safe_div") (param $x i32) (result i32)
    (i32.div_u (i32.const 1)
      (select (i32.const 1) (local.get $x) (i32.eqz (local.get $x))))))
