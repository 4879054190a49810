//! Host metadata to WASI `filestat` / `filetype`, and WASI timestamps to host times.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_std::fs::{FileType, Metadata};

use crate::errno::{Errno, WasiResult};
use crate::types::{filetype, fstflags, Filestat};

/// The WASI file type of a host file type.
pub fn filetype_of(ft: FileType) -> u8 {
    #[cfg(unix)]
    use cap_std::fs::FileTypeExt;
    if ft.is_dir() {
        return filetype::DIRECTORY;
    }
    if ft.is_file() {
        return filetype::REGULAR_FILE;
    }
    if ft.is_symlink() {
        return filetype::SYMBOLIC_LINK;
    }
    #[cfg(unix)]
    {
        if ft.is_block_device() {
            return filetype::BLOCK_DEVICE;
        }
        if ft.is_char_device() {
            return filetype::CHARACTER_DEVICE;
        }
        if ft.is_socket() {
            return filetype::SOCKET_STREAM;
        }
    }
    filetype::UNKNOWN
}

#[cfg(unix)]
fn ns(secs: i64, nsec: i64) -> u64 {
    let secs = u64::try_from(secs).unwrap_or(0);
    let nsec = u64::try_from(nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nsec)
}

/// The WASI `filestat` of host metadata.
#[cfg(unix)]
pub fn filestat_of(m: &Metadata) -> Filestat {
    use cap_fs_ext::OsMetadataExt;
    Filestat {
        dev: m.dev(),
        ino: m.ino(),
        filetype: filetype_of(m.file_type()),
        nlink: m.nlink(),
        size: m.len(),
        atim: ns(m.atime(), m.atime_nsec()),
        mtim: ns(m.mtime(), m.mtime_nsec()),
        ctim: ns(m.ctime(), m.ctime_nsec()),
    }
}

/// The WASI `filestat` of host metadata.
#[cfg(not(unix))]
pub fn filestat_of(m: &Metadata) -> Filestat {
    let t = |r: std::io::Result<cap_std::time::SystemTime>| {
        r.ok()
            .and_then(|t| t.into_std().duration_since(UNIX_EPOCH).ok())
            .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    };
    Filestat {
        dev: 0,
        ino: 0,
        filetype: filetype_of(m.file_type()),
        nlink: 1,
        size: m.len(),
        atim: t(m.accessed()),
        mtim: t(m.modified()),
        ctim: t(m.created()),
    }
}

/// What to do with one timestamp in a `*_filestat_set_times` call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeChange {
    /// Leave it.
    Keep,
    /// Set it to the current time.
    Now,
    /// Set it to this time.
    At(SystemTime),
}

impl TimeChange {
    /// As a plain time (`Now` read now), for APIs without a symbolic "now".
    pub fn resolve(self) -> Option<SystemTime> {
        match self {
            TimeChange::Keep => None,
            TimeChange::Now => Some(SystemTime::now()),
            TimeChange::At(t) => Some(t),
        }
    }

    /// As cap-std's time spec.
    pub fn spec(self) -> Option<cap_fs_ext::SystemTimeSpec> {
        match self {
            TimeChange::Keep => None,
            TimeChange::Now => Some(cap_fs_ext::SystemTimeSpec::SymbolicNow),
            TimeChange::At(t) => Some(cap_fs_ext::SystemTimeSpec::Absolute(
                cap_std::time::SystemTime::from_std(t),
            )),
        }
    }
}

/// Decodes the `(atim, mtim, fst_flags)` arguments. Setting a time both to a value and to
/// "now" is EINVAL, as are unknown flag bits.
pub fn time_changes(atim: u64, mtim: u64, flags: u16) -> WasiResult<(TimeChange, TimeChange)> {
    if flags & !fstflags::ALL != 0 {
        return Err(Errno::Inval);
    }
    let one = |value: u64, set: u16, now: u16| -> WasiResult<TimeChange> {
        match (flags & set != 0, flags & now != 0) {
            (true, true) => Err(Errno::Inval),
            (true, false) => UNIX_EPOCH
                .checked_add(Duration::from_nanos(value))
                .map(TimeChange::At)
                .ok_or(Errno::Overflow),
            (false, true) => Ok(TimeChange::Now),
            (false, false) => Ok(TimeChange::Keep),
        }
    };
    Ok((
        one(atim, fstflags::ATIM, fstflags::ATIM_NOW)?,
        one(mtim, fstflags::MTIM, fstflags::MTIM_NOW)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_flags_decode() {
        let (a, m) = time_changes(5_000_000_000, 7, fstflags::ATIM | fstflags::MTIM_NOW).unwrap();
        assert_eq!(a, TimeChange::At(UNIX_EPOCH + Duration::from_secs(5)));
        assert_eq!(m, TimeChange::Now);
        assert_eq!(
            time_changes(0, 0, 0).unwrap(),
            (TimeChange::Keep, TimeChange::Keep)
        );
        assert_eq!(
            time_changes(0, 0, fstflags::ATIM | fstflags::ATIM_NOW),
            Err(Errno::Inval)
        );
        assert_eq!(
            time_changes(0, 0, fstflags::MTIM | fstflags::MTIM_NOW),
            Err(Errno::Inval)
        );
        assert_eq!(time_changes(0, 0, 0x10), Err(Errno::Inval));
        assert!(TimeChange::Keep.spec().is_none());
        assert!(TimeChange::Now.resolve().is_some());
    }

    #[test]
    fn metadata_converts() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"12345").unwrap();
        let d =
            cap_std::fs::Dir::open_ambient_dir(dir.path(), cap_std::ambient_authority()).unwrap();
        let st = filestat_of(&d.metadata("f").unwrap());
        assert_eq!(st.filetype, filetype::REGULAR_FILE);
        assert_eq!(st.size, 5);
        assert_eq!(st.nlink, 1);
        assert!(st.mtim > 0);
        let ds = filestat_of(&d.dir_metadata().unwrap());
        assert_eq!(ds.filetype, filetype::DIRECTORY);
        assert_ne!(ds.ino, st.ino);
    }
}
