//! WASI preview 1 error numbers (`errno` in the witx typenames) and the mapping from host
//! I/O errors to them.

use std::fmt;
use std::io;

macro_rules! errnos {
    ($($name:ident = $value:literal, $text:literal;)*) => {
        /// A WASI preview 1 error number. The discriminants are the values the guest sees.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u16)]
        pub enum Errno {
            $(#[doc = $text] $name = $value,)*
        }

        impl Errno {
            /// Every error number, in numeric order.
            pub const ALL: &'static [Errno] = &[$(Errno::$name,)*];

            /// A short description, as in the witx documentation.
            pub fn description(self) -> &'static str {
                match self {
                    $(Errno::$name => $text,)*
                }
            }

            /// The error number with this numeric value, if there is one.
            pub fn from_raw(value: u16) -> Option<Errno> {
                match value {
                    $($value => Some(Errno::$name),)*
                    _ => None,
                }
            }
        }
    };
}

errnos! {
    Success = 0, "No error occurred.";
    TooBig = 1, "Argument list too long.";
    Acces = 2, "Permission denied.";
    Addrinuse = 3, "Address in use.";
    Addrnotavail = 4, "Address not available.";
    Afnosupport = 5, "Address family not supported.";
    Again = 6, "Resource unavailable, or operation would block.";
    Already = 7, "Connection already in progress.";
    Badf = 8, "Bad file descriptor.";
    Badmsg = 9, "Bad message.";
    Busy = 10, "Device or resource busy.";
    Canceled = 11, "Operation canceled.";
    Child = 12, "No child processes.";
    Connaborted = 13, "Connection aborted.";
    Connrefused = 14, "Connection refused.";
    Connreset = 15, "Connection reset.";
    Deadlk = 16, "Resource deadlock would occur.";
    Destaddrreq = 17, "Destination address required.";
    Dom = 18, "Mathematics argument out of domain of function.";
    Dquot = 19, "Reserved.";
    Exist = 20, "File exists.";
    Fault = 21, "Bad address.";
    Fbig = 22, "File too large.";
    Hostunreach = 23, "Host is unreachable.";
    Idrm = 24, "Identifier removed.";
    Ilseq = 25, "Illegal byte sequence.";
    Inprogress = 26, "Operation in progress.";
    Intr = 27, "Interrupted function.";
    Inval = 28, "Invalid argument.";
    Io = 29, "I/O error.";
    Isconn = 30, "Socket is connected.";
    Isdir = 31, "Is a directory.";
    Loop = 32, "Too many levels of symbolic links.";
    Mfile = 33, "File descriptor value too large.";
    Mlink = 34, "Too many links.";
    Msgsize = 35, "Message too large.";
    Multihop = 36, "Reserved.";
    Nametoolong = 37, "Filename too long.";
    Netdown = 38, "Network is down.";
    Netreset = 39, "Connection aborted by network.";
    Netunreach = 40, "Network unreachable.";
    Nfile = 41, "Too many files open in system.";
    Nobufs = 42, "No buffer space available.";
    Nodev = 43, "No such device.";
    Noent = 44, "No such file or directory.";
    Noexec = 45, "Executable file format error.";
    Nolck = 46, "No locks available.";
    Nolink = 47, "Reserved.";
    Nomem = 48, "Not enough space.";
    Nomsg = 49, "No message of the desired type.";
    Noprotoopt = 50, "Protocol not available.";
    Nospc = 51, "No space left on device.";
    Nosys = 52, "Function not supported.";
    Notconn = 53, "The socket is not connected.";
    Notdir = 54, "Not a directory or a symbolic link to a directory.";
    Notempty = 55, "Directory not empty.";
    Notrecoverable = 56, "State not recoverable.";
    Notsock = 57, "Not a socket.";
    Notsup = 58, "Not supported, or operation not supported on socket.";
    Notty = 59, "Inappropriate I/O control operation.";
    Nxio = 60, "No such device or address.";
    Overflow = 61, "Value too large to be stored in data type.";
    Ownerdead = 62, "Previous owner died.";
    Perm = 63, "Operation not permitted.";
    Pipe = 64, "Broken pipe.";
    Proto = 65, "Protocol error.";
    Protonosupport = 66, "Protocol not supported.";
    Prototype = 67, "Protocol wrong type for socket.";
    Range = 68, "Result too large.";
    Rofs = 69, "Read-only file system.";
    Spipe = 70, "Invalid seek.";
    Srch = 71, "No such process.";
    Stale = 72, "Reserved.";
    Timedout = 73, "Connection timed out.";
    Txtbsy = 74, "Text file busy.";
    Xdev = 75, "Cross-device link.";
    Notcapable = 76, "Extension: Capabilities insufficient.";
}

impl Errno {
    /// The numeric value the guest sees.
    pub fn raw(self) -> u16 {
        self as u16
    }

    /// Maps a host OS error number (`errno` of the C library) to the WASI one.
    #[cfg(unix)]
    pub fn from_host_errno(code: i32) -> Errno {
        use libc as c;
        match code {
            c::E2BIG => Errno::TooBig,
            c::EACCES => Errno::Acces,
            c::EADDRINUSE => Errno::Addrinuse,
            c::EADDRNOTAVAIL => Errno::Addrnotavail,
            c::EAFNOSUPPORT => Errno::Afnosupport,
            c::EAGAIN => Errno::Again,
            c::EALREADY => Errno::Already,
            c::EBADF => Errno::Badf,
            c::EBADMSG => Errno::Badmsg,
            c::EBUSY => Errno::Busy,
            c::ECANCELED => Errno::Canceled,
            c::ECHILD => Errno::Child,
            c::ECONNABORTED => Errno::Connaborted,
            c::ECONNREFUSED => Errno::Connrefused,
            c::ECONNRESET => Errno::Connreset,
            c::EDEADLK => Errno::Deadlk,
            c::EDESTADDRREQ => Errno::Destaddrreq,
            c::EDOM => Errno::Dom,
            c::EDQUOT => Errno::Dquot,
            c::EEXIST => Errno::Exist,
            c::EFAULT => Errno::Fault,
            c::EFBIG => Errno::Fbig,
            c::EHOSTUNREACH => Errno::Hostunreach,
            c::EIDRM => Errno::Idrm,
            c::EILSEQ => Errno::Ilseq,
            c::EINPROGRESS => Errno::Inprogress,
            c::EINTR => Errno::Intr,
            c::EINVAL => Errno::Inval,
            c::EIO => Errno::Io,
            c::EISCONN => Errno::Isconn,
            c::EISDIR => Errno::Isdir,
            c::ELOOP => Errno::Loop,
            c::EMFILE => Errno::Mfile,
            c::EMLINK => Errno::Mlink,
            c::EMSGSIZE => Errno::Msgsize,
            c::EMULTIHOP => Errno::Multihop,
            c::ENAMETOOLONG => Errno::Nametoolong,
            c::ENETDOWN => Errno::Netdown,
            c::ENETRESET => Errno::Netreset,
            c::ENETUNREACH => Errno::Netunreach,
            c::ENFILE => Errno::Nfile,
            c::ENOBUFS => Errno::Nobufs,
            c::ENODEV => Errno::Nodev,
            c::ENOENT => Errno::Noent,
            c::ENOEXEC => Errno::Noexec,
            c::ENOLCK => Errno::Nolck,
            c::ENOLINK => Errno::Nolink,
            c::ENOMEM => Errno::Nomem,
            c::ENOMSG => Errno::Nomsg,
            c::ENOPROTOOPT => Errno::Noprotoopt,
            c::ENOSPC => Errno::Nospc,
            c::ENOSYS => Errno::Nosys,
            c::ENOTCONN => Errno::Notconn,
            c::ENOTDIR => Errno::Notdir,
            c::ENOTEMPTY => Errno::Notempty,
            c::ENOTRECOVERABLE => Errno::Notrecoverable,
            c::ENOTSOCK => Errno::Notsock,
            c::ENOTSUP => Errno::Notsup,
            c::ENOTTY => Errno::Notty,
            c::ENXIO => Errno::Nxio,
            c::EOVERFLOW => Errno::Overflow,
            c::EOWNERDEAD => Errno::Ownerdead,
            c::EPERM => Errno::Perm,
            c::EPIPE => Errno::Pipe,
            c::EPROTO => Errno::Proto,
            c::EPROTONOSUPPORT => Errno::Protonosupport,
            c::EPROTOTYPE => Errno::Prototype,
            c::ERANGE => Errno::Range,
            c::EROFS => Errno::Rofs,
            c::ESPIPE => Errno::Spipe,
            c::ESRCH => Errno::Srch,
            c::ESTALE => Errno::Stale,
            c::ETIMEDOUT => Errno::Timedout,
            c::ETXTBSY => Errno::Txtbsy,
            c::EXDEV => Errno::Xdev,
            _ => Errno::Io,
        }
    }

    /// Maps a host OS error number to the WASI one (non-Unix hosts: no raw mapping).
    #[cfg(not(unix))]
    pub fn from_host_errno(_code: i32) -> Errno {
        Errno::Io
    }
}

impl From<io::Error> for Errno {
    fn from(err: io::Error) -> Errno {
        Errno::from(&err)
    }
}

impl From<&io::Error> for Errno {
    fn from(err: &io::Error) -> Errno {
        if let Some(code) = err.raw_os_error() {
            return Errno::from_host_errno(code);
        }
        // Errors made by the standard library or by cap-std without an OS error number. cap-std
        // reports a path that would leave the sandbox as `PermissionDenied`.
        match err.kind() {
            io::ErrorKind::NotFound => Errno::Noent,
            io::ErrorKind::PermissionDenied => Errno::Perm,
            io::ErrorKind::AlreadyExists => Errno::Exist,
            io::ErrorKind::WouldBlock => Errno::Again,
            io::ErrorKind::InvalidInput => Errno::Inval,
            io::ErrorKind::InvalidData => Errno::Ilseq,
            io::ErrorKind::Interrupted => Errno::Intr,
            io::ErrorKind::Unsupported => Errno::Notsup,
            io::ErrorKind::OutOfMemory => Errno::Nomem,
            io::ErrorKind::BrokenPipe => Errno::Pipe,
            io::ErrorKind::NotADirectory => Errno::Notdir,
            io::ErrorKind::IsADirectory => Errno::Isdir,
            io::ErrorKind::DirectoryNotEmpty => Errno::Notempty,
            io::ErrorKind::ReadOnlyFilesystem => Errno::Rofs,
            io::ErrorKind::StorageFull => Errno::Nospc,
            io::ErrorKind::FileTooLarge => Errno::Fbig,
            io::ErrorKind::InvalidFilename => Errno::Nametoolong,
            io::ErrorKind::CrossesDevices => Errno::Xdev,
            io::ErrorKind::TooManyLinks => Errno::Mlink,
            io::ErrorKind::ResourceBusy => Errno::Busy,
            io::ErrorKind::Deadlock => Errno::Deadlk,
            io::ErrorKind::ExecutableFileBusy => Errno::Txtbsy,
            io::ErrorKind::TimedOut => Errno::Timedout,
            _ => Errno::Io,
        }
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "errno {} ({})", self.raw(), self.description())
    }
}

impl std::error::Error for Errno {}

/// The result of a WASI call before it is turned into the errno the guest sees.
pub type WasiResult<T> = Result<T, Errno>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_dense_and_match_witx_order() {
        assert_eq!(Errno::ALL.len(), 77);
        for (i, e) in Errno::ALL.iter().enumerate() {
            assert_eq!(e.raw() as usize, i, "{e:?}");
            assert_eq!(Errno::from_raw(i as u16), Some(*e));
        }
        assert_eq!(Errno::from_raw(77), None);
    }

    #[test]
    fn well_known_values() {
        assert_eq!(Errno::Badf.raw(), 8);
        assert_eq!(Errno::Exist.raw(), 20);
        assert_eq!(Errno::Fault.raw(), 21);
        assert_eq!(Errno::Inval.raw(), 28);
        assert_eq!(Errno::Noent.raw(), 44);
        assert_eq!(Errno::Nosys.raw(), 52);
        assert_eq!(Errno::Notdir.raw(), 54);
        assert_eq!(Errno::Notsup.raw(), 58);
        assert_eq!(Errno::Perm.raw(), 63);
        assert_eq!(Errno::Rofs.raw(), 69);
        assert_eq!(Errno::Spipe.raw(), 70);
        assert_eq!(Errno::Notcapable.raw(), 76);
    }

    #[cfg(unix)]
    #[test]
    fn host_errors_map() {
        let cases = [
            (libc::ENOENT, Errno::Noent),
            (libc::EEXIST, Errno::Exist),
            (libc::ENOTEMPTY, Errno::Notempty),
            (libc::EISDIR, Errno::Isdir),
            (libc::ELOOP, Errno::Loop),
            (libc::EROFS, Errno::Rofs),
            (libc::EXDEV, Errno::Xdev),
            (libc::EBADF, Errno::Badf),
        ];
        for (host, wasi) in cases {
            assert_eq!(Errno::from(io::Error::from_raw_os_error(host)), wasi);
        }
        assert_eq!(
            Errno::from(io::Error::from_raw_os_error(100_000)),
            Errno::Io
        );
    }

    #[test]
    fn error_kinds_without_os_code_map() {
        let escape = io::Error::new(io::ErrorKind::PermissionDenied, "outside");
        assert_eq!(Errno::from(escape), Errno::Perm);
        let missing = io::Error::new(io::ErrorKind::NotFound, "x");
        assert_eq!(Errno::from(missing), Errno::Noent);
        let other = io::Error::other("x");
        assert_eq!(Errno::from(other), Errno::Io);
    }
}
