//! The host-side WASI implementation driven directly (no engine): files, directories, the
//! sandbox, read-only preopens, rights and standard streams.

use wvm_wasi::types::{fdflags, filetype, fstflags, lookupflags, oflags, rights, whence};
use wvm_wasi::{Errno, GuestMemory, OutputBuffer, WasiCtx, WasiCtxBuilder};

const PREOPEN: u32 = 3;
const PATH: u32 = 0x100;
const PATH2: u32 = 0x300;
const IOV: u32 = 0x10;
const OUT: u32 = 0x40;
const DATA: u32 = 0x1000;

struct Guest {
    ctx: WasiCtx,
    mem: Vec<u8>,
    tmp: tempfile::TempDir,
    stdout: OutputBuffer,
}

const RW: u64 = rights::FD_READ
    | rights::FD_WRITE
    | rights::FD_SEEK
    | rights::FD_TELL
    | rights::FD_FILESTAT_GET
    | rights::FD_FILESTAT_SET_SIZE
    | rights::FD_FILESTAT_SET_TIMES
    | rights::FD_FDSTAT_SET_FLAGS
    | rights::FD_READDIR;

impl Guest {
    fn new(read_only: bool) -> Guest {
        let tmp = tempfile::tempdir().unwrap();
        let sandbox = tmp.path().join("sandbox");
        std::fs::create_dir(&sandbox).unwrap();
        std::fs::write(tmp.path().join("secret"), b"outside").unwrap();
        let stdout = OutputBuffer::new();
        let ctx = WasiCtxBuilder::new()
            .stdin_bytes(b"line one\nline two\n".to_vec())
            .stdout_buffer(&stdout)
            .preopen_dir(&sandbox, "/", read_only)
            .unwrap()
            .build()
            .unwrap();
        Guest {
            ctx,
            mem: vec![0u8; 1 << 16],
            tmp,
            stdout,
        }
    }

    fn host(&self, name: &str) -> std::path::PathBuf {
        self.tmp.path().join("sandbox").join(name)
    }

    fn put(&mut self, at: u32, s: &[u8]) -> u32 {
        self.mem[at as usize..at as usize + s.len()].copy_from_slice(s);
        s.len() as u32
    }

    fn u32_at(&self, at: u32) -> u32 {
        GuestMemory::new(&mut self.mem.clone())
            .read_u32(at)
            .unwrap()
    }

    fn u64_at(&self, at: u32) -> u64 {
        GuestMemory::new(&mut self.mem.clone())
            .read_u64(at)
            .unwrap()
    }

    fn open_in(
        &mut self,
        dir: u32,
        path: &str,
        of: u16,
        base: u64,
        fdf: u16,
    ) -> Result<u32, Errno> {
        let len = self.put(PATH, path.as_bytes());
        let mut m = GuestMemory::new(&mut self.mem);
        self.ctx.path_open(
            &mut m,
            dir,
            lookupflags::SYMLINK_FOLLOW,
            PATH,
            len,
            of,
            base,
            rights::ALL,
            fdf,
            OUT,
        )?;
        Ok(self.u32_at(OUT))
    }

    fn open(&mut self, path: &str, of: u16, base: u64) -> Result<u32, Errno> {
        self.open_in(PREOPEN, path, of, base, 0)
    }

    fn write(&mut self, fd: u32, data: &[u8]) -> Result<u32, Errno> {
        let n = self.put(DATA, data);
        let mut m = GuestMemory::new(&mut self.mem);
        m.write_u32(IOV, DATA).unwrap();
        m.write_u32(IOV + 4, n).unwrap();
        self.ctx.fd_write(&mut m, fd, IOV, 1, OUT)?;
        Ok(self.u32_at(OUT))
    }

    fn read(&mut self, fd: u32, len: u32) -> Result<Vec<u8>, Errno> {
        let mut m = GuestMemory::new(&mut self.mem);
        m.write_u32(IOV, DATA).unwrap();
        m.write_u32(IOV + 4, len).unwrap();
        self.ctx.fd_read(&mut m, fd, IOV, 1, OUT)?;
        let n = self.u32_at(OUT);
        Ok(self.mem[DATA as usize..(DATA + n) as usize].to_vec())
    }

    fn seek(&mut self, fd: u32, off: i64, wh: u8) -> Result<u64, Errno> {
        let mut m = GuestMemory::new(&mut self.mem);
        self.ctx.fd_seek(&mut m, fd, off, wh, OUT)?;
        Ok(self.u64_at(OUT))
    }

    fn path_call(
        &mut self,
        path: &str,
        f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>, u32, u32) -> Result<(), Errno>,
    ) -> Result<(), Errno> {
        let len = self.put(PATH, path.as_bytes());
        let mut m = GuestMemory::new(&mut self.mem);
        f(&mut self.ctx, &mut m, PATH, len)
    }

    fn two_paths(
        &mut self,
        a: &str,
        b: &str,
        f: impl FnOnce(&mut WasiCtx, &mut GuestMemory<'_>, u32, u32, u32, u32) -> Result<(), Errno>,
    ) -> Result<(), Errno> {
        let la = self.put(PATH, a.as_bytes());
        let lb = self.put(PATH2, b.as_bytes());
        let mut m = GuestMemory::new(&mut self.mem);
        f(&mut self.ctx, &mut m, PATH, la, PATH2, lb)
    }

    fn filestat(&mut self, path: &str, follow: bool) -> Result<(u8, u64), Errno> {
        let flags = if follow {
            lookupflags::SYMLINK_FOLLOW
        } else {
            0
        };
        self.path_call(path, |c, m, p, l| {
            c.path_filestat_get(m, PREOPEN, flags, p, l, 0x800)
        })?;
        Ok((self.mem[0x800 + 16], self.u64_at(0x800 + 32)))
    }
}

#[test]
fn create_write_seek_read_truncate() {
    let mut g = Guest::new(false);
    let fd = g.open("f.txt", oflags::CREAT | oflags::EXCL, RW).unwrap();
    assert!(fd > PREOPEN);
    assert_eq!(g.write(fd, b"hello world"), Ok(11));
    assert_eq!(g.seek(fd, 0, whence::CUR), Ok(11));
    assert_eq!(g.seek(fd, 6, whence::SET), Ok(6));
    assert_eq!(g.read(fd, 100).unwrap(), b"world");
    assert_eq!(g.seek(fd, -5, whence::END), Ok(6));
    assert_eq!(g.seek(fd, -100, whence::CUR), Err(Errno::Inval));
    assert_eq!(g.seek(fd, 0, 7), Err(Errno::Inval));
    g.ctx.fd_filestat_set_size(fd, 5).unwrap();
    assert_eq!(std::fs::read(g.host("f.txt")).unwrap(), b"hello");
    // pwrite/pread leave the position alone.
    let mut m = GuestMemory::new(&mut g.mem);
    m.write_bytes(DATA, b"HE").unwrap();
    m.write_u32(IOV, DATA).unwrap();
    m.write_u32(IOV + 4, 2).unwrap();
    g.ctx.fd_pwrite(&mut m, fd, IOV, 1, 0, OUT).unwrap();
    m.write_u32(IOV, DATA + 100).unwrap();
    m.write_u32(IOV + 4, 10).unwrap();
    g.ctx.fd_pread(&mut m, fd, IOV, 1, 1, OUT).unwrap();
    assert_eq!(m.read_u32(OUT), Ok(4));
    assert_eq!(m.slice(DATA + 100, 4).unwrap(), b"Ello");
    g.ctx.fd_tell(&mut m, fd, OUT).unwrap();
    assert_eq!(m.read_u64(OUT), Ok(6));
    g.ctx.fd_filestat_get(&mut m, fd, 0x800).unwrap();
    assert_eq!(m.read_u8(0x800 + 16), Ok(filetype::REGULAR_FILE));
    assert_eq!(m.read_u64(0x800 + 32), Ok(5));
    // EXCL on an existing file.
    assert_eq!(
        g.open("f.txt", oflags::CREAT | oflags::EXCL, RW),
        Err(Errno::Exist)
    );
    g.ctx.fd_close(fd).unwrap();
    assert_eq!(g.ctx.fd_close(fd), Err(Errno::Badf));
    // TRUNC empties it.
    let fd = g.open("f.txt", oflags::TRUNC, RW).unwrap();
    assert_eq!(g.read(fd, 10).unwrap(), b"");
    assert_eq!(std::fs::metadata(g.host("f.txt")).unwrap().len(), 0);
}

#[test]
fn append_flag_writes_at_end() {
    let mut g = Guest::new(false);
    std::fs::write(g.host("log"), b"one\n").unwrap();
    let fd = g.open_in(PREOPEN, "log", 0, RW, fdflags::APPEND).unwrap();
    g.write(fd, b"two\n").unwrap();
    g.seek(fd, 0, whence::SET).unwrap();
    g.write(fd, b"three\n").unwrap();
    assert_eq!(std::fs::read(g.host("log")).unwrap(), b"one\ntwo\nthree\n");
    let mut m = GuestMemory::new(&mut g.mem);
    g.ctx.fd_fdstat_get(&mut m, fd, 0x800).unwrap();
    assert_eq!(m.read_u16(0x802), Ok(fdflags::APPEND));
    g.ctx.fd_fdstat_set_flags(fd, 0).unwrap();
    g.seek(fd, 0, whence::SET).unwrap();
    g.write(fd, b"ONE").unwrap();
    assert_eq!(std::fs::read(g.host("log")).unwrap(), b"ONE\ntwo\nthree\n");
    assert_eq!(g.ctx.fd_fdstat_set_flags(fd, 0x100), Err(Errno::Inval));
}

#[test]
fn sandbox_escapes_fail() {
    let mut g = Guest::new(false);
    for p in ["../secret", "/secret", "a/../../secret", "..", "/"] {
        assert!(g.open(p, 0, RW).is_err(), "{p} opened");
        assert!(g.filestat(p, true).is_err(), "{p} stat");
    }
    std::os::unix::fs::symlink("../secret", g.host("up")).unwrap();
    std::os::unix::fs::symlink(g.tmp.path().join("secret"), g.host("abs")).unwrap();
    std::os::unix::fs::symlink("..", g.host("updir")).unwrap();
    for p in ["up", "abs", "updir/secret", "updir/sandbox/up"] {
        assert!(g.open(p, 0, RW).is_err(), "{p} opened");
    }
    // The links themselves can be looked at without following them.
    assert_eq!(g.filestat("up", false).unwrap().0, filetype::SYMBOLIC_LINK);
    assert!(g.filestat("up", true).is_err());
    // Creating links that escape: an absolute target is refused outright.
    let r = g.two_paths("/etc/passwd", "l1", |c, m, a, la, b, lb| {
        c.path_symlink(m, a, la, PREOPEN, b, lb)
    });
    assert!(r.is_err());
    // A relative one may be created but never followed out.
    g.two_paths("../../secret", "l2", |c, m, a, la, b, lb| {
        c.path_symlink(m, a, la, PREOPEN, b, lb)
    })
    .unwrap();
    assert!(g.open("l2", 0, RW).is_err());
    // Nothing outside changed.
    assert_eq!(
        std::fs::read(g.tmp.path().join("secret")).unwrap(),
        b"outside"
    );
    // Renaming or creating outside fails too.
    std::fs::write(g.host("mine"), b"x").unwrap();
    let r = g.two_paths("mine", "../stolen", |c, m, a, la, b, lb| {
        c.path_rename(m, PREOPEN, a, la, PREOPEN, b, lb)
    });
    assert!(r.is_err());
    assert!(!g.tmp.path().join("stolen").exists());
    let r = g.path_call("../newdir", |c, m, p, l| {
        c.path_create_directory(m, PREOPEN, p, l)
    });
    assert!(r.is_err());
    assert!(!g.tmp.path().join("newdir").exists());
}

#[test]
fn read_only_preopen_refuses_changes() {
    let mut g = Guest::new(true);
    std::fs::write(g.host("data"), b"content").unwrap();
    std::fs::create_dir(g.host("sub")).unwrap();
    let fd = g
        .open("data", 0, rights::FD_READ | rights::FD_SEEK)
        .unwrap();
    assert_eq!(g.read(fd, 100).unwrap(), b"content");
    assert_eq!(g.write(fd, b"x"), Err(Errno::Notcapable));
    assert_eq!(g.open("data", 0, RW), Err(Errno::Rofs));
    assert_eq!(
        g.open("new", oflags::CREAT, rights::FD_READ),
        Err(Errno::Rofs)
    );
    assert_eq!(
        g.open("data", oflags::TRUNC, rights::FD_READ),
        Err(Errno::Rofs)
    );
    assert_eq!(
        g.path_call("d", |c, m, p, l| c.path_create_directory(m, PREOPEN, p, l)),
        Err(Errno::Rofs)
    );
    assert_eq!(
        g.path_call("data", |c, m, p, l| c.path_unlink_file(m, PREOPEN, p, l)),
        Err(Errno::Rofs)
    );
    assert_eq!(
        g.path_call("sub", |c, m, p, l| c
            .path_remove_directory(m, PREOPEN, p, l)),
        Err(Errno::Rofs)
    );
    assert_eq!(
        g.two_paths("data", "moved", |c, m, a, la, b, lb| {
            c.path_rename(m, PREOPEN, a, la, PREOPEN, b, lb)
        }),
        Err(Errno::Rofs)
    );
    assert_eq!(g.ctx.fd_filestat_set_size(fd, 0), Err(Errno::Notcapable));
    // A directory opened inside stays read-only.
    let sub = g
        .open(
            "sub",
            oflags::DIRECTORY,
            rights::PATH_OPEN | rights::PATH_CREATE_FILE,
        )
        .unwrap();
    assert_eq!(
        g.open_in(sub, "x", oflags::CREAT, rights::FD_WRITE, 0),
        Err(Errno::Rofs)
    );
    assert_eq!(std::fs::read(g.host("data")).unwrap(), b"content");
    assert!(!g.host("new").exists());
}

#[test]
fn directories_list_rename_link_unlink() {
    let mut g = Guest::new(false);
    g.path_call("dir", |c, m, p, l| {
        c.path_create_directory(m, PREOPEN, p, l)
    })
    .unwrap();
    assert_eq!(
        g.path_call("dir", |c, m, p, l| c
            .path_create_directory(m, PREOPEN, p, l)),
        Err(Errno::Exist)
    );
    for name in ["b", "a", "c"] {
        let fd = g.open(&format!("dir/{name}"), oflags::CREAT, RW).unwrap();
        g.ctx.fd_close(fd).unwrap();
    }
    let dfd = g
        .open("dir", oflags::DIRECTORY, rights::FD_READDIR)
        .unwrap();
    // Read with a buffer that holds two and a bit entries, then resume from the cookie.
    let mut names = Vec::new();
    let mut cookie = 0u64;
    loop {
        let mut m = GuestMemory::new(&mut g.mem);
        g.ctx
            .fd_readdir(&mut m, dfd, DATA, 60, cookie, OUT)
            .unwrap();
        let used = m.read_u32(OUT).unwrap();
        let mut at = DATA;
        let end = DATA + used;
        let mut progressed = false;
        while at + 24 <= end {
            let next = m.read_u64(at).unwrap();
            let len = m.read_u32(at + 16).unwrap();
            if at + 24 + len > end {
                break;
            }
            names.push(String::from_utf8(m.slice(at + 24, len).unwrap().to_vec()).unwrap());
            cookie = next;
            at += 24 + len;
            progressed = true;
        }
        if used < 60 {
            break;
        }
        assert!(progressed);
    }
    assert_eq!(names, [".", "..", "a", "b", "c"]);
    // Not a directory.
    let ffd = g.open("dir/a", 0, RW).unwrap();
    let mut m = GuestMemory::new(&mut g.mem);
    assert_eq!(
        g.ctx.fd_readdir(&mut m, ffd, DATA, 100, 0, OUT),
        Err(Errno::Notdir)
    );
    // Rename, hard link, unlink.
    g.two_paths("dir/a", "dir/z", |c, m, a, la, b, lb| {
        c.path_rename(m, PREOPEN, a, la, PREOPEN, b, lb)
    })
    .unwrap();
    assert!(g.host("dir/z").exists() && !g.host("dir/a").exists());
    g.two_paths("dir/z", "hard", |c, m, a, la, b, lb| {
        c.path_link(m, PREOPEN, 0, a, la, PREOPEN, b, lb)
    })
    .unwrap();
    assert_eq!(g.filestat("hard", false).unwrap().0, filetype::REGULAR_FILE);
    g.path_call("hard", |c, m, p, l| c.path_unlink_file(m, PREOPEN, p, l))
        .unwrap();
    assert!(!g.host("hard").exists());
    assert_eq!(
        g.path_call("dir", |c, m, p, l| c
            .path_remove_directory(m, PREOPEN, p, l)),
        Err(Errno::Notempty)
    );
    assert_eq!(
        g.path_call("dir", |c, m, p, l| c.path_unlink_file(m, PREOPEN, p, l)),
        Err(Errno::Isdir)
    );
    for name in ["b", "c", "z"] {
        g.path_call(&format!("dir/{name}"), |c, m, p, l| {
            c.path_unlink_file(m, PREOPEN, p, l)
        })
        .unwrap();
    }
    g.path_call("dir", |c, m, p, l| {
        c.path_remove_directory(m, PREOPEN, p, l)
    })
    .unwrap();
    assert!(!g.host("dir").exists());
    assert_eq!(g.filestat("dir", true), Err(Errno::Noent));
}

#[test]
fn symlinks_readlink_and_nofollow() {
    let mut g = Guest::new(false);
    std::fs::write(g.host("target"), b"T").unwrap();
    g.two_paths("target", "link", |c, m, a, la, b, lb| {
        c.path_symlink(m, a, la, PREOPEN, b, lb)
    })
    .unwrap();
    let r = g.path_call("link", |c, m, p, l| {
        c.path_readlink(m, PREOPEN, p, l, DATA, 3, OUT)
    });
    r.unwrap();
    assert_eq!(g.u32_at(OUT), 3);
    assert_eq!(&g.mem[DATA as usize..DATA as usize + 3], b"tar");
    let fd = g.open("link", 0, RW).unwrap();
    assert_eq!(g.read(fd, 5).unwrap(), b"T");
    let len = g.put(PATH, b"link");
    let mut m = GuestMemory::new(&mut g.mem);
    let r = g
        .ctx
        .path_open(&mut m, PREOPEN, 0, PATH, len, 0, RW, 0, 0, OUT);
    assert_eq!(r, Err(Errno::Loop));
    assert_eq!(
        g.filestat("link", false).unwrap().0,
        filetype::SYMBOLIC_LINK
    );
    assert_eq!(
        g.filestat("link", true).unwrap(),
        (filetype::REGULAR_FILE, 1)
    );
}

#[test]
fn times_can_be_set() {
    let mut g = Guest::new(false);
    std::fs::write(g.host("t"), b"").unwrap();
    let t = 1_000_000_000_123_456_789u64;
    g.path_call("t", |c, m, p, l| {
        c.path_filestat_set_times(m, PREOPEN, 0, p, l, t, t, fstflags::ATIM | fstflags::MTIM)
    })
    .unwrap();
    g.filestat("t", true).unwrap();
    assert_eq!(g.u64_at(0x800 + 40), t);
    assert_eq!(g.u64_at(0x800 + 48), t);
    let fd = g.open("t", 0, RW).unwrap();
    g.ctx
        .fd_filestat_set_times(fd, 0, 5_000_000_000, fstflags::MTIM)
        .unwrap();
    g.filestat("t", true).unwrap();
    assert_eq!(g.u64_at(0x800 + 48), 5_000_000_000);
    assert_eq!(g.u64_at(0x800 + 40), t);
    assert_eq!(
        g.ctx
            .fd_filestat_set_times(fd, 0, 0, fstflags::MTIM | fstflags::MTIM_NOW),
        Err(Errno::Inval)
    );
}

#[test]
fn rights_narrow_only() {
    let mut g = Guest::new(false);
    let fd = g.open("r", oflags::CREAT, RW).unwrap();
    let mut m = GuestMemory::new(&mut g.mem);
    g.ctx.fd_fdstat_get(&mut m, fd, 0x800).unwrap();
    let base = m.read_u64(0x808).unwrap();
    assert_eq!(base & rights::PATH_OPEN, 0, "files get no directory rights");
    assert_ne!(base & rights::FD_WRITE, 0);
    g.ctx
        .fd_fdstat_set_rights(fd, base & !rights::FD_WRITE, 0)
        .unwrap();
    assert_eq!(
        g.ctx.fd_fdstat_set_rights(fd, base, 0),
        Err(Errno::Notcapable)
    );
    assert_eq!(g.write(fd, b"x"), Err(Errno::Notcapable));
    // The preopen's fdstat says directory.
    let mut m = GuestMemory::new(&mut g.mem);
    g.ctx.fd_fdstat_get(&mut m, PREOPEN, 0x800).unwrap();
    assert_eq!(m.read_u8(0x800), Ok(filetype::DIRECTORY));
    assert_ne!(m.read_u64(0x808).unwrap() & rights::PATH_OPEN, 0);
}

#[test]
fn prestat_and_renumber() {
    let mut g = Guest::new(false);
    let mut m = GuestMemory::new(&mut g.mem);
    g.ctx.fd_prestat_get(&mut m, PREOPEN, 0x800).unwrap();
    assert_eq!(m.read_u8(0x800), Ok(0));
    assert_eq!(m.read_u32(0x804), Ok(1));
    g.ctx
        .fd_prestat_dir_name(&mut m, PREOPEN, 0x900, 1)
        .unwrap();
    assert_eq!(m.read_u8(0x900), Ok(b'/'));
    assert_eq!(
        g.ctx.fd_prestat_dir_name(&mut m, PREOPEN, 0x900, 0),
        Err(Errno::Nametoolong)
    );
    assert_eq!(g.ctx.fd_prestat_get(&mut m, 4, 0x800), Err(Errno::Badf));
    assert_eq!(g.ctx.fd_prestat_get(&mut m, 1, 0x800), Err(Errno::Badf));
    let fd = g.open("n", oflags::CREAT, RW).unwrap();
    g.write(fd, b"renumbered").unwrap();
    g.ctx.fd_renumber(fd, 1).unwrap();
    assert_eq!(g.write(fd, b"x"), Err(Errno::Badf));
    g.write(1, b"!").unwrap();
    assert_eq!(std::fs::read(g.host("n")).unwrap(), b"renumbered!");
    assert!(g.stdout.contents().is_empty());
}

#[test]
fn stdio_streams() {
    let mut g = Guest::new(false);
    assert_eq!(g.write(1, b"out"), Ok(3));
    assert_eq!(g.stdout.contents(), b"out");
    assert_eq!(g.read(0, 5).unwrap(), b"line ");
    assert_eq!(g.read(0, 100).unwrap(), b"one\nline two\n");
    assert_eq!(g.read(0, 100).unwrap(), b"");
    assert_eq!(g.seek(1, 0, whence::SET), Err(Errno::Spipe));
    assert_eq!(g.read(1, 1), Err(Errno::Notcapable));
    assert_eq!(g.write(0, b"x"), Err(Errno::Notcapable));
    assert_eq!(g.write(PREOPEN, b"x"), Err(Errno::Isdir));
    assert_eq!(g.write(77, b"x"), Err(Errno::Badf));
}

#[test]
fn bad_guest_pointers_are_efault() {
    let mut g = Guest::new(false);
    let mut m = GuestMemory::new(&mut g.mem);
    m.write_u32(IOV, 0xffff_0000).unwrap();
    m.write_u32(IOV + 4, 0x2_0000).unwrap();
    assert_eq!(g.ctx.fd_write(&mut m, 1, IOV, 1, OUT), Err(Errno::Fault));
    assert_eq!(
        g.ctx.fd_write(&mut m, 1, 0xffff_fff0, 4, OUT),
        Err(Errno::Fault)
    );
    assert_eq!(g.ctx.fd_read(&mut m, 0, IOV, 1, OUT), Err(Errno::Fault));
    assert_eq!(
        g.ctx
            .path_open(&mut m, PREOPEN, 0, 0xffff_fff0, 100, 0, RW, 0, 0, OUT),
        Err(Errno::Fault)
    );
    assert_eq!(
        g.ctx.fd_fdstat_get(&mut m, 1, 0xffff_fff0),
        Err(Errno::Fault)
    );
    assert!(g.stdout.contents().is_empty());
    // A failed result write closes the descriptor that would have leaked.
    let len = g.put(PATH, b"leak");
    let mut m = GuestMemory::new(&mut g.mem);
    assert_eq!(
        g.ctx.path_open(
            &mut m,
            PREOPEN,
            0,
            PATH,
            len,
            oflags::CREAT,
            RW,
            0,
            0,
            0xffff_fffe
        ),
        Err(Errno::Fault)
    );
    assert_eq!(g.open("leak", 0, RW), Ok(4));
}

#[test]
fn allocate_advise_sync_and_flag_checks() {
    let mut g = Guest::new(false);
    let base = RW | rights::FD_ALLOCATE | rights::FD_ADVISE | rights::FD_SYNC | rights::FD_DATASYNC;
    let fd = g.open("alloc", oflags::CREAT, base).unwrap();
    g.ctx.fd_allocate(fd, 10, 90).unwrap();
    assert_eq!(std::fs::metadata(g.host("alloc")).unwrap().len(), 100);
    // Never shrinks.
    g.ctx.fd_allocate(fd, 0, 5).unwrap();
    assert_eq!(std::fs::metadata(g.host("alloc")).unwrap().len(), 100);
    assert_eq!(g.ctx.fd_allocate(fd, u64::MAX, 2), Err(Errno::Fbig));
    g.ctx.fd_advise(fd, 0, 100, 2).unwrap();
    assert_eq!(g.ctx.fd_advise(fd, 0, 100, 6), Err(Errno::Inval));
    g.ctx.fd_sync(fd).unwrap();
    g.ctx.fd_datasync(fd).unwrap();
    // Rights missing: a file opened for reading only.
    let ro = g.open("alloc", 0, rights::FD_READ).unwrap();
    assert_eq!(g.ctx.fd_allocate(ro, 0, 200), Err(Errno::Notcapable));
    assert_eq!(g.ctx.fd_sync(ro), Err(Errno::Notcapable));
    // Unknown flag bits.
    assert_eq!(g.open("x", 0x10, RW), Err(Errno::Inval));
    assert_eq!(
        g.open_in(PREOPEN, "x", oflags::CREAT, RW, 0x20),
        Err(Errno::Inval)
    );
    assert_eq!(
        g.open("d", oflags::DIRECTORY | oflags::CREAT, RW),
        Err(Errno::Inval)
    );
    assert_eq!(g.open("alloc", oflags::DIRECTORY, RW), Err(Errno::Notdir));
    assert!(!g.host("x").exists());
    // A descriptor that is not a directory cannot be used for paths.
    assert_eq!(g.open_in(fd, "y", oflags::CREAT, RW, 0), Err(Errno::Notdir));
    // stdio has a filestat too.
    let mut m = GuestMemory::new(&mut g.mem);
    g.ctx.fd_filestat_get(&mut m, 1, 0x800).unwrap();
    assert_eq!(m.read_u64(0x800 + 32), Ok(0));
    assert_eq!(g.ctx.fd_datasync(1), Err(Errno::Notcapable));
}

#[test]
fn read_only_preopen_still_lists_and_stats() {
    let mut g = Guest::new(true);
    std::fs::write(g.host("one"), b"1").unwrap();
    let mut m = GuestMemory::new(&mut g.mem);
    g.ctx
        .fd_readdir(&mut m, PREOPEN, DATA, 4096, 0, OUT)
        .unwrap();
    let used = m.read_u32(OUT).unwrap();
    assert_eq!(used, 24 + 1 + 24 + 2 + 24 + 3);
    assert_eq!(m.slice(DATA + 24 + 1 + 24 + 2 + 24, 3).unwrap(), b"one");
    assert_eq!(g.filestat("one", true), Ok((filetype::REGULAR_FILE, 1)));
    assert_eq!(
        g.ctx
            .fd_filestat_set_times(PREOPEN, 0, 0, fstflags::MTIM_NOW),
        Err(Errno::Rofs)
    );
}

#[test]
fn readdir_listing_is_kept_until_rewound() {
    let mut g = Guest::new(false);
    std::fs::write(g.host("a"), b"").unwrap();
    let names = |g: &mut Guest, cookie: u64| -> Vec<String> {
        let mut m = GuestMemory::new(&mut g.mem);
        g.ctx
            .fd_readdir(&mut m, PREOPEN, DATA, 4096, cookie, OUT)
            .unwrap();
        let end = DATA + m.read_u32(OUT).unwrap();
        let mut at = DATA;
        let mut out = Vec::new();
        while at + 24 <= end {
            let len = m.read_u32(at + 16).unwrap();
            out.push(String::from_utf8(m.slice(at + 24, len).unwrap().to_vec()).unwrap());
            at += 24 + len;
        }
        out
    };
    assert_eq!(names(&mut g, 0), [".", "..", "a"]);
    std::fs::write(g.host("b"), b"").unwrap();
    // Continuing (cookie 2) serves the listing taken at cookie 0: no "b" yet.
    assert_eq!(names(&mut g, 2), ["a"]);
    // From the start again: a fresh listing.
    assert_eq!(names(&mut g, 0), [".", "..", "a", "b"]);
}

#[test]
fn gathered_writes_keep_order() {
    let mut g = Guest::new(false);
    let mut m = GuestMemory::new(&mut g.mem);
    m.write_bytes(DATA, b"first,").unwrap();
    m.write_bytes(DATA + 100, b"second").unwrap();
    for (i, (buf, len)) in [(DATA, 6), (DATA, 0), (DATA + 100, 6)].iter().enumerate() {
        m.write_u32(IOV + 8 * i as u32, *buf).unwrap();
        m.write_u32(IOV + 8 * i as u32 + 4, *len).unwrap();
    }
    g.ctx.fd_write(&mut m, 1, IOV, 3, OUT).unwrap();
    assert_eq!(m.read_u32(OUT), Ok(12));
    assert_eq!(g.stdout.contents(), b"first,second");
}
