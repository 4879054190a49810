//! Constants and guest-memory layouts of WASI preview 1 (`typenames.witx`).
//!
//! Each struct has an `encode` writing exactly its witx layout (little-endian, natural
//! alignment, padding zeroed) and a `SIZE` constant the unit tests check.

use crate::errno::WasiResult;
use crate::mem::GuestMemory;

/// `fd`: a guest file descriptor number.
pub type Fd = u32;

/// `filetype` values.
pub mod filetype {
    /// The type of the file descriptor or file is unknown or different from the others.
    pub const UNKNOWN: u8 = 0;
    /// A block device inode.
    pub const BLOCK_DEVICE: u8 = 1;
    /// A character device inode.
    pub const CHARACTER_DEVICE: u8 = 2;
    /// A directory inode.
    pub const DIRECTORY: u8 = 3;
    /// A regular file inode.
    pub const REGULAR_FILE: u8 = 4;
    /// A datagram socket.
    pub const SOCKET_DGRAM: u8 = 5;
    /// A byte-stream socket.
    pub const SOCKET_STREAM: u8 = 6;
    /// A symbolic link inode.
    pub const SYMBOLIC_LINK: u8 = 7;
}

/// `rights` bits.
pub mod rights {
    #![allow(missing_docs)]
    pub const FD_DATASYNC: u64 = 1 << 0;
    pub const FD_READ: u64 = 1 << 1;
    pub const FD_SEEK: u64 = 1 << 2;
    pub const FD_FDSTAT_SET_FLAGS: u64 = 1 << 3;
    pub const FD_SYNC: u64 = 1 << 4;
    pub const FD_TELL: u64 = 1 << 5;
    pub const FD_WRITE: u64 = 1 << 6;
    pub const FD_ADVISE: u64 = 1 << 7;
    pub const FD_ALLOCATE: u64 = 1 << 8;
    pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
    pub const PATH_CREATE_FILE: u64 = 1 << 10;
    pub const PATH_LINK_SOURCE: u64 = 1 << 11;
    pub const PATH_LINK_TARGET: u64 = 1 << 12;
    pub const PATH_OPEN: u64 = 1 << 13;
    pub const FD_READDIR: u64 = 1 << 14;
    pub const PATH_READLINK: u64 = 1 << 15;
    pub const PATH_RENAME_SOURCE: u64 = 1 << 16;
    pub const PATH_RENAME_TARGET: u64 = 1 << 17;
    pub const PATH_FILESTAT_GET: u64 = 1 << 18;
    pub const PATH_FILESTAT_SET_SIZE: u64 = 1 << 19;
    pub const PATH_FILESTAT_SET_TIMES: u64 = 1 << 20;
    pub const FD_FILESTAT_GET: u64 = 1 << 21;
    pub const FD_FILESTAT_SET_SIZE: u64 = 1 << 22;
    pub const FD_FILESTAT_SET_TIMES: u64 = 1 << 23;
    pub const PATH_SYMLINK: u64 = 1 << 24;
    pub const PATH_REMOVE_DIRECTORY: u64 = 1 << 25;
    pub const PATH_UNLINK_FILE: u64 = 1 << 26;
    pub const POLL_FD_READWRITE: u64 = 1 << 27;
    pub const SOCK_SHUTDOWN: u64 = 1 << 28;
    pub const SOCK_ACCEPT: u64 = 1 << 29;

    /// Every defined right.
    pub const ALL: u64 = (1 << 30) - 1;

    /// Rights that make sense on a regular file.
    pub const REGULAR_FILE_BASE: u64 = FD_DATASYNC
        | FD_READ
        | FD_SEEK
        | FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_TELL
        | FD_WRITE
        | FD_ADVISE
        | FD_ALLOCATE
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_SIZE
        | FD_FILESTAT_SET_TIMES
        | POLL_FD_READWRITE;

    /// Rights that make sense on a directory.
    pub const DIRECTORY_BASE: u64 = FD_FDSTAT_SET_FLAGS
        | FD_SYNC
        | FD_ADVISE
        | PATH_CREATE_DIRECTORY
        | PATH_CREATE_FILE
        | PATH_LINK_SOURCE
        | PATH_LINK_TARGET
        | PATH_OPEN
        | FD_READDIR
        | PATH_READLINK
        | PATH_RENAME_SOURCE
        | PATH_RENAME_TARGET
        | PATH_FILESTAT_GET
        | PATH_FILESTAT_SET_SIZE
        | PATH_FILESTAT_SET_TIMES
        | FD_FILESTAT_GET
        | FD_FILESTAT_SET_TIMES
        | PATH_SYMLINK
        | PATH_REMOVE_DIRECTORY
        | PATH_UNLINK_FILE
        | POLL_FD_READWRITE;

    /// What a directory hands down to what is opened through it.
    pub const DIRECTORY_INHERITING: u64 = DIRECTORY_BASE | REGULAR_FILE_BASE;

    /// Rights of an output stream (stdout, stderr).
    pub const OUTPUT_STREAM: u64 =
        FD_WRITE | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;

    /// Rights of an input stream (stdin).
    pub const INPUT_STREAM: u64 =
        FD_READ | FD_FDSTAT_SET_FLAGS | FD_FILESTAT_GET | POLL_FD_READWRITE;
}

/// `fdflags` bits.
pub mod fdflags {
    #![allow(missing_docs)]
    pub const APPEND: u16 = 1 << 0;
    pub const DSYNC: u16 = 1 << 1;
    pub const NONBLOCK: u16 = 1 << 2;
    pub const RSYNC: u16 = 1 << 3;
    pub const SYNC: u16 = 1 << 4;
    pub const ALL: u16 = 0x1f;
}

/// `oflags` bits.
pub mod oflags {
    #![allow(missing_docs)]
    pub const CREAT: u16 = 1 << 0;
    pub const DIRECTORY: u16 = 1 << 1;
    pub const EXCL: u16 = 1 << 2;
    pub const TRUNC: u16 = 1 << 3;
    pub const ALL: u16 = 0xf;
}

/// `lookupflags` bits.
pub mod lookupflags {
    /// As long as the resolved path corresponds to a symbolic link, it is expanded.
    pub const SYMLINK_FOLLOW: u32 = 1 << 0;
}

/// `fstflags` bits.
pub mod fstflags {
    #![allow(missing_docs)]
    pub const ATIM: u16 = 1 << 0;
    pub const ATIM_NOW: u16 = 1 << 1;
    pub const MTIM: u16 = 1 << 2;
    pub const MTIM_NOW: u16 = 1 << 3;
    pub const ALL: u16 = 0xf;
}

/// `whence` values.
pub mod whence {
    #![allow(missing_docs)]
    pub const SET: u8 = 0;
    pub const CUR: u8 = 1;
    pub const END: u8 = 2;
}

/// `clockid` values.
pub mod clockid {
    #![allow(missing_docs)]
    pub const REALTIME: u32 = 0;
    pub const MONOTONIC: u32 = 1;
    pub const PROCESS_CPUTIME_ID: u32 = 2;
    pub const THREAD_CPUTIME_ID: u32 = 3;
}

/// `advice` values.
pub mod advice {
    #![allow(missing_docs)]
    pub const NORMAL: u8 = 0;
    pub const SEQUENTIAL: u8 = 1;
    pub const RANDOM: u8 = 2;
    pub const WILLNEED: u8 = 3;
    pub const DONTNEED: u8 = 4;
    pub const NOREUSE: u8 = 5;
}

/// `eventtype` values.
pub mod eventtype {
    #![allow(missing_docs)]
    pub const CLOCK: u8 = 0;
    pub const FD_READ: u8 = 1;
    pub const FD_WRITE: u8 = 2;
}

/// `eventrwflags`: the peer of this socket/pipe has closed or disconnected.
pub const EVENTRWFLAGS_FD_READWRITE_HANGUP: u16 = 1;
/// `subclockflags`: the timeout is an absolute time on the clock.
pub const SUBCLOCKFLAGS_ABSTIME: u16 = 1;
/// `preopentype`: a pre-opened directory.
pub const PREOPENTYPE_DIR: u8 = 0;

/// `filestat` (64 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Filestat {
    /// Device ID of device containing the file.
    pub dev: u64,
    /// File serial number.
    pub ino: u64,
    /// File type.
    pub filetype: u8,
    /// Number of hard links to the file.
    pub nlink: u64,
    /// For regular files, the file size in bytes.
    pub size: u64,
    /// Last data access timestamp (ns since the epoch).
    pub atim: u64,
    /// Last data modification timestamp.
    pub mtim: u64,
    /// Last file status change timestamp.
    pub ctim: u64,
}

impl Filestat {
    /// Size in guest memory.
    pub const SIZE: u32 = 64;

    /// The guest-memory bytes.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut b = [0u8; 64];
        b[0..8].copy_from_slice(&self.dev.to_le_bytes());
        b[8..16].copy_from_slice(&self.ino.to_le_bytes());
        b[16] = self.filetype;
        b[24..32].copy_from_slice(&self.nlink.to_le_bytes());
        b[32..40].copy_from_slice(&self.size.to_le_bytes());
        b[40..48].copy_from_slice(&self.atim.to_le_bytes());
        b[48..56].copy_from_slice(&self.mtim.to_le_bytes());
        b[56..64].copy_from_slice(&self.ctim.to_le_bytes());
        b
    }

    /// Writes it at `ptr`.
    pub fn encode(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.write_bytes(ptr, &self.to_bytes())
    }
}

/// `fdstat` (24 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fdstat {
    /// File type.
    pub filetype: u8,
    /// File descriptor flags.
    pub flags: u16,
    /// Rights that apply to this file descriptor.
    pub rights_base: u64,
    /// Maximum set of rights for descriptors opened through this one.
    pub rights_inheriting: u64,
}

impl Fdstat {
    /// Size in guest memory.
    pub const SIZE: u32 = 24;

    /// The guest-memory bytes.
    pub fn to_bytes(&self) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[0] = self.filetype;
        b[2..4].copy_from_slice(&self.flags.to_le_bytes());
        b[8..16].copy_from_slice(&self.rights_base.to_le_bytes());
        b[16..24].copy_from_slice(&self.rights_inheriting.to_le_bytes());
        b
    }

    /// Writes it at `ptr`.
    pub fn encode(&self, mem: &mut GuestMemory<'_>, ptr: u32) -> WasiResult<()> {
        mem.write_bytes(ptr, &self.to_bytes())
    }
}

/// `prestat` for a directory (8 bytes: tag, then `pr_name_len` at offset 4).
pub fn prestat_dir_bytes(name_len: u32) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[0] = PREOPENTYPE_DIR;
    b[4..8].copy_from_slice(&name_len.to_le_bytes());
    b
}

/// Size of a `prestat`.
pub const PRESTAT_SIZE: u32 = 8;

/// The header of a `dirent` (24 bytes; the name follows it, not NUL-terminated).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dirent {
    /// The cookie of the next entry.
    pub d_next: u64,
    /// The serial number of the file.
    pub d_ino: u64,
    /// The length of the name of the entry.
    pub d_namlen: u32,
    /// The type of the file.
    pub d_type: u8,
}

impl Dirent {
    /// Size of the header in guest memory.
    pub const SIZE: u32 = 24;

    /// The guest-memory bytes of the header.
    pub fn to_bytes(&self) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[0..8].copy_from_slice(&self.d_next.to_le_bytes());
        b[8..16].copy_from_slice(&self.d_ino.to_le_bytes());
        b[16..20].copy_from_slice(&self.d_namlen.to_le_bytes());
        b[20] = self.d_type;
        b
    }
}

/// `event` (32 bytes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Event {
    /// User-provided value that got attached to the subscription.
    pub userdata: u64,
    /// If non-zero, an error that occurred while processing the subscription.
    pub error: u16,
    /// The type of event that occurred (`eventtype`).
    pub kind: u8,
    /// For fd events: the number of bytes available for reading or writing.
    pub nbytes: u64,
    /// For fd events: the state of the file descriptor (`eventrwflags`).
    pub flags: u16,
}

impl Event {
    /// Size in guest memory.
    pub const SIZE: u32 = 32;

    /// The guest-memory bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[0..8].copy_from_slice(&self.userdata.to_le_bytes());
        b[8..10].copy_from_slice(&self.error.to_le_bytes());
        b[10] = self.kind;
        b[16..24].copy_from_slice(&self.nbytes.to_le_bytes());
        b[24..26].copy_from_slice(&self.flags.to_le_bytes());
        b
    }
}

/// What a `subscription` waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubscriptionKind {
    /// A clock reaching a time.
    Clock {
        /// Clock id.
        id: u32,
        /// Absolute or relative timeout in ns.
        timeout: u64,
        /// Accepted imprecision in ns.
        precision: u64,
        /// `subclockflags`.
        flags: u16,
    },
    /// A file descriptor becoming readable.
    FdRead(Fd),
    /// A file descriptor becoming writable.
    FdWrite(Fd),
    /// An unknown tag (answered with an EINVAL event).
    Unknown(u8),
}

/// `subscription` (48 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subscription {
    /// Copied into the event.
    pub userdata: u64,
    /// What to wait for.
    pub kind: SubscriptionKind,
}

impl Subscription {
    /// Size in guest memory.
    pub const SIZE: u32 = 48;

    /// Decodes the 48 bytes of a subscription.
    pub fn from_bytes(b: &[u8; 48]) -> Subscription {
        let u64_at = |o: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[o..o + 8]);
            u64::from_le_bytes(a)
        };
        let u32_at = |o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let kind = match b[8] {
            eventtype::CLOCK => SubscriptionKind::Clock {
                id: u32_at(16),
                timeout: u64_at(24),
                precision: u64_at(32),
                flags: u16::from_le_bytes([b[40], b[41]]),
            },
            eventtype::FD_READ => SubscriptionKind::FdRead(u32_at(16)),
            eventtype::FD_WRITE => SubscriptionKind::FdWrite(u32_at(16)),
            other => SubscriptionKind::Unknown(other),
        };
        Subscription {
            userdata: u64_at(0),
            kind,
        }
    }

    /// Reads a subscription at `ptr`.
    pub fn decode(mem: &GuestMemory<'_>, ptr: u32) -> WasiResult<Subscription> {
        let s = mem.slice(ptr, Self::SIZE)?;
        let mut a = [0u8; 48];
        a.copy_from_slice(s);
        Ok(Subscription::from_bytes(&a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filestat_layout() {
        let s = Filestat {
            dev: 0x1111,
            ino: 0x2222,
            filetype: filetype::REGULAR_FILE,
            nlink: 3,
            size: 0x4444,
            atim: 5,
            mtim: 6,
            ctim: 7,
        };
        let b = s.to_bytes();
        assert_eq!(b.len() as u32, Filestat::SIZE);
        assert_eq!(&b[0..8], &0x1111u64.to_le_bytes());
        assert_eq!(&b[8..16], &0x2222u64.to_le_bytes());
        assert_eq!(b[16], 4);
        assert!(b[17..24].iter().all(|&x| x == 0), "padding zeroed");
        assert_eq!(&b[24..32], &3u64.to_le_bytes());
        assert_eq!(&b[32..40], &0x4444u64.to_le_bytes());
        assert_eq!(&b[40..48], &5u64.to_le_bytes());
        assert_eq!(&b[48..56], &6u64.to_le_bytes());
        assert_eq!(&b[56..64], &7u64.to_le_bytes());
    }

    #[test]
    fn fdstat_layout() {
        let s = Fdstat {
            filetype: filetype::DIRECTORY,
            flags: fdflags::APPEND | fdflags::SYNC,
            rights_base: rights::FD_READ,
            rights_inheriting: rights::ALL,
        };
        let b = s.to_bytes();
        assert_eq!(b.len() as u32, Fdstat::SIZE);
        assert_eq!(b[0], 3);
        assert_eq!(b[1], 0);
        assert_eq!(u16::from_le_bytes([b[2], b[3]]), 0x11);
        assert_eq!(&b[8..16], &2u64.to_le_bytes());
        assert_eq!(&b[16..24], &0x3fff_ffffu64.to_le_bytes());
    }

    #[test]
    fn prestat_and_dirent_layout() {
        let p = prestat_dir_bytes(7);
        assert_eq!(p, [0, 0, 0, 0, 7, 0, 0, 0]);
        let d = Dirent {
            d_next: 9,
            d_ino: 0x77,
            d_namlen: 5,
            d_type: filetype::SYMBOLIC_LINK,
        };
        let b = d.to_bytes();
        assert_eq!(b.len() as u32, Dirent::SIZE);
        assert_eq!(&b[0..8], &9u64.to_le_bytes());
        assert_eq!(&b[8..16], &0x77u64.to_le_bytes());
        assert_eq!(&b[16..20], &5u32.to_le_bytes());
        assert_eq!(b[20], 7);
        assert_eq!(&b[21..24], &[0, 0, 0]);
    }

    #[test]
    fn event_layout() {
        let e = Event {
            userdata: 0xabcd,
            error: 28,
            kind: eventtype::FD_WRITE,
            nbytes: 100,
            flags: EVENTRWFLAGS_FD_READWRITE_HANGUP,
        };
        let b = e.to_bytes();
        assert_eq!(b.len() as u32, Event::SIZE);
        assert_eq!(&b[0..8], &0xabcdu64.to_le_bytes());
        assert_eq!(&b[8..10], &28u16.to_le_bytes());
        assert_eq!(b[10], 2);
        assert_eq!(&b[16..24], &100u64.to_le_bytes());
        assert_eq!(&b[24..26], &1u16.to_le_bytes());
        assert!(b[11..16].iter().chain(&b[26..32]).all(|&x| x == 0));
    }

    #[test]
    fn subscription_layout() {
        let mut b = [0u8; 48];
        b[0..8].copy_from_slice(&42u64.to_le_bytes());
        b[8] = eventtype::CLOCK;
        b[16..20].copy_from_slice(&clockid::MONOTONIC.to_le_bytes());
        b[24..32].copy_from_slice(&1_000_000u64.to_le_bytes());
        b[32..40].copy_from_slice(&10u64.to_le_bytes());
        b[40..42].copy_from_slice(&SUBCLOCKFLAGS_ABSTIME.to_le_bytes());
        let s = Subscription::from_bytes(&b);
        assert_eq!(s.userdata, 42);
        assert_eq!(
            s.kind,
            SubscriptionKind::Clock {
                id: 1,
                timeout: 1_000_000,
                precision: 10,
                flags: 1
            }
        );
        let mut f = [0u8; 48];
        f[8] = eventtype::FD_READ;
        f[16..20].copy_from_slice(&5u32.to_le_bytes());
        assert_eq!(
            Subscription::from_bytes(&f).kind,
            SubscriptionKind::FdRead(5)
        );
        f[8] = eventtype::FD_WRITE;
        assert_eq!(
            Subscription::from_bytes(&f).kind,
            SubscriptionKind::FdWrite(5)
        );
        f[8] = 9;
        assert_eq!(
            Subscription::from_bytes(&f).kind,
            SubscriptionKind::Unknown(9)
        );
    }

    #[test]
    fn rights_sets_are_within_all() {
        assert_eq!(rights::SOCK_ACCEPT, 1 << 29);
        assert_eq!(
            rights::ALL & rights::DIRECTORY_INHERITING,
            rights::DIRECTORY_INHERITING
        );
        assert_eq!(rights::REGULAR_FILE_BASE & rights::PATH_OPEN, 0);
        assert_eq!(rights::DIRECTORY_BASE & rights::FD_WRITE, 0);
    }
}
