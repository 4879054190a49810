//! The `fd_*` calls (except `fd_readdir`, in `readdir.rs`).

use std::fs::FileTimes;
use std::io::{Read, Seek, SeekFrom, Write};
#[cfg(unix)]
use std::os::unix::fs::FileExt;

use cap_fs_ext::DirExt;

use super::{Entry, Kind};
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::filestat::{filestat_of, time_changes};
use crate::mem::{GuestMemory, IoVec};
use crate::types::{advice, fdflags, prestat_dir_bytes, rights, whence, Fd, Fdstat, Filestat};

/// Writes rights a file opened through a read-only preopen never gets.
pub(crate) const WRITE_RIGHTS: u64 = rights::FD_WRITE
    | rights::FD_DATASYNC
    | rights::FD_ALLOCATE
    | rights::FD_FILESTAT_SET_SIZE
    | rights::FD_FILESTAT_SET_TIMES;

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads into the iovecs in order until one is not filled (short read / end of file).
fn read_into(
    mem: &mut GuestMemory<'_>,
    iovs: &[IoVec],
    mut read: impl FnMut(&mut [u8], u64) -> std::io::Result<usize>,
) -> WasiResult<u32> {
    let mut total: u64 = 0;
    for v in iovs {
        if v.len == 0 {
            continue;
        }
        let buf = mem.slice_mut(v.buf, v.len)?;
        let n = match read(buf, total) {
            Ok(n) => n,
            // A later buffer failing after some bytes arrived: report the bytes.
            Err(_) if total > 0 => break,
            Err(e) => return Err(e.into()),
        };
        total += n as u64;
        if n < v.len as usize {
            break;
        }
    }
    Ok(u32::try_from(total).unwrap_or(u32::MAX))
}

impl WasiCtx {
    /// `fd_advise`: advice is checked and accepted; the host is not told.
    pub fn fd_advise(&mut self, fd: Fd, _offset: u64, _len: u64, adv: u8) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_ADVISE)?;
        if adv > advice::NOREUSE {
            return Err(Errno::Inval);
        }
        match e.kind {
            Kind::File(_) | Kind::Dir(_) => Ok(()),
            Kind::Stdin(_) | Kind::Stdout(_) => Err(Errno::Spipe),
        }
    }

    /// `fd_allocate`: makes the file at least `offset + len` bytes long.
    pub fn fd_allocate(&mut self, fd: Fd, offset: u64, len: u64) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_ALLOCATE)?;
        let Kind::File(f) = &e.kind else {
            return Err(Errno::Badf);
        };
        let end = offset.checked_add(len).ok_or(Errno::Fbig)?;
        if end > i64::MAX as u64 {
            return Err(Errno::Fbig);
        }
        let size = f.file.metadata()?.len();
        if end > size {
            f.file.set_len(end)?;
        }
        Ok(())
    }

    /// `fd_close`.
    pub fn fd_close(&mut self, fd: Fd) -> WasiResult<()> {
        self.fds.remove(fd).map(drop)
    }

    /// `fd_datasync`.
    pub fn fd_datasync(&mut self, fd: Fd) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_DATASYNC)?;
        match &e.kind {
            Kind::File(f) => Ok(f.file.sync_data()?),
            _ => Err(Errno::Inval),
        }
    }

    /// `fd_sync`.
    pub fn fd_sync(&mut self, fd: Fd) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_SYNC)?;
        match &e.kind {
            Kind::File(f) => Ok(f.file.sync_all()?),
            Kind::Dir(_) => Ok(()),
            _ => Err(Errno::Inval),
        }
    }

    /// `fd_fdstat_get`.
    pub fn fd_fdstat_get(&mut self, mem: &mut GuestMemory<'_>, fd: Fd, ptr: u32) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        let st = Fdstat {
            filetype: e.filetype(),
            flags: e.flags,
            rights_base: e.base,
            rights_inheriting: e.inheriting,
        };
        st.encode(mem, ptr)
    }

    /// `fd_fdstat_set_flags`.
    pub fn fd_fdstat_set_flags(&mut self, fd: Fd, flags: u16) -> WasiResult<()> {
        let e = self.fds.get_mut(fd)?;
        e.require(rights::FD_FDSTAT_SET_FLAGS)?;
        if flags & !fdflags::ALL != 0 {
            return Err(Errno::Inval);
        }
        if let Kind::File(f) = &e.kind {
            if f.read_only && flags & fdflags::APPEND != 0 {
                return Err(Errno::Rofs);
            }
        }
        e.flags = flags;
        Ok(())
    }

    /// `fd_fdstat_set_rights`: rights can only be dropped.
    pub fn fd_fdstat_set_rights(&mut self, fd: Fd, base: u64, inheriting: u64) -> WasiResult<()> {
        let e = self.fds.get_mut(fd)?;
        if base & !e.base != 0 || inheriting & !e.inheriting != 0 {
            return Err(Errno::Notcapable);
        }
        e.base = base;
        e.inheriting = inheriting;
        Ok(())
    }

    /// `fd_filestat_get`.
    pub fn fd_filestat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        ptr: u32,
    ) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_FILESTAT_GET)?;
        let st = match &e.kind {
            Kind::File(f) => filestat_of(&cap_std::fs::Metadata::from_file(&f.file)?),
            Kind::Dir(d) => filestat_of(&d.dir.dir_metadata()?),
            Kind::Stdin(_) | Kind::Stdout(_) => Filestat {
                filetype: e.filetype(),
                nlink: 1,
                ..Filestat::default()
            },
        };
        st.encode(mem, ptr)
    }

    /// `fd_filestat_set_size`.
    pub fn fd_filestat_set_size(&mut self, fd: Fd, size: u64) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_FILESTAT_SET_SIZE)?;
        match &e.kind {
            Kind::File(f) if f.read_only => Err(Errno::Rofs),
            Kind::File(f) => {
                if size > i64::MAX as u64 {
                    return Err(Errno::Fbig);
                }
                Ok(f.file.set_len(size)?)
            }
            Kind::Dir(_) => Err(Errno::Isdir),
            _ => Err(Errno::Inval),
        }
    }

    /// `fd_filestat_set_times`.
    pub fn fd_filestat_set_times(
        &mut self,
        fd: Fd,
        atim: u64,
        mtim: u64,
        flags: u16,
    ) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        e.require(rights::FD_FILESTAT_SET_TIMES)?;
        let (a, m) = time_changes(atim, mtim, flags)?;
        match &e.kind {
            Kind::File(f) if f.read_only => Err(Errno::Rofs),
            Kind::Dir(d) if d.read_only => Err(Errno::Rofs),
            Kind::File(f) => {
                let mut times = FileTimes::new();
                if let Some(t) = a.resolve() {
                    times = times.set_accessed(t);
                }
                if let Some(t) = m.resolve() {
                    times = times.set_modified(t);
                }
                Ok(f.file.set_times(times)?)
            }
            Kind::Dir(d) => Ok(d.dir.set_times(".", a.spec(), m.spec())?),
            _ => Err(Errno::Badf),
        }
    }

    /// `fd_prestat_get`.
    pub fn fd_prestat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        ptr: u32,
    ) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        match &e.kind {
            Kind::Dir(d) => {
                let name = d.preopen.as_ref().ok_or(Errno::Badf)?;
                mem.write_bytes(ptr, &prestat_dir_bytes(to_u32(name.len())))
            }
            _ => Err(Errno::Badf),
        }
    }

    /// `fd_prestat_dir_name`: the guest path, not NUL-terminated.
    pub fn fd_prestat_dir_name(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        ptr: u32,
        len: u32,
    ) -> WasiResult<()> {
        let e = self.fds.get(fd)?;
        let Kind::Dir(d) = &e.kind else {
            return Err(Errno::Badf);
        };
        let name = d.preopen.as_ref().ok_or(Errno::Badf)?;
        if (len as usize) < name.len() {
            return Err(Errno::Nametoolong);
        }
        mem.write_bytes(ptr, name.as_bytes())
    }

    /// `fd_read`.
    pub fn fd_read(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        iovs: u32,
        iovs_len: u32,
        nread: u32,
    ) -> WasiResult<()> {
        let iovs = mem.iovecs(iovs, iovs_len)?;
        mem.check_iovecs(&iovs)?;
        let e = self.fds.get_mut(fd)?;
        if let Kind::Dir(_) = e.kind {
            return Err(Errno::Isdir);
        }
        e.require(rights::FD_READ)?;
        let nonblock = e.flags & fdflags::NONBLOCK != 0;
        let n = match &mut e.kind {
            Kind::Stdin(input) => {
                // Non-blocking reads of a host stream that has nothing ready: EAGAIN.
                #[cfg(unix)]
                if let (true, Some(raw)) = (nonblock, input.host_fd()) {
                    let ready =
                        crate::poll::wait_host(&[(0, raw)], Some(std::time::Duration::ZERO))?;
                    if ready.is_empty() {
                        return Err(Errno::Again);
                    }
                }
                // One read into the first non-empty buffer: never block for more than the
                // stream has ready.
                match iovs.iter().find(|v| v.len > 0) {
                    Some(v) => to_u32(input.read(mem.slice_mut(v.buf, v.len)?)?),
                    None => 0,
                }
            }
            Kind::File(f) => read_into(mem, &iovs, |buf, _| f.file.read(buf))?,
            Kind::Stdout(_) | Kind::Dir(_) => return Err(Errno::Badf),
        };
        mem.write_u32(nread, n)
    }

    /// `fd_pread`: reads at `offset` without moving the file position.
    pub fn fd_pread(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
        nread: u32,
    ) -> WasiResult<()> {
        let iovs = mem.iovecs(iovs, iovs_len)?;
        mem.check_iovecs(&iovs)?;
        let e = self.fds.get(fd)?;
        let f = match &e.kind {
            Kind::File(f) => f,
            Kind::Dir(_) => return Err(Errno::Isdir),
            _ => return Err(Errno::Spipe),
        };
        e.require(rights::FD_READ | rights::FD_SEEK)?;
        if offset > i64::MAX as u64 {
            return Err(Errno::Inval);
        }
        let n = read_into(mem, &iovs, |buf, done| {
            pread(&f.file, buf, offset.saturating_add(done))
        })?;
        mem.write_u32(nread, n)
    }

    /// `fd_write`.
    pub fn fd_write(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        iovs: u32,
        iovs_len: u32,
        nwritten: u32,
    ) -> WasiResult<()> {
        let iovs = mem.iovecs(iovs, iovs_len)?;
        let total = mem.check_iovecs(&iovs)?;
        let e = self.fds.get_mut(fd)?;
        if let Kind::Dir(_) = e.kind {
            return Err(Errno::Isdir);
        }
        e.require(rights::FD_WRITE)?;
        let flags = e.flags;
        match &mut e.kind {
            Kind::Stdout(out) => {
                let parts = iovs.iter().filter(|v| v.len > 0).count();
                if parts > 1 && total <= 64 * 1024 {
                    // One host write for a gathered write (libc flushes its buffer and the
                    // new data together), so the pieces stay together on a shared stream.
                    let mut joined = Vec::with_capacity(total as usize);
                    for v in &iovs {
                        joined.extend_from_slice(mem.slice(v.buf, v.len)?);
                    }
                    out.write_all(&joined)?;
                } else {
                    for v in &iovs {
                        out.write_all(mem.slice(v.buf, v.len)?)?;
                    }
                }
            }
            Kind::File(f) => {
                if f.read_only {
                    return Err(Errno::Rofs);
                }
                if flags & fdflags::APPEND != 0 {
                    f.file.seek(SeekFrom::End(0))?;
                }
                for v in &iovs {
                    f.file.write_all(mem.slice(v.buf, v.len)?)?;
                }
                if flags & fdflags::SYNC != 0 {
                    f.file.sync_all()?;
                } else if flags & fdflags::DSYNC != 0 {
                    f.file.sync_data()?;
                }
            }
            Kind::Stdin(_) | Kind::Dir(_) => return Err(Errno::Badf),
        }
        mem.write_u32(nwritten, u32::try_from(total).unwrap_or(u32::MAX))
    }

    /// `fd_pwrite`: writes at `offset` without moving the file position.
    pub fn fd_pwrite(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        iovs: u32,
        iovs_len: u32,
        offset: u64,
        nwritten: u32,
    ) -> WasiResult<()> {
        let iovs = mem.iovecs(iovs, iovs_len)?;
        let total = mem.check_iovecs(&iovs)?;
        let e = self.fds.get(fd)?;
        let f = match &e.kind {
            Kind::File(f) => f,
            Kind::Dir(_) => return Err(Errno::Isdir),
            _ => return Err(Errno::Spipe),
        };
        e.require(rights::FD_WRITE | rights::FD_SEEK)?;
        if f.read_only {
            return Err(Errno::Rofs);
        }
        if offset
            .checked_add(total)
            .is_none_or(|end| end > i64::MAX as u64)
        {
            return Err(Errno::Fbig);
        }
        let mut at = offset;
        for v in &iovs {
            pwrite_all(&f.file, mem.slice(v.buf, v.len)?, at)?;
            at += u64::from(v.len);
        }
        mem.write_u32(nwritten, u32::try_from(total).unwrap_or(u32::MAX))
    }

    /// `fd_renumber`.
    pub fn fd_renumber(&mut self, from: Fd, to: Fd) -> WasiResult<()> {
        self.fds.renumber(from, to)
    }

    /// `fd_seek`.
    pub fn fd_seek(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        offset: i64,
        wh: u8,
        newoffset: u32,
    ) -> WasiResult<()> {
        let e = self.fds.get_mut(fd)?;
        let needed = if offset == 0 && wh == whence::CUR {
            rights::FD_TELL
        } else {
            rights::FD_SEEK
        };
        let f = match &mut e.kind {
            Kind::File(f) => f,
            Kind::Dir(_) => return Err(Errno::Isdir),
            _ => return Err(Errno::Spipe),
        };
        if e.base & (needed | rights::FD_SEEK) == 0 {
            return Err(Errno::Notcapable);
        }
        let pos = match wh {
            whence::SET => SeekFrom::Start(u64::try_from(offset).map_err(|_| Errno::Inval)?),
            whence::CUR => SeekFrom::Current(offset),
            whence::END => SeekFrom::End(offset),
            _ => return Err(Errno::Inval),
        };
        let new = f.file.seek(pos)?;
        mem.write_u64(newoffset, new)
    }

    /// `fd_tell`.
    pub fn fd_tell(&mut self, mem: &mut GuestMemory<'_>, fd: Fd, ptr: u32) -> WasiResult<()> {
        self.fd_seek(mem, fd, 0, whence::CUR, ptr)
    }
}

#[cfg(unix)]
fn pread(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    file.read_at(buf, offset)
}

#[cfg(unix)]
fn pwrite_all(file: &std::fs::File, buf: &[u8], offset: u64) -> std::io::Result<()> {
    file.write_all_at(buf, offset)
}

#[cfg(not(unix))]
fn pread(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(not(unix))]
fn pwrite_all(file: &std::fs::File, mut buf: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        let n = std::os::windows::fs::FileExt::seek_write(file, buf, offset)?;
        buf = &buf[n..];
        offset += n as u64;
    }
    Ok(())
}

impl Entry {
    /// Rights a newly opened descriptor gets: what was asked for, cut to what the directory
    /// hands down and to what makes sense for the object.
    pub(crate) fn narrowed(asked: u64, parent_inheriting: u64, sensible: u64) -> u64 {
        asked & parent_inheriting & sensible
    }
}
