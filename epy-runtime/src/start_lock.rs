//! The process-wide lock around starting Python.
//!
//! Every epy plugin in the process must take the same lock, but each plugin
//! is a separate library with its own statics. What they all share is the
//! process environment, so the lock word is the environment variable
//! `EPY_START_LOCK_<pid>`: `setenv(name, token, 0)` adds it only if it is
//! absent, atomically under libc's environment lock, so the thread whose
//! token reads back holds the lock (nobody else can change or remove the
//! word until that thread's `unsetenv`). Unlike a named semaphore in
//! `/dev/shm` (which another user can create first, and which outlives a
//! failed start), nothing outside the process can pre-seed it and nothing is
//! left behind. Start-up takes milliseconds, so waiting is bounded: a word
//! held for `TIMEOUT` is an error value and a log line, never a hung host.
//! The same environment records that an epy plugin started Python
//! (`started_by_epy`).
#![warn(clippy::undocumented_unsafe_blocks)]
use std::ffi::{CStr, CString};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `f` holding the lock; `Err` if the lock could not be taken.
pub fn with_start_lock<R>(f: impl FnOnce() -> Result<R, String>) -> Result<R, String> {
    let name = CString::new(format!("EPY_START_LOCK_{}", std::process::id())).unwrap_or_default();
    // This thread's id: unique among the process's live threads.
    // SAFETY: `gettid` has no precondition.
    let token = CString::new(unsafe { libc::gettid() }.to_string()).unwrap_or_default();
    let started = Instant::now();
    let mut pause = Duration::from_micros(100);
    loop {
        // SAFETY: both are NUL-terminated strings that outlive the call.
        unsafe { libc::setenv(name.as_ptr(), token.as_ptr(), 0) };
        // SAFETY: `name` is NUL-terminated.
        let holder = unsafe { libc::getenv(name.as_ptr()) };
        // SAFETY: a non-NULL `getenv` result is a NUL-terminated string; the
        // word cannot change while we read it unless we hold it (see above).
        if !holder.is_null() && unsafe { CStr::from_ptr(holder) } == token.as_c_str() {
            break;
        }
        if started.elapsed() > TIMEOUT {
            let holder = if holder.is_null() {
                String::new()
            } else {
                // SAFETY: a non-NULL `getenv` result, NUL-terminated.
                unsafe { CStr::from_ptr(holder) }
                    .to_string_lossy()
                    .into_owned()
            };
            return Err(format!(
                "cannot start Python: the process-wide start lock ({}={holder}) has been held for {} s by another thread",
                name.to_string_lossy(),
                TIMEOUT.as_secs()
            ));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
    // Released even if `f` panics.
    struct Release<'a>(&'a CStr);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            // SAFETY: a NUL-terminated name.
            unsafe { libc::unsetenv(self.0.as_ptr()) };
        }
    }
    let _release = Release(&name);
    f()
}

/// True when an epy plugin started this process's Python: its main thread
/// states are ours, so no host binding needs restoring after calls.
pub fn started_by_epy() -> bool {
    std::env::var_os(started_var()).is_some()
}

/// Records that an epy plugin started Python (also in a forked child of
/// such a process).
pub fn mark_started_by_epy() {
    if let Ok(name) = std::ffi::CString::new(started_var()) {
        // SAFETY: both are NUL-terminated strings that outlive the call.
        unsafe { libc::setenv(name.as_ptr(), c"1".as_ptr(), 1) };
    }
}

fn started_var() -> String {
    format!("EPY_STARTED_PYTHON_{}", std::process::id())
}
