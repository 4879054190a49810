//! The guest's file-descriptor table and the `fd_*` calls.

mod ops;
mod readdir;

pub(crate) use ops::WRITE_RIGHTS;

use std::fs::File;

use cap_std::fs::Dir;

use crate::errno::{Errno, WasiResult};
use crate::stdio::{Input, Output};
use crate::types::{filetype, rights, Fd};

/// Most descriptors one guest may hold open at once (then EMFILE).
pub const MAX_FDS: usize = 1 << 14;

/// An open regular file (or other non-directory object) opened through a directory.
#[derive(Debug)]
pub(crate) struct FileFd {
    pub(crate) file: File,
    /// WASI `filetype` of the object, found when it was opened.
    pub(crate) filetype: u8,
    /// Opened through a read-only preopen: never written.
    pub(crate) read_only: bool,
}

/// An open directory.
#[derive(Debug)]
pub(crate) struct DirFd {
    pub(crate) dir: Dir,
    /// Inside a read-only preopen: nothing below it may be changed.
    pub(crate) read_only: bool,
    /// The guest path, for preopened directories (what `fd_prestat_dir_name` returns).
    pub(crate) preopen: Option<String>,
    /// The listing `fd_readdir` serves cookies from; read afresh at cookie 0.
    pub(crate) listing: Option<Vec<readdir::Listed>>,
}

/// What a descriptor refers to.
#[derive(Debug)]
pub(crate) enum Kind {
    Stdin(Input),
    Stdout(Output),
    File(FileFd),
    Dir(DirFd),
}

/// One descriptor: the object, its rights and its `fdflags`.
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) kind: Kind,
    pub(crate) base: u64,
    pub(crate) inheriting: u64,
    pub(crate) flags: u16,
}

impl Entry {
    pub(crate) fn stdin(input: Input) -> Entry {
        Entry {
            kind: Kind::Stdin(input),
            base: rights::INPUT_STREAM,
            inheriting: 0,
            flags: 0,
        }
    }

    pub(crate) fn output(output: Output) -> Entry {
        Entry {
            kind: Kind::Stdout(output),
            base: rights::OUTPUT_STREAM,
            inheriting: 0,
            flags: 0,
        }
    }

    pub(crate) fn dir(dir: Dir, read_only: bool, preopen: Option<String>) -> Entry {
        Entry {
            kind: Kind::Dir(DirFd {
                dir,
                read_only,
                preopen,
                listing: None,
            }),
            base: rights::DIRECTORY_BASE,
            inheriting: rights::DIRECTORY_INHERITING,
            flags: 0,
        }
    }

    pub(crate) fn file(file: FileFd, base: u64) -> Entry {
        Entry {
            kind: Kind::File(file),
            base,
            inheriting: 0,
            flags: 0,
        }
    }

    /// Fails with ENOTCAPABLE unless the descriptor holds every right in `needed`.
    pub(crate) fn require(&self, needed: u64) -> WasiResult<()> {
        if self.base & needed == needed {
            Ok(())
        } else {
            Err(Errno::Notcapable)
        }
    }

    /// The WASI file type of the descriptor.
    pub(crate) fn filetype(&self) -> u8 {
        match &self.kind {
            Kind::Stdin(i) if i.is_terminal() => filetype::CHARACTER_DEVICE,
            Kind::Stdout(o) if o.is_terminal() => filetype::CHARACTER_DEVICE,
            Kind::Stdin(_) | Kind::Stdout(_) => filetype::UNKNOWN,
            Kind::File(f) => f.filetype,
            Kind::Dir(_) => filetype::DIRECTORY,
        }
    }
}

/// The descriptor table: index = guest fd.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    slots: Vec<Option<Entry>>,
}

impl FdTable {
    /// Puts `entry` at the lowest free number.
    pub(crate) fn insert(&mut self, entry: Entry) -> WasiResult<Fd> {
        if let Some(i) = self.slots.iter().position(Option::is_none) {
            self.slots[i] = Some(entry);
            return Fd::try_from(i).map_err(|_| Errno::Mfile);
        }
        if self.slots.len() >= MAX_FDS {
            return Err(Errno::Mfile);
        }
        self.slots.push(Some(entry));
        Fd::try_from(self.slots.len() - 1).map_err(|_| Errno::Mfile)
    }

    pub(crate) fn get(&self, fd: Fd) -> WasiResult<&Entry> {
        self.slots
            .get(fd as usize)
            .and_then(Option::as_ref)
            .ok_or(Errno::Badf)
    }

    pub(crate) fn get_mut(&mut self, fd: Fd) -> WasiResult<&mut Entry> {
        self.slots
            .get_mut(fd as usize)
            .and_then(Option::as_mut)
            .ok_or(Errno::Badf)
    }

    pub(crate) fn remove(&mut self, fd: Fd) -> WasiResult<Entry> {
        let e = self
            .slots
            .get_mut(fd as usize)
            .and_then(Option::take)
            .ok_or(Errno::Badf)?;
        while matches!(self.slots.last(), Some(None)) {
            self.slots.pop();
        }
        Ok(e)
    }

    /// Moves `from` over `to` (closing what `to` held). Both must be open.
    pub(crate) fn renumber(&mut self, from: Fd, to: Fd) -> WasiResult<()> {
        self.get(from)?;
        self.get(to)?;
        if from == to {
            return Ok(());
        }
        let e = self.remove(from)?;
        let slot = self.slots.get_mut(to as usize).ok_or(Errno::Badf)?;
        *slot = Some(e);
        Ok(())
    }

    /// The directory behind `fd`, checked for `needed` rights.
    pub(crate) fn dir(&self, fd: Fd, needed: u64) -> WasiResult<(&DirFd, &Entry)> {
        let e = self.get(fd)?;
        match &e.kind {
            Kind::Dir(d) => {
                e.require(needed)?;
                Ok((d, e))
            }
            _ => Err(Errno::Notdir),
        }
    }

    /// Numbers of the open descriptors, in order.
    #[cfg(test)]
    pub(crate) fn open_fds(&self) -> impl Iterator<Item = Fd> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_some())
            .filter_map(|(i, _)| Fd::try_from(i).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink() -> Entry {
        Entry::output(Output::Sink)
    }

    #[test]
    fn lowest_free_number_is_reused() {
        let mut t = FdTable::default();
        assert_eq!(t.insert(sink()), Ok(0));
        assert_eq!(t.insert(sink()), Ok(1));
        assert_eq!(t.insert(sink()), Ok(2));
        t.remove(1).unwrap();
        assert_eq!(t.get(1).map(|_| ()), Err(Errno::Badf));
        assert_eq!(t.insert(sink()), Ok(1));
        assert_eq!(t.remove(7).map(|_| ()), Err(Errno::Badf));
        assert_eq!(t.open_fds().collect::<Vec<_>>(), vec![0, 1, 2]);
    }

    #[test]
    fn renumber_needs_both_open() {
        let mut t = FdTable::default();
        t.insert(Entry::stdin(Input::empty())).unwrap();
        t.insert(sink()).unwrap();
        assert_eq!(t.renumber(0, 5), Err(Errno::Badf));
        assert_eq!(t.renumber(5, 0), Err(Errno::Badf));
        t.renumber(0, 1).unwrap();
        assert!(matches!(t.get(1).unwrap().kind, Kind::Stdin(_)));
        assert_eq!(t.get(0).map(|_| ()), Err(Errno::Badf));
        t.renumber(1, 1).unwrap();
        assert!(t.get(1).is_ok());
    }

    #[test]
    fn table_is_bounded() {
        let mut t = FdTable::default();
        for _ in 0..MAX_FDS {
            t.insert(sink()).unwrap();
        }
        assert_eq!(t.insert(sink()), Err(Errno::Mfile));
    }

    #[test]
    fn rights_are_enforced() {
        let e = Entry::stdin(Input::empty());
        assert_eq!(e.require(rights::FD_READ), Ok(()));
        assert_eq!(e.require(rights::FD_WRITE), Err(Errno::Notcapable));
        assert_eq!(
            e.require(rights::FD_READ | rights::FD_SEEK),
            Err(Errno::Notcapable)
        );
        assert_eq!(e.filetype(), filetype::UNKNOWN);
    }
}
