//! The per-file time limit, checked cooperatively.
//!
//! Threads cannot be killed, so a reader stops itself: the scanner sets a deadline for the file
//! in a thread-local, and readers call [`check`] in their loops (per segment emitted, zip
//! member, unpacked block, PDF operation batch, XML event batch, CSV record batch). Past the
//! deadline, `check` unwinds with a [`TimeLimit`] payload (through `resume_unwind`, so the panic
//! hook stays silent); the scanner catches it, keeps what was found so far and reports the file
//! as partly inspected. Readers that catch panics themselves pass this one on ([`rethrow`]).
//! Code that never calls `check` (inside a third-party parser) is covered by the scanner's
//! watchdog instead.

use std::any::Any;
use std::cell::Cell;
use std::panic::resume_unwind;
use std::time::Instant;

/// The payload a reader unwinds with when its file's deadline has passed.
#[derive(Debug)]
pub struct TimeLimit;

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Restores the previous deadline of this thread when dropped.
#[must_use]
pub struct DeadlineGuard(Option<Instant>);

impl Drop for DeadlineGuard {
    fn drop(&mut self) {
        DEADLINE.with(|c| c.set(self.0));
    }
}

/// Sets this thread's deadline (`None`: no limit) until the guard is dropped.
pub fn set_deadline(deadline: Option<Instant>) -> DeadlineGuard {
    DeadlineGuard(DEADLINE.with(|c| c.replace(deadline)))
}

/// Unwinds with [`TimeLimit`] if this thread's deadline has passed. Cheap: one thread-local
/// read, and a clock read only when a deadline is set.
#[inline]
pub fn check() {
    if let Some(d) = DEADLINE.with(|c| c.get()) {
        if Instant::now() >= d {
            resume_unwind(Box::new(TimeLimit));
        }
    }
}

/// Calls [`check`] once every `every` calls of a loop (`*n` counts them).
#[inline]
pub fn tick(n: &mut u32, every: u32) {
    *n = n.wrapping_add(1);
    if n.is_multiple_of(every) {
        check();
    }
}

/// For readers that catch panics (of third-party parsers): passes a [`TimeLimit`] on, returns
/// any other payload.
pub fn rethrow(payload: Box<dyn Any + Send>) -> Box<dyn Any + Send> {
    if payload.is::<TimeLimit>() {
        resume_unwind(payload);
    }
    payload
}

/// Whether a caught panic payload is a [`TimeLimit`].
pub fn is_time_limit(payload: &(dyn Any + Send)) -> bool {
    payload.is::<TimeLimit>()
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::time::Duration;

    use super::*;
    use crate::read::{read_bytes, Ctx, ReadOptions};

    /// Reads `bytes`; the deadline passes when the first segment comes out (inside whatever
    /// `catch_unwind` the reader runs the member under).
    fn read_past_deadline(name: &str, bytes: &[u8]) -> bool {
        let opts = ReadOptions::default();
        let is_header = |_: &[&str]| false;
        let _guard = set_deadline(None);
        let mut ctx = Ctx::new(&opts, &is_header);
        let r = catch_unwind(AssertUnwindSafe(|| {
            read_bytes(name, bytes, &mut ctx, &mut |_| {
                std::mem::forget(set_deadline(Some(Instant::now() - Duration::from_millis(1))));
                check();
            })
        }));
        matches!(r, Err(p) if is_time_limit(&*p))
    }

    #[test]
    fn readers_stop_past_the_deadline_even_inside_caught_panics() {
        let csv: Vec<u8> = (0..10_000).flat_map(|i| format!("{i},x,y\n").into_bytes()).collect();
        assert!(read_past_deadline("t.csv", &csv));
        // A zip member is read under catch_unwind: the time limit must pass through it.
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        zip.start_file("inner.csv", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&csv).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        assert!(read_past_deadline("a.zip", &bytes));
        // Without a deadline nothing happens.
        let _none = set_deadline(None);
        check();
    }
}
