//! Helpers shared by the integration tests that run the `wvm` binary.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs `wvm` with `args`, feeding `stdin` through a pipe.
pub fn wvm_with_stdin(args: &[String], stdin: &[u8], envs: &[(&str, &str)]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wvm"))
        .args(args)
        .envs(envs.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the wvm binary runs");
    let mut pipe = child.stdin.take().expect("stdin pipe");
    let data = stdin.to_vec();
    // Write from another thread so a guest that prints before reading cannot deadlock us.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().expect("wvm finishes");
    writer.join().expect("stdin writer");
    out
}

pub fn wvm(args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    wvm_with_stdin(&args, b"", &[])
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// One line per entry under `top`, sorted: `dir/`, `file SIZE`, `link -> TARGET`.
pub fn listing(top: &Path) -> String {
    fn walk(top: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let full = e.unwrap().path();
            let rel = full.strip_prefix(top).unwrap().display().to_string();
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

/// Copies the directory tree `from` to `to` (which must not exist).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
