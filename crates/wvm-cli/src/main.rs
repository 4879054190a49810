//! `wvm`: validate, inspect, print, convert, test and run WebAssembly modules.
//!
//! Every command takes `.wat` or `.wasm` (told apart by the binary magic). Errors are one
//! line on stderr (`error: FILE: reason (at byte offset 0x..)`) with a non-zero exit code.

mod input;
mod inspect;
mod run;
mod values;
mod wasi_setup;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use input::{read_binary, read_module, read_valid_module, CliError, LoadOptions};
use wvm_binary::Features;

/// Stack size of the thread that does the work.
const WORKER_STACK: usize = 256 << 20;

#[derive(Parser, Debug)]
#[command(
    name = "wvm",
    version,
    about = "wvm: a WebAssembly virtual machine",
    propagate_version = true
)]
struct Cli {
    /// Accept binary version 0x0d (the pre-release format, as in old examples)
    #[arg(long, global = true)]
    allow_legacy_version: bool,
    /// Reject the pre-standard text spellings (get_local, anyfunc, i32.trunc_s/f32, ...)
    #[arg(long, global = true)]
    strict_text: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check that a module is well-formed and valid
    Validate {
        /// Module file (.wasm or .wat)
        file: PathBuf,
    },
    /// Show a module's sections, types, imports, exports, functions and segments
    Inspect {
        /// Module file (.wasm or .wat)
        file: PathBuf,
    },
    /// Print a module as WebAssembly text
    Print {
        /// Module file (.wasm or .wat)
        file: PathBuf,
        /// Print a flat instruction listing with byte offsets instead of WAT
        #[arg(long)]
        listing: bool,
    },
    /// Convert a .wat file to a .wasm binary
    Wat2wasm {
        /// Input .wat (or .wasm) file
        file: PathBuf,
        /// Where to write the binary
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Run .wast spec-test scripts
    Wast {
        /// Script files
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Validate with the Wasm 1.0 feature set instead of Wasm 2.0 (plus SIMD once the
        /// engine runs it)
        #[arg(long)]
        wasm1: bool,
        /// List every failure and every skipped directive
        #[arg(short, long)]
        verbose: bool,
    },
    /// Run a WASI program (or call an exported function) with the host's stdio; the
    /// `wasi_snapshot_preview1` and `spectest` modules are available for imports
    Run(run::RunArgs),
}

fn main() -> ExitCode {
    // Panics are bugs; they must still end as one line and an exit code, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown".to_string()
        };
        eprintln!("error: internal error (please report): {msg}");
    }));
    let cli = match parse_command_line() {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                eprintln!("error: no command given (see --help)");
                return ExitCode::from(2);
            }
            // clap's message spans several lines; keep the part before the usage text.
            let rendered = e.render().to_string();
            let first: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
                .filter(|l| !l.is_empty())
                .collect();
            let first = first.join(" ");
            let first = first.strip_prefix("error: ").unwrap_or(&first);
            eprintln!("error: {first} (see --help)");
            return ExitCode::from(2);
        }
    };
    // Work on a thread with a large stack so deep (but bounded) recursion in modules and
    // scripts has room.
    let worker = std::thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || std::panic::catch_unwind(|| dispatch(&cli)));
    let outcome = match worker {
        Ok(handle) => handle.join().unwrap_or_else(Err),
        Err(e) => {
            eprintln!("error: cannot start the worker thread: {e}");
            return ExitCode::FAILURE;
        }
    };
    match outcome {
        Ok(Ok(code)) => code,
        Ok(Err(e)) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code)
        }
        Err(_) => ExitCode::from(101),
    }
}

/// Parses the command line, keeping where each directory grant of `wvm run` stood.
fn parse_command_line() -> Result<Cli, clap::Error> {
    let matches = Cli::command().try_get_matches()?;
    let mut cli = Cli::from_arg_matches(&matches)?;
    if let (Command::Run(args), Some(sub)) = (&mut cli.command, matches.subcommand_matches("run")) {
        args.record_grant_positions(sub);
    }
    Ok(cli)
}

fn load_options(cli: &Cli) -> LoadOptions {
    LoadOptions {
        features: Features {
            allow_legacy_version: cli.allow_legacy_version,
            simd: true,
            ..Features::wasm2()
        },
        strict_text: cli.strict_text,
    }
}

fn dispatch(cli: &Cli) -> Result<ExitCode, CliError> {
    let opts = load_options(cli);
    match &cli.command {
        Command::Validate { file } => {
            read_valid_module(file, &opts)?;
            println!("{}: valid", file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect { file } => {
            let (input, module) = read_module(file, &opts)?;
            print_out(&inspect::report(
                &file.display().to_string(),
                &input.bytes,
                &module,
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Print { file, listing } => {
            let (_, module) = read_module(file, &opts)?;
            let text = if *listing {
                wvm_text::listing(&module)
            } else {
                wvm_text::print_module(&module)
            };
            print_out(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Wat2wasm { file, output } => {
            let input = read_binary(file, &opts)?;
            // Refuse to write something that is not a module we accept.
            let module = wvm_binary::decode(&input.bytes, &opts.features)
                .map_err(|e| CliError::in_file(file, e.to_string()))?;
            wvm_validate::validate(&module, &opts.features)
                .map_err(|e| CliError::in_file(file, format!("invalid module: {e}")))?;
            write_atomically(output, &input.bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Wast {
            files,
            wasm1,
            verbose,
        } => Ok(run_wast(files, *wasm1, *verbose)),
        Command::Run(args) => run::run(args, &opts),
    }
}

/// Writes to stdout; a closed pipe is not an error worth a message.
pub(crate) fn print_out(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(CliError::plain(format!(
            "cannot write output: {}",
            input::io_reason(&e)
        ))),
    }
}

/// Writes `bytes` to a temporary file next to `path`, then renames it into place, so a
/// failure never leaves a half-written output.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| CliError::in_file(path, "output path has no file name"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".tmp{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::in_file(
            path,
            format!("cannot write output: {}", input::io_reason(&e)),
        ));
    }
    Ok(())
}

fn run_wast(files: &[PathBuf], wasm1: bool, verbose: bool) -> ExitCode {
    let features = if wasm1 {
        Features::wasm1()
    } else {
        Features {
            simd: wvm_wast::engine::supports_simd(),
            ..Features::wasm2()
        }
    };
    let runner = wvm_wast::WastRunner::new(features);
    let mut totals = wvm_wast::Totals::default();
    for f in files {
        let report = runner.run_file(f);
        println!("{report}");
        let limit = if verbose { usize::MAX } else { 10 };
        for n in report.failed.iter().take(limit) {
            println!("    FAILED line {}: {}", n.line, n.text);
        }
        if report.failed.len() > limit {
            println!("    ... {} more failures", report.failed.len() - limit);
        }
        for (reason, count) in report.skip_reasons() {
            println!("    skipped {count}: {reason}");
        }
        totals.add(report.totals());
    }
    println!("{totals}");
    if totals.failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
