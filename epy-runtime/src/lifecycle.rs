//! `dlclose` of a plugin library (a `.fini_array` entry): stop the
//! watcher and end every interpreter of this library (`unload.rs`). Loading,
//! reloading and the atexit hook are `slow_path.rs`.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::loader::THIS;
use crate::{threads, unload};
use core::sync::atomic::Ordering;

/// `dlclose` (or process exit): stop the watcher, end every interpreter of
/// this library so a later load starts clean and the rest of the process is
/// unaffected.
unsafe extern "C" fn on_unmap() {
    crate::gil_watchdog::stop();
    threads::before_unmap();
    let p = THIS.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if p.is_null() {
        return;
    }
    // SAFETY: non-NULL `THIS` is the `Loader` of this library's `Plugin` static.
    let plugin = unsafe { &*p };
    let mut state = plugin.lock();
    if let Some(w) = state.watcher.take() {
        w.stop();
    }
    let inst = plugin.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
    let mut all = std::mem::take(&mut state.retired);
    if !inst.is_null() {
        // SAFETY: `inst` came from `Box::into_raw` and the swap took the
        // only owner.
        all.push(unsafe { Box::from_raw(inst) });
    }
    let atexit = state.atexit.take();
    // No call is in flight at unmap: ended instances can go.
    state.ended.clear();
    drop(state);
    // SAFETY: the host is unloading this library: no call is in flight.
    unsafe { unload::unload(all, atexit) };
}

#[used]
#[unsafe(link_section = ".fini_array")]
static ON_UNMAP: unsafe extern "C" fn() = on_unmap;
