//! The guest's standard streams: inherited from the host process, fed from / captured to
//! memory buffers (tests, embedders), or empty.

use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex, PoisonError};

/// A shared byte buffer that captures what the guest writes to stdout or stderr.
///
/// Clone it before handing it to [`crate::WasiCtxBuilder`]; read it back with
/// [`OutputBuffer::contents`] after the guest ran.
#[derive(Clone, Debug, Default)]
pub struct OutputBuffer(Arc<Mutex<Vec<u8>>>);

impl OutputBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything written so far.
    pub fn contents(&self) -> Vec<u8> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn append(&self, data: &[u8]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(data);
    }
}

/// Where the guest's stdin comes from.
#[derive(Debug)]
pub(crate) enum Input {
    /// The host process's stdin (a duplicate of its descriptor, read unbuffered).
    Inherit(File),
    /// Fixed bytes, then end of file.
    Bytes { data: Vec<u8>, pos: usize },
}

impl Input {
    pub(crate) fn empty() -> Self {
        Input::Bytes {
            data: Vec::new(),
            pos: 0,
        }
    }

    /// Reads into `buf`; 0 means end of file.
    pub(crate) fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Inherit(f) => f.read(buf),
            Input::Bytes { data, pos } => {
                let rest = data.get(*pos..).unwrap_or(&[]);
                let n = rest.len().min(buf.len());
                buf[..n].copy_from_slice(&rest[..n]);
                *pos += n;
                Ok(n)
            }
        }
    }

    /// Bytes known to be available without blocking (`None`: the host stream, unknown).
    pub(crate) fn available(&self) -> Option<u64> {
        match self {
            Input::Inherit(_) => None,
            Input::Bytes { data, pos } => Some(data.len().saturating_sub(*pos) as u64),
        }
    }

    pub(crate) fn is_terminal(&self) -> bool {
        match self {
            Input::Inherit(f) => io::IsTerminal::is_terminal(f),
            Input::Bytes { .. } => false,
        }
    }

    /// The host descriptor to wait on, for an inherited stream.
    #[cfg(unix)]
    pub(crate) fn host_fd(&self) -> Option<std::os::fd::RawFd> {
        match self {
            Input::Inherit(f) => Some(std::os::fd::AsRawFd::as_raw_fd(f)),
            Input::Bytes { .. } => None,
        }
    }
}

/// Where the guest's stdout or stderr goes.
#[derive(Debug)]
pub(crate) enum Output {
    /// The host process's stream (a duplicate of its descriptor, written unbuffered).
    Inherit(File),
    /// Captured in memory.
    Buffer(OutputBuffer),
    /// Discarded.
    Sink,
}

impl Output {
    pub(crate) fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        match self {
            Output::Inherit(f) => f.write_all(data),
            Output::Buffer(b) => {
                b.append(data);
                Ok(())
            }
            Output::Sink => Ok(()),
        }
    }

    pub(crate) fn is_terminal(&self) -> bool {
        match self {
            Output::Inherit(f) => io::IsTerminal::is_terminal(f),
            _ => false,
        }
    }
}

/// Duplicates one of the host's standard descriptors so the guest can use it unbuffered.
pub(crate) fn dup_host_stream(fd: impl std::os::fd::AsFd) -> io::Result<File> {
    Ok(File::from(fd.as_fd().try_clone_to_owned()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_input_reads_then_eof() {
        let mut i = Input::Bytes {
            data: b"abcdef".to_vec(),
            pos: 0,
        };
        let mut buf = [0u8; 4];
        assert_eq!(i.read(&mut buf).unwrap(), 4);
        assert_eq!(&buf, b"abcd");
        assert_eq!(i.available(), Some(2));
        assert_eq!(i.read(&mut buf).unwrap(), 2);
        assert_eq!(&buf[..2], b"ef");
        assert_eq!(i.read(&mut buf).unwrap(), 0);
        assert_eq!(i.available(), Some(0));
    }

    #[test]
    fn buffer_output_is_shared() {
        let b = OutputBuffer::new();
        let mut o = Output::Buffer(b.clone());
        o.write_all(b"hi ").unwrap();
        o.write_all(b"there").unwrap();
        assert_eq!(b.contents(), b"hi there");
        let mut s = Output::Sink;
        s.write_all(b"gone").unwrap();
        assert!(!s.is_terminal());
    }
}
