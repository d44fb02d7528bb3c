//! Handing the GIL across interpreters that share it (CPython 3.11 and 3.12).
//!
//! A thread waiting for the GIL asks its holder to drop it after one switch
//! interval, but 3.11 and 3.12 post that request on the *waiting* thread's
//! interpreter (`interp->ceval.gil_drop_request`), while the holder's eval
//! loop only looks at its own interpreter's: a thread entering plugin B waits
//! until a CPU-bound call in plugin A (or the host's main interpreter)
//! returns, forever for `while True`. So before waiting for a GIL that a
//! thread of another interpreter holds, `Waiter::before_wait` posts the
//! request on the holder's interpreter right away (CPython, within one
//! interpreter, waits one switch interval first). Only waits that go through
//! epy (entering a call, returning from a host callback, loading, unloading)
//! go through here; Python code that releases the GIL by itself (I/O,
//! sleeps) re-takes it inside CPython, and `gil_watchdog.rs` forwards those
//! requests. (3.13 posts the request on the holder's thread state: nothing
//! to do there.)
//!
//! The fields are CPython internals at the offsets of the exact minor version
//! (its `Include/internal` headers). They are checked against what the public
//! API says on first use (without the GIL: the first user may be waiting for
//! it) and again by `init` once a plugin holds the GIL; if any differs, this
//! stays off (plain waiting).
//!
//! Soundness: the holder may end its thread state or interpreter at any time.
//! Both are dereferenced only under the runtime's interpreter-list lock
//! (`HEAD_LOCK`) after being found in the lists, and CPython unlinks them
//! under that lock before freeing them.
use pyo3_ffi::PyThreadState;

#[cfg(not(Py_3_13))]
pub use imp::{Waiter, clear_stale_request, init};

#[cfg(Py_3_13)]
pub use off::{Waiter, clear_stale_request, init};

#[cfg(Py_3_13)]
mod off {
    use super::*;

    /// 3.13+: CPython hands the GIL across interpreters itself.
    #[derive(Clone, Copy)]
    pub struct Waiter;

    impl Waiter {
        /// # Safety
        /// Nothing to uphold; unsafe for the same signature as 3.11/3.12.
        pub unsafe fn of(_ts: *mut PyThreadState) -> Waiter {
            Waiter
        }
        #[inline(always)]
        pub unsafe fn before_wait(&self) {}
    }

    /// # Safety
    /// Nothing to uphold here.
    pub unsafe fn init(_ts: *mut PyThreadState) {}

    /// # Safety
    /// Nothing to uphold here.
    pub unsafe fn clear_stale_request(_interp: *mut pyo3_ffi::PyInterpreterState) {}
}

#[cfg(not(Py_3_13))]
pub(crate) mod imp {
    use super::*;
    use core::ffi::{c_int, c_void};
    use core::sync::atomic::{AtomicI32, AtomicUsize, Ordering};
    use pyo3_ffi::PyInterpreterState;

    /// `offsetof(...)` in CPython 3.11.7 / 3.12.1 (64-bit; stable within a
    /// minor version).
    pub(crate) mod at {
        /// `_PyRuntime.interpreters.{mutex, head, main}`.
        pub const HEAD_MUTEX: usize = 32;
        pub const HEAD: usize = 40;
        pub const MAIN: usize = 48;
        /// `struct _gil_runtime_state.{interval, last_holder, locked,
        /// switch_number, mutex}` (`mutex` after a 48-byte `pthread_cond_t`).
        pub const INTERVAL: usize = 0;
        #[cfg(Py_3_12)]
        pub const LAST_HOLDER: usize = 8;
        pub const LOCKED: usize = 16;
        pub const SWITCH_NUMBER: usize = 24;
        pub const MUTEX: usize = 80;
        /// `PyInterpreterState.ceval.{recursion_limit, eval_breaker, gil_drop_request}`.
        #[cfg(not(Py_3_12))]
        pub const RECURSION_LIMIT: usize = 96;
        #[cfg(not(Py_3_12))]
        pub const EVAL_BREAKER: usize = 100;
        #[cfg(not(Py_3_12))]
        pub const DROP_REQUEST: usize = 104;
        #[cfg(Py_3_12)]
        pub const EVAL_BREAKER: usize = 368;
        #[cfg(Py_3_12)]
        pub const DROP_REQUEST: usize = 372;
        #[cfg(Py_3_12)]
        pub const RECURSION_LIMIT: usize = 376;
        /// 3.12: `PyInterpreterState.ceval.gil`, the GIL it uses (its own or main's).
        #[cfg(Py_3_12)]
        pub const GIL_PTR: usize = 384;
        /// `PyInterpreterState.runtime` (`&_PyRuntime`).
        #[cfg(not(Py_3_12))]
        pub const INTERP_RUNTIME: usize = 40;
        #[cfg(Py_3_12)]
        pub const INTERP_RUNTIME: usize = 96;
        /// 3.12: `PyInterpreterState._gil`, the main interpreter's GIL.
        #[cfg(Py_3_12)]
        pub const MAIN_GIL: usize = 1040;
        /// 3.11: `_PyRuntime.gilstate.autoInterpreterState` (the main one).
        #[cfg(not(Py_3_12))]
        pub const AUTO_INTERP: usize = 584;
        /// 3.11: `_PyRuntime.ceval.gil`, the one GIL.
        #[cfg(not(Py_3_12))]
        pub const RUNTIME_GIL: usize = 360;
        /// 3.11: `_PyRuntime.gilstate.tstate_current`, the GIL holder's state.
        #[cfg(not(Py_3_12))]
        pub const TSTATE_CURRENT: usize = 576;
    }

    unsafe extern "C" {
        static mut _PyRuntime: u8;
        pub(crate) fn PyThread_acquire_lock(lock: *mut c_void, wait: c_int) -> c_int;
        pub(crate) fn PyThread_release_lock(lock: *mut c_void);
        #[cfg(not(Py_3_12))]
        fn _PyEval_GetSwitchInterval() -> core::ffi::c_ulong;
    }

    /// `&_PyRuntime` once the offsets checked out, `OFF` if they did not,
    /// 0 before the check.
    static RUNTIME: AtomicUsize = AtomicUsize::new(0);
    const OFF: usize = 1;

    pub(crate) unsafe fn ptr_at<T>(base: *const u8, off: usize) -> *mut T {
        // SAFETY: `base + off` holds a pointer in the layout `check` verified
        // (`at`), which is what every caller passes.
        unsafe { *(base.add(off) as *const *mut T) }
    }

    pub(crate) unsafe fn int_at<'a>(base: *const u8, off: usize) -> &'a AtomicI32 {
        // SAFETY: `base + off` is a 4-byte aligned `int` in the layout `check`
        // verified (`at`), which is what every caller passes; CPython only
        // touches it atomically or under the GIL.
        unsafe { &*(base.add(off) as *const AtomicI32) }
    }

    /// The GIL `interp` uses.
    pub(crate) unsafe fn gil_of(rt: *mut u8, interp: *mut PyInterpreterState) -> *mut u8 {
        #[cfg(Py_3_12)]
        // SAFETY: `interp` is a live interpreter (the caller's), `_gil` in the
        // verified layout.
        unsafe {
            let _ = rt;
            ptr_at(interp as *const u8, at::GIL_PTR)
        }
        #[cfg(not(Py_3_12))]
        // SAFETY: `rt` is `&_PyRuntime`, which holds the one GIL at
        // `RUNTIME_GIL`.
        unsafe {
            let _ = interp;
            rt.add(at::RUNTIME_GIL)
        }
    }

    /// Clears a drop request left on `interp`, for a thread that holds the
    /// GIL with no thread state attached and is about to attach one of
    /// `interp` by `PyThreadState_Swap` rather than `take_gil` (3.11, after
    /// `Py_EndInterpreter`): what `take_gil` does for the taker's
    /// interpreter. A waiter posts on the holder's interpreter
    /// (`Waiter::before_wait`); when the holder drops the GIL and the waiter
    /// takes it before the holder looks, the request stays on the holder's
    /// interpreter, and CPython's `take_gil` clears it only when a thread of
    /// that interpreter takes the GIL again. Attached by a swap instead, the
    /// next Python code there dropped the GIL and waited, in forced
    /// switching, for a taker that never came (a host's `atexit` after ours
    /// ended the plugin's interpreter). With no thread state attached, epy's
    /// waiters and watchdogs find no holder to post on, so a request there is
    /// either served already or a waiter of `interp` itself, which CPython
    /// re-posts each switch interval (at most one interval's delay). Cleared
    /// under the GIL's mutex, like every other write of it. `eval_breaker`
    /// stays as it is (its other causes are not ours to recompute); the
    /// interpreter's next `take_gil` recomputes it.
    ///
    /// # Safety
    /// This thread holds the GIL with no thread state attached; `interp` is
    /// live.
    pub unsafe fn clear_stale_request(interp: *mut PyInterpreterState) {
        let rt = runtime();
        if rt.is_null() {
            return;
        }
        // SAFETY: the hand-off is on (offsets verified) and `interp` live
        // (this function's contract); the GIL's mutex is a live
        // `pthread_mutex_t` in the verified layout, taken without HEAD_LOCK
        // (posters take HEAD_LOCK first, then it: no inversion).
        unsafe {
            let mutex = gil_of(rt, interp).add(at::MUTEX) as *mut libc::pthread_mutex_t;
            libc::pthread_mutex_lock(mutex);
            int_at(interp as *const u8, at::DROP_REQUEST).store(0, Ordering::Relaxed);
            libc::pthread_mutex_unlock(mutex);
        }
    }

    /// The thread state holding the GIL (maybe stale on 3.12, where it is
    /// the last one to take it: a holder may swap states without a hand-off).
    pub(crate) unsafe fn holder(rt: *mut u8, gil: *mut u8) -> *mut PyThreadState {
        #[cfg(not(Py_3_12))]
        // SAFETY: `rt` is `&_PyRuntime` (the caller's), in the verified layout.
        unsafe {
            let _ = gil;
            ptr_at(rt, at::TSTATE_CURRENT)
        }
        #[cfg(Py_3_12)]
        // SAFETY: `gil` is a live GIL (the caller's), in the verified layout.
        unsafe {
            let _ = rt;
            ptr_at(gil, at::LAST_HOLDER)
        }
    }

    /// `&_PyRuntime` if the hand-off is on (checking the layout the first
    /// time), else NULL.
    #[inline]
    pub(crate) fn runtime() -> *mut u8 {
        match RUNTIME.load(Ordering::Relaxed) {
            0 => check(),
            OFF => core::ptr::null_mut(),
            rt => rt as *mut u8,
        }
    }

    #[cold]
    fn check() -> *mut u8 {
        let rt = &raw mut _PyRuntime;
        // The offsets are those of 64-bit builds.
        let ok = cfg!(target_pointer_width = "64")
            // SAFETY: `Py_IsInitialized` needs nothing; `layout_holds` only
            // reads `rt` (`&_PyRuntime`) while Python is initialized.
            && unsafe { pyo3_ffi::Py_IsInitialized() != 0 && layout_holds(rt) };
        RUNTIME.store(if ok { rt as usize } else { OFF }, Ordering::Relaxed);
        if ok { rt } else { core::ptr::null_mut() }
    }

    /// The offsets against what the public API says, reading only fields
    /// that are set at start-up or are 0/1 flags: no GIL needed (the first
    /// use may be a thread waiting for it).
    unsafe fn layout_holds(rt: *mut u8) -> bool {
        // SAFETY: Python is initialized (the caller checked); these fields are
        // set at start-up or are 0/1 flags.
        unsafe {
            let main = pyo3_ffi::PyInterpreterState_Main();
            let m = main as *const u8;
            let flag = |p: &AtomicI32| matches!(p.load(Ordering::Relaxed), 0 | 1);
            let lists = !ptr_at::<c_void>(rt, at::HEAD_MUTEX).is_null()
                && ptr_at(rt, at::HEAD) == pyo3_ffi::PyInterpreterState_Head()
                && ptr_at(rt, at::MAIN) == main
                && ptr_at(m, at::INTERP_RUNTIME) == rt;
            if !lists {
                return false; // `main` may not be what we think: read no further
            }
            #[cfg(not(Py_3_12))]
            let gil = {
                let gil = rt.add(at::RUNTIME_GIL);
                let interval = *(gil as *const core::ffi::c_ulong);
                if interval != _PyEval_GetSwitchInterval() || ptr_at(rt, at::AUTO_INTERP) != main {
                    return false;
                }
                gil
            };
            #[cfg(Py_3_12)]
            let gil = {
                // The main interpreter's GIL is its own `_gil`.
                let gil = m.add(at::MAIN_GIL) as *mut u8;
                if ptr_at(m, at::GIL_PTR) != gil {
                    return false;
                }
                gil
            };
            flag(int_at(gil, at::LOCKED))
                && flag(int_at(m, at::EVAL_BREAKER))
                && flag(int_at(m, at::DROP_REQUEST))
        }
    }

    /// With the GIL held: checks what can only be checked then, and turns
    /// the hand-off off if anything differs.
    ///
    /// # Safety
    /// `ts` is attached on this thread (it holds the GIL).
    pub unsafe fn init(ts: *mut PyThreadState) {
        let rt = runtime();
        if rt.is_null() {
            return;
        }
        // SAFETY: `rt` is `&_PyRuntime` with a verified layout; `ts` is
        // attached on this thread (this function's contract), so its
        // interpreter and GIL are live and held.
        unsafe {
            let interp = pyo3_ffi::PyThreadState_GetInterpreter(ts);
            let i = interp as *const u8;
            let gil = gil_of(rt, interp);
            // 3.11 knows the GIL holder's state exactly: `ts`.
            let ok = (cfg!(Py_3_12) || holder(rt, gil) == ts)
                && int_at(i, at::RECURSION_LIMIT).load(Ordering::Relaxed)
                    == pyo3_ffi::Py_GetRecursionLimit()
                && !gil.is_null()
                && int_at(gil, at::LOCKED).load(Ordering::Relaxed) == 1;
            if !ok {
                RUNTIME.store(OFF, Ordering::Relaxed);
            }
        }
    }

    /// How one thread state waits for its GIL.
    #[derive(Clone, Copy)]
    pub struct Waiter {
        ts: *mut PyThreadState,
        /// The GIL it waits for; NULL when the hand-off is off.
        gil: *mut u8,
    }

    impl Waiter {
        /// # Safety
        /// `ts` is a live thread state; no GIL needed.
        #[inline]
        pub unsafe fn of(ts: *mut PyThreadState) -> Waiter {
            let rt = runtime();
            #[cfg(Py_3_12)]
            let gil = if rt.is_null() {
                rt
            } else {
                // SAFETY: `ts` is a live thread state (this function's
                // contract), so its interpreter is live; `rt` is `&_PyRuntime`
                // with a verified layout.
                unsafe { gil_of(rt, pyo3_ffi::PyThreadState_GetInterpreter(ts)) }
            };
            #[cfg(not(Py_3_12))]
            let gil = if rt.is_null() {
                rt
            } else {
                // SAFETY: `rt` is `&_PyRuntime` with a verified layout, holding
                // the one GIL at `RUNTIME_GIL`.
                unsafe { rt.add(at::RUNTIME_GIL) }
            };
            Waiter { ts, gil }
        }

        /// Before waiting for the GIL: if a thread of another interpreter
        /// holds it, ask that interpreter's eval loop to drop it. Free GIL:
        /// one relaxed load.
        ///
        /// # Safety
        /// The thread holds no GIL; the waiter's interpreter is live.
        #[inline(always)]
        pub unsafe fn before_wait(&self) {
            if !self.gil.is_null()
                // SAFETY: `self.gil` is the live GIL of the waiter's
                // interpreter (this function's contract).
                && unsafe { int_at(self.gil, at::LOCKED) }.load(Ordering::Relaxed) != 0
            {
                // SAFETY: the thread holds no GIL and the waiter's interpreter
                // is live (this function's contract).
                unsafe { self.ask_holder() };
            }
        }

        #[cold]
        #[inline(never)]
        unsafe fn ask_holder(&self) {
            // SAFETY: as `before_wait` (the caller): no GIL held, the waiter's
            // interpreter live; the holder is looked up under HEAD_LOCK.
            unsafe {
                let rt = runtime();
                if rt.is_null() {
                    return; // turned off since this waiter was made
                }
                let own = pyo3_ffi::PyThreadState_GetInterpreter(self.ts);
                let lock = ptr_at::<c_void>(rt, at::HEAD_MUTEX);
                PyThread_acquire_lock(lock, 1);
                // Under the GIL's own mutex (taken after HEAD_LOCK, as the
                // watchdog does) the GIL cannot change hands: post only on a
                // thread that still holds it. A request posted on the
                // interpreter of a holder that has already dropped the GIL
                // would stay set, and that interpreter's next holder would
                // drop the GIL and wait, in CPython's forced switching, for
                // a taker that may never come (a host thread at exit).
                let mutex = self.gil.add(at::MUTEX) as *mut libc::pthread_mutex_t;
                libc::pthread_mutex_lock(mutex);
                let holder = holder(rt, self.gil);
                let held = int_at(self.gil, at::LOCKED).load(Ordering::Relaxed) == 1;
                if held && !holder.is_null() {
                    if let Some(interp) = self.interp_holding(rt, own, holder) {
                        let i = interp as *const u8;
                        int_at(i, at::DROP_REQUEST).store(1, Ordering::Relaxed);
                        int_at(i, at::EVAL_BREAKER).store(1, Ordering::Relaxed);
                    }
                }
                libc::pthread_mutex_unlock(mutex);
                PyThread_release_lock(lock);
            }
        }

        /// The interpreter of `holder` if it is a live thread state of an
        /// interpreter other than `own` on our GIL.
        ///
        /// # Safety
        /// HEAD_LOCK is held.
        unsafe fn interp_holding(
            &self,
            rt: *mut u8,
            own: *mut PyInterpreterState,
            holder: *mut PyThreadState,
        ) -> Option<*mut PyInterpreterState> {
            // SAFETY: HEAD_LOCK is held (this function's contract), so the
            // interpreter and thread lists do not change while walked.
            unsafe {
                let mut interp = pyo3_ffi::PyInterpreterState_Head();
                while !interp.is_null() {
                    if interp != own && gil_of(rt, interp) == self.gil {
                        let mut t = pyo3_ffi::PyInterpreterState_ThreadHead(interp);
                        while !t.is_null() {
                            if t == holder {
                                return Some(interp);
                            }
                            t = pyo3_ffi::PyThreadState_Next(t);
                        }
                    }
                    interp = pyo3_ffi::PyInterpreterState_Next(interp);
                }
                None
            }
        }
    }
}
