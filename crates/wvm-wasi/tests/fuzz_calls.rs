//! Every WASI call with random arguments (pointers, lengths, descriptors, flags) against a
//! small memory and a sandbox: nothing may panic, and nothing may appear outside the sandbox.

use wvm_wasi::{GuestMemory, WasiCtx, WasiCtxBuilder};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// A pointer or length: mostly small, sometimes at the edge, sometimes huge.
    fn addr(&mut self, mem: u32) -> u32 {
        match self.below(6) {
            0 => mem.wrapping_sub(self.below(16) as u32),
            1 => self.next() as u32,
            _ => self.below(u64::from(mem)) as u32,
        }
    }
    fn small(&mut self) -> u32 {
        match self.below(5) {
            0 => self.next() as u32,
            _ => self.below(64) as u32,
        }
    }
    fn fd(&mut self) -> u32 {
        match self.below(16) {
            0 => self.next() as u32,
            1..=3 => self.below(12) as u32,
            // Mostly the preopens (3, 4) and what was opened first after them.
            _ => 3 + self.below(3) as u32,
        }
    }
}

const NAMES: [&[u8]; 8] = [
    b"a",
    b"b/c",
    b"..",
    b"../x",
    b"/etc",
    b"d",
    b"a/../a",
    b"\xff\xfe",
];

fn call(ctx: &mut WasiCtx, m: &mut GuestMemory<'_>, r: &mut Rng, which: u64) -> bool {
    let n = m.len() as u32;
    let (mut a, mut b, mut c, d) = (r.addr(n), r.addr(n), r.small(), r.addr(n));
    let mut b_len = r.small();
    // Mostly, path arguments point at a plausible path.
    for (ptr, len) in [(&mut a, &mut c), (&mut b, &mut b_len)] {
        if r.below(4) != 0 {
            let name = NAMES[r.below(NAMES.len() as u64) as usize];
            let at = r.below(u64::from(n) - 16) as u32;
            if m.write_bytes(at, name).is_ok() {
                *ptr = at;
                *len = name.len() as u32;
            }
        }
    }
    // Mostly, `a` also holds a valid array of one or two iovecs for the I/O calls.
    if matches!(which, 16 | 19 | 20 | 26) && r.below(4) != 0 && a < n - 16 {
        let count = 1 + r.below(2) as u32;
        for i in 0..count {
            let len = r.below(64) as u32;
            let buf = r.below(u64::from(n - len)) as u32;
            let _ = m.write_u32(a + 8 * i, buf);
            let _ = m.write_u32(a + 8 * i + 4, len);
        }
        c = count;
    }
    let result = match which {
        0 => ctx.args_get(m, a, b),
        1 => ctx.args_sizes_get(m, a, b),
        2 => ctx.environ_get(m, a, b),
        3 => ctx.environ_sizes_get(m, a, b),
        4 => ctx.clock_res_get(m, r.below(6) as u32, a),
        5 => ctx.clock_time_get(m, r.below(6) as u32, r.next(), a),
        6 => ctx.fd_advise(r.fd(), r.next(), r.next(), r.below(8) as u8),
        7 => ctx.fd_allocate(r.fd(), r.below(1 << 20), r.below(1 << 20)),
        8 => ctx.fd_close(r.fd()),
        9 => ctx.fd_datasync(r.fd()),
        10 => ctx.fd_fdstat_get(m, r.fd(), a),
        11 => ctx.fd_fdstat_set_flags(r.fd(), r.below(40) as u16),
        12 => ctx.fd_fdstat_set_rights(r.fd(), if r.below(2) == 0 { 0 } else { r.next() }, 0),
        13 => ctx.fd_filestat_get(m, r.fd(), a),
        14 => ctx.fd_filestat_set_size(r.fd(), r.below(1 << 16)),
        15 => ctx.fd_filestat_set_times(r.fd(), r.next() >> 8, r.next() >> 8, r.below(20) as u16),
        16 => ctx.fd_pread(m, r.fd(), a, c, r.next(), d),
        17 => ctx.fd_prestat_get(m, r.fd(), a),
        18 => ctx.fd_prestat_dir_name(m, r.fd(), a, c),
        19 => ctx.fd_pwrite(m, r.fd(), a, c, r.below(1 << 16), d),
        20 => ctx.fd_read(m, r.fd(), a, c, d),
        21 => ctx.fd_readdir(m, r.fd(), a, r.addr(n), r.below(8), d),
        22 => ctx.fd_renumber(r.fd(), r.fd()),
        23 => ctx.fd_seek(
            m,
            r.fd(),
            r.next() as i64 >> r.below(64),
            r.below(4) as u8,
            a,
        ),
        24 => ctx.fd_sync(r.fd()),
        25 => ctx.fd_tell(m, r.fd(), a),
        26 => ctx.fd_write(m, r.fd(), a, c, d),
        27 => ctx.path_create_directory(m, r.fd(), a, c),
        28 => ctx.path_filestat_get(m, r.fd(), r.below(3) as u32, a, c, b),
        29 => ctx.path_filestat_set_times(
            m,
            r.fd(),
            r.below(3) as u32,
            a,
            c,
            r.next() >> 8,
            r.next() >> 8,
            r.below(20) as u16,
        ),
        30 => ctx.path_link(m, r.fd(), r.below(2) as u32, a, c, r.fd(), b, b_len),
        31 => ctx.path_open(
            m,
            r.fd(),
            r.below(3) as u32,
            a,
            c,
            r.below(18) as u16,
            if r.below(2) == 0 { u64::MAX } else { r.next() },
            r.next(),
            r.below(36) as u16,
            d,
        ),
        32 => ctx.path_readlink(m, r.fd(), a, c, b, r.small(), d),
        33 => ctx.path_remove_directory(m, r.fd(), a, c),
        34 => ctx.path_rename(m, r.fd(), a, c, r.fd(), b, b_len),
        35 => ctx.path_symlink(m, a, c, r.fd(), b, b_len),
        36 => ctx.path_unlink_file(m, r.fd(), a, c),
        37 => ctx.random_get(m, a, c),
        38 => ctx.sched_yield(),
        39 => ctx.proc_raise(c),
        _ => ctx.sock_call(r.fd()),
    };
    result.is_ok()
}

#[test]
fn random_calls_never_panic_or_escape() {
    let tmp = tempfile::tempdir().unwrap();
    let sandbox = tmp.path().join("sandbox");
    std::fs::create_dir(&sandbox).unwrap();
    std::fs::write(sandbox.join("a"), b"0123456789").unwrap();
    std::fs::create_dir(sandbox.join("b")).unwrap();
    let fresh = || {
        WasiCtxBuilder::new()
            .args(["prog", "x"])
            .env("K", "V")
            .stdin_bytes(b"input".to_vec())
            .preopen_dir(&sandbox, "/", false)
            .unwrap()
            .preopen_dir(&sandbox, "/ro", true)
            .unwrap()
            .build()
            .unwrap()
    };
    let mut ctx = fresh();
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let mut mem = vec![0u8; 4096];
    let mut ok = [0u32; 41];
    for round in 0..30_000u32 {
        if round % 512 == 0 {
            for byte in mem.iter_mut() {
                *byte = r.next() as u8;
            }
        }
        // Random closes and renumbers empty the table: start over now and then.
        if round % 64 == 0 {
            ctx = fresh();
            // Descriptors 5 (the file "a") and 6 (the directory "b") to work on.
            let mut m = GuestMemory::new(&mut mem);
            m.write_bytes(0, b"ab").unwrap();
            // (The calls may have removed or replaced them: best effort.)
            let _ = std::fs::write(sandbox.join("a"), b"0123456789");
            let _ = std::fs::create_dir(sandbox.join("b"));
            let _ = ctx.path_open(&mut m, 3, 0, 0, 1, 0, u64::MAX, u64::MAX, 0, 8);
            let _ = ctx.path_open(&mut m, 3, 0, 1, 1, 2, u64::MAX, u64::MAX, 0, 8);
        }
        let which = r.below(41);
        let mut m = GuestMemory::new(&mut mem);
        if call(&mut ctx, &mut m, &mut r, which) {
            ok[which as usize] += 1;
        }
    }
    // The run reached the success paths of most calls, not only their error checks.
    let succeeded = ok.iter().filter(|&&n| n > 0).count();
    eprintln!("successes per call: {ok:?}");
    assert!(
        succeeded >= 30,
        "only {succeeded} calls ever succeeded: {ok:?}"
    );
    // Only the sandbox directory was ever written to.
    let outside: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, vec![std::ffi::OsString::from("sandbox")]);
}
