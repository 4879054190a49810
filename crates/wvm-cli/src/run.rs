//! `wvm run`: instantiate a module with WASI preview 1 (`wasi_snapshot_preview1`) and the
//! `spectest` module available for imports, then run `_start` or call `--invoke NAME`.
//!
//! Exit status: the guest's `proc_exit` code (its low 8 bits, as on POSIX), 0 when the
//! function returns, 134 when WebAssembly traps (as wasmtime does on Unix: 128 + SIGABRT),
//! 1 for any other error (unreadable or invalid module, unknown import, bad arguments).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use wvm::{
    CompilationMode, Config, Engine, ErrorKind, Features, Func, Instance, Linker, Module, Store,
    Val,
};
use wvm_wasi::{add_to_linker, I32Exit, WasiCtx};
use wvm_wast::spectest::{self, PrintTo};

use crate::input::{read_binary, CliError, LoadOptions};
use crate::values::{format_val, parse_arg};
use crate::wasi_setup::{self, DirGrant, Grants};

/// Exit code after a trap: 128 + SIGABRT, as wasmtime exits on Unix.
pub const TRAP_EXIT_CODE: u8 = 134;

/// `--compilation-mode` values.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompilationModeArg {
    /// Translate each function on its first call
    Lazy,
    /// Translate every function while loading the module
    Eager,
}

impl From<CompilationModeArg> for CompilationMode {
    fn from(m: CompilationModeArg) -> Self {
        match m {
            CompilationModeArg::Lazy => CompilationMode::LazyTranslation,
            CompilationModeArg::Eager => CompilationMode::Eager,
        }
    }
}

/// Options of `wvm run`. Everything after the module file goes to the guest.
#[derive(clap::Args, Debug)]
#[command(
    override_usage = "wvm run [OPTIONS] FILE.wasm|FILE.wat [ARGS]...",
    after_help = "\
Everything after FILE is passed to the guest (except `--invoke NAME` standing right after \
FILE, which wvm reads; put `--` after FILE to hand the guest everything verbatim): as its argv (argv[0] is the file name without \
its directories) when running _start, or parsed by the parameter types with --invoke.

Exit status: the guest's proc_exit code; 0 when the function returns; 134 when WebAssembly \
traps (the message and wasm backtrace go to stderr); 1 for any other error.

Examples:
  wvm run --dir .::/ --env LANG=C prog.wasm input.txt
  wvm run --ro-dir /usr/share/data::/data prog.wasm
  wvm run --invoke add lib.wat 1 2"
)]
pub struct RunArgs {
    /// Grant the guest a host directory (read-write), seen as GUEST (any path, e.g. `/` or
    /// `/data`; default: HOST as written). Repeatable
    #[arg(long = "dir", value_name = "HOST[::GUEST]")]
    dirs: Vec<String>,
    /// Grant the guest a host directory read-only (nothing in it can be created, written,
    /// renamed or removed). Repeatable. Preopened descriptors are numbered from 3 in the
    /// order the --dir and --ro-dir grants are given
    #[arg(long = "ro-dir", value_name = "HOST[::GUEST]")]
    ro_dirs: Vec<String>,
    /// Set an environment variable for the guest; a bare NAME copies the host's value.
    /// Repeatable; a later setting of a name wins
    #[arg(long = "env", value_name = "NAME[=VALUE]")]
    env: Vec<String>,
    /// Give the guest every environment variable of the host (before the --env settings)
    #[arg(long)]
    inherit_env: bool,
    /// Call this exported function instead of `_start`, with the arguments after FILE
    /// parsed by its parameter types (i32, i64, f32, f64; integers decimal or 0x hex), and
    /// print its results one per line. A module exporting `_initialize` (a WASI reactor)
    /// has it called first
    #[arg(long, value_name = "NAME")]
    invoke: Option<String>,
    /// The guest's argv[0] (default: the module's file name without its directories)
    #[arg(long, value_name = "NAME")]
    argv0: Option<OsString>,
    /// Meter execution: the guest may spend at most N units of fuel (about one per executed
    /// WebAssembly instruction; see docs/fuel.md) and traps with "all fuel consumed" beyond
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Stop the guest with an "interrupted" trap after this much wall-clock time
    /// (e.g. `500ms`, `2s`, `1m`; a bare number means seconds)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    timeout: Option<std::time::Duration>,
    /// When function bodies are translated to wvm's internal code: `lazy` (the default) on
    /// each function's first call, `eager` all while loading the module. Both validate the
    /// whole module while loading
    #[arg(long, value_name = "MODE", value_enum, default_value_t = CompilationModeArg::Lazy)]
    compilation_mode: CompilationModeArg,
    /// The module (.wasm or .wat, told apart by the binary magic), then the guest's arguments
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "FILE [ARGS]..."
    )]
    module_and_args: Vec<OsString>,
    /// Command-line positions of the `--dir` and `--ro-dir` values, when known.
    #[arg(skip)]
    grant_positions: Option<(Vec<usize>, Vec<usize>)>,
}

impl RunArgs {
    /// Remembers where each grant stood, so preopens keep the command line's order.
    pub fn record_grant_positions(&mut self, matches: &clap::ArgMatches) {
        let at = |id: &str| -> Vec<usize> {
            matches
                .indices_of(id)
                .map(|i| i.collect())
                .unwrap_or_default()
        };
        self.grant_positions = Some((at("dirs"), at("ro_dirs")));
    }

    /// The grants in command-line order (`--dir` ones first when positions are unknown).
    fn grants_in_order(&self) -> Vec<(&str, bool)> {
        let (dir_at, ro_at) = match &self.grant_positions {
            Some((d, r)) if d.len() == self.dirs.len() && r.len() == self.ro_dirs.len() => {
                (d.clone(), r.clone())
            }
            _ => (
                (0..self.dirs.len()).collect(),
                (self.dirs.len()..self.dirs.len() + self.ro_dirs.len()).collect(),
            ),
        };
        let mut all: Vec<(usize, &str, bool)> = self
            .dirs
            .iter()
            .zip(dir_at)
            .map(|(s, at)| (at, s.as_str(), false))
            .chain(
                self.ro_dirs
                    .iter()
                    .zip(ro_at)
                    .map(|(s, at)| (at, s.as_str(), true)),
            )
            .collect();
        all.sort_by_key(|g| g.0);
        all.into_iter().map(|(_, s, ro)| (s, ro)).collect()
    }
}

/// How running the guest ended, when it did not fail.
enum Outcome {
    Returned(Vec<Val>),
    Exited(i32),
}

pub fn run(args: &RunArgs, opts: &LoadOptions) -> Result<ExitCode, CliError> {
    let (file, rest) = match args.module_and_args.split_first() {
        Some((f, rest)) => (PathBuf::from(f), rest),
        None => return Err(CliError::plain("no module file given (see --help)")),
    };
    let file = file.as_path();
    let (late_invoke, guest_args) = split_late_invoke(rest).map_err(CliError::plain)?;
    let invoke_name = match (&args.invoke, late_invoke) {
        (Some(_), Some(_)) => return Err(CliError::plain("--invoke given twice")),
        (Some(n), None) => Some(n.clone()),
        (None, late) => late,
    };
    let mut dirs: Vec<DirGrant> = Vec::new();
    for (spec, read_only) in args.grants_in_order() {
        let flag = if read_only { "--ro-dir" } else { "--dir" };
        dirs.push(
            wasi_setup::parse_dir(spec, read_only)
                .map_err(|why| CliError::plain(format!("{flag} {why}")))?,
        );
    }
    let env = wasi_setup::environment(args.inherit_env, std::env::vars_os(), &args.env, |k| {
        std::env::var_os(k)
    })
    .map_err(CliError::plain)?;
    let mut argv = vec![args
        .argv0
        .clone()
        .unwrap_or_else(|| wasi_setup::default_argv0(file))];
    argv.extend(guest_args.iter().cloned());

    let input = read_binary(file, opts)?;

    let mut config = Config::new();
    config.wasm_features(Features {
        simd: wvm_wast::engine::supports_simd(),
        ..opts.features
    });
    config.allow_legacy_version(opts.features.allow_legacy_version);
    config.consume_fuel(args.fuel.is_some());
    config.interruptible(args.timeout.is_some());
    config.compilation_mode(args.compilation_mode.into());
    let engine = Engine::new(&config);
    if let Some(limit) = args.timeout {
        // The watchdog only raises the engine's interrupt flag; the guest notices it at the
        // next function entry or loop header and traps. Exiting the process ends the thread.
        let handle = engine.interrupt_handle();
        std::thread::spawn(move || {
            std::thread::sleep(limit);
            handle.interrupt();
        });
    }
    // `read_binary` gave `.wasm` bytes (text is already converted); the module keeps this
    // buffer rather than a copy of it.
    let module = Module::from_binary_vec(&engine, input.bytes)
        .map_err(|e| CliError::in_file(file, e.to_string()))?;

    let ctx = wasi_setup::build_ctx(&Grants {
        argv,
        env,
        dirs: &dirs,
    })
    .map_err(CliError::plain)?;
    let mut store = Store::new(&engine, ctx);
    if let Some(fuel) = args.fuel {
        store
            .set_fuel(fuel)
            .map_err(|e| CliError::plain(format!("--fuel: {e}")))?;
    }
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    add_to_linker(&mut linker, |c: &mut WasiCtx| c)
        .map_err(|e| CliError::in_file(file, format!("cannot define WASI: {e}")))?;
    spectest::define(&mut linker, &mut store, PrintTo::Stdout)
        .map_err(|e| CliError::in_file(file, format!("cannot define spectest: {e}")))?;

    let outcome = match linker.instantiate(&mut store, &module) {
        // A start function may already exit.
        Err(e) => ended(file, e)?,
        Ok(instance) => match &invoke_name {
            Some(name) => invoke(file, &mut store, &instance, name, guest_args)?,
            None => start(file, &mut store, &instance)?,
        },
    };
    match outcome {
        Outcome::Exited(code) => Ok(ExitCode::from(code as u8)),
        Outcome::Returned(results) => {
            let mut out = String::new();
            for r in &results {
                out.push_str(&format_val(r));
                out.push('\n');
            }
            crate::print_out(&out)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Parses `--timeout`: `250ms`, `2s`, `1.5s`, `1m`, or a bare number of seconds.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let t = text.trim();
    let (num, scale) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else {
        (t, 1.0)
    };
    let value: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a duration (e.g. 500ms, 2s, 1m)"))?;
    let secs = value * scale;
    if !(0.0..=1e9).contains(&secs) {
        return Err(format!(
            "{text:?} is not a duration between 0 and 1e9 seconds"
        ));
    }
    Ok(std::time::Duration::from_secs_f64(secs))
}

/// Reads `--invoke NAME` (or `--invoke=NAME`) standing right after FILE, so the form
/// `wvm run FILE --invoke NAME ARGS...` works as well as `wvm run --invoke NAME FILE ARGS...`.
/// Everything else after FILE belongs to the guest; a leading `--` ends wvm's options, so a
/// guest can still receive `--invoke` as its first argument (`wvm run FILE -- --invoke`).
fn split_late_invoke(rest: &[OsString]) -> Result<(Option<String>, &[OsString]), String> {
    let first = rest.first().and_then(|a| a.to_str());
    match first {
        Some("--") => Ok((None, &rest[1..])),
        Some("--invoke") => match rest.get(1).and_then(|a| a.to_str()) {
            Some(name) => Ok((Some(name.to_string()), &rest[2..])),
            None => Err("--invoke needs a function name".to_string()),
        },
        Some(a) if a.starts_with("--invoke=") => {
            Ok((Some(a["--invoke=".len()..].to_string()), &rest[1..]))
        }
        _ => Ok((None, rest)),
    }
}

/// Runs a WASI command's `_start` (whose arguments went to argv).
fn start(
    file: &Path,
    store: &mut Store<WasiCtx>,
    instance: &Instance,
) -> Result<Outcome, CliError> {
    let func = instance.get_func(&mut *store, "_start").ok_or_else(|| {
        CliError::in_file(
            file,
            "no exported function \"_start\" to run (name one with --invoke NAME)",
        )
    })?;
    let ty = func.ty(&*store);
    if !ty.params.is_empty() {
        return Err(CliError::in_file(
            file,
            format!("\"_start\" takes parameters {ty}; call it with --invoke _start to pass them"),
        ));
    }
    call(file, store, &func, &[])
}

/// Calls `name` with `raw_args` parsed by its parameter types, after `_initialize` if the
/// module exports it (a WASI reactor).
fn invoke(
    file: &Path,
    store: &mut Store<WasiCtx>,
    instance: &Instance,
    name: &str,
    raw_args: &[OsString],
) -> Result<Outcome, CliError> {
    let func = instance
        .get_func(&mut *store, name)
        .ok_or_else(|| CliError::in_file(file, format!("no exported function {name:?}")))?;
    let ty = func.ty(&*store);
    if raw_args.len() != ty.params.len() {
        return Err(CliError::in_file(
            file,
            format!(
                "function {name:?} takes {} arguments {ty}, {} given",
                ty.params.len(),
                raw_args.len()
            ),
        ));
    }
    let mut params = Vec::with_capacity(raw_args.len());
    for (i, (a, t)) in raw_args.iter().zip(ty.params.iter()).enumerate() {
        let bad = |why: String| CliError::in_file(file, format!("argument {}: {why}", i + 1));
        let s = a
            .to_str()
            .ok_or_else(|| bad(format!("{a:?} is not UTF-8")))?;
        params.push(parse_arg(s, *t).map_err(bad)?);
    }
    if name != "_initialize" {
        if let Some(init) = instance.get_func(&mut *store, "_initialize") {
            if let Outcome::Exited(code) = call(file, store, &init, &[])? {
                return Ok(Outcome::Exited(code));
            }
        }
    }
    call(file, store, &func, &params)
}

fn call(
    file: &Path,
    store: &mut Store<WasiCtx>,
    func: &Func,
    params: &[Val],
) -> Result<Outcome, CliError> {
    let ty = func.ty(&*store);
    let mut results: Vec<Val> = ty.results.iter().map(|t| Val::default_for(*t)).collect();
    match func.call(&mut *store, params, &mut results) {
        Ok(()) => Ok(Outcome::Returned(results)),
        Err(e) => ended(file, e),
    }
}

/// A failed call or instantiation: the guest's exit, a trap or another error.
fn ended(file: &Path, e: wvm::Error) -> Result<Outcome, CliError> {
    if let Some(I32Exit(code)) = e.downcast_ref::<I32Exit>() {
        return Ok(Outcome::Exited(*code));
    }
    Err(match e.kind() {
        // The trap's `Display` bounds the backtrace (deep recursion: innermost and outermost
        // frames, the omitted count, identical frames collapsed).
        ErrorKind::Trap(t) => {
            CliError::multi_line(file, t.to_string()).with_exit_code(TRAP_EXIT_CODE)
        }
        ErrorKind::Link(_) => CliError::in_file(
            file,
            format!(
                "{e} (imports can come from \"{}\" and \"spectest\")",
                wvm_wasi::MODULE
            ),
        ),
        // A host function's error: its message, then the wasm backtrace on later lines.
        _ if e.wasm_backtrace().is_some() => CliError::multi_line(file, e.to_string()),
        _ => CliError::in_file(file, e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::split_late_invoke;
    use std::ffi::OsString;

    fn v(items: &[&str]) -> Vec<OsString> {
        items.iter().map(OsString::from).collect()
    }

    #[test]
    fn durations() {
        use super::parse_duration;
        use std::time::Duration;
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2s"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_duration("1m"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn invoke_after_file() {
        let a = v(&["--invoke", "foo", "1"]);
        let (name, rest) = split_late_invoke(&a).unwrap();
        assert_eq!(name.as_deref(), Some("foo"));
        assert_eq!(rest, &v(&["1"])[..]);
        let a = v(&["--invoke=bar"]);
        assert_eq!(split_late_invoke(&a).unwrap().0.as_deref(), Some("bar"));
        assert!(split_late_invoke(&v(&["--invoke"])).is_err());
    }

    #[test]
    fn guest_arguments_stay_with_the_guest() {
        let a = v(&["-x", "--invoke", "foo"]);
        let (name, rest) = split_late_invoke(&a).unwrap();
        assert_eq!(name, None);
        assert_eq!(rest.len(), 3);
        let a = v(&["--", "--invoke", "foo"]);
        let (name, rest) = split_late_invoke(&a).unwrap();
        assert_eq!(name, None);
        assert_eq!(rest, &v(&["--invoke", "foo"])[..]);
    }
}
