//! `wvm run`: instantiate a module (with `spectest` imports) and call one of its functions.

use std::path::Path;
use std::process::ExitCode;

use wvm::{Config, Engine, ErrorKind, Features, Linker, Module, Store, Val, ValType};
use wvm_wast::spectest::{self, PrintTo};

use crate::input::{read_binary, CliError, LoadOptions};

/// Frames of a trap backtrace printed before eliding the rest.
const MAX_FRAMES: usize = 20;

pub fn run(
    file: &Path,
    invoke: Option<&str>,
    args: &[String],
    opts: &LoadOptions,
) -> Result<ExitCode, CliError> {
    let input = read_binary(file, opts)?;
    // Decode and validate first: wvm's own errors carry byte offsets.
    let ir = wvm_binary::decode(&input.bytes, &opts.features)
        .map_err(|e| CliError::in_file(file, e.to_string()))?;
    wvm_validate::validate(&ir, &opts.features)
        .map_err(|e| CliError::in_file(file, format!("invalid module: {e}")))?;

    let mut config = Config::new();
    config.wasm_features(Features {
        simd: wvm_wast::engine::supports_simd(),
        ..opts.features
    });
    config.allow_legacy_version(opts.features.allow_legacy_version);
    let engine = Engine::new(&config);
    let module =
        Module::new(&engine, &input.bytes).map_err(|e| CliError::in_file(file, e.to_string()))?;
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    spectest::define(&mut linker, &mut store, PrintTo::Stdout)
        .map_err(|e| CliError::in_file(file, format!("cannot define spectest: {e}")))?;
    let instance = match linker.instantiate(&mut store, &module) {
        Ok(i) => i,
        Err(e) => return Err(trap_or_error(file, e)),
    };
    let name = invoke.unwrap_or("_start");
    let func = instance
        .get_func(&mut store, name)
        .ok_or_else(|| CliError::in_file(file, format!("no exported function {name:?}")))?;
    let ty = func.ty(&store);
    if args.len() != ty.params.len() {
        return Err(CliError::in_file(
            file,
            format!(
                "function {name:?} takes {} arguments {ty}, {} given",
                ty.params.len(),
                args.len()
            ),
        ));
    }
    let mut params = Vec::with_capacity(args.len());
    for (i, (a, t)) in args.iter().zip(ty.params.iter()).enumerate() {
        params.push(
            parse_arg(a, *t)
                .map_err(|why| CliError::in_file(file, format!("argument {}: {why}", i + 1)))?,
        );
    }
    let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
    if let Err(e) = func.call(&mut store, &params, &mut results) {
        return Err(trap_or_error(file, e));
    }
    let mut out = String::new();
    for r in &results {
        out.push_str(&format_val(r));
        out.push('\n');
    }
    crate::print_out(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// A trap: the message on the error line, then the wasm backtrace (innermost first).
fn trap_or_error(file: &Path, e: wvm::Error) -> CliError {
    match e.kind() {
        ErrorKind::Trap(t) => {
            let mut reason = format!("wasm trap: {}", t.code);
            if !t.backtrace.is_empty() {
                reason.push_str("\nwasm backtrace:");
                reason.push_str(&backtrace_lines(&t.backtrace));
            }
            CliError::multi_line(file, reason)
        }
        ErrorKind::Link(_) => CliError::in_file(
            file,
            format!("{e} (only the \"spectest\" module is available for imports)"),
        ),
        _ => CliError::in_file(file, e.to_string()),
    }
}

/// The frames, innermost first, with runs of identical frames (deep recursion) collapsed,
/// at most [`MAX_FRAMES`] lines.
fn backtrace_lines(frames: &[wvm::FrameInfo]) -> String {
    let mut runs: Vec<(usize, &wvm::FrameInfo, usize)> = Vec::new();
    for (i, fr) in frames.iter().enumerate() {
        match runs.last_mut() {
            Some((_, last, n)) if *last == fr => *n += 1,
            _ => runs.push((i, fr, 1)),
        }
    }
    let mut out = String::new();
    for (i, fr, n) in runs.iter().take(MAX_FRAMES) {
        out.push_str(&format!("\n  {i}: {fr}"));
        if *n > 1 {
            out.push_str(&format!(" (repeated {n} times)"));
        }
    }
    if runs.len() > MAX_FRAMES {
        let shown: usize = runs.iter().take(MAX_FRAMES).map(|r| r.2).sum();
        out.push_str(&format!("\n  ... {} more frames", frames.len() - shown));
    }
    out
}

fn parse_int(s: &str) -> Option<i128> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let digits = digits.replace('_', "");
    let v = match digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        Some(hex) => i128::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i128>().ok()?,
    };
    Some(if neg { -v } else { v })
}

/// Parses a command-line argument as a value of type `t`. Integers may be signed or
/// unsigned (`-1` and `4294967295` are the same i32), decimal or `0x` hex.
pub fn parse_arg(s: &str, t: ValType) -> Result<Val, String> {
    match t {
        ValType::I32 => match parse_int(s) {
            Some(v) if (i128::from(i32::MIN)..=i128::from(u32::MAX)).contains(&v) => {
                Ok(Val::I32(v as u32 as i32))
            }
            _ => Err(format!("{s:?} is not an i32")),
        },
        ValType::I64 => match parse_int(s) {
            Some(v) if (i128::from(i64::MIN)..=i128::from(u64::MAX)).contains(&v) => {
                Ok(Val::I64(v as u64 as i64))
            }
            _ => Err(format!("{s:?} is not an i64")),
        },
        ValType::F32 => s
            .parse::<f32>()
            .map(|f| Val::F32(f.to_bits()))
            .map_err(|_| format!("{s:?} is not an f32")),
        ValType::F64 => s
            .parse::<f64>()
            .map(|f| Val::F64(f.to_bits()))
            .map_err(|_| format!("{s:?} is not an f64")),
        other => Err(format!(
            "parameters of type {other} cannot be given on the command line"
        )),
    }
}

/// Formats a result for printing.
pub fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(b) => f32::from_bits(*b).to_string(),
        Val::F64(b) => f64::from_bits(*b).to_string(),
        Val::V128(x) => format!("0x{x:032x}"),
        Val::FuncRef(None) | Val::ExternRef(None) => "null".to_string(),
        Val::FuncRef(Some(_)) => "funcref".to_string(),
        Val::ExternRef(Some(_)) => "externref".to_string(),
    }
}
