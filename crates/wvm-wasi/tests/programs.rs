//! Runs every C test program of `tests-wasi/` (built to `tests-wasi/wasm/*.wasm`) through the
//! wvm engine with WASI, in a fresh temporary sandbox, and compares stdout, stderr, the exit
//! code and the files left in the sandbox with `tests-wasi/expected/`.
//!
//! Sandbox per run: `sandbox/` (preopened as `/`, writable, holding `data/hello.txt`), `ro/`
//! (preopened as `/ro`, read-only, holding `ro.txt`) and `outside/secret.txt`, which no
//! program may reach. After each run `ro/` and `outside/` must be unchanged.
//! Inputs: `expected/NAME.args` (one argument per line; argv[0] is `NAME.wasm`),
//! `NAME.env` (`KEY=VALUE` lines), `NAME.stdin` (bytes).
//!
//! Needs the engine's embedding API, so it is built only with the `preview1` feature.
#![cfg(feature = "preview1")]

use std::path::{Path, PathBuf};

use wvm::{Engine, Linker, Module, Store};
use wvm_wasi::{add_to_linker, I32Exit, OutputBuffer, WasiCtx, WasiCtxBuilder};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests-wasi")
}

fn read_opt(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

fn fixture(root: &Path) {
    std::fs::create_dir_all(root.join("sandbox/data")).unwrap();
    std::fs::create_dir_all(root.join("ro")).unwrap();
    std::fs::create_dir_all(root.join("outside")).unwrap();
    std::fs::write(root.join("sandbox/data/hello.txt"), "hello from the host\n").unwrap();
    std::fs::write(root.join("ro/ro.txt"), "read-only data\n").unwrap();
    std::fs::write(root.join("outside/secret.txt"), "secret\n").unwrap();
}

/// One line per entry under `top`, sorted: `dir/`, `file SIZE`, `link -> TARGET`.
fn listing(top: &Path) -> String {
    fn walk(top: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let full = e.path();
            let rel = full
                .strip_prefix(top)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let meta = std::fs::symlink_metadata(&full).unwrap();
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&full).unwrap();
                out.push(format!("{rel} -> {}", target.display()));
            } else if meta.is_dir() {
                out.push(format!("{rel}/"));
                walk(top, &full, out);
            } else {
                out.push(format!("{rel} {}", meta.len()));
            }
        }
    }
    let mut lines = Vec::new();
    walk(top, top, &mut lines);
    lines.sort();
    lines.iter().map(|l| format!("{l}\n")).collect()
}

struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    exit: i32,
    files: String,
}

fn run(name: &str) -> Outcome {
    let dir = tests_dir();
    let exp = dir.join("expected");
    let text = |ext: &str| {
        read_opt(&exp.join(format!("{name}.{ext}")))
            .map(|b| String::from_utf8(b).unwrap())
            .unwrap_or_default()
    };
    let tmp = tempfile::tempdir().unwrap();
    fixture(tmp.path());
    let stdout = OutputBuffer::new();
    let stderr = OutputBuffer::new();
    let mut b = WasiCtxBuilder::new();
    b.arg(format!("{name}.wasm"));
    for a in text("args").lines() {
        b.arg(a);
    }
    for kv in text("env").lines() {
        let (k, v) = kv.split_once('=').unwrap();
        b.env(k, v);
    }
    b.stdin_bytes(read_opt(&exp.join(format!("{name}.stdin"))).unwrap_or_default())
        .stdout_buffer(&stdout)
        .stderr_buffer(&stderr);
    b.preopen_dir(tmp.path().join("sandbox"), "/", false)
        .unwrap();
    b.preopen_dir(tmp.path().join("ro"), "/ro", true).unwrap();
    let ctx = b.build().unwrap();

    let wasm = std::fs::read(dir.join("wasm").join(format!("{name}.wasm"))).unwrap();
    let engine = Engine::default();
    let module = Module::new(&engine, &wasm).unwrap();
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    add_to_linker(&mut linker, |c: &mut WasiCtx| c).unwrap();
    let mut store = Store::new(&engine, ctx);
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let start = instance
        .get_typed_func::<(), ()>(&mut store, "_start")
        .unwrap();
    let exit = match start.call(&mut store, ()) {
        Ok(()) => 0,
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => *code,
            None => panic!("{name}: trapped: {e}"),
        },
    };
    assert_eq!(
        listing(&tmp.path().join("ro")),
        "ro.txt 15\n",
        "{name}: /ro changed"
    );
    assert_eq!(
        listing(&tmp.path().join("outside")),
        "secret.txt 7\n",
        "{name}: outside/ changed"
    );
    Outcome {
        stdout: stdout.contents(),
        stderr: stderr.contents(),
        exit,
        files: listing(&tmp.path().join("sandbox")),
    }
}

/// Compares outputs; on a difference shows where, without dumping megabytes.
fn same_bytes(name: &str, what: &str, got: &[u8], want: &[u8]) {
    if got == want {
        return;
    }
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let around = |b: &[u8]| {
        let lo = at.saturating_sub(40);
        let hi = (at + 40).min(b.len());
        String::from_utf8_lossy(b.get(lo..hi).unwrap_or(&[])).into_owned()
    };
    panic!(
        "{name}: {what} differs at byte {at} (got {} bytes, want {})\n got: {:?}\nwant: {:?}",
        got.len(),
        want.len(),
        around(got),
        around(want)
    );
}

fn check(name: &str) {
    let exp = tests_dir().join("expected");
    let want = |ext: &str| read_opt(&exp.join(format!("{name}.{ext}"))).unwrap_or_default();
    let got = run(name);
    // WVM_WASI_BLESS=1 writes what wvm produced as the expectation (review the diff!).
    if std::env::var_os("WVM_WASI_BLESS").is_some() {
        let write = |ext: &str, data: &[u8]| {
            std::fs::write(exp.join(format!("{name}.{ext}")), data).unwrap();
        };
        write("stdout", &got.stdout);
        write("stderr", &got.stderr);
        write("exit", format!("{}\n", got.exit).as_bytes());
        write("files", got.files.as_bytes());
        return;
    }
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    same_bytes(name, "stdout", &got.stdout, &want("stdout"));
    same_bytes(name, "stderr", &got.stderr, &want("stderr"));
    let exit: i32 = show(&want("exit")).trim().parse().unwrap_or(0);
    assert_eq!(got.exit, exit, "{name}: exit code");
    assert_eq!(got.files, show(&want("files")), "{name}: files left");
}

macro_rules! programs {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { check(stringify!($name)); })*

        #[test]
        fn every_program_is_tested() {
            let mut listed = vec![$(stringify!($name)),*];
            listed.sort();
            let mut built: Vec<String> = std::fs::read_dir(tests_dir().join("wasm"))
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
