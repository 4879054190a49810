//! The per-instance WASI state ([`WasiCtx`]), how it is built ([`WasiCtxBuilder`]), and the
//! calls that need nothing but it: arguments, environment, clocks, randomness, scheduling.

use std::io;
use std::path::Path;
use std::time::Instant;

use cap_std::fs::Dir;

use crate::clock;
use crate::errno::{Errno, WasiResult};
use crate::fd::{Entry, FdTable};
use crate::mem::GuestMemory;
use crate::stdio::{dup_host_stream, Input, Output, OutputBuffer};
use crate::types::Fd;

/// The state of WASI preview 1 for one guest instance.
///
/// `Default` gives an empty context (no arguments, no descriptors at all).
#[derive(Debug)]
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) fds: FdTable,
    pub(crate) start: Instant,
}

impl Default for WasiCtx {
    fn default() -> Self {
        WasiCtx {
            args: Vec::new(),
            env: Vec::new(),
            fds: FdTable::default(),
            start: Instant::now(),
        }
    }
}

enum StdinSpec {
    Empty,
    Inherit,
    Bytes(Vec<u8>),
}

enum OutputSpec {
    Sink,
    Inherit,
    Buffer(OutputBuffer),
}

/// Builds a [`WasiCtx`]. Nothing is inherited from the host unless asked for: no environment
/// variables, empty stdin, discarded stdout/stderr, no directories.
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    stdin: StdinSpec,
    stdout: OutputSpec,
    stderr: OutputSpec,
    preopens: Vec<(Dir, String, bool)>,
}

impl Default for WasiCtxBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl WasiCtxBuilder {
    /// A builder with nothing granted.
    pub fn new() -> Self {
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            stdin: StdinSpec::Empty,
            stdout: OutputSpec::Sink,
            stderr: OutputSpec::Sink,
            preopens: Vec::new(),
        }
    }

    /// Appends one argument (the first is the program name by convention).
    pub fn arg(&mut self, arg: impl AsRef<[u8]>) -> &mut Self {
        self.args.push(arg.as_ref().to_vec());
        self
    }

    /// Appends arguments.
    pub fn args<S: AsRef<[u8]>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        for a in args {
            self.arg(a);
        }
        self
    }

    /// Sets one environment variable.
    pub fn env(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        let mut kv = key.as_ref().to_vec();
        kv.push(b'=');
        kv.extend_from_slice(value.as_ref());
        self.env.push(kv);
        self
    }

    /// Copies every environment variable of the host process.
    pub fn inherit_env(&mut self) -> &mut Self {
        for (k, v) in std::env::vars_os() {
            self.env(k.as_encoded_bytes(), v.as_encoded_bytes());
        }
        self
    }

    /// The guest reads the host's stdin.
    pub fn inherit_stdin(&mut self) -> &mut Self {
        self.stdin = StdinSpec::Inherit;
        self
    }

    /// The guest writes to the host's stdout.
    pub fn inherit_stdout(&mut self) -> &mut Self {
        self.stdout = OutputSpec::Inherit;
        self
    }

    /// The guest writes to the host's stderr.
    pub fn inherit_stderr(&mut self) -> &mut Self {
        self.stderr = OutputSpec::Inherit;
        self
    }

    /// All three standard streams are the host's.
    pub fn inherit_stdio(&mut self) -> &mut Self {
        self.inherit_stdin().inherit_stdout().inherit_stderr()
    }

    /// The guest's stdin gives these bytes, then end of file.
    pub fn stdin_bytes(&mut self, data: impl Into<Vec<u8>>) -> &mut Self {
        self.stdin = StdinSpec::Bytes(data.into());
        self
    }

    /// The guest's stdout is captured into `buf`.
    pub fn stdout_buffer(&mut self, buf: &OutputBuffer) -> &mut Self {
        self.stdout = OutputSpec::Buffer(buf.clone());
        self
    }

    /// The guest's stderr is captured into `buf`.
    pub fn stderr_buffer(&mut self, buf: &OutputBuffer) -> &mut Self {
        self.stderr = OutputSpec::Buffer(buf.clone());
        self
    }

    /// Grants the guest the host directory `host_path`, seen by the guest under `guest_path`
    /// (any path, e.g. `/`, `.` or `/data`). With `read_only`, nothing in it can be created,
    /// written, renamed or removed. Preopens get descriptors 3, 4, ... in the order given.
    pub fn preopen_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: impl Into<String>,
        read_only: bool,
    ) -> io::Result<&mut Self> {
        let dir = Dir::open_ambient_dir(host_path, cap_std::ambient_authority())?;
        self.preopens.push((dir, guest_path.into(), read_only));
        Ok(self)
    }

    /// Makes the context. Fails only if a host standard stream cannot be duplicated.
    pub fn build(&mut self) -> io::Result<WasiCtx> {
        let mut ctx = WasiCtx {
            args: std::mem::take(&mut self.args),
            env: std::mem::take(&mut self.env),
            ..WasiCtx::default()
        };
        let stdin = match std::mem::replace(&mut self.stdin, StdinSpec::Empty) {
            StdinSpec::Empty => Input::empty(),
            StdinSpec::Inherit => Input::Inherit(dup_host_stream(io::stdin())?),
            StdinSpec::Bytes(data) => Input::Bytes { data, pos: 0 },
        };
        let output = |spec: OutputSpec, err: bool| -> io::Result<Output> {
            Ok(match spec {
                OutputSpec::Sink => Output::Sink,
                OutputSpec::Inherit if err => Output::Inherit(dup_host_stream(io::stderr())?),
                OutputSpec::Inherit => Output::Inherit(dup_host_stream(io::stdout())?),
                OutputSpec::Buffer(b) => Output::Buffer(b),
            })
        };
        let stdout = output(std::mem::replace(&mut self.stdout, OutputSpec::Sink), false)?;
        let stderr = output(std::mem::replace(&mut self.stderr, OutputSpec::Sink), true)?;
        let e = |r: WasiResult<Fd>| r.map_err(io::Error::other);
        e(ctx.fds.insert(Entry::stdin(stdin)))?;
        e(ctx.fds.insert(Entry::output(stdout)))?;
        e(ctx.fds.insert(Entry::output(stderr)))?;
        for (dir, guest, read_only) in self.preopens.drain(..) {
            e(ctx.fds.insert(Entry::dir(dir, read_only, Some(guest))))?;
        }
        Ok(ctx)
    }
}

/// Writes a list of strings the way `args_get`/`environ_get` return them: an array of
/// pointers at `ptrs`, NUL-terminated strings packed at `buf`.
fn write_string_list(
    mem: &mut GuestMemory<'_>,
    list: &[Vec<u8>],
    ptrs: u32,
    buf: u32,
) -> WasiResult<()> {
    let mut at = buf;
    for (i, s) in list.iter().enumerate() {
        let slot = u32::try_from(i)
            .ok()
            .and_then(|i| i.checked_mul(4))
            .and_then(|o| ptrs.checked_add(o))
            .ok_or(Errno::Fault)?;
        mem.write_u32(slot, at)?;
        mem.write_bytes(at, s)?;
        let end = u32::try_from(s.len())
            .ok()
            .and_then(|l| at.checked_add(l))
            .ok_or(Errno::Fault)?;
        mem.write_u8(end, 0)?;
        at = end.checked_add(1).ok_or(Errno::Fault)?;
    }
    Ok(())
}

fn list_sizes(list: &[Vec<u8>]) -> WasiResult<(u32, u32)> {
    let count = u32::try_from(list.len()).map_err(|_| Errno::Overflow)?;
    let bytes: usize = list.iter().map(|s| s.len() + 1).sum();
    Ok((count, u32::try_from(bytes).map_err(|_| Errno::Overflow)?))
}

impl WasiCtx {
    /// Moves the state out, leaving an empty context behind (no allocation, no clock read):
    /// lets a caller hold the context and the guest memory at the same time.
    pub fn take(&mut self) -> WasiCtx {
        let empty = WasiCtx {
            args: Vec::new(),
            env: Vec::new(),
            fds: FdTable::default(),
            start: self.start,
        };
        std::mem::replace(self, empty)
    }

    /// A builder.
    pub fn builder() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }

    /// `args_sizes_get`.
    pub fn args_sizes_get(
        &self,
        mem: &mut GuestMemory<'_>,
        argc_ptr: u32,
        size_ptr: u32,
    ) -> WasiResult<()> {
        let (n, size) = list_sizes(&self.args)?;
        mem.write_u32(argc_ptr, n)?;
        mem.write_u32(size_ptr, size)
    }

    /// `args_get`.
    pub fn args_get(&self, mem: &mut GuestMemory<'_>, argv: u32, buf: u32) -> WasiResult<()> {
        write_string_list(mem, &self.args, argv, buf)
    }

    /// `environ_sizes_get`.
    pub fn environ_sizes_get(
        &self,
        mem: &mut GuestMemory<'_>,
        count_ptr: u32,
        size_ptr: u32,
    ) -> WasiResult<()> {
        let (n, size) = list_sizes(&self.env)?;
        mem.write_u32(count_ptr, n)?;
        mem.write_u32(size_ptr, size)
    }

    /// `environ_get`.
    pub fn environ_get(&self, mem: &mut GuestMemory<'_>, env: u32, buf: u32) -> WasiResult<()> {
        write_string_list(mem, &self.env, env, buf)
    }

    /// `clock_res_get`.
    pub fn clock_res_get(&self, mem: &mut GuestMemory<'_>, id: u32, ptr: u32) -> WasiResult<()> {
        let res = clock::resolution(id)?;
        mem.write_u64(ptr, res)
    }

    /// `clock_time_get`.
    pub fn clock_time_get(
        &self,
        mem: &mut GuestMemory<'_>,
        id: u32,
        _precision: u64,
        ptr: u32,
    ) -> WasiResult<()> {
        let t = clock::now(id, self.start)?;
        mem.write_u64(ptr, t)
    }

    /// `random_get`.
    pub fn random_get(&self, mem: &mut GuestMemory<'_>, buf: u32, len: u32) -> WasiResult<()> {
        let out = mem.slice_mut(buf, len)?;
        getrandom::fill(out).map_err(|_| Errno::Io)
    }

    /// `sched_yield`.
    pub fn sched_yield(&self) -> WasiResult<()> {
        std::thread::yield_now();
        Ok(())
    }

    /// `proc_raise`: signals are not supported.
    pub fn proc_raise(&self, _sig: u32) -> WasiResult<()> {
        Err(Errno::Nosys)
    }

    /// `sock_accept`, `sock_recv`, `sock_send`, `sock_shutdown`: no sockets can be granted, so
    /// a valid descriptor is never a socket (ENOTSOCK); a bad one is EBADF. Matches what a host
    /// without socket support answers.
    pub fn sock_call(&self, fd: Fd) -> WasiResult<()> {
        self.fds.get(fd)?;
        Err(Errno::Notsup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn args_and_environ_layout() {
        let mut ctx = WasiCtxBuilder::new()
            .args(["prog", "a b", ""])
            .env("K", "V=1")
            .build()
            .unwrap();
        ctx.env.push(b"X=".to_vec());
        let mut buf = vec![0u8; 256];
        let mut m = GuestMemory::new(&mut buf);
        ctx.args_sizes_get(&mut m, 0, 4).unwrap();
        assert_eq!(m.read_u32(0), Ok(3));
        assert_eq!(m.read_u32(4), Ok(5 + 4 + 1));
        ctx.args_get(&mut m, 16, 64).unwrap();
        assert_eq!(m.read_u32(16), Ok(64));
        assert_eq!(m.read_u32(20), Ok(69));
        assert_eq!(m.read_u32(24), Ok(73));
        assert_eq!(m.slice(64, 10).unwrap(), b"prog\0a b\0\0");
        ctx.environ_sizes_get(&mut m, 0, 4).unwrap();
        assert_eq!(m.read_u32(0), Ok(2));
        assert_eq!(m.read_u32(4), Ok(6 + 3));
        ctx.environ_get(&mut m, 100, 128).unwrap();
        assert_eq!(m.read_u32(104), Ok(134));
        assert_eq!(m.slice(128, 9).unwrap(), b"K=V=1\0X=\0");
    }

    #[test]
    fn list_writes_are_bounds_checked() {
        let ctx = WasiCtxBuilder::new().args(["abcdef"]).build().unwrap();
        let mut buf = vec![0u8; 16];
        let mut m = GuestMemory::new(&mut buf);
        assert_eq!(ctx.args_get(&mut m, 0, 10), Err(Errno::Fault));
        assert_eq!(ctx.args_get(&mut m, 14, 4), Err(Errno::Fault));
        assert_eq!(ctx.args_get(&mut m, 0, 4), Ok(()));
        assert_eq!(ctx.args_sizes_get(&mut m, 0, 13), Err(Errno::Fault));
    }

    #[test]
    fn environment_is_not_inherited_by_default() {
        let ctx = WasiCtxBuilder::new().build().unwrap();
        assert!(ctx.env.is_empty());
        // Three standard descriptors exist even with nothing granted.
        assert_eq!(ctx.fds.open_fds().collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn random_fills_and_checks_bounds() {
        let ctx = WasiCtx::default();
        let mut buf = vec![0u8; 64];
        let mut m = GuestMemory::new(&mut buf);
        assert_eq!(ctx.random_get(&mut m, 60, 8), Err(Errno::Fault));
        ctx.random_get(&mut m, 0, 64).unwrap();
        // 64 random bytes all zero has probability 2^-512.
        assert!(buf.iter().any(|&b| b != 0));
    }

    #[test]
    fn unsupported_calls_give_errnos() {
        let ctx = WasiCtxBuilder::new().build().unwrap();
        assert_eq!(ctx.proc_raise(9), Err(Errno::Nosys));
        assert_eq!(ctx.sock_call(0), Err(Errno::Notsup));
        assert_eq!(ctx.sock_call(42), Err(Errno::Badf));
        assert_eq!(ctx.sched_yield(), Ok(()));
    }
}
