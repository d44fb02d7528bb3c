//! Thread states: one per (host thread, plugin interpreter), created on the
//! thread's first call and deleted when the thread exits (a pthread key
//! destructor — not Rust `thread_local!`, whose destructors pin the library
//! and break `dlclose`). Entering swaps this thread's state in; leaving
//! restores whatever was attached before (host's or another plugin's), so
//! re-entrant and nested calls work. Waiting for a GIL goes through
//! `gil::Waiter`, so a busy interpreter on the same GIL lets go of it.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::gil::{self, Waiter};
use core::sync::atomic::{AtomicU32, Ordering};
use pyo3_ffi::{PyInterpreterState, PyThreadState};

/// The thread state attached to *this* OS thread, or NULL.
#[inline]
pub fn current() -> *mut PyThreadState {
    #[cfg(Py_3_12)]
    // SAFETY: reads the calling thread's current state; no precondition.
    unsafe {
        // Thread-local since 3.12.
        pyo3_ffi::compat::PyThreadState_GetUnchecked()
    }
    #[cfg(not(Py_3_12))]
    // SAFETY: a non-NULL current state is live while we read it here: only
    // the thread attached with it (this one, if it is ours) can delete it.
    unsafe {
        // 3.11: the "current" thread state is process-global (whoever holds
        // the GIL): keep it only if it belongs to this thread.
        let t = pyo3_ffi::compat::PyThreadState_GetUnchecked();
        if !t.is_null() && thread_id_of(t) == pyo3_ffi::PyThread_get_thread_ident() {
            t
        } else {
            core::ptr::null_mut()
        }
    }
}

/// `PyThreadState.thread_id` on 3.11 (the struct is not in the limited API;
/// its layout is fixed within a minor version, and `check_layout` verifies it
/// on a thread state we create).
#[cfg(not(Py_3_12))]
#[inline]
unsafe fn thread_id_of(t: *mut PyThreadState) -> core::ffi::c_ulong {
    const OFFSET: usize = 152; // offsetof(PyThreadState, thread_id), 3.11, 64-bit
    // SAFETY: `t` is a live 3.11 thread state (contract) and `check_layout`
    // verified `OFFSET` on this build.
    unsafe { *((t as *const u8).add(OFFSET) as *const core::ffi::c_ulong) }
}

/// True when the private-layout read above is right (always on 3.12+).
/// Also checks (once) the layout `gil` relies on; that one only turns the
/// cross-interpreter GIL hand-off on or off.
///
/// # Safety
/// `t` is a thread state created on this thread, and attached.
pub unsafe fn check_layout(t: *mut PyThreadState) -> bool {
    // SAFETY: `t` is this thread's attached state (contract).
    unsafe { gil::init(t) };
    #[cfg(not(Py_3_12))]
    // SAFETY: `t` is a live thread state of this thread (contract).
    unsafe {
        thread_id_of(t) == pyo3_ffi::PyThread_get_thread_ident()
    }
    #[cfg(Py_3_12)]
    {
        let _ = t;
        true
    }
}

/// What one thread keeps for one plugin interpreter.
/// `repr(C)`: the fields a call reads come first (`Entry` keeps them in one
/// cache line); `thread` is read only on slow paths.
#[repr(C)]
pub struct Slot {
    pub ts: *mut PyThreadState,
    /// 3.12+: activating `ts` re-binds this thread's `PyGILState` thread state
    /// to our interpreter; when the host had its own main-interpreter binding
    /// on this thread, re-activate it after each call so the host's
    /// `PyGILState_Ensure` still lands in its interpreter.
    pub rebind: *mut PyThreadState,
    /// How `ts` waits for its GIL.
    waiter: Waiter,
    /// Calls of this thread inside the interpreter (written only by this
    /// thread; read by an unload on another thread, and by this thread when
    /// a reload decides whether its entry in a retired instance may go).
    inside: AtomicU32,
    /// The OS thread (`PyThread_get_thread_ident`).
    pub thread: core::ffi::c_ulong,
}

impl Slot {
    /// True while this slot's thread is inside a call.
    pub fn in_call(&self) -> bool {
        self.inside.load(Ordering::Acquire) != 0
    }
}

/// Attaches `ts` (waiting for its GIL if needed): `PyEval_RestoreThread`
/// that makes another interpreter's thread on the same GIL let go of it.
///
/// # Safety
/// `ts` is a live thread state of this thread; no thread state is attached.
pub unsafe fn attach(ts: *mut PyThreadState) {
    // SAFETY: `ts` is live, of this thread, and nothing is attached (contract).
    unsafe {
        Waiter::of(ts).before_wait();
        pyo3_ffi::PyEval_RestoreThread(ts);
    }
}

/// `PyEval_RestoreThread`, inlined into the caller. pyo3-ffi's own wrapper
/// (which keeps a thread that CPython < 3.14 ends with `pthread_exit` during
/// finalization from unwinding through Rust frames: it hangs instead) is an
/// out-of-line function, and every plugin library has its own copy: one
/// more code page per call for a host that spreads its calls over many
/// plugins. Same guard, in the caller's code.
///
/// # Safety
/// As `PyEval_RestoreThread`: `ts` is a live thread state of this thread and
/// no thread state is attached.
#[inline(always)]
unsafe fn restore(ts: *mut PyThreadState) {
    #[cfg(not(Py_3_14))]
    {
        /// Dropped only by an unwind out of `PyEval_RestoreThread`.
        struct Hang;
        impl Drop for Hang {
            fn drop(&mut self) {
                loop {
                    std::thread::park();
                }
            }
        }
        unsafe extern "C-unwind" {
            #[link_name = "PyEval_RestoreThread"]
            fn restore_raw(ts: *mut PyThreadState);
        }
        let hang = Hang;
        // SAFETY: this function's contract.
        unsafe { restore_raw(ts) };
        core::mem::forget(hang);
    }
    #[cfg(Py_3_14)]
    // SAFETY: this function's contract.
    unsafe {
        pyo3_ffi::PyEval_RestoreThread(ts)
    }
}

/// Attaches `slot.ts`; returns what was attached before (NULL if nothing).
///
/// # Safety
/// `slot.ts` is a live thread state created for this thread.
#[inline(always)]
pub unsafe fn enter(slot: &Slot) -> *mut PyThreadState {
    let prev = current();
    if prev == slot.ts {
        return prev; // re-entrant call on a thread that is already attached
    }
    // Only this thread writes it: no read-modify-write needed.
    let inside = slot.inside.load(Ordering::Relaxed);
    slot.inside.store(inside + 1, Ordering::Release);
    // SAFETY: `prev`, if any, is attached on this thread, so it may be
    // detached; then nothing is, and `slot.ts` is this thread's (contract).
    unsafe {
        if !prev.is_null() {
            pyo3_ffi::PyEval_SaveThread();
        }
        slot.waiter.before_wait();
        restore(slot.ts);
    }
    prev
}

/// Detaches `slot.ts` and re-attaches `prev`.
///
/// # Safety
/// Pairs with the `enter` that returned `prev`.
#[inline]
pub unsafe fn leave(slot: &Slot, prev: *mut PyThreadState) {
    if prev == slot.ts {
        return;
    }
    // SAFETY: `enter` attached `slot.ts` on this thread; `prev` (or the
    // host's `rebind`) is a live state of this thread, detached since.
    unsafe {
        pyo3_ffi::PyEval_SaveThread();
        if !prev.is_null() {
            attach(prev);
        } else if !slot.rebind.is_null() {
            attach(slot.rebind);
            pyo3_ffi::PyEval_SaveThread();
        }
    }
    let inside = slot.inside.load(Ordering::Relaxed);
    slot.inside.store(inside - 1, Ordering::Release);
}

/// Creates this thread's slot for `interp` (no GIL needed).
///
/// # Safety
/// Python is initialized; `interp` is live.
pub unsafe fn new_slot(interp: *mut PyInterpreterState) -> Slot {
    // SAFETY: Python is initialized and `interp` live (contract); creating
    // thread states needs no GIL.
    unsafe {
        let main = pyo3_ffi::PyInterpreterState_Main();
        let bound = pyo3_ffi::PyGILState_GetThisThreadState();
        let host_main = !bound.is_null() && pyo3_ffi::PyThreadState_GetInterpreter(bound) == main;
        #[cfg(not(Py_3_12))]
        if bound.is_null() {
            // 3.11: the first thread state created on a thread owns its
            // PyGILState binding; make it a main-interpreter one so a host
            // that later uses Python on this thread lands in main.
            let m = pyo3_ffi::PyThreadState_New(main);
            MAIN_TS.with_slot(m);
        }
        let ts = pyo3_ffi::PyThreadState_New(interp);
        let rebind = if cfg!(Py_3_12) && host_main && !crate::start_lock::started_by_epy() {
            bound
        } else {
            core::ptr::null_mut()
        };
        Slot {
            ts,
            rebind,
            thread: pyo3_ffi::PyThread_get_thread_ident(),
            waiter: Waiter::of(ts),
            inside: AtomicU32::new(0),
        }
    }
}

#[cfg(not(Py_3_12))]
use main_ts::MAIN_TS;

#[cfg(not(Py_3_12))]
mod main_ts {
    //! 3.11 only: main-interpreter thread states created by `new_slot`,
    //! deleted when their thread exits.
    use pyo3_ffi::PyThreadState;
    use std::sync::OnceLock;

    pub struct MainTs(OnceLock<Option<libc::pthread_key_t>>);
    pub static MAIN_TS: MainTs = MainTs(OnceLock::new());

    unsafe extern "C" fn dtor(p: *mut libc::c_void) {
        let t = p as *mut PyThreadState;
        // SAFETY: `Py_IsInitialized` has no precondition.
        if t.is_null() || unsafe { pyo3_ffi::Py_IsInitialized() } == 0 {
            return;
        }
        // SAFETY: `t` is this exiting thread's main-interpreter state
        // (`with_slot`), not attached: attach it, then delete it as current.
        unsafe {
            super::attach(t);
            pyo3_ffi::PyThreadState_Clear(t);
            pyo3_ffi::PyThreadState_DeleteCurrent();
        }
    }

    impl MainTs {
        pub fn with_slot(&self, t: *mut PyThreadState) {
            let key = *self.0.get_or_init(|| {
                let mut k = 0;
                // SAFETY: `k` is a valid out pointer.
                let rc = unsafe { libc::pthread_key_create(&mut k, Some(dtor)) };
                // No key left: this thread's state is not deleted at its
                // exit (a leak), rather than written to a key not ours.
                (rc == 0).then_some(k)
            });
            if let Some(key) = key {
                // SAFETY: `key` was created above.
                unsafe { libc::pthread_setspecific(key, t as *const libc::c_void) };
            }
        }

        /// Called at unload: the destructor's code is about to be unmapped.
        pub fn delete_key(&self) {
            if let Some(Some(k)) = self.0.get() {
                // SAFETY: `k` is this library's key, deleted once (at unload).
                unsafe { libc::pthread_key_delete(*k) };
            }
        }
    }
}

/// Forgets the 3.11 main-thread-state key before the library is unmapped.
pub fn before_unmap() {
    #[cfg(not(Py_3_12))]
    MAIN_TS.delete_key();
}
