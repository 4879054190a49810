//! Real-world programs through `wvm run`: the SQLite shell and the Lua interpreter, built
//! unmodified from registry packages (`tests-wasi/real/build.sh`), each case run in a fresh
//! copy of `tests-wasi/real/inputs/` preopened as `/`, compared with what the same .wasm
//! printed under wasmtime (`tests-wasi/real/expected/`, written by `reference.py`): stdout,
//! stderr, exit code and the files left in the sandbox.
//!
//! After a trap both engines exit 134, but each describes the trap in its own words, so
//! there the guest's own stderr must come first and wvm's `error: ... wasm trap` after it.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_tree, listing, text, wvm_with_stdin};

fn real() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests-wasi/real")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn check_case(name: &str) {
    let dir = real();
    let cmd = text(&read(&dir.join("cases").join(format!("{name}.cmd"))));
    let mut lines = cmd.lines();
    let program = lines.next().expect("the case names a program");
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = tmp.path().join("sandbox");
    copy_tree(&dir.join("inputs"), &sandbox);
    let mut args = vec![
        "run".to_string(),
        "--dir".to_string(),
        format!("{}::/", sandbox.display()),
        dir.join(program).display().to_string(),
    ];
    args.extend(lines.map(str::to_string));
    let stdin = read(&dir.join("cases").join(format!("{name}.stdin")));
    let out = wvm_with_stdin(&args, &stdin, &[]);

    let want = |ext: &str| text(&read(&dir.join("expected").join(format!("{name}.{ext}"))));
    let stderr = text(&out.stderr);
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    assert_eq!(
        text(&out.stdout),
        want("stdout"),
        "{name}: stdout differs from wasmtime's (stderr: {stderr})"
    );
    let want_exit: i32 = want("exit").trim().parse().expect("expected exit code");
    assert_eq!(
        out.status.code(),
        Some(want_exit),
        "{name}: exit code ({stderr})"
    );
    let want_stderr = want("stderr");
    if want_exit == 134 {
        let ours = stderr.strip_prefix(&want_stderr).unwrap_or_else(|| {
            panic!("{name}: guest stderr differs:\n{stderr}\nwant:\n{want_stderr}")
        });
        let first = ours.lines().next().unwrap_or("");
        assert!(
            first.starts_with("error: ") && first.contains("wasm trap"),
            "{name}: {ours}"
        );
    } else {
        assert_eq!(
            stderr, want_stderr,
            "{name}: stderr differs from wasmtime's"
        );
    }
    assert_eq!(listing(&sandbox), want("files"), "{name}: files left");
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        mod cases {
            $(#[test] fn $name() { super::check_case(stringify!($name)); })*
        }

        #[test]
        fn every_case_is_tested() {
            let mut listed = vec![$(stringify!($name)),*];
            listed.sort();
            let mut found: Vec<String> = std::fs::read_dir(real().join("cases"))
                .unwrap()
                .filter_map(|e| {
                    let name = e.unwrap().file_name().into_string().unwrap();
                    name.strip_suffix(".cmd").map(str::to_owned)
                })
                .collect();
            found.sort();
            assert_eq!(found, listed);
        }
    };
}

cases!(
    lua_error,
    lua_numeric,
    lua_script,
    sqlite_floats,
    sqlite_script,
    sqlite_stdin
);

/// The programs are what build.sh says: WASI commands of a sensible size.
#[test]
fn the_programs_are_committed_and_small() {
    for program in ["sqlite3.wasm", "lua.wasm"] {
        let bytes = read(&real().join(program));
        assert!(bytes.starts_with(b"\0asm"), "{program} is a wasm binary");
        assert!(bytes.len() < 3 << 20, "{program}: {} bytes", bytes.len());
    }
}
