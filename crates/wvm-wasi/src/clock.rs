//! Clocks: `clock_time_get`, `clock_res_get`, and deadlines for `poll_oneoff`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::errno::{Errno, WasiResult};
use crate::types::clockid;

fn duration_ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Reads a CPU-time clock of the host (`CLOCK_PROCESS_CPUTIME_ID`, `CLOCK_THREAD_CPUTIME_ID`).
#[cfg(unix)]
fn cpu_clock(id: libc::clockid_t, res: bool) -> WasiResult<u64> {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec that lives across the call; the clock id is
    // one of the constants libc defines; the functions write only into `ts`.
    let rc = unsafe {
        if res {
            libc::clock_getres(id, &mut ts)
        } else {
            libc::clock_gettime(id, &mut ts)
        }
    };
    if rc != 0 {
        return Err(Errno::from(std::io::Error::last_os_error()));
    }
    let secs = u64::try_from(ts.tv_sec).map_err(|_| Errno::Overflow)?;
    let nanos = u64::try_from(ts.tv_nsec).map_err(|_| Errno::Overflow)?;
    secs.checked_mul(1_000_000_000)
        .and_then(|s| s.checked_add(nanos))
        .ok_or(Errno::Overflow)
}

#[cfg(not(unix))]
fn cpu_clock(_id: i32, _res: bool) -> WasiResult<u64> {
    Err(Errno::Notsup)
}

#[cfg(unix)]
const PROCESS_CPU: libc::clockid_t = libc::CLOCK_PROCESS_CPUTIME_ID;
#[cfg(unix)]
const THREAD_CPU: libc::clockid_t = libc::CLOCK_THREAD_CPUTIME_ID;
#[cfg(not(unix))]
const PROCESS_CPU: i32 = 2;
#[cfg(not(unix))]
const THREAD_CPU: i32 = 3;

/// The current time of clock `id` in nanoseconds. Realtime counts from the Unix epoch;
/// monotonic counts from `start` (the creation of the context), so it never goes back.
pub fn now(id: u32, start: Instant) -> WasiResult<u64> {
    match id {
        clockid::REALTIME => {
            let d = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_err(|_| Errno::Overflow)?;
            Ok(duration_ns(d))
        }
        clockid::MONOTONIC => Ok(duration_ns(start.elapsed())),
        clockid::PROCESS_CPUTIME_ID => cpu_clock(PROCESS_CPU, false),
        clockid::THREAD_CPUTIME_ID => cpu_clock(THREAD_CPU, false),
        _ => Err(Errno::Inval),
    }
}

/// The resolution of clock `id` in nanoseconds.
pub fn resolution(id: u32) -> WasiResult<u64> {
    match id {
        clockid::REALTIME | clockid::MONOTONIC => Ok(1),
        clockid::PROCESS_CPUTIME_ID => cpu_clock(PROCESS_CPU, true).map(|r| r.max(1)),
        clockid::THREAD_CPUTIME_ID => cpu_clock(THREAD_CPU, true).map(|r| r.max(1)),
        _ => Err(Errno::Inval),
    }
}

/// How long from now until clock `id` reaches `timeout` (absolute) or `timeout` ns from now
/// (relative). Only the realtime and monotonic clocks can be waited on.
pub fn wait_for(id: u32, timeout: u64, absolute: bool, start: Instant) -> WasiResult<Duration> {
    match id {
        clockid::REALTIME | clockid::MONOTONIC => {}
        _ => return Err(Errno::Inval),
    }
    if !absolute {
        return Ok(Duration::from_nanos(timeout));
    }
    let current = now(id, start)?;
    Ok(Duration::from_nanos(timeout.saturating_sub(current)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_advance() {
        let start = Instant::now();
        let a = now(clockid::MONOTONIC, start).unwrap();
        std::thread::sleep(Duration::from_millis(2));
        let b = now(clockid::MONOTONIC, start).unwrap();
        assert!(b >= a + 2_000_000, "{a} {b}");
        // Realtime is after 2020-01-01.
        assert!(now(clockid::REALTIME, start).unwrap() > 1_577_836_800_000_000_000);
        let mut x = 0u64;
        for i in 0..200_000u64 {
            x = x.wrapping_add(i * i);
        }
        assert!(x > 0);
        assert!(now(clockid::PROCESS_CPUTIME_ID, start).unwrap() > 0);
        assert!(now(clockid::THREAD_CPUTIME_ID, start).unwrap() > 0);
        assert_eq!(now(4, start), Err(Errno::Inval));
    }

    #[test]
    fn resolutions() {
        for id in 0..4 {
            assert!(resolution(id).unwrap() >= 1);
        }
        assert_eq!(resolution(99), Err(Errno::Inval));
    }

    #[test]
    fn deadlines() {
        let start = Instant::now();
        assert_eq!(
            wait_for(clockid::MONOTONIC, 5, false, start),
            Ok(Duration::from_nanos(5))
        );
        assert_eq!(
            wait_for(clockid::MONOTONIC, 0, true, start),
            Ok(Duration::ZERO)
        );
        let far = now(clockid::REALTIME, start).unwrap() + 10_000_000_000;
        let d = wait_for(clockid::REALTIME, far, true, start).unwrap();
        assert!(d > Duration::from_secs(9) && d <= Duration::from_secs(10));
        assert_eq!(
            wait_for(clockid::PROCESS_CPUTIME_ID, 1, false, start),
            Err(Errno::Inval)
        );
    }
}
