//! Times one call of an exported function: `run_export FILE.wasm EXPORT [ARG...]`.
//! Arguments are parsed by the export's parameter types; imports are stubbed to return zeros.

use std::time::Instant;
use wvm::*;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: run_export FILE.wasm EXPORT [ARG...]");
        std::process::exit(2);
    }
    let bytes = std::fs::read(&args[1]).map_err(|e| Error::msg(e.to_string()))?;
    let engine = Engine::default();
    let t0 = Instant::now();
    let module = Module::new(&engine, &bytes)?;
    let t1 = Instant::now();
    let mut store = Store::new(&engine, ());
    let mut imports = Vec::new();
    for imp in module.imports() {
        imports.push(match imp.ty() {
            ExternType::Func(ty) => {
                let results = ty.results.clone();
                Extern::Func(Func::new(&mut store, ty, move |_, _, out| {
                    for (o, t) in out.iter_mut().zip(results.iter()) {
                        *o = Val::default_for(*t);
                    }
                    Ok(())
                }))
            }
            ExternType::Memory(m) => Extern::Memory(Memory::new(&mut store, m)?),
            ExternType::Table(t) => Extern::Table(Table::new(
                &mut store,
                t,
                Val::default_for(ValType::Ref(t.elem)),
            )?),
            ExternType::Global(g) => {
                Extern::Global(Global::new(&mut store, g, Val::default_for(g.val))?)
            }
        });
    }
    let instance = Instance::new(&mut store, &module, &imports)?;
    let f = instance
        .get_func(&store, &args[2])
        .ok_or_else(|| Error::msg("no such export"))?;
    let ty = f.ty(&store);
    let params: Vec<Val> = ty
        .params
        .iter()
        .zip(args[3..].iter())
        .map(|(t, a)| match t {
            ValType::I64 => Val::I64(a.parse().unwrap_or(0)),
            ValType::F32 => Val::from(a.parse::<f32>().unwrap_or(0.0)),
            ValType::F64 => Val::from(a.parse::<f64>().unwrap_or(0.0)),
            _ => Val::I32(a.parse().unwrap_or(0)),
        })
        .collect();
    let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
    let t2 = Instant::now();
    f.call(&mut store, &params, &mut results)?;
    let t3 = Instant::now();
    println!(
        "results {:?}  compile {:.2} ms  run {:.2} ms",
        results,
        (t1 - t0).as_secs_f64() * 1e3,
        (t3 - t2).as_secs_f64() * 1e3
    );
    Ok(())
}
