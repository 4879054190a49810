//! Runs the built `wvm` binary and checks outputs and exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn wvm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wvm"))
        .args(args)
        .output()
        .expect("the wvm binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wvm-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, contents).expect("write scratch file");
    p.display().to_string()
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn example(name: &str) -> String {
    examples().join(name).display().to_string()
}

/// A failing command: non-zero exit, exactly one line on stderr starting with `error: `.
fn assert_one_line_error(o: &Output) -> String {
    assert!(!o.status.success(), "expected failure, got {o:?}");
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "stderr should be one line: {err:?}");
    assert!(lines[0].starts_with("error: "), "stderr: {err:?}");
    assert!(!err.contains("panicked"), "stderr: {err:?}");
    err
}

#[test]
fn validate_accepts_a_valid_module() {
    let d = scratch("valid");
    let f = write(
        &d,
        "add.wat",
        "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))",
    );
    let o = wvm(&["validate", &f]);
    assert!(o.status.success(), "{o:?}");
    assert!(stdout(&o).contains("valid"));
}

#[test]
fn validate_reports_malformed_binary_with_offset() {
    let d = scratch("malformed");
    // A type section announcing one entry and then ending.
    let f = write(&d, "bad.wasm", b"\0asm\x01\0\0\0\x01\x01\x01");
    let err = assert_one_line_error(&wvm(&["validate", &f]));
    assert!(err.contains(&f), "names the file: {err}");
    assert!(err.contains("at byte offset 0x"), "{err}");
    // Bad magic.
    let f = write(&d, "junk.wasm", b"\0asX\x01\0\0\0");
    let err = assert_one_line_error(&wvm(&["validate", &f]));
    assert!(err.contains("junk.wasm"), "{err}");
}

#[test]
fn validate_reports_invalid_module() {
    let d = scratch("invalid");
    let f = write(&d, "bad.wat", "(module (func (result i32)))");
    let err = assert_one_line_error(&wvm(&["validate", &f]));
    assert!(err.contains("type mismatch"), "{err}");
    assert!(err.contains("bad.wat"), "{err}");
}

#[test]
fn text_errors_are_one_line_with_position() {
    let d = scratch("texterr");
    let f = write(&d, "bad.wat", "(module (func (i32.frobnicate)))");
    let err = assert_one_line_error(&wvm(&["validate", &f]));
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn legacy_spellings_accepted_unless_strict() {
    let d = scratch("legacy");
    let f = write(
        &d,
        "old.wat",
        "(module (func (param i32) (result i32) get_local 0))",
    );
    assert!(wvm(&["validate", &f]).status.success());
    assert_one_line_error(&wvm(&["--strict-text", "validate", &f]));
}

#[test]
fn seed_000_examples_validate() {
    for name in ["seed000_hello.wat", "seed000_hello_name.wat"] {
        let o = wvm(&["validate", &example(name)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
    }
}

#[test]
fn inspect_seed_004_needs_legacy_version_flag() {
    let f = example("seed004.wasm");
    let err = assert_one_line_error(&wvm(&["inspect", &f]));
    assert!(err.contains("unknown binary version"), "{err}");

    let o = wvm(&["--allow-legacy-version", "inspect", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for section in [
        "type", "function", "memory", "export", "start", "code", "data",
    ] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(section) && l.contains("id")),
            "section {section} missing in:\n{out}"
        );
    }
    assert!(out.contains("\"foo\""), "{out}");
    assert!(out.contains("(func (param i32) (result i32))"), "{out}");
}

#[test]
fn print_then_wat2wasm_round_trips() {
    let d = scratch("roundtrip");
    let src = write(
        &d,
        "m.wat",
        r#"(module
             (memory 1)
             (global $g (mut i32) (i32.const 7))
             (func $f (export "f") (param i64) (result i64)
               local.get 0 i64.const 2 i64.mul)
             (data (i32.const 4) "hi"))"#,
    );
    let printed = wvm(&["print", &src]);
    assert!(printed.status.success(), "{}", stderr(&printed));
    let text1 = stdout(&printed);
    assert!(text1.contains("i64.mul"), "{text1}");
    let p1 = write(&d, "printed.wat", &text1);
    let out = d.join("out.wasm").display().to_string();
    let o = wvm(&["wat2wasm", &p1, "-o", &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(&out).expect("output written");
    assert!(bytes.starts_with(b"\0asm"));
    let text2 = stdout(&wvm(&["print", &out]));
    assert_eq!(text1, text2);
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .expect("read dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn wat2wasm_of_a_bad_file_writes_nothing() {
    let d = scratch("nowrite");
    let src = write(&d, "bad.wat", "(module (func (result i32)))");
    let out = d.join("out.wasm");
    assert_one_line_error(&wvm(&["wat2wasm", &src, "-o", &out.display().to_string()]));
    assert!(!out.exists());
}

#[test]
fn print_listing_shows_offsets() {
    let o = wvm(&[
        "--allow-legacy-version",
        "print",
        "--listing",
        &example("seed004.wasm"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("i32.mul"), "{out}");
    assert!(out.to_lowercase().contains("0x") || out.chars().any(|c| c.is_ascii_digit()));
}

#[test]
fn missing_files_directories_and_bad_arguments_are_one_line_errors() {
    let err = assert_one_line_error(&wvm(&["validate", "/nonexistent/x.wasm"]));
    assert!(err.contains("/nonexistent/x.wasm"), "{err}");
    let d = scratch("dir");
    assert_one_line_error(&wvm(&["inspect", &d.display().to_string()]));
    assert_one_line_error(&wvm(&["validate"]));
    assert_one_line_error(&wvm(&["frobnicate"]));
    assert_one_line_error(&wvm(&[]));
    assert_one_line_error(&wvm(&["validate", "--no-such-flag", "x"]));
}

#[test]
fn help_is_available_for_every_command() {
    for cmd in ["validate", "inspect", "print", "wat2wasm", "wast", "run"] {
        let o = wvm(&[cmd, "--help"]);
        assert!(o.status.success(), "{cmd}");
        assert!(stdout(&o).contains("Usage"), "{cmd}");
    }
}

#[test]
fn wast_counts_and_exit_code() {
    let d = scratch("wast");
    let good = write(
        &d,
        "good.wast",
        r#"(module (func))
           (assert_invalid (module (func (result i32))) "type mismatch")
           (assert_malformed (module binary "\00asm\01\00\00") "unexpected end")"#,
    );
    let o = wvm(&["wast", &good]);
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains("good.wast: 3 passed, 0 failed, 0 skipped"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l == "3 passed, 0 failed, 0 skipped"),
        "{out}"
    );

    let bad = write(
        &d,
        "bad.wast",
        r#"(assert_invalid (module (func)) "type mismatch")"#,
    );
    let o = wvm(&["wast", &good, &bad]);
    assert!(!o.status.success());
    let out = stdout(&o);
    assert!(
        out.contains("bad.wast: 0 passed, 1 failed, 0 skipped"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l == "3 passed, 1 failed, 0 skipped"),
        "{out}"
    );
}

#[test]
fn run_seed_004_foo() {
    let f = example("seed004.wasm");
    for (arg, want) in [("1", "400"), ("2", "800"), ("3", "1200")] {
        let o = wvm(&["run", "--allow-legacy-version", "--invoke", "foo", &f, arg]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim(), want);
        // The issue's spelling: `--invoke` right after the file.
        let o = wvm(&["run", "--allow-legacy-version", &f, "--invoke", "foo", arg]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o).trim(), want);
    }
    // Without the flag the legacy version is refused.
    assert_one_line_error(&wvm(&["run", "--invoke", "foo", &f, "1"]));
}

#[test]
fn run_reports_stack_exhaustion_with_backtrace() {
    let d = scratch("exhaust");
    let f = write(
        &d,
        "rec.wat",
        r#"(module
             (func $down (export "down") (param i32) (result i32)
               (call $down (i32.add (local.get 0) (i32.const 1))))
             (func (export "_start") (drop (call $down (i32.const 0)))))"#,
    );
    let o = wvm(&["run", &f]);
    assert!(!o.status.success());
    let err = stderr(&o);
    let first = err.lines().next().unwrap_or("");
    assert!(first.starts_with("error: "), "{err}");
    assert!(first.contains("call stack exhausted"), "{err}");
    assert!(err.contains("backtrace"), "{err}");
    assert!(err.contains("down"), "names the recursing function: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn run_parses_arguments_by_parameter_type_and_prints_results() {
    let d = scratch("args");
    let f = write(
        &d,
        "m.wat",
        r#"(module
             (func (export "mix") (param i32 i64 f32 f64) (result f64 i64 i32)
               (f64.add (local.get 3) (f64.promote_f32 (local.get 2)))
               (i64.mul (local.get 1) (i64.const 2))
               (local.get 0)))"#,
    );
    let o = wvm(&["run", "--invoke", "mix", &f, "-7", "21", "0.5", "1.25"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "1.75\n42\n-7\n");
    // Unsigned spelling of an i32 and hex are accepted.
    let o = wvm(&["run", "--invoke", "mix", &f, "4294967295", "0x10", "0", "0"]);
    assert_eq!(stdout(&o), "0\n32\n-1\n");
    let err = assert_one_line_error(&wvm(&["run", "--invoke", "mix", &f, "x", "1", "2", "3"]));
    assert!(err.contains("not an i32"), "{err}");
    let err = assert_one_line_error(&wvm(&["run", "--invoke", "mix", &f, "1"]));
    assert!(err.contains("4 arguments"), "{err}");
    let err = assert_one_line_error(&wvm(&["run", "--invoke", "nope", &f]));
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn run_names_unknown_imports_and_provides_spectest() {
    let err = assert_one_line_error(&wvm(&[
        "run",
        "--invoke",
        "hello",
        &example("seed000_hello_name.wat"),
        "1",
    ]));
    assert!(err.contains("env") && err.contains("concat"), "{err}");

    let d = scratch("spectest");
    let f = write(
        &d,
        "p.wat",
        r#"(module
             (import "spectest" "print_i32" (func $print (param i32)))
             (import "spectest" "global_i32" (global $g i32))
             (func (export "_start") (call $print (global.get $g))))"#,
    );
    let o = wvm(&["run", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("666"), "{}", stdout(&o));
}

#[test]
fn run_traps_exit_non_zero_with_the_spec_message() {
    let d = scratch("trap");
    let f = write(
        &d,
        "t.wat",
        r#"(module (func (export "f") (param i32) (result i32)
             (i32.div_u (i32.const 1) (local.get 0))))"#,
    );
    let o = wvm(&["run", "--invoke", "f", &f, "0"]);
    // As wasmtime on Unix: 128 + SIGABRT.
    assert_eq!(o.status.code(), Some(134));
    assert!(
        stderr(&o).contains("integer divide by zero"),
        "{}",
        stderr(&o)
    );
    let o = wvm(&["run", "--invoke", "f", &f, "1"]);
    assert_eq!(stdout(&o), "1\n");
}

#[test]
fn run_compilation_modes_give_the_same_results_and_traps() {
    let d = scratch("modes");
    let f = write(
        &d,
        "m.wat",
        r#"(module
             (func $fac (param i64) (result i64)
               (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
                 (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
             (func (export "fac") (param i64) (result i64) (call $fac (local.get 0)))
             (func (export "div") (param i32) (result i32)
               (i32.div_u (i32.const 1) (local.get 0))))"#,
    );
    for mode in ["lazy", "eager"] {
        let o = wvm(&[
            "run",
            "--compilation-mode",
            mode,
            "--invoke",
            "fac",
            &f,
            "20",
        ]);
        assert!(o.status.success(), "{mode}: {}", stderr(&o));
        assert_eq!(stdout(&o), "2432902008176640000\n", "{mode}");
        let o = wvm(&[
            "run",
            "--compilation-mode",
            mode,
            "--invoke",
            "div",
            &f,
            "0",
        ]);
        assert_eq!(o.status.code(), Some(134), "{mode}");
        assert!(
            stderr(&o).contains("integer divide by zero"),
            "{mode}: {}",
            stderr(&o)
        );
    }
    let o = wvm(&[
        "run",
        "--compilation-mode",
        "sometimes",
        "--invoke",
        "fac",
        &f,
        "1",
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sometimes"), "{}", stderr(&o));
}

#[test]
fn inspect_lists_imports_globals_tables_and_segments() {
    let d = scratch("inspect");
    let f = write(
        &d,
        "rich.wat",
        r#"(module $rich
             (import "spectest" "print_i32" (func $print (param i32)))
             (import "spectest" "global_i32" (global $gi i32))
             (table $t 4 funcref)
             (memory 1 3)
             (global $g (mut i64) (i64.const -5))
             (elem (table $t) (i32.const 0) func $main $print)
             (data (i32.const 8) "hello")
             (func $main (export "main") (param i32) (result i32) local.get 0))"#,
    );
    let o = wvm(&["inspect", &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        r#""spectest" "print_i32": func type 0 (func (param i32))"#,
        r#""spectest" "global_i32": global i32"#,
        "func 1 $main: (func (param i32) (result i32))",
        r#"exported as "main""#,
        "table 0: funcref min 4",
        "memory 0: min 1 max 3 pages",
        "global 1: mut i64 = (i64.const -5)",
        "active table 0 offset (i32.const 0), funcref, 2 items: funcs [1 0]",
        r#"active memory 0 offset (i32.const 8), 5 bytes: 68 65 6c 6c 6f  "hello""#,
        "module name: \"rich\"",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
}

#[test]
fn corrupted_binaries_never_crash_any_command() {
    let d = scratch("corrupt");
    let seed = std::fs::read(examples().join("seed004.wasm")).expect("seed 004");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for case in 0..40 {
        let mut bytes = seed.clone();
        // Keep the magic so the decoder (not the text parser) sees it.
        for _ in 0..(1 + next() % 4) {
            let i = 4 + (next() as usize) % (bytes.len() - 4);
            bytes[i] = next() as u8;
        }
        if case % 5 == 0 {
            bytes.truncate(8 + (next() as usize) % (bytes.len() - 8));
        }
        let f = write(&d, &format!("c{case}.wasm"), &bytes);
        for cmd in ["validate", "inspect", "print"] {
            let o = wvm(&["--allow-legacy-version", cmd, &f]);
            let code = o.status.code();
            assert!(matches!(code, Some(0) | Some(1)), "{cmd} {f}: {o:?}");
            if code == Some(1) {
                assert_one_line_error(&o);
            }
        }
    }
}

const LOOPS: &str = r#"(module
  (func (export "spin") (loop (br 0)))
  (func (export "count") (param i32) (result i32) (local i32)
    (loop
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1)))"#;

#[test]
fn run_with_fuel_finishes_small_work_and_traps_on_large() {
    let d = scratch("fuel");
    let f = write(&d, "loops.wat", LOOPS);
    let o = wvm(&["run", "--fuel", "1000", "--invoke", "count", &f, "10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "10");
    let o = wvm(&["run", "--fuel", "1000", "--invoke", "count", &f, "100000"]);
    assert_eq!(o.status.code(), Some(134));
    assert!(stderr(&o).contains("all fuel consumed"), "{}", stderr(&o));
}

#[test]
fn run_with_timeout_interrupts_an_endless_loop() {
    let d = scratch("timeout");
    let f = write(&d, "loops.wat", LOOPS);
    let started = std::time::Instant::now();
    let o = wvm(&["run", "--timeout", "200ms", "--invoke", "spin", &f]);
    assert_eq!(o.status.code(), Some(134));
    assert!(stderr(&o).contains("interrupted"), "{}", stderr(&o));
    // Generous bound: the point is that it stops at all.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert_one_line_error(&wvm(&["run", "--timeout", "soon", "--invoke", "spin", &f]));
}
