//! Measures the cost of fuel metering and interrupt checks on the benchmark modules:
//! `cargo run --release -p wvm --example fuel_overhead [BENCH_DIR]`.

use std::time::{Duration, Instant};
use wvm::*;

fn time(config: &Config, bytes: &[u8], n: i32, fuel: bool) -> Result<(Duration, i64), Error> {
    let engine = Engine::new(config);
    let module = Module::new(&engine, bytes)?;
    let mut store = Store::new(&engine, ());
    if fuel {
        store.set_fuel(u64::MAX)?;
    }
    let inst = Linker::new(&engine).instantiate(&mut store, &module)?;
    let run = inst
        .get_func(&store, "run")
        .ok_or_else(|| Error::msg("no run"))?;
    let mut res = vec![Val::I32(0); run.ty(&store).results.len()];
    let t = Instant::now();
    run.call(&mut store, &[Val::I32(n)], &mut res)?;
    let elapsed = t.elapsed();
    let out = match res.first() {
        Some(Val::I32(v)) => *v as i64,
        Some(Val::I64(v)) => *v,
        _ => 0,
    };
    Ok((elapsed, out))
}

/// Rounds per benchmark (each runs plain, fuel, interruptible once).
const ROUNDS: usize = 5;

fn main() -> Result<(), Error> {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../bench/wasm").into());
    let benches = [
        ("fib", 32),
        ("sieve", 20),
        ("matmul", 250),
        ("hash", 600),
        ("nbody", 150_000),
        ("interp", 8000),
        ("qsort", 100_000),
        ("i64", 6_000_000),
        ("memops", 50_000),
    ];
    let plain = Config::new();
    let mut fuel = Config::new();
    fuel.consume_fuel(true);
    let mut intr = Config::new();
    intr.interruptible(true);
    println!(
        "{:8} {:>10} {:>10} {:>8} {:>10} {:>8}",
        "bench", "plain ms", "fuel ms", "fuel %", "intr ms", "intr %"
    );
    for (name, n) in benches {
        let bytes =
            std::fs::read(format!("{dir}/{name}.wasm")).map_err(|e| Error::msg(e.to_string()))?;
        // Interleaved rounds, best of each: a busy machine slows all three alike.
        let (mut a, mut b, mut c) = (Duration::MAX, Duration::MAX, Duration::MAX);
        for _ in 0..ROUNDS {
            let (ta, ra) = time(&plain, &bytes, n, false)?;
            let (tb, rb) = time(&fuel, &bytes, n, true)?;
            let (tc, rc) = time(&intr, &bytes, n, false)?;
            assert!(ra == rb && rb == rc, "{name}: results differ");
            (a, b, c) = (a.min(ta), b.min(tb), c.min(tc));
        }
        let pct = |x: Duration| (x.as_secs_f64() / a.as_secs_f64() - 1.0) * 100.0;
        println!(
            "{name:8} {:>10.1} {:>10.1} {:>+7.1}% {:>10.1} {:>+7.1}%",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            pct(b),
            c.as_secs_f64() * 1e3,
            pct(c)
        );
    }
    Ok(())
}
