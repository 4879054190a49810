//! `poll_oneoff`: waiting on clocks and on descriptor readiness.
//!
//! Regular files and in-memory streams are always ready; the only thing that can really be
//! waited for is an inherited host stdin, which is polled on the host with the nearest clock
//! deadline as timeout. With only clocks, the thread sleeps until the nearest deadline.

use std::time::{Duration, Instant};

use crate::clock;
use crate::ctx::WasiCtx;
use crate::errno::{Errno, WasiResult};
use crate::fd::Kind;
use crate::mem::GuestMemory;
use crate::types::{
    eventtype, rights, Event, Subscription, SubscriptionKind, EVENTRWFLAGS_FD_READWRITE_HANGUP,
    SUBCLOCKFLAGS_ABSTIME,
};

/// What one subscription amounts to right now.
enum State {
    /// Its event has happened (or failed).
    Ready(Event),
    /// A clock that fires after this long.
    Timer(Duration),
    /// An inherited host stream to wait on for reading.
    #[cfg(unix)]
    HostRead(std::os::fd::RawFd),
}

fn event(sub: &Subscription, kind: u8) -> Event {
    Event {
        userdata: sub.userdata,
        kind,
        ..Event::default()
    }
}

fn failed(sub: &Subscription, kind: u8, err: Errno) -> Event {
    Event {
        error: err.raw(),
        ..event(sub, kind)
    }
}

impl WasiCtx {
    fn fd_readiness(&self, sub: &Subscription, fd: u32, read: bool) -> State {
        let kind = if read {
            eventtype::FD_READ
        } else {
            eventtype::FD_WRITE
        };
        let e = match self.fds.get(fd) {
            Ok(e) => e,
            Err(err) => return State::Ready(failed(sub, kind, err)),
        };
        if let Err(err) = e.require(rights::POLL_FD_READWRITE) {
            return State::Ready(failed(sub, kind, err));
        }
        let ready = |nbytes: u64, flags: u16| {
            State::Ready(Event {
                nbytes,
                flags,
                ..event(sub, kind)
            })
        };
        match (&e.kind, read) {
            (Kind::File(f), true) => {
                let size = f.file.metadata().map(|m| m.len()).unwrap_or(0);
                let pos = std::io::Seek::stream_position(&mut &f.file).unwrap_or(size);
                ready(size.saturating_sub(pos), 0)
            }
            (Kind::File(_), false) | (Kind::Stdout(_), false) => ready(0, 0),
            (Kind::Stdin(input), true) => match input.available() {
                Some(0) => ready(0, EVENTRWFLAGS_FD_READWRITE_HANGUP),
                Some(n) => ready(n, 0),
                #[cfg(unix)]
                None => match input.host_fd() {
                    Some(raw) => State::HostRead(raw),
                    None => ready(0, 0),
                },
                #[cfg(not(unix))]
                None => ready(1, 0),
            },
            _ => State::Ready(failed(sub, kind, Errno::Badf)),
        }
    }

    /// `poll_oneoff`.
    pub fn poll_oneoff(
        &mut self,
        mem: &mut GuestMemory<'_>,
        in_ptr: u32,
        out_ptr: u32,
        nsubs: u32,
        nevents: u32,
    ) -> WasiResult<()> {
        if nsubs == 0 {
            return Err(Errno::Inval);
        }
        let in_len = nsubs.checked_mul(Subscription::SIZE).ok_or(Errno::Fault)?;
        let out_len = nsubs.checked_mul(Event::SIZE).ok_or(Errno::Fault)?;
        mem.slice(in_ptr, in_len)?;
        mem.slice(out_ptr, out_len)?;
        let mut subs = Vec::new();
        for i in 0..nsubs {
            // In bounds: the whole array was checked above.
            subs.push(Subscription::decode(mem, in_ptr + i * Subscription::SIZE)?);
        }
        let states: Vec<State> = subs
            .iter()
            .map(|sub| match sub.kind {
                SubscriptionKind::Clock {
                    id, timeout, flags, ..
                } => {
                    let abs = flags & SUBCLOCKFLAGS_ABSTIME != 0;
                    match clock::wait_for(id, timeout, abs, self.start) {
                        Ok(d) if d.is_zero() => State::Ready(event(sub, eventtype::CLOCK)),
                        Ok(d) => State::Timer(d),
                        Err(e) => State::Ready(failed(sub, eventtype::CLOCK, e)),
                    }
                }
                SubscriptionKind::FdRead(fd) => self.fd_readiness(sub, fd, true),
                SubscriptionKind::FdWrite(fd) => self.fd_readiness(sub, fd, false),
                SubscriptionKind::Unknown(tag) => State::Ready(failed(sub, tag, Errno::Inval)),
            })
            .collect();

        let mut events: Vec<Event> = states
            .iter()
            .filter_map(|s| match s {
                State::Ready(e) => Some(*e),
                _ => None,
            })
            .collect();
        if events.is_empty() {
            let nearest = states
                .iter()
                .filter_map(|s| match s {
                    State::Timer(d) => Some(*d),
                    _ => None,
                })
                .min();
            let began = Instant::now();
            #[cfg(unix)]
            {
                let host: Vec<(usize, std::os::fd::RawFd)> = states
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| match s {
                        State::HostRead(fd) => Some((i, *fd)),
                        _ => None,
                    })
                    .collect();
                if !host.is_empty() {
                    for (i, hangup) in wait_host(&host, nearest)? {
                        events.push(Event {
                            nbytes: u64::from(!hangup),
                            flags: if hangup {
                                EVENTRWFLAGS_FD_READWRITE_HANGUP
                            } else {
                                0
                            },
                            ..event(&subs[i], eventtype::FD_READ)
                        });
                    }
                }
            }
            if events.is_empty() {
                if let Some(d) = nearest {
                    if let Some(rest) = d.checked_sub(began.elapsed()) {
                        std::thread::sleep(rest);
                    }
                    for (sub, s) in subs.iter().zip(&states) {
                        if matches!(s, State::Timer(t) if *t <= d) {
                            events.push(event(sub, eventtype::CLOCK));
                        }
                    }
                }
            }
        }
        for (i, e) in events.iter().enumerate() {
            let at = u32::try_from(i)
                .ok()
                .and_then(|i| i.checked_mul(Event::SIZE))
                .and_then(|o| out_ptr.checked_add(o))
                .ok_or(Errno::Fault)?;
            mem.write_bytes(at, &e.to_bytes())?;
        }
        mem.write_u32(nevents, u32::try_from(events.len()).unwrap_or(u32::MAX))
    }
}

/// Waits until one of the host descriptors is readable or `timeout` passes; returns the
/// indices that became readable and whether each hung up.
#[cfg(unix)]
pub(crate) fn wait_host(
    fds: &[(usize, std::os::fd::RawFd)],
    timeout: Option<Duration>,
) -> WasiResult<Vec<(usize, bool)>> {
    // A deadline too far to represent is no deadline.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let mut pfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|&(_, fd)| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    loop {
        let ms: libc::c_int = match deadline {
            None => -1,
            Some(dl) => {
                let left = dl.saturating_duration_since(Instant::now());
                // Round up so a sub-millisecond wait does not spin.
                let ms = left.as_nanos().div_ceil(1_000_000);
                libc::c_int::try_from(ms).unwrap_or(libc::c_int::MAX)
            }
        };
        let n = libc::nfds_t::try_from(pfds.len()).map_err(|_| Errno::Inval)?;
        // SAFETY: `pfds` is a live, exclusively borrowed array of `n` initialised pollfd
        // structs; poll only writes their `revents` fields and keeps no pointer after returning.
        let rc = unsafe { libc::poll(pfds.as_mut_ptr(), n, ms) };
        if rc < 0 {
            let err = std::io::Error::last_os_error();
            if err.kind() == std::io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err.into());
        }
        let ready: Vec<(usize, bool)> = fds
            .iter()
            .zip(&pfds)
            .filter(|(_, p)| p.revents != 0)
            .map(|(&(i, _), p)| (i, p.revents & libc::POLLIN == 0))
            .collect();
        return Ok(ready);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::clockid;
    use crate::WasiCtxBuilder;

    fn clock_sub(userdata: u64, timeout: u64) -> [u8; 48] {
        let mut b = [0u8; 48];
        b[0..8].copy_from_slice(&userdata.to_le_bytes());
        b[8] = eventtype::CLOCK;
        b[16..20].copy_from_slice(&clockid::MONOTONIC.to_le_bytes());
        b[24..32].copy_from_slice(&timeout.to_le_bytes());
        b
    }

    fn fd_sub(userdata: u64, kind: u8, fd: u32) -> [u8; 48] {
        let mut b = [0u8; 48];
        b[0..8].copy_from_slice(&userdata.to_le_bytes());
        b[8] = kind;
        b[16..20].copy_from_slice(&fd.to_le_bytes());
        b
    }

    #[test]
    fn clock_only_sleeps_and_fires_nearest() {
        let mut ctx = WasiCtxBuilder::new().build().unwrap();
        let mut buf = vec![0u8; 1024];
        buf[0..48].copy_from_slice(&clock_sub(7, 20_000_000));
        buf[48..96].copy_from_slice(&clock_sub(8, 5_000_000));
        let mut m = GuestMemory::new(&mut buf);
        let t = Instant::now();
        ctx.poll_oneoff(&mut m, 0, 200, 2, 500).unwrap();
        assert!(t.elapsed() >= Duration::from_millis(5));
        assert!(t.elapsed() < Duration::from_millis(20));
        assert_eq!(m.read_u32(500), Ok(1));
        assert_eq!(m.read_u64(200), Ok(8));
        assert_eq!(m.read_u8(210), Ok(eventtype::CLOCK));
        assert_eq!(m.read_u16(208), Ok(0));
    }

    #[test]
    fn ready_fds_return_without_waiting() {
        let mut ctx = WasiCtxBuilder::new()
            .stdin_bytes(b"xyz".to_vec())
            .build()
            .unwrap();
        let mut buf = vec![0u8; 1024];
        buf[0..48].copy_from_slice(&clock_sub(1, 10_000_000_000));
        buf[48..96].copy_from_slice(&fd_sub(2, eventtype::FD_READ, 0));
        buf[96..144].copy_from_slice(&fd_sub(3, eventtype::FD_WRITE, 1));
        buf[144..192].copy_from_slice(&fd_sub(4, eventtype::FD_READ, 99));
        let mut m = GuestMemory::new(&mut buf);
        let t = Instant::now();
        ctx.poll_oneoff(&mut m, 0, 256, 4, 600).unwrap();
        assert!(t.elapsed() < Duration::from_secs(5));
        assert_eq!(m.read_u32(600), Ok(3));
        // stdin: 3 bytes ready.
        assert_eq!(m.read_u64(256), Ok(2));
        assert_eq!(m.read_u64(256 + 16), Ok(3));
        // stdout writable.
        assert_eq!(m.read_u64(288), Ok(3));
        assert_eq!(m.read_u8(288 + 10), Ok(eventtype::FD_WRITE));
        // fd 99: EBADF.
        assert_eq!(m.read_u64(320), Ok(4));
        assert_eq!(m.read_u16(328), Ok(Errno::Badf.raw()));
    }

    #[test]
    fn huge_timeouts_do_not_overflow() {
        let mut ctx = WasiCtxBuilder::new()
            .stdin_bytes(b"x".to_vec())
            .build()
            .unwrap();
        let mut buf = vec![0u8; 1024];
        buf[0..48].copy_from_slice(&clock_sub(1, u64::MAX));
        buf[48..96].copy_from_slice(&fd_sub(2, eventtype::FD_READ, 0));
        let mut m = GuestMemory::new(&mut buf);
        ctx.poll_oneoff(&mut m, 0, 200, 2, 500).unwrap();
        assert_eq!(m.read_u32(500), Ok(1));
        assert_eq!(m.read_u64(200), Ok(2));
        // The host wait with an unrepresentable deadline: data is there, so it returns.
        #[cfg(unix)]
        {
            use std::io::Write;
            use std::os::fd::AsRawFd;
            let (reader, mut writer) = std::io::pipe().unwrap();
            writer.write_all(b"y").unwrap();
            let ready = wait_host(&[(7, reader.as_raw_fd())], Some(Duration::MAX)).unwrap();
            assert_eq!(ready, vec![(7, false)]);
        }
    }

    #[test]
    fn bad_arguments() {
        let mut ctx = WasiCtxBuilder::new().build().unwrap();
        let mut buf = vec![0u8; 128];
        let mut m = GuestMemory::new(&mut buf);
        assert_eq!(ctx.poll_oneoff(&mut m, 0, 64, 0, 100), Err(Errno::Inval));
        assert_eq!(ctx.poll_oneoff(&mut m, 0, 64, 3, 100), Err(Errno::Fault));
        assert_eq!(
            ctx.poll_oneoff(&mut m, 0, 64, u32::MAX, 100),
            Err(Errno::Fault)
        );
    }

    #[cfg(unix)]
    #[test]
    fn inherited_stream_is_polled_on_the_host() {
        use crate::fd::Entry;
        use crate::stdio::Input;
        use std::io::Write;

        let (reader, mut writer) = std::io::pipe().unwrap();
        let file = std::fs::File::from(std::os::fd::OwnedFd::from(reader));
        let mut ctx = WasiCtx::default();
        let fd = ctx.fds.insert(Entry::stdin(Input::Inherit(file))).unwrap();
        let mut buf = vec![0u8; 1024];
        buf[0..48].copy_from_slice(&fd_sub(1, eventtype::FD_READ, fd));
        buf[48..96].copy_from_slice(&clock_sub(2, 30_000_000));
        let mut m = GuestMemory::new(&mut buf);

        // Nothing to read: the clock fires after the timeout.
        let t = Instant::now();
        ctx.poll_oneoff(&mut m, 0, 200, 2, 500).unwrap();
        assert!(t.elapsed() >= Duration::from_millis(30));
        assert_eq!(m.read_u32(500), Ok(1));
        assert_eq!(m.read_u64(200), Ok(2));

        // Data waiting: the read event, at once.
        writer.write_all(b"x").unwrap();
        ctx.poll_oneoff(&mut m, 0, 200, 2, 500).unwrap();
        assert_eq!(m.read_u32(500), Ok(1));
        assert_eq!(m.read_u64(200), Ok(1));
        assert_eq!(m.read_u8(210), Ok(eventtype::FD_READ));
        assert_eq!(m.read_u16(224), Ok(0));

        // Drained and the writer gone: a hang-up.
        let mut one = [0u8; 1];
        ctx.fds
            .get_mut(fd)
            .map(|e| match &mut e.kind {
                Kind::Stdin(i) => i.read(&mut one).unwrap(),
                _ => 0,
            })
            .unwrap();
        drop(writer);
        ctx.poll_oneoff(&mut m, 0, 200, 2, 500).unwrap();
        assert_eq!(m.read_u64(200), Ok(1));
        assert_eq!(m.read_u16(224), Ok(EVENTRWFLAGS_FD_READWRITE_HANGUP));
    }

    #[cfg(unix)]
    #[test]
    fn nonblocking_host_read_gives_eagain() {
        use crate::fd::Entry;
        use crate::stdio::Input;
        use crate::types::fdflags;
        use std::io::Write;

        let (reader, mut writer) = std::io::pipe().unwrap();
        let file = std::fs::File::from(std::os::fd::OwnedFd::from(reader));
        let mut ctx = WasiCtx::default();
        let fd = ctx.fds.insert(Entry::stdin(Input::Inherit(file))).unwrap();
        ctx.fd_fdstat_set_flags(fd, fdflags::NONBLOCK).unwrap();
        let mut buf = vec![0u8; 256];
        let mut m = GuestMemory::new(&mut buf);
        m.write_u32(0, 100).unwrap();
        m.write_u32(4, 10).unwrap();
        assert_eq!(ctx.fd_read(&mut m, fd, 0, 1, 8), Err(Errno::Again));
        writer.write_all(b"ok").unwrap();
        ctx.fd_read(&mut m, fd, 0, 1, 8).unwrap();
        assert_eq!(m.read_u32(8), Ok(2));
        assert_eq!(m.slice(100, 2).unwrap(), b"ok");
    }
}
