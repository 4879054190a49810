//! Registers every `wasi_snapshot_preview1` function in a `wvm::Linker`.
//!
//! Each function looks up the caller's exported `memory`, borrows its bytes as a
//! [`GuestMemory`], calls the matching [`WasiCtx`] method and returns the errno as `i32`.
//! To hold the context and the memory at once, the context is moved out of the store's data
//! for the duration of the call and put back afterwards (moving a `WasiCtx` copies a few
//! pointers; nothing is cloned).

use wvm::{Caller, Error, Linker};

use crate::errno::{Errno, WasiResult};
use crate::mem::GuestMemory;
use crate::{I32Exit, WasiCtx};

/// The import module name of WASI preview 1.
pub const MODULE: &str = "wasi_snapshot_preview1";

fn errno_code(r: WasiResult<()>) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => i32::from(e.raw()),
    }
}

/// A `u16` flags argument; bits above 16 are EINVAL.
fn u16_arg(v: i32) -> WasiResult<u16> {
    u16::try_from(v as u32).map_err(|_| Errno::Inval)
}

/// A `u8` enum argument; bits above 8 are EINVAL.
fn u8_arg(v: i32) -> WasiResult<u8> {
    u8::try_from(v as u32).map_err(|_| Errno::Inval)
}

fn with_memory<T>(
    caller: &mut Caller<'_, T>,
    get_ctx: impl Fn(&mut T) -> &mut WasiCtx,
    f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>) -> WasiResult<()>,
) -> Result<i32, Error> {
    let memory = caller
        .get_export("memory")
        .and_then(|e| e.into_memory())
        .ok_or_else(|| {
            Error::msg("WASI call from a module that exports no memory named `memory`")
        })?;
    let mut ctx = get_ctx(caller.data_mut()).take();
    let result = {
        let mut mem = GuestMemory::new(memory.data_mut(&mut *caller));
        f(&mut ctx, &mut mem)
    };
    *get_ctx(caller.data_mut()) = ctx;
    Ok(errno_code(result))
}

fn without_memory<T>(
    caller: &mut Caller<'_, T>,
    get_ctx: impl Fn(&mut T) -> &mut WasiCtx,
    f: impl FnOnce(&mut WasiCtx) -> WasiResult<()>,
) -> Result<i32, Error> {
    Ok(errno_code(f(get_ctx(caller.data_mut()))))
}

/// Defines one WASI function: `name, |ctx, mem, args...| body` (body gives `WasiResult<()>`).
macro_rules! wasi {
    ($linker:ident, $get:ident, $name:literal, mem |$ctx:ident, $mem:ident $(, $arg:ident : $ty:ty)*| $body:expr) => {
        $linker.func_wrap(
            MODULE,
            $name,
            move |mut caller: Caller<'_, T>, $($arg: $ty),*| -> Result<i32, Error> {
                with_memory(&mut caller, $get, |$ctx, $mem| $body)
            },
        )?;
    };
    ($linker:ident, $get:ident, $name:literal, |$ctx:ident $(, $arg:ident : $ty:ty)*| $body:expr) => {
        $linker.func_wrap(
            MODULE,
            $name,
            move |mut caller: Caller<'_, T>, $($arg: $ty),*| -> Result<i32, Error> {
                without_memory(&mut caller, $get, |$ctx| $body)
            },
        )?;
    };
}

/// Registers every `wasi_snapshot_preview1` function in `linker`. `get_ctx` finds the
/// [`WasiCtx`] in the store's data. `proc_exit(code)` ends the call with an error carrying
/// [`I32Exit`]`(code)`.
///
/// ```
/// use wvm::{Engine, Linker, Module, Store};
/// use wvm_wasi::{add_to_linker, I32Exit, OutputBuffer, WasiCtx, WasiCtxBuilder};
///
/// let dir = std::env::temp_dir();
/// let out = OutputBuffer::new();
/// let ctx = WasiCtxBuilder::new()
///     .args(["prog.wasm", "--flag"])
///     .env("LANG", "C")
///     .stdout_buffer(&out) // or .inherit_stdio()
///     .preopen_dir(&dir, "/", true)? // host dir, guest path, read-only
///     .build()?;
///
/// let engine = Engine::default();
/// let wasm = wat::parse_str(r#"(module
///     (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
///     (memory (export "memory") 1)
///     (func (export "_start") (call $exit (i32.const 3))))"#)?;
/// let module = Module::new(&engine, &wasm)?;
/// let mut linker: Linker<WasiCtx> = Linker::new(&engine);
/// add_to_linker(&mut linker, |ctx: &mut WasiCtx| ctx)?;
/// let mut store = Store::new(&engine, ctx);
/// let instance = linker.instantiate(&mut store, &module)?;
/// let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
/// let code = match start.call(&mut store, ()) {
///     Ok(()) => 0,
///     Err(e) => match e.downcast_ref::<I32Exit>() {
///         Some(I32Exit(code)) => *code,
///         None => return Err(e.into()), // a trap
///     },
/// };
/// assert_eq!(code, 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    get_ctx: impl Fn(&mut T) -> &mut WasiCtx + Send + Sync + Copy + 'static,
) -> Result<(), Error> {
    let g = get_ctx;
    wasi!(linker, g, "args_get", mem |c, m, argv: i32, buf: i32| c.args_get(m, argv as u32, buf as u32));
    wasi!(linker, g, "args_sizes_get", mem |c, m, argc: i32, size: i32| {
        c.args_sizes_get(m, argc as u32, size as u32)
    });
    wasi!(linker, g, "environ_get", mem |c, m, env: i32, buf: i32| c.environ_get(m, env as u32, buf as u32));
    wasi!(linker, g, "environ_sizes_get", mem |c, m, n: i32, size: i32| {
        c.environ_sizes_get(m, n as u32, size as u32)
    });
    wasi!(linker, g, "clock_res_get", mem |c, m, id: i32, out: i32| c.clock_res_get(m, id as u32, out as u32));
    wasi!(linker, g, "clock_time_get", mem |c, m, id: i32, precision: i64, out: i32| {
        c.clock_time_get(m, id as u32, precision as u64, out as u32)
    });
    wasi!(
        linker,
        g,
        "fd_advise",
        |c, fd: i32, offset: i64, len: i64, advice: i32| {
            c.fd_advise(fd as u32, offset as u64, len as u64, u8_arg(advice)?)
        }
    );
    wasi!(
        linker,
        g,
        "fd_allocate",
        |c, fd: i32, offset: i64, len: i64| { c.fd_allocate(fd as u32, offset as u64, len as u64) }
    );
    wasi!(linker, g, "fd_close", |c, fd: i32| c.fd_close(fd as u32));
    wasi!(linker, g, "fd_datasync", |c, fd: i32| c
        .fd_datasync(fd as u32));
    wasi!(linker, g, "fd_fdstat_get", mem |c, m, fd: i32, out: i32| c.fd_fdstat_get(m, fd as u32, out as u32));
    wasi!(
        linker,
        g,
        "fd_fdstat_set_flags",
        |c, fd: i32, flags: i32| { c.fd_fdstat_set_flags(fd as u32, u16_arg(flags)?) }
    );
    wasi!(
        linker,
        g,
        "fd_fdstat_set_rights",
        |c, fd: i32, base: i64, inheriting: i64| {
            c.fd_fdstat_set_rights(fd as u32, base as u64, inheriting as u64)
        }
    );
    wasi!(linker, g, "fd_filestat_get", mem |c, m, fd: i32, out: i32| c.fd_filestat_get(m, fd as u32, out as u32));
    wasi!(
        linker,
        g,
        "fd_filestat_set_size",
        |c, fd: i32, size: i64| { c.fd_filestat_set_size(fd as u32, size as u64) }
    );
    wasi!(
        linker,
        g,
        "fd_filestat_set_times",
        |c, fd: i32, atim: i64, mtim: i64, flags: i32| {
            c.fd_filestat_set_times(fd as u32, atim as u64, mtim as u64, u16_arg(flags)?)
        }
    );
    wasi!(linker, g, "fd_pread", mem |c, m, fd: i32, iovs: i32, n: i32, offset: i64, out: i32| {
        c.fd_pread(m, fd as u32, iovs as u32, n as u32, offset as u64, out as u32)
    });
    wasi!(linker, g, "fd_prestat_get", mem |c, m, fd: i32, out: i32| c.fd_prestat_get(m, fd as u32, out as u32));
    wasi!(linker, g, "fd_prestat_dir_name", mem |c, m, fd: i32, path: i32, len: i32| {
        c.fd_prestat_dir_name(m, fd as u32, path as u32, len as u32)
    });
    wasi!(linker, g, "fd_pwrite", mem |c, m, fd: i32, iovs: i32, n: i32, offset: i64, out: i32| {
        c.fd_pwrite(m, fd as u32, iovs as u32, n as u32, offset as u64, out as u32)
    });
    wasi!(linker, g, "fd_read", mem |c, m, fd: i32, iovs: i32, n: i32, out: i32| {
        c.fd_read(m, fd as u32, iovs as u32, n as u32, out as u32)
    });
    wasi!(linker, g, "fd_readdir", mem |c, m, fd: i32, buf: i32, len: i32, cookie: i64, out: i32| {
        c.fd_readdir(m, fd as u32, buf as u32, len as u32, cookie as u64, out as u32)
    });
    wasi!(linker, g, "fd_renumber", |c, from: i32, to: i32| c
        .fd_renumber(from as u32, to as u32));
    wasi!(linker, g, "fd_seek", mem |c, m, fd: i32, offset: i64, whence: i32, out: i32| {
        c.fd_seek(m, fd as u32, offset, u8_arg(whence)?, out as u32)
    });
    wasi!(linker, g, "fd_sync", |c, fd: i32| c.fd_sync(fd as u32));
    wasi!(linker, g, "fd_tell", mem |c, m, fd: i32, out: i32| c.fd_tell(m, fd as u32, out as u32));
    wasi!(linker, g, "fd_write", mem |c, m, fd: i32, iovs: i32, n: i32, out: i32| {
        c.fd_write(m, fd as u32, iovs as u32, n as u32, out as u32)
    });
    wasi!(linker, g, "path_create_directory", mem |c, m, fd: i32, path: i32, len: i32| {
        c.path_create_directory(m, fd as u32, path as u32, len as u32)
    });
    wasi!(linker, g, "path_filestat_get", mem |c, m, fd: i32, flags: i32, path: i32, len: i32, out: i32| {
        c.path_filestat_get(m, fd as u32, flags as u32, path as u32, len as u32, out as u32)
    });
    wasi!(linker, g, "path_filestat_set_times", mem |c, m, fd: i32, flags: i32, path: i32, len: i32, atim: i64, mtim: i64, fst: i32| {
        c.path_filestat_set_times(
            m,
            fd as u32,
            flags as u32,
            path as u32,
            len as u32,
            atim as u64,
            mtim as u64,
            u16_arg(fst)?,
        )
    });
    wasi!(linker, g, "path_link", mem |c, m, old_fd: i32, old_flags: i32, old_path: i32, old_len: i32, new_fd: i32, new_path: i32, new_len: i32| {
        c.path_link(
            m,
            old_fd as u32,
            old_flags as u32,
            old_path as u32,
            old_len as u32,
            new_fd as u32,
            new_path as u32,
            new_len as u32,
        )
    });
    wasi!(linker, g, "path_open", mem |c, m, fd: i32, dirflags: i32, path: i32, len: i32, oflags: i32, base: i64, inheriting: i64, fdflags: i32, out: i32| {
        c.path_open(
            m,
            fd as u32,
            dirflags as u32,
            path as u32,
            len as u32,
            u16_arg(oflags)?,
            base as u64,
            inheriting as u64,
            u16_arg(fdflags)?,
            out as u32,
        )
    });
    wasi!(linker, g, "path_readlink", mem |c, m, fd: i32, path: i32, len: i32, buf: i32, buf_len: i32, out: i32| {
        c.path_readlink(m, fd as u32, path as u32, len as u32, buf as u32, buf_len as u32, out as u32)
    });
    wasi!(linker, g, "path_remove_directory", mem |c, m, fd: i32, path: i32, len: i32| {
        c.path_remove_directory(m, fd as u32, path as u32, len as u32)
    });
    wasi!(linker, g, "path_rename", mem |c, m, fd: i32, old_path: i32, old_len: i32, new_fd: i32, new_path: i32, new_len: i32| {
        c.path_rename(
            m,
            fd as u32,
            old_path as u32,
            old_len as u32,
            new_fd as u32,
            new_path as u32,
            new_len as u32,
        )
    });
    wasi!(linker, g, "path_symlink", mem |c, m, old_path: i32, old_len: i32, fd: i32, new_path: i32, new_len: i32| {
        c.path_symlink(m, old_path as u32, old_len as u32, fd as u32, new_path as u32, new_len as u32)
    });
    wasi!(linker, g, "path_unlink_file", mem |c, m, fd: i32, path: i32, len: i32| {
        c.path_unlink_file(m, fd as u32, path as u32, len as u32)
    });
    wasi!(linker, g, "poll_oneoff", mem |c, m, subs: i32, events: i32, n: i32, out: i32| {
        c.poll_oneoff(m, subs as u32, events as u32, n as u32, out as u32)
    });
    linker.func_wrap(
        MODULE,
        "proc_exit",
        |_caller: Caller<'_, T>, code: i32| -> Result<(), Error> {
            Err(Error::host(I32Exit(code)))
        },
    )?;
    wasi!(linker, g, "proc_raise", |c, sig: i32| c
        .proc_raise(sig as u32));
    wasi!(linker, g, "sched_yield", |c| c.sched_yield());
    wasi!(linker, g, "random_get", mem |c, m, buf: i32, len: i32| c.random_get(m, buf as u32, len as u32));
    wasi!(
        linker,
        g,
        "sock_accept",
        |c, fd: i32, _flags: i32, _out: i32| c.sock_call(fd as u32)
    );
    wasi!(
        linker,
        g,
        "sock_recv",
        |c, fd: i32, _data: i32, _len: i32, _flags: i32, _n: i32, _oflags: i32| {
            c.sock_call(fd as u32)
        }
    );
    wasi!(
        linker,
        g,
        "sock_send",
        |c, fd: i32, _data: i32, _len: i32, _flags: i32, _n: i32| c.sock_call(fd as u32)
    );
    wasi!(linker, g, "sock_shutdown", |c, fd: i32, _how: i32| c
        .sock_call(fd as u32));
    Ok(())
}
