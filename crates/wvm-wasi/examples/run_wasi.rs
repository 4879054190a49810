//! A minimal WASI command runner on wvm, with the host's stdio:
//! `run_wasi [--dir HOST[::GUEST]] [--ro-dir HOST[::GUEST]] [--env K=V] FILE.wasm [ARGS...]`.
//! Exits with the guest's exit code (125 if it trapped).

use std::process::ExitCode;

use wvm::{Engine, Linker, Module, Store};
use wvm_wasi::{add_to_linker, I32Exit, WasiCtx, WasiCtxBuilder};

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            eprintln!("run_wasi: {e}");
            ExitCode::from(125)
        }
    }
}

fn run() -> Result<i32, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut b = WasiCtxBuilder::new();
    b.inherit_stdio();
    let file = loop {
        let a = args.next().ok_or("no .wasm file given")?;
        match a.as_str() {
            "--dir" | "--ro-dir" => {
                let spec = args.next().ok_or("--dir needs a value")?;
                let (host, guest) = spec.split_once("::").unwrap_or((&spec, &spec));
                b.preopen_dir(host, guest, a == "--ro-dir")?;
            }
            "--env" => {
                let kv = args.next().ok_or("--env needs a value")?;
                let (k, v) = kv.split_once('=').ok_or("--env needs K=V")?;
                b.env(k, v);
            }
            _ => break a,
        }
    };
    b.arg(&file).args(args);
    let ctx = b.build()?;
    let engine = Engine::default();
    let module = Module::new(&engine, std::fs::read(&file)?)?;
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    add_to_linker(&mut linker, |c: &mut WasiCtx| c)?;
    let mut store = Store::new(&engine, ctx);
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    match start.call(&mut store, ()) {
        Ok(()) => Ok(0),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => Ok(*code),
            None => Err(e.into()),
        },
    }
}
