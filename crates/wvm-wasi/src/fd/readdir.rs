//! `fd_readdir`: directory entries as packed `dirent` headers followed by names.
//!
//! The listing is `.`, `..`, then the entries sorted by name bytes; a cookie is the index of
//! the next entry. The listing is taken when a guest reads from cookie 0 and kept for later
//! cookies, so entries do not shift under a guest walking the directory.

#[cfg(unix)]
use std::os::unix::fs::DirEntryExt;

use cap_std::fs::Dir;

use super::Kind;
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::filestat::{filestat_of, filetype_of};
use crate::mem::GuestMemory;
use crate::types::{filetype, rights, Dirent, Fd};

/// One directory entry as the guest sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Listed {
    pub(crate) name: Vec<u8>,
    pub(crate) ino: u64,
    pub(crate) kind: u8,
}

/// The whole listing of `dir`.
pub(crate) fn list(dir: &Dir) -> WasiResult<Vec<Listed>> {
    let me = filestat_of(&dir.dir_metadata()?);
    let mut out = vec![
        Listed {
            name: b".".to_vec(),
            ino: me.ino,
            kind: filetype::DIRECTORY,
        },
        // The parent may lie outside the sandbox: it is not looked at.
        Listed {
            name: b"..".to_vec(),
            ino: me.ino,
            kind: filetype::DIRECTORY,
        },
    ];
    let mut rest = Vec::new();
    for entry in dir.entries()? {
        let entry = entry?;
        let kind = entry
            .file_type()
            .map(filetype_of)
            .unwrap_or(filetype::UNKNOWN);
        #[cfg(unix)]
        let ino = entry.ino();
        #[cfg(not(unix))]
        let ino = 0;
        rest.push(Listed {
            name: entry.file_name().as_encoded_bytes().to_vec(),
            ino,
            kind,
        });
    }
    rest.sort_by(|a, b| a.name.cmp(&b.name));
    out.extend(rest);
    Ok(out)
}

/// Packs entries from index `cookie` on into `buf_len` bytes: each a 24-byte header then the
/// name. The last one may be cut off; a full buffer tells the guest to ask again with a bigger
/// one or a later cookie.
pub(crate) fn pack(entries: &[Listed], cookie: u64, buf_len: u32) -> Vec<u8> {
    let cap = buf_len as usize;
    let mut out = Vec::with_capacity(cap.min(64 * 1024));
    let start = usize::try_from(cookie).unwrap_or(usize::MAX);
    for (i, e) in entries.iter().enumerate().skip(start) {
        if out.len() >= cap {
            break;
        }
        let header = Dirent {
            d_next: i as u64 + 1,
            d_ino: e.ino,
            d_namlen: u32::try_from(e.name.len()).unwrap_or(u32::MAX),
            d_type: e.kind,
        }
        .to_bytes();
        let room = cap - out.len();
        out.extend_from_slice(&header[..header.len().min(room)]);
        let room = cap - out.len();
        out.extend_from_slice(&e.name[..e.name.len().min(room)]);
    }
    out
}

impl WasiCtx {
    /// `fd_readdir`.
    pub fn fd_readdir(
        &mut self,
        mem: &mut GuestMemory<'_>,
        fd: Fd,
        buf: u32,
        buf_len: u32,
        cookie: u64,
        bufused: u32,
    ) -> WasiResult<()> {
        // Check the buffer before touching the directory.
        mem.slice(buf, buf_len)?;
        let e = self.fds.get_mut(fd)?;
        if !matches!(e.kind, Kind::Dir(_)) {
            return Err(Errno::Notdir);
        }
        e.require(rights::FD_READDIR)?;
        let Kind::Dir(d) = &mut e.kind else {
            return Err(Errno::Notdir);
        };
        // Reading from the start takes a new listing; later cookies continue in the same one,
        // so a sequential read of a big directory lists it once.
        let entries = match &mut d.listing {
            Some(l) if cookie != 0 => l,
            slot => slot.insert(list(&d.dir)?),
        };
        let packed = pack(entries, cookie, buf_len);
        mem.write_bytes(buf, &packed)?;
        mem.write_u32(bufused, u32::try_from(packed.len()).unwrap_or(u32::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str, ino: u64) -> Listed {
        Listed {
            name: name.as_bytes().to_vec(),
            ino,
            kind: filetype::REGULAR_FILE,
        }
    }

    #[test]
    fn packs_headers_and_names() {
        let es = vec![entry("a", 1), entry("bcd", 2)];
        let p = pack(&es, 0, 1000);
        assert_eq!(p.len(), 24 + 1 + 24 + 3);
        assert_eq!(&p[0..8], &1u64.to_le_bytes());
        assert_eq!(&p[8..16], &1u64.to_le_bytes());
        assert_eq!(&p[16..20], &1u32.to_le_bytes());
        assert_eq!(p[20], filetype::REGULAR_FILE);
        assert_eq!(p[24], b'a');
        assert_eq!(&p[25..33], &2u64.to_le_bytes());
        assert_eq!(&p[49..52], b"bcd");
    }

    #[test]
    fn cookies_resume_and_buffers_truncate() {
        let es = vec![entry("a", 1), entry("bcd", 2), entry("ef", 3)];
        let p = pack(&es, 1, 1000);
        assert_eq!(p.len(), 27 + 26);
        assert_eq!(&p[0..8], &2u64.to_le_bytes());
        assert_eq!(&p[24..27], b"bcd");
        assert!(pack(&es, 3, 1000).is_empty());
        assert!(pack(&es, u64::MAX, 1000).is_empty());
        // Cut inside the second header: exactly the buffer is used.
        let p = pack(&es, 0, 30);
        assert_eq!(p.len(), 30);
        assert_eq!(p[24], b'a');
        assert!(pack(&es, 0, 0).is_empty());
    }

    #[test]
    fn lists_dot_entries_then_sorted_names() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("zeta"), b"").unwrap();
        std::fs::write(tmp.path().join("alpha"), b"").unwrap();
        std::fs::create_dir(tmp.path().join("mid")).unwrap();
        let d = Dir::open_ambient_dir(tmp.path(), cap_std::ambient_authority()).unwrap();
        let l = list(&d).unwrap();
        let names: Vec<&[u8]> = l.iter().map(|e| e.name.as_slice()).collect();
        assert_eq!(names, vec![&b"."[..], b"..", b"alpha", b"mid", b"zeta"]);
        assert_eq!(l[0].kind, filetype::DIRECTORY);
        assert_eq!(l[3].kind, filetype::DIRECTORY);
        assert_eq!(l[2].kind, filetype::REGULAR_FILE);
        assert!(l[2].ino != 0);
    }
}
