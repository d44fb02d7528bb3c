//! `ReloadGate`: when a changed script may replace the running interpreter.
//! Set by the watcher (`dirty`), held shut while the host holds handles or
//! descriptors into the running interpreter, opened by the last release.
use core::sync::atomic::{AtomicBool, Ordering};

/// Live reload must not pull the interpreter out from under objects the host
/// holds handles or descriptors to: the reload waits until they are gone.
pub(crate) struct ReloadGate {
    /// The script changed on disk: reload before the next call.
    pub(crate) dirty: AtomicBool,
    /// A change is pending until the host lets go of its handles.
    pub(crate) waiting: AtomicBool,
}

impl ReloadGate {
    pub(crate) const fn new() -> Self {
        ReloadGate {
            dirty: AtomicBool::new(false),
            waiting: AtomicBool::new(false),
        }
    }

    /// The last handle went: a waiting reload happens on the next call.
    pub(crate) fn host_let_go(&self) {
        if self.waiting.swap(false, Ordering::AcqRel) {
            self.dirty.store(true, Ordering::Release);
        }
    }
}
