//! Inputs the `differential` fuzz target (fuzz/, docs/fuzzing.md) flagged, run in wvm with the
//! results the specification requires. The reproducers live in `fuzz/regressions/`, each with
//! a note saying what diverged and who was right.

use wvm::*;

/// The configurations the fuzz target runs wvm in: default, fuel metering, canonical NaNs.
fn engines() -> Vec<Engine> {
    let mut fuel = Config::new();
    fuel.consume_fuel(true);
    let mut nans = Config::new();
    nans.canonicalize_nans(true);
    vec![Engine::default(), Engine::new(&fuel), Engine::new(&nans)]
}

fn instantiate(engine: &Engine, wat: &str) -> (Store<()>, Instance) {
    let module = Module::new(engine, wat).expect("reproducer compiles");
    let mut store = Store::new(engine, ());
    if engine.config().get_consume_fuel() {
        store.set_fuel(1_000_000).expect("fuel enabled");
    }
    let instance = Instance::new(&mut store, &module, &[]).expect("reproducer instantiates");
    (store, instance)
}

/// `select` whose condition is `i32.eqz`/`i32.eq 0` of the local that is also an operand
/// (wasmi 2.0.0 picks the wrong operand here: a known oracle bug, wvm must keep the spec's
/// answer).
#[test]
fn select_on_eqz_of_an_operand() {
    let wat = include_str!("../../../fuzz/regressions/differential-wasmi-select-eqz.wat");
    for engine in engines() {
        let (mut store, inst) = instantiate(&engine, wat);
        let mut call = |name: &str, x: i32| {
            inst.get_typed_func::<i32, i32>(&store, name)
                .expect("export")
                .call(&mut store, x)
                .expect("no trap")
        };
        for x in [7, -862432388, 1, -1, i32::MIN] {
            // Condition x == 0 is false: the second operand.
            assert_eq!(call("eqz", x), x, "eqz({x})");
            assert_eq!(call("eq0", x), x, "eq0({x})");
            assert_eq!(call("first", x), 1, "first({x})");
            assert_eq!(
                call("safe_div", x),
                (1u32 / x as u32) as i32,
                "safe_div({x})"
            );
        }
        // Condition true: the first operand.
        assert_eq!(call("eqz", 0), 1);
        assert_eq!(call("eq0", 0), 5);
        assert_eq!(call("first", 0), 0);
        assert_eq!(call("safe_div", 0), 1);
    }
}

/// The input on which the oracle overflowed its native stack (its tail-call dispatch under
/// coverage instrumentation): export "" loops until the fuzz target's termination counter
/// (`__wvm_fuzz_fuel`, 3,584) is used up, then executes `unreachable`. The other exports
/// return what wvm and wasmi (with its portable dispatch) agreed on.
#[test]
#[cfg_attr(
    miri,
    ignore = "3,584 iterations of a long loop body, three times: too slow under Miri"
)]
fn long_loop_runs_out_of_counter_and_traps() {
    let wat = include_str!("../../../fuzz/regressions/differential-wasmi-tail-dispatch-segv.wat");
    for engine in engines() {
        let (mut store, inst) = instantiate(&engine, wat);
        let counter = inst.get_global(&store, "__wvm_fuzz_fuel").expect("counter");
        assert_eq!(counter.get(&store).i32(), Some(3584));
        let call = |store: &mut Store<()>, name: &str| {
            let f = inst.get_func(&*store, name).expect("export");
            let ty = f.ty(&*store);
            let params: Vec<Val> = ty.params.iter().map(|t| Val::default_for(*t)).collect();
            let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
            counter
                .set(&mut *store, Val::I32(3584))
                .expect("set counter");
            f.call(&mut *store, &params, &mut results).map(|()| results)
        };
        let e = call(&mut store, "").expect_err("the loop only ends by trapping");
        assert_eq!(e.trap_code(), Some(TrapCode::Unreachable), "{e}");
        assert_eq!(counter.get(&store).i32(), Some(0));
        let r = call(&mut store, "\0\0\0\0").expect("returns");
        let expected = [
            Val::F64(13189832746266001408),
            Val::F64(67108863),
            Val::F64(17162917085818894096),
            Val::F64(8608480843676057599),
            Val::F64(18441940234106376460),
            Val::F64(18446743936270598143),
            Val::F64(67108863),
            Val::I32(16777216),
        ];
        assert_eq!(r, expected);
        assert_eq!(counter.get(&store).i32(), Some(3583));
        for name in 2..=16 {
            let r = call(&mut store, &name.to_string()).expect("returns");
            assert!(r[..7].iter().all(|v| *v == Val::F64(0)) && r[7] == Val::I32(0));
        }
    }
}
