//! `Config::canonicalize_nans(true)` for SIMD: every f32x4/f64x2 op whose NaN lanes may carry
//! a hardware-dependent payload leaves only canonical NaNs (`0x7fc00000`/`0x7ff8000000000000`)
//! in each lane; other lanes are exact; bit-exact ops (abs, neg, pmin/pmax) keep payloads;
//! without the option payloads propagate as the hardware gives them.

use wvm::*;

const F32_CANON: u32 = 0x7fc0_0000;
const F64_CANON: u64 = 0x7ff8_0000_0000_0000;
/// Quiet NaNs with payloads (one negative), which add/mul/... propagate on x86_64.
const F32_NAN_A: u32 = 0x7fc1_2345;
const F32_NAN_B: u32 = 0xffd0_0042;
const F64_NAN_A: u64 = 0x7ff8_0000_dead_beef;
const F64_NAN_B: u64 = 0xfff9_0000_0000_0042;

fn f32x4(l: [u32; 4]) -> u128 {
    l.iter()
        .enumerate()
        .fold(0u128, |acc, (i, &x)| acc | (x as u128) << (32 * i))
}
fn f32_lanes(v: u128) -> [u32; 4] {
    core::array::from_fn(|i| (v >> (32 * i)) as u32)
}
fn f64x2(l: [u64; 2]) -> u128 {
    l[0] as u128 | (l[1] as u128) << 64
}
fn f64_lanes(v: u128) -> [u64; 2] {
    [v as u64, (v >> 64) as u64]
}

/// Calls `(func (param v128 v128) (result v128) <body>)` with `a`, `b`.
fn run(canon: bool, body: &str, a: u128, b: u128) -> u128 {
    let mut config = Config::default();
    config.canonicalize_nans(canon);
    let engine = Engine::new(&config);
    let wat = format!(
        "(module (func (export \"f\") (param v128 v128) (result v128) (local $t v128) {body}))"
    );
    let module = Module::new(&engine, &wat).unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let f = inst
        .get_typed_func::<(u128, u128), u128>(&store, "f")
        .unwrap();
    f.call(&mut store, (a, b)).unwrap()
}

fn bin(op: &str) -> String {
    format!("({op} (local.get 0) (local.get 1))")
}
fn un(op: &str) -> String {
    format!("({op} (local.get 0))")
}

fn f(x: f32) -> u32 {
    x.to_bits()
}
fn d(x: f64) -> u64 {
    x.to_bits()
}

#[test]
fn f32x4_arithmetic_nan_lanes_become_canonical() {
    let a = f32x4([F32_NAN_A, f(1.5), F32_NAN_B, f(4.0)]);
    let b = f32x4([f(2.0), F32_NAN_B, f(3.0), f(0.5)]);
    for (op, last) in [
        ("f32x4.add", f(4.5)),
        ("f32x4.sub", f(3.5)),
        ("f32x4.mul", f(2.0)),
        ("f32x4.div", f(8.0)),
        ("f32x4.min", f(0.5)),
        ("f32x4.max", f(4.0)),
    ] {
        let r = f32_lanes(run(true, &bin(op), a, b));
        assert_eq!(r, [F32_CANON, F32_CANON, F32_CANON, last], "{op}");
        // Without the option the result lanes are NaN too, but the payloads are the
        // hardware's (not checked bit for bit except on x86_64 where they propagate).
        let raw = f32_lanes(run(false, &bin(op), a, b));
        assert!(raw[..3].iter().all(|l| f32::from_bits(*l).is_nan()), "{op}");
        assert_eq!(raw[3], last, "{op}");
        #[cfg(target_arch = "x86_64")]
        if !op.ends_with("min") && !op.ends_with("max") {
            assert_ne!(
                raw[0], F32_CANON,
                "{op}: payload should propagate without the option"
            );
        }
    }
}

#[test]
fn f32x4_unary_and_invalid_ops_give_canonical_nans() {
    // sqrt of a negative number is a NaN produced from non-NaN input (sign is hardware's).
    let a = f32x4([f(-4.0), F32_NAN_A, f(9.0), F32_NAN_B]);
    let r = f32_lanes(run(true, &un("f32x4.sqrt"), a, 0));
    assert_eq!(r, [F32_CANON, F32_CANON, f(3.0), F32_CANON]);
    for op in ["f32x4.ceil", "f32x4.floor", "f32x4.trunc", "f32x4.nearest"] {
        let a = f32x4([F32_NAN_B, f(2.5), F32_NAN_A, f(-0.5)]);
        let r = f32_lanes(run(true, &un(op), a, 0));
        assert_eq!([r[0], r[2]], [F32_CANON, F32_CANON], "{op}");
        assert!(
            !f32::from_bits(r[1]).is_nan() && !f32::from_bits(r[3]).is_nan(),
            "{op}"
        );
    }
    // inf - inf and 0 * inf
    let inf = f(f32::INFINITY);
    let a = f32x4([inf, f(0.0), inf, f(1.0)]);
    let b = f32x4([inf, inf, f(1.0), f(1.0)]);
    assert_eq!(
        f32_lanes(run(true, &bin("f32x4.sub"), a, b)),
        [F32_CANON, f(f32::NEG_INFINITY), inf, f(0.0)]
    );
    assert_eq!(
        f32_lanes(run(true, &bin("f32x4.mul"), a, b)),
        [inf, F32_CANON, inf, f(1.0)]
    );
}

#[test]
fn f64x2_ops_give_canonical_nans() {
    let a = f64x2([F64_NAN_A, d(6.0)]);
    let b = f64x2([d(2.0), F64_NAN_B]);
    for op in [
        "f64x2.add",
        "f64x2.sub",
        "f64x2.mul",
        "f64x2.div",
        "f64x2.min",
        "f64x2.max",
    ] {
        assert_eq!(
            f64_lanes(run(true, &bin(op), a, b)),
            [F64_CANON, F64_CANON],
            "{op}"
        );
        let raw = f64_lanes(run(false, &bin(op), a, b));
        assert!(raw.iter().all(|l| f64::from_bits(*l).is_nan()), "{op}");
    }
    let ok = f64x2([d(6.0), d(-2.0)]);
    let other = f64x2([d(2.0), d(0.5)]);
    assert_eq!(
        f64_lanes(run(true, &bin("f64x2.div"), ok, other)),
        [d(3.0), d(-4.0)]
    );
    let a = f64x2([d(-1.0), F64_NAN_B]);
    assert_eq!(
        f64_lanes(run(true, &un("f64x2.sqrt"), a, 0)),
        [F64_CANON, F64_CANON]
    );
    for op in ["f64x2.ceil", "f64x2.floor", "f64x2.trunc", "f64x2.nearest"] {
        let a = f64x2([d(1.25), F64_NAN_A]);
        let r = f64_lanes(run(true, &un(op), a, 0));
        assert_eq!(r[1], F64_CANON, "{op}");
        assert!(!f64::from_bits(r[0]).is_nan(), "{op}");
    }
}

#[test]
fn demote_and_promote_give_canonical_nans() {
    let a = f64x2([F64_NAN_A, d(0.25)]);
    let r = f32_lanes(run(true, &un("f32x4.demote_f64x2_zero"), a, 0));
    assert_eq!(r, [F32_CANON, f(0.25), 0, 0]);
    let raw = f32_lanes(run(false, &un("f32x4.demote_f64x2_zero"), a, 0));
    assert!(f32::from_bits(raw[0]).is_nan());
    assert_eq!(raw[1..], [f(0.25), 0, 0]);

    let a = f32x4([f(1.5), F32_NAN_B, F32_NAN_A, F32_NAN_A]);
    let r = f64_lanes(run(true, &un("f64x2.promote_low_f32x4"), a, 0));
    assert_eq!(r, [d(1.5), F64_CANON]);
    let raw = f64_lanes(run(false, &un("f64x2.promote_low_f32x4"), a, 0));
    assert!(f64::from_bits(raw[1]).is_nan());
}

#[test]
fn bit_exact_ops_keep_payloads() {
    let a = f32x4([F32_NAN_A, F32_NAN_B, f(-1.0), f(2.0)]);
    let b = f32x4([f(1.0), f(1.0), F32_NAN_A, F32_NAN_B]);
    let r = f32_lanes(run(true, &un("f32x4.abs"), a, 0));
    assert_eq!(r, [F32_NAN_A, F32_NAN_B & 0x7fff_ffff, f(1.0), f(2.0)]);
    let r = f32_lanes(run(true, &un("f32x4.neg"), a, 0));
    assert_eq!(
        r,
        [
            F32_NAN_A ^ 0x8000_0000,
            F32_NAN_B ^ 0x8000_0000,
            f(1.0),
            f(-2.0)
        ]
    );
    // pmin(a, b) = b < a ? b : a: with a NaN in either operand it returns a unchanged.
    let r = f32_lanes(run(true, &bin("f32x4.pmin"), a, b));
    assert_eq!(r, [F32_NAN_A, F32_NAN_B, f(-1.0), f(2.0)]);
    let r = f64_lanes(run(
        true,
        &bin("f64x2.pmax"),
        f64x2([F64_NAN_A, d(1.0)]),
        f64x2([d(5.0), d(2.0)]),
    ));
    assert_eq!(r, [F64_NAN_A, d(2.0)]);
}

#[test]
fn canonical_before_the_value_reaches_a_local_or_chained_op() {
    let a = f32x4([F32_NAN_A, F32_NAN_B, f(1.0), f(2.0)]);
    let b = f32x4([f(1.0), f(1.0), f(1.0), f(1.0)]);
    // result stored into a local, then read back
    let body = "(local.set $t (f32x4.add (local.get 0) (local.get 1))) (local.get $t)";
    assert_eq!(
        f32_lanes(run(true, body, a, b)),
        [F32_CANON, F32_CANON, f(2.0), f(3.0)]
    );
    // the NaN result feeds a bit-exact op: neg of the canonical NaN
    let body = "(f32x4.neg (f32x4.mul (local.get 0) (local.get 1)))";
    assert_eq!(
        f32_lanes(run(true, body, a, b)),
        [
            F32_CANON | 0x8000_0000,
            F32_CANON | 0x8000_0000,
            f(-1.0),
            f(-2.0)
        ]
    );
    // extracting a lane of a canonicalized vector
    let mut config = Config::default();
    config.canonicalize_nans(true);
    let engine = Engine::new(&config);
    let module = Module::new(
        &engine,
        "(module (func (export \"g\") (param v128) (result i32)
           (i32.reinterpret_f32 (f32x4.extract_lane 1 (f32x4.sqrt (local.get 0))))))",
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &module, &[]).unwrap();
    let g = inst.get_typed_func::<u128, i32>(&store, "g").unwrap();
    assert_eq!(g.call(&mut store, a).unwrap() as u32, F32_CANON);
}
