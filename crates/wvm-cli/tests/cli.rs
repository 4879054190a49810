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
