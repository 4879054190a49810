//! `wvm run` with WASI: every program of `tests-wasi/` run through the built binary in a
//! fresh sandbox (`sandbox/` as `--dir ...::/`, `ro/` as `--ro-dir ...::/ro`), with its
//! arguments on the command line, its environment through `--env`, its stdin through a
//! pipe, compared with `tests-wasi/expected/` (stdout, stderr, exit code, files left); plus
//! the flags' corner cases: traps, `proc_exit` inside `--invoke`, `--inherit-env`, bad grants.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{listing, text, wvm, wvm_with_stdin};

fn tests_wasi() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests-wasi")
}

fn fixture(root: &Path) {
    std::fs::create_dir_all(root.join("sandbox/data")).unwrap();
    std::fs::create_dir_all(root.join("ro")).unwrap();
    std::fs::create_dir_all(root.join("outside")).unwrap();
    std::fs::write(root.join("sandbox/data/hello.txt"), "hello from the host\n").unwrap();
    std::fs::write(root.join("ro/ro.txt"), "read-only data\n").unwrap();
    std::fs::write(root.join("outside/secret.txt"), "secret\n").unwrap();
}

fn expected(name: &str, ext: &str) -> Option<Vec<u8>> {
    std::fs::read(tests_wasi().join("expected").join(format!("{name}.{ext}"))).ok()
}

/// Runs `tests-wasi/wasm/NAME.wasm` through `wvm run` and compares everything.
fn check_program(name: &str) {
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    let sandbox = tmp.path().join("sandbox");
    let ro = tmp.path().join("ro");
    let mut args = vec![
        "run".to_string(),
        "--dir".to_string(),
        format!("{}::/", sandbox.display()),
        "--ro-dir".to_string(),
        format!("{}::/ro", ro.display()),
    ];
    for kv in text(&expected(name, "env").unwrap_or_default()).lines() {
        args.push("--env".to_string());
        args.push(kv.to_string());
    }
    args.push(
        tests_wasi()
            .join("wasm")
            .join(format!("{name}.wasm"))
            .display()
            .to_string(),
    );
    for a in text(&expected(name, "args").unwrap_or_default()).lines() {
        args.push(a.to_string());
    }
    // The host environment must not leak without --inherit-env.
    let out = wvm_with_stdin(
        &args,
        &expected(name, "stdin").unwrap_or_default(),
        &[("HOME", "/leaked"), ("PATH", "/leaked")],
    );
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert_eq!(
        text(&out.stdout),
        text(&expected(name, "stdout").unwrap_or_default()),
        "{name}: stdout (stderr: {stderr})"
    );
    assert_eq!(
        stderr,
        text(&expected(name, "stderr").unwrap_or_default()),
        "{name}: stderr"
    );
    let want_exit: i32 = text(&expected(name, "exit").unwrap_or_default())
        .trim()
        .parse()
        .unwrap_or(0);
    assert_eq!(out.status.code(), Some(want_exit), "{name}: exit code");
    assert_eq!(
        listing(&sandbox),
        text(&expected(name, "files").unwrap_or_default()),
        "{name}: files left in the sandbox"
    );
    assert_eq!(
        listing(&ro),
        "ro.txt 15\n",
        "{name}: the read-only dir changed"
    );
    assert_eq!(
        listing(&tmp.path().join("outside")),
        "secret.txt 7\n",
        "{name}: outside/ changed"
    );
}

macro_rules! programs {
    ($($name:ident),* $(,)?) => {
        mod programs {
            $(#[test] fn $name() { super::check_program(stringify!($name)); })*
        }

        #[test]
        fn every_program_is_run_through_the_cli() {
            let mut listed = vec![$(stringify!($name)),*];
            listed.sort();
            let mut built: Vec<String> = std::fs::read_dir(tests_wasi().join("wasm"))
                .unwrap()
                .filter_map(|e| {
                    let name = e.unwrap().file_name().into_string().unwrap();
                    name.strip_suffix(".wasm").map(str::to_owned)
                })
                .collect();
            built.sort();
            assert_eq!(built, listed);
        }
    };
}

programs!(args, bigio, clocks, dirs, env, escape, exit, exitmain, files, random, raw, stdin);

/// A small WASI module in text: `_start` prints the guest name of every preopened directory
/// (one a line); `quit` calls `proc_exit`; `div` divides 100 by its argument (traps on 0);
/// `counter` returns what `_initialize` stored.
const PROBE: &str = r#"(module
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $pg (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
    (func $pn (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (global $counter (mut i32) (i32.const 0))
  (func $show (param $fd i32) (result i32)
    (local $len i32)
    (if (call $pg (local.get $fd) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $len (i32.load (i32.const 4)))
    (drop (call $pn (local.get $fd) (i32.const 100) (local.get $len)))
    (i32.store8 (i32.add (i32.const 100) (local.get $len)) (i32.const 10))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.add (local.get $len) (i32.const 1)))
    (drop (call $w (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (i32.const 1))
  (func (export "_start")
    (local $fd i32)
    (local.set $fd (i32.const 3))
    (block $done (loop $next
      (br_if $done (i32.eqz (call $show (local.get $fd))))
      (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
      (br $next))))
  (func (export "_initialize") (global.set $counter (i32.const 41)))
  (func (export "counter") (result i32) (global.get $counter))
  (func (export "quit") (param i32) (result i32) (call $exit (local.get 0)) (i32.const 0))
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))
  (func (export "div") (param i32) (result i32) (call $inner (local.get 0))))"#;

fn probe(dir: &Path) -> String {
    let f = dir.join("probe.wat");
    std::fs::write(&f, PROBE).unwrap();
    f.display().to_string()
}

/// A failing command: the given exit code, one `error: ` line on stderr, no panic.
fn assert_error(o: &Output, code: i32) -> String {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn preopens_are_named_as_asked_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().display().to_string();
    let f = probe(tmp.path());
    let o = wvm(&[
        "run",
        "--ro-dir",
        &format!("{d}::/data/x"),
        "--dir",
        &format!("{d}::/"),
        "--dir",
        &d,
        &f,
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // Descriptors 3, 4, 5 in command-line order, whatever the flag.
    assert_eq!(text(&o.stdout), format!("/data/x\n/\n{d}\n"));
    let o = wvm(&["run", &f]);
    assert_eq!(text(&o.stdout), "", "no directory unless granted");
}

#[test]
fn proc_exit_inside_invoke_is_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let f = probe(tmp.path());
    let o = wvm(&["run", "--invoke", "quit", &f, "7"]);
    assert_eq!(o.status.code(), Some(7), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "", "no result printed after an exit");
    assert_eq!(text(&o.stderr), "");
    // Only the low 8 bits reach the host, as with exit(2).
    let o = wvm(&["run", "--invoke", "quit", &f, "300"]);
    assert_eq!(o.status.code(), Some(300 & 0xff));
    let o = wvm(&["run", "--invoke", "quit", &f, "0"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn invoke_calls_initialize_first_and_prints_results() {
    let tmp = tempfile::tempdir().unwrap();
    let f = probe(tmp.path());
    let o = wvm(&["run", "--invoke", "counter", &f]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "41\n");
    let o = wvm(&["run", "--invoke", "div", &f, "-7"]);
    assert_eq!(text(&o.stdout), "-14\n");
}

#[test]
fn a_trap_prints_message_and_backtrace_and_exits_134() {
    let tmp = tempfile::tempdir().unwrap();
    let f = probe(tmp.path());
    let o = wvm(&["run", "--invoke", "div", &f, "0"]);
    assert_eq!(o.status.code(), Some(134));
    let err = text(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.first().is_some_and(|l| l.starts_with("error: ")
            && l.contains("probe.wat")
            && l.contains("wasm trap: integer divide by zero")),
        "{err}"
    );
    assert_eq!(lines.get(1).copied(), Some("wasm backtrace:"), "{err}");
    // Innermost first: the helper, then the exported function.
    assert!(lines.len() >= 4, "{err}");
    assert!(lines[2].trim_start().starts_with("0: func"), "{err}");
    assert!(lines[3].trim_start().starts_with("1: func"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn environment_is_empty_unless_granted() {
    let env_wasm = tests_wasi().join("wasm/env.wasm").display().to_string();
    let run = |flags: &[&str]| {
        let mut args: Vec<String> = vec!["run".into()];
        args.extend(flags.iter().map(|s| s.to_string()));
        args.push(env_wasm.clone());
        let o = wvm_with_stdin(&args, b"", &[("WVM_TEST", "from-host"), ("HOME", "/h")]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        text(&o.stdout)
    };
    let out = run(&[]);
    assert!(out.starts_with("count=0\n"), "{out}");
    let out = run(&["--inherit-env"]);
    assert!(out.contains("WVM_TEST=from-host\n"), "{out}");
    assert!(out.contains("HOME=/h\n"), "{out}");
    // --env wins over the inherited value; a bare name copies the host's.
    let out = run(&["--inherit-env", "--env", "WVM_TEST=mine"]);
    assert!(out.contains("WVM_TEST=mine\n"), "{out}");
    assert!(!out.contains("from-host"), "{out}");
    let out = run(&["--env", "HOME"]);
    assert!(out.starts_with("env[0]=HOME=/h\ncount=1\n"), "{out}");
}

#[test]
fn flags_after_the_module_belong_to_the_guest() {
    let args_wasm = tests_wasi().join("wasm/args.wasm").display().to_string();
    let o = wvm(&["run", &args_wasm, "--dir", "/", "--help", "-x"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        text(&o.stdout),
        "argc=5\nargv[0]=\"args.wasm\" (9 bytes)\nargv[1]=\"--dir\" (5 bytes)\n\
         argv[2]=\"/\" (1 bytes)\nargv[3]=\"--help\" (6 bytes)\nargv[4]=\"-x\" (2 bytes)\n"
    );
    let o = wvm(&["run", "--argv0", "prog", &args_wasm]);
    assert_eq!(text(&o.stdout), "argc=1\nargv[0]=\"prog\" (4 bytes)\n");
}

#[test]
fn bad_grants_and_missing_pieces_are_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let f = probe(tmp.path());
    let err = assert_error(&wvm(&["run", "--dir", "/nonexistent/dir::/", &f]), 1);
    assert!(err.contains("/nonexistent/dir"), "{err}");
    let err = assert_error(&wvm(&["run", "--dir", "x::", &f]), 1);
    assert!(err.contains("guest path"), "{err}");
    let err = assert_error(&wvm(&["run", "--env", "=v", &f]), 1);
    assert!(err.contains("name is empty"), "{err}");
    assert_error(&wvm(&["run"]), 2);
    assert_error(&wvm(&["run", "--dir"]), 2);
    let err = assert_error(&wvm(&["run", "--invoke", "nope", &f]), 1);
    assert!(err.contains("nope"), "{err}");
    // An import nobody provides names both available modules.
    let g = tmp.path().join("imp.wat");
    std::fs::write(&g, r#"(module (import "env" "f" (func)))"#).unwrap();
    let err = assert_error(&wvm(&["run", &g.display().to_string()]), 1);
    assert!(
        err.contains("env") && err.contains("wasi_snapshot_preview1"),
        "{err}"
    );
    // A module without _start says how to call something else.
    let h = tmp.path().join("lib.wat");
    std::fs::write(&h, r#"(module (func (export "f")))"#).unwrap();
    let err = assert_error(&wvm(&["run", &h.display().to_string()]), 1);
    assert!(err.contains("_start") && err.contains("--invoke"), "{err}");
}
