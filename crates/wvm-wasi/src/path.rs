//! The `path_*` calls. Every path is resolved by cap-std relative to a directory descriptor,
//! so `..`, absolute paths and symbolic links can never reach outside that directory; this
//! module does no path checking of its own.

use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt};
use cap_std::fs::{Dir, OpenOptions};

use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::fd::{DirFd, Entry, FileFd, Kind, WRITE_RIGHTS};
use crate::filestat::{filestat_of, filetype_of, time_changes};
use crate::mem::GuestMemory;
use crate::types::{fdflags, lookupflags, oflags, rights, Fd};

const FILE_WRITE_RIGHTS: u64 =
    rights::FD_WRITE | rights::FD_ALLOCATE | rights::FD_FILESTAT_SET_SIZE;
const FILE_READ_RIGHTS: u64 = rights::FD_READ | rights::FD_READDIR;

impl DirFd {
    /// Fails with EROFS if the directory is inside a read-only preopen.
    fn writable(&self) -> WasiResult<&Dir> {
        if self.read_only {
            Err(Errno::Rofs)
        } else {
            Ok(&self.dir)
        }
    }
}

fn follow(flags: u32) -> WasiResult<bool> {
    if flags & !lookupflags::SYMLINK_FOLLOW != 0 {
        return Err(Errno::Inval);
    }
    Ok(flags & lookupflags::SYMLINK_FOLLOW != 0)
}

impl WasiCtx {
    /// `path_create_directory`.
    pub fn path_create_directory(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        path_ptr: u32,
        path_len: u32,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_CREATE_DIRECTORY)?;
        Ok(d.writable()?.create_dir(path)?)
    }

    /// `path_filestat_get`.
    pub fn path_filestat_get(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        flags: u32,
        path_ptr: u32,
        path_len: u32,
        buf: u32,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        let follow = follow(flags)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_FILESTAT_GET)?;
        let meta = if follow {
            d.dir.metadata(path)?
        } else {
            d.dir.symlink_metadata(path)?
        };
        filestat_of(&meta).encode(mem, buf)
    }

    /// `path_filestat_set_times`.
    #[allow(clippy::too_many_arguments)]
    pub fn path_filestat_set_times(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        flags: u32,
        path_ptr: u32,
        path_len: u32,
        atim: u64,
        mtim: u64,
        fst_flags: u16,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        let follow = follow(flags)?;
        let (a, m) = time_changes(atim, mtim, fst_flags)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_FILESTAT_SET_TIMES)?;
        let dir = d.writable()?;
        if follow {
            dir.set_times(path, a.spec(), m.spec())?;
        } else {
            dir.set_symlink_times(path, a.spec(), m.spec())?;
        }
        Ok(())
    }

    /// `path_link`: a hard link. Following a symbolic link at the source is not supported
    /// (EINVAL), as the host call that would do it is not confined by cap-std.
    #[allow(clippy::too_many_arguments)]
    pub fn path_link(
        &mut self,
        mem: &mut GuestMemory<'_>,
        old_fd: Fd,
        old_flags: u32,
        old_ptr: u32,
        old_len: u32,
        new_fd: Fd,
        new_ptr: u32,
        new_len: u32,
    ) -> WasiResult<()> {
        let old_path = mem.read_string(old_ptr, old_len)?;
        let new_path = mem.read_string(new_ptr, new_len)?;
        if follow(old_flags)? {
            return Err(Errno::Inval);
        }
        let (src, _) = self.fds.dir(old_fd, rights::PATH_LINK_SOURCE)?;
        let (dst, _) = self.fds.dir(new_fd, rights::PATH_LINK_TARGET)?;
        let dst = dst.writable()?;
        Ok(src.writable()?.hard_link(old_path, dst, new_path)?)
    }

    /// `path_open`.
    #[allow(clippy::too_many_arguments)]
    pub fn path_open(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        dirflags: u32,
        path_ptr: u32,
        path_len: u32,
        oflags: u16,
        base: u64,
        inheriting: u64,
        fdflags: u16,
        fd_ptr: u32,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        let follow = follow(dirflags)?;
        if oflags & !oflags::ALL != 0 || fdflags & !fdflags::ALL != 0 {
            return Err(Errno::Inval);
        }
        let creat = oflags & oflags::CREAT != 0;
        let want_dir = oflags & oflags::DIRECTORY != 0;
        let excl = oflags & oflags::EXCL != 0;
        let trunc = oflags & oflags::TRUNC != 0;
        let mut needed = rights::PATH_OPEN;
        if creat {
            needed |= rights::PATH_CREATE_FILE;
        }
        if trunc {
            needed |= rights::PATH_FILESTAT_SET_SIZE;
        }
        let (d, parent) = self.fds.dir(fd, needed)?;
        let parent_inheriting = parent.inheriting;
        let read_only = d.read_only;
        let write = base & FILE_WRITE_RIGHTS != 0 || fdflags & fdflags::APPEND != 0;
        let read = base & FILE_READ_RIGHTS != 0 || !write;
        if read_only && (write || creat || trunc) {
            return Err(Errno::Rofs);
        }
        if want_dir && (creat || trunc) {
            return Err(Errno::Inval);
        }
        let mut entry = if want_dir {
            let sub = if follow {
                d.dir.open_dir(&path)?
            } else {
                d.dir.open_dir_nofollow(&path)?
            };
            Entry::dir(sub, read_only, None)
        } else {
            let mut opts = OpenOptions::new();
            opts.read(read).write(write || creat || trunc);
            if creat && excl {
                opts.create_new(true);
            } else if creat {
                opts.create(true);
            }
            opts.truncate(trunc);
            opts.follow(if follow {
                FollowSymlinks::Yes
            } else {
                FollowSymlinks::No
            });
            opts.maybe_dir(true);
            let file = d.dir.open_with(&path, &opts)?;
            let meta = file.metadata()?;
            if meta.is_dir() {
                Entry::dir(Dir::from_std_file(file.into_std()), read_only, None)
            } else {
                let mut sensible = rights::REGULAR_FILE_BASE;
                if !(write || creat || trunc) || read_only {
                    sensible &= !(WRITE_RIGHTS);
                }
                if !read {
                    sensible &= !rights::FD_READ;
                }
                Entry::file(
                    FileFd {
                        file: file.into_std(),
                        filetype: filetype_of(meta.file_type()),
                        read_only,
                    },
                    sensible,
                )
            }
        };
        let sensible = entry.base;
        entry.base = Entry::narrowed(base, parent_inheriting, sensible);
        entry.inheriting = match entry.kind {
            Kind::Dir(_) => inheriting & parent_inheriting,
            _ => 0,
        };
        entry.flags = fdflags;
        let new_fd = self.fds.insert(entry)?;
        if let Err(e) = mem.write_u32(fd_ptr, new_fd) {
            let _ = self.fds.remove(new_fd);
            return Err(e);
        }
        Ok(())
    }

    /// `path_readlink`: the link's contents, cut to the buffer, not NUL-terminated.
    #[allow(clippy::too_many_arguments)]
    pub fn path_readlink(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        path_ptr: u32,
        path_len: u32,
        buf: u32,
        buf_len: u32,
        bufused: u32,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        mem.slice(buf, buf_len)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_READLINK)?;
        let target = d.dir.read_link_contents(path)?;
        let bytes = target.as_os_str().as_encoded_bytes();
        let n = bytes.len().min(buf_len as usize);
        mem.write_bytes(buf, &bytes[..n])?;
        mem.write_u32(bufused, u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// `path_remove_directory`.
    pub fn path_remove_directory(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        path_ptr: u32,
        path_len: u32,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_REMOVE_DIRECTORY)?;
        Ok(d.writable()?.remove_dir(path)?)
    }

    /// `path_rename`.
    #[allow(clippy::too_many_arguments)]
    pub fn path_rename(
        &mut self,
        mem: &mut GuestMemory<'_>,
        old_fd: Fd,
        old_ptr: u32,
        old_len: u32,
        new_fd: Fd,
        new_ptr: u32,
        new_len: u32,
    ) -> WasiResult<()> {
        let old_path = mem.read_string(old_ptr, old_len)?;
        let new_path = mem.read_string(new_ptr, new_len)?;
        let (src, _) = self.fds.dir(old_fd, rights::PATH_RENAME_SOURCE)?;
        let (dst, _) = self.fds.dir(new_fd, rights::PATH_RENAME_TARGET)?;
        let dst = dst.writable()?;
        Ok(src.writable()?.rename(old_path, dst, new_path)?)
    }

    /// `path_symlink`: creates `new_path` (relative to `fd`) pointing at `old_path`. Absolute
    /// targets are refused: they would name host paths, not guest ones.
    pub fn path_symlink(
        &mut self,
        mem: &mut GuestMemory<'_>,
        old_ptr: u32,
        old_len: u32,
        fd: Fd,
        new_ptr: u32,
        new_len: u32,
    ) -> WasiResult<()> {
        let target = mem.read_string(old_ptr, old_len)?;
        let link = mem.read_string(new_ptr, new_len)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_SYMLINK)?;
        Ok(d.writable()?.symlink(target, link)?)
    }

    /// `path_unlink_file`.
    pub fn path_unlink_file(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        path_ptr: u32,
        path_len: u32,
    ) -> WasiResult<()> {
        let path = mem.read_string(path_ptr, path_len)?;
        let (d, _) = self.fds.dir(fd, rights::PATH_UNLINK_FILE)?;
        Ok(d.writable()?.remove_file(path)?)
    }
}
