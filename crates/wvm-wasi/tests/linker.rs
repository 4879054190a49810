//! The `wasi_snapshot_preview1` functions registered in a `wvm::Linker`, called from small
//! hand-written modules.
#![cfg(feature = "preview1")]

use wvm::{Engine, Linker, Module, Store};
use wvm_wasi::{add_to_linker, I32Exit, OutputBuffer, WasiCtx, WasiCtxBuilder};

/// Runs `_start` of `wat`; returns the exit code (0 if `_start` returned), stdout, and the
/// value of the exported global `result` if there is one.
fn run(wat: &str, ctx: WasiCtx) -> Result<(i32, Option<i32>), wvm::Error> {
    let engine = Engine::default();
    let module = Module::new(&engine, wat::parse_str(wat).unwrap())?;
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    add_to_linker(&mut linker, |c: &mut WasiCtx| c)?;
    let mut store = Store::new(&engine, ctx);
    let instance = linker.instantiate(&mut store, &module)?;
    let start = instance.get_typed_func::<(), i32>(&mut store, "_start")?;
    match start.call(&mut store, ()) {
        Ok(v) => Ok((0, Some(v))),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => Ok((*code, None)),
            None => Err(e),
        },
    }
}

#[test]
fn fd_write_to_captured_stdout_and_proc_exit() {
    let out = OutputBuffer::new();
    let ctx = WasiCtxBuilder::new().stdout_buffer(&out).build().unwrap();
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (memory (export "memory") 1)
        (data (i32.const 100) "hello, wasi\n")
        (func (export "_start") (result i32)
            (i32.store (i32.const 0) (i32.const 100))
            (i32.store (i32.const 4) (i32.const 12))
            (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
            ;; exit code = bytes written (12) + 30
            (call $exit (i32.add (i32.load (i32.const 8)) (i32.const 30)))
            (i32.const -1)))"#;
    let (code, ret) = run(wat, ctx).unwrap();
    assert_eq!((code, ret), (42, None));
    assert_eq!(out.contents(), b"hello, wasi\n");
}

#[test]
fn bad_pointers_give_efault_not_traps() {
    let ctx = WasiCtxBuilder::new().args(["prog", "arg"]).build().unwrap();
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "args_sizes_get" (func $s (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start") (result i32)
            ;; second pointer one byte short of the end of memory
            (call $s (i32.const 0) (i32.const 65533))))"#;
    assert_eq!(run(wat, ctx).unwrap(), (0, Some(21)));
}

#[test]
fn args_reach_the_guest() {
    let ctx = WasiCtxBuilder::new().args(["prog", "arg"]).build().unwrap();
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "args_sizes_get" (func $s (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "_start") (result i32)
            (drop (call $s (i32.const 0) (i32.const 4)))
            ;; argc * 100 + total bytes ("prog\0arg\0" = 9)
            (i32.add (i32.mul (i32.load (i32.const 0)) (i32.const 100)) (i32.load (i32.const 4)))))"#;
    assert_eq!(run(wat, ctx).unwrap(), (0, Some(209)));
}

#[test]
fn errno_values_reach_the_guest() {
    let ctx = WasiCtxBuilder::new().build().unwrap();
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "fd_close" (func $c (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "proc_raise" (func $r (param i32) (result i32)))
        (import "wasi_snapshot_preview1" "sched_yield" (func $y (result i32)))
        (memory (export "memory") 1)
        (func (export "_start") (result i32)
            ;; EBADF (8) * 10000 + ENOSYS (52) * 10 + success (0)
            (i32.add
              (i32.add (i32.mul (call $c (i32.const 99)) (i32.const 10000))
                       (i32.mul (call $r (i32.const 2)) (i32.const 10)))
              (call $y))))"#;
    assert_eq!(run(wat, ctx).unwrap(), (0, Some(80520)));
}

#[test]
fn every_preview1_function_is_defined() {
    let names = [
        "args_get",
        "args_sizes_get",
        "environ_get",
        "environ_sizes_get",
        "clock_res_get",
        "clock_time_get",
        "fd_advise",
        "fd_allocate",
        "fd_close",
        "fd_datasync",
        "fd_fdstat_get",
        "fd_fdstat_set_flags",
        "fd_fdstat_set_rights",
        "fd_filestat_get",
        "fd_filestat_set_size",
        "fd_filestat_set_times",
        "fd_pread",
        "fd_prestat_get",
        "fd_prestat_dir_name",
        "fd_pwrite",
        "fd_read",
        "fd_readdir",
        "fd_renumber",
        "fd_seek",
        "fd_sync",
        "fd_tell",
        "fd_write",
        "path_create_directory",
        "path_filestat_get",
        "path_filestat_set_times",
        "path_link",
        "path_open",
        "path_readlink",
        "path_remove_directory",
        "path_rename",
        "path_symlink",
        "path_unlink_file",
        "poll_oneoff",
        "proc_exit",
        "proc_raise",
        "sched_yield",
        "random_get",
        "sock_accept",
        "sock_recv",
        "sock_send",
        "sock_shutdown",
    ];
    assert_eq!(names.len(), 46);
    let engine = Engine::default();
    let mut linker: Linker<WasiCtx> = Linker::new(&engine);
    add_to_linker(&mut linker, |c: &mut WasiCtx| c).unwrap();
    let mut store = Store::new(&engine, WasiCtx::default());
    for n in names {
        assert!(
            linker.get(&mut store, wvm_wasi::MODULE, n).is_some(),
            "{n} missing"
        );
    }
    assert!(linker
        .get(&mut store, wvm_wasi::MODULE, "fd_nonsense")
        .is_none());
}
