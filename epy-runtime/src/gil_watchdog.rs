//! The GIL watchdog (CPython 3.11/3.12): forwards the drop requests of GIL
//! waiters that epy did not attach.
//!
//! `gil.rs` covers every GIL wait that goes through epy. Python code that
//! lets go of the GIL by itself inside a call (I/O, `time.sleep`, a lock
//! wait, the imports of a plugin's first load) takes it back in CPython's
//! `take_gil`, which after one switch interval posts its drop request on the
//! *waiter's* interpreter, where a holder in another interpreter never
//! looks: without help it waits until that holder's call returns. This
//! thread posts such a request on the holder's interpreter instead.
//!
//! Each tick (one switch interval while the GIL is held, backing off to
//! `IDLE_MAX` while it is free) runs under the interpreter-list lock and the
//! GIL's own mutex, so the GIL cannot change hands meanwhile. For every
//! interpreter on the held GIL other than the holder's whose drop request is
//! set: if this watchdog cleared that request earlier under the same holder
//! (no switch since), a waiter has posted it again, so it is live: post it
//! on the holder's interpreter. Else clear it and look again next tick.
//! Clearing first matters: a request with nobody waiting (left by a thread
//! that ended, say) would make the holder drop the GIL and then wait, in
//! CPython's forced switching, for a taker that never comes. A live waiter
//! re-posts its request every switch interval, so a clear costs it at most
//! one interval.
//!
//! Cost: nothing on the per-call path; one ticking thread per process,
//! waking once per switch interval while the GIL is held (a few loads when
//! no request is set). Every plugin library has its own copy of the runtime,
//! so each library with a shared-GIL interpreter starts a watchdog, but only
//! one ticks: the one whose thread id is in a word all libraries share (a
//! leaked `AtomicI32` whose address the main interpreter's state dict keeps
//! under `epy.gil_watchdog`). The others stand by, asleep on that word (a
//! futex: no wake-ups while idle), taking it over when its thread gives it
//! up (it wakes them) or is gone (checked every `STANDBY_S`; the parent's
//! after a fork). Several
//! ticking at once (the word lost with a re-initialized Python) are still
//! harmless: they only clear and post requests, a post needs a re-post seen
//! after the watchdog's own clear (another one's clear delays it by a tick
//! at most), and posting twice is posting once.
//!
//! Stopped and joined at unload and when the host finalizes Python; a raw
//! pthread running no Rust thread-locals (which would pin the library).
#[cfg(not(Py_3_13))]
pub use imp::{ensure, stop};

/// 3.13+: the holder sees every waiter's request; nothing to watch.
///
/// # Safety
/// Nothing to uphold; unsafe for the same signature as 3.11/3.12.
#[cfg(Py_3_13)]
pub unsafe fn ensure() {}
#[cfg(Py_3_13)]
pub fn stop() {}

#[cfg(not(Py_3_13))]
mod imp {
    use crate::gil::imp::{
        PyThread_acquire_lock, PyThread_release_lock, at, gil_of, holder, int_at, ptr_at, runtime,
    };
    use core::ffi::c_void;
    use core::sync::atomic::{AtomicI32, AtomicPtr, Ordering};
    use pyo3_ffi::{PyInterpreterState, PyThreadState};
    use std::sync::Mutex;

    /// The longest sleep while the GIL is free (a tick finds a new holder
    /// within this, plus one switch interval for its waiter to post).
    const IDLE_MAX_MS: i32 = 40;
    /// Requests remembered per holder (more interpreters than this waiting at
    /// once are served over several ticks).
    const SEEN: usize = 32;
    /// How long a standing-by watchdog sleeps on the shared word before it
    /// checks anyway that the ticking one's thread is alive; it wakes at once
    /// when the ticking one gives the word up or its own library stops it.
    const STANDBY_S: i64 = 5;

    struct Dog {
        thread: libc::pthread_t,
        stop_fd: i32,
        pid: u32,
    }

    static DOG: Mutex<Option<Dog>> = Mutex::new(None);
    /// The word every library's watchdog shares: the ticking one's thread id.
    static TICKER: AtomicPtr<AtomicI32> = AtomicPtr::new(core::ptr::null_mut());

    /// Starts this library's watchdog if it is not running (in this process:
    /// a forked child starts its own). Slow path only.
    ///
    /// # Safety
    /// The main interpreter is attached (its state dict keeps the shared word).
    pub unsafe fn ensure() {
        if TICKER.load(Ordering::Acquire).is_null() {
            // SAFETY: the main interpreter is attached (contract).
            TICKER.store(unsafe { shared_word() }, Ordering::Release);
        }
        let mut dog = DOG.lock().unwrap_or_else(|e| e.into_inner());
        if dog.as_ref().is_some_and(|d| d.pid == std::process::id()) {
            return;
        }
        // A parent's watchdog does not exist in a child: forget it.
        if let Some(d) = dog.take() {
            // SAFETY: our copy of the parent's descriptor, closed once.
            unsafe { libc::close(d.stop_fd) };
        }
        if runtime().is_null() {
            return; // the hand-off is off: plain waiting
        }
        // SAFETY: plain libc calls; `run` only reads the descriptor it gets.
        unsafe {
            let stop_fd = libc::eventfd(0, libc::EFD_CLOEXEC);
            if stop_fd < 0 {
                return;
            }
            let mut thread: libc::pthread_t = 0;
            let arg = stop_fd as isize as *mut c_void;
            if libc::pthread_create(&mut thread, core::ptr::null(), run, arg) != 0 {
                libc::close(stop_fd);
                return;
            }
            *dog = Some(Dog {
                thread,
                stop_fd,
                pid: std::process::id(),
            });
        }
    }

    /// Stops and joins this library's watchdog (before unmap, or before the
    /// host finalizes Python and frees what it reads).
    pub fn stop() {
        let mut dog = DOG.lock().unwrap_or_else(|e| e.into_inner());
        let Some(d) = dog.take() else { return };
        // SAFETY: `d.thread` is our live watchdog in this process (joined
        // once: `d` was taken); the descriptor is closed once.
        unsafe {
            if d.pid == std::process::id() {
                let one: u64 = 1;
                libc::write(d.stop_fd, &one as *const u64 as *const c_void, 8);
                // A standby sleeps on the shared word, not on its descriptor:
                // wake the sleepers until ours has seen it (one may have
                // checked the descriptor just before the write).
                while libc::pthread_tryjoin_np(d.thread, core::ptr::null_mut()) != 0 {
                    wake_standbys();
                    let pause = libc::timespec {
                        tv_sec: 0,
                        tv_nsec: 2_000_000,
                    };
                    libc::nanosleep(&pause, core::ptr::null_mut());
                }
            }
            libc::close(d.stop_fd);
        }
    }

    /// The process's shared ticker word: found in, or else added to, the
    /// main interpreter's state dict; NULL if that fails (then every
    /// watchdog ticks, which is harmless).
    ///
    /// # Safety
    /// The main interpreter is attached.
    unsafe fn shared_word() -> *mut AtomicI32 {
        const KEY: &core::ffi::CStr = c"epy.gil_watchdog";
        // SAFETY: the main interpreter is attached (this function's contract),
        // as the dict calls need.
        unsafe {
            let dict = pyo3_ffi::PyInterpreterState_GetDict(pyo3_ffi::PyInterpreterState_Main());
            if dict.is_null() {
                return core::ptr::null_mut();
            }
            let found = pyo3_ffi::PyDict_GetItemString(dict, KEY.as_ptr());
            if !found.is_null() {
                let p = pyo3_ffi::PyLong_AsVoidPtr(found);
                pyo3_ffi::PyErr_Clear();
                return p as *mut AtomicI32;
            }
            // Leaked on purpose: it must outlive every library (malloc'd
            // memory, not ours, stays mapped after we are unloaded).
            let word = Box::into_raw(Box::new(AtomicI32::new(0)));
            let v = pyo3_ffi::PyLong_FromVoidPtr(word as *mut c_void);
            if v.is_null() || pyo3_ffi::PyDict_SetItemString(dict, KEY.as_ptr(), v) != 0 {
                pyo3_ffi::PyErr_Clear();
                if !v.is_null() {
                    pyo3_ffi::Py_DECREF(v);
                }
                drop(Box::from_raw(word));
                return core::ptr::null_mut();
            }
            pyo3_ffi::Py_DECREF(v);
            word
        }
    }

    /// True if this thread (`me`) is the one to tick: it holds the shared
    /// word, or takes it because it is free or its thread is gone.
    fn ticking(me: i32) -> bool {
        let word = TICKER.load(Ordering::Acquire);
        if word.is_null() {
            return true;
        }
        // SAFETY: the word is leaked, never freed.
        let word = unsafe { &*word };
        let owner = word.load(Ordering::Acquire);
        if owner == me {
            return true;
        }
        // SAFETY: signal 0 only checks that thread `owner` of this process
        // exists; no memory is touched.
        let gone =
            owner == 0 || unsafe { libc::syscall(libc::SYS_tgkill, libc::getpid(), owner, 0) } != 0;
        gone && word
            .compare_exchange(owner, me, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Gives the shared word up if `me` holds it, and wakes the standbys so
    /// one takes over at once.
    fn stop_ticking(me: i32) {
        // SAFETY: the word is leaked, never freed.
        if let Some(word) = unsafe { TICKER.load(Ordering::Acquire).as_ref() } {
            if word
                .compare_exchange(me, 0, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
            {
                wake_standbys();
            }
        }
    }

    /// Wakes every watchdog sleeping on the shared word (`standby`).
    fn wake_standbys() {
        let word = TICKER.load(Ordering::Acquire);
        if !word.is_null() {
            // SAFETY: the word is leaked, never freed; FUTEX_WAKE only reads
            // its address.
            unsafe {
                libc::syscall(
                    libc::SYS_futex,
                    word as *const i32,
                    libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                    i32::MAX,
                )
            };
        }
    }

    /// True once this watchdog is told to stop, waiting up to `ms` for it.
    fn told_to_stop(stop_fd: i32, ms: i32) -> bool {
        let mut fd = libc::pollfd {
            fd: stop_fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: `fd` is a valid `pollfd` on our own stop descriptor.
        unsafe { libc::poll(&mut fd, 1, ms) > 0 }
    }

    /// A watchdog that does not tick sleeps on the shared word `word` until
    /// it changes (the ticking one gave it up), it is woken (its own library
    /// stops it) or `STANDBY_S` passes (the ticking one's thread may have
    /// gone without giving it up). True when told to stop.
    fn standby(word: &AtomicI32, stop_fd: i32, me: i32) -> bool {
        let owner = word.load(Ordering::Acquire);
        if told_to_stop(stop_fd, 0) {
            return true;
        }
        if owner == me || owner == 0 {
            return false; // look again: ours to take
        }
        let timeout = libc::timespec {
            tv_sec: STANDBY_S,
            tv_nsec: 0,
        };
        // SAFETY: FUTEX_WAIT on the leaked word, which still holds `owner`
        // or returns at once; the timeout is a valid relative `timespec`.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                owner,
                &timeout as *const libc::timespec,
            )
        };
        told_to_stop(stop_fd, 0)
    }

    /// Requests this watchdog cleared under one holder.
    struct Cleared {
        switch: usize,
        holder: *mut PyThreadState,
        interps: [*mut PyInterpreterState; SEEN],
        len: usize,
    }

    impl Cleared {
        fn has(&self, i: *mut PyInterpreterState) -> bool {
            self.interps[..self.len].contains(&i)
        }
        fn add(&mut self, i: *mut PyInterpreterState) {
            if self.len < SEEN {
                self.interps[self.len] = i;
                self.len += 1;
            }
        }
    }

    extern "C" fn run(arg: *mut c_void) -> *mut c_void {
        let stop_fd = arg as isize as i32;
        // SAFETY: `gettid` has no precondition.
        let me = unsafe { libc::gettid() };
        watch(stop_fd, me);
        stop_ticking(me);
        core::ptr::null_mut()
    }

    /// The watchdog's loop; returns when told to stop or Python is gone.
    fn watch(stop_fd: i32, me: i32) {
        let mut cleared = Cleared {
            switch: 0,
            holder: core::ptr::null_mut(),
            interps: [core::ptr::null_mut(); SEEN],
            len: 0,
        };
        let mut idle_ms = 1;
        loop {
            let rt = runtime();
            // SAFETY: `Py_IsInitialized` has no precondition.
            if rt.is_null() || unsafe { pyo3_ffi::Py_IsInitialized() } == 0 {
                return;
            }
            if !ticking(me) {
                // SAFETY: the word is leaked, never freed (and not NULL:
                // without it every watchdog ticks).
                if let Some(word) = unsafe { TICKER.load(Ordering::Acquire).as_ref() } {
                    if standby(word, stop_fd, me) {
                        return;
                    }
                    continue;
                }
            }
            // SAFETY: Python is initialized and stays so while we run (the
            // host's finalization stops us first); the main interpreter and
            // its GIL are static storage of libpython.
            let main = unsafe { pyo3_ffi::PyInterpreterState_Main() };
            // SAFETY: `rt` is `&_PyRuntime` with the hand-off on and `main` its
            // live main interpreter.
            let gil = unsafe { gil_of(rt, main) };
            // SAFETY: `gil` is the main GIL (static storage of libpython): its
            // switch interval is a plain `unsigned long` in the verified
            // layout.
            let interval_ms = unsafe { *(gil.add(at::INTERVAL) as *const core::ffi::c_ulong) }
                .div_ceil(1000)
                .clamp(1, IDLE_MAX_MS as core::ffi::c_ulong) as i32;
            // SAFETY: `gil` is the main GIL; its `locked` flag is an `int` in
            // the verified layout.
            let held = unsafe { int_at(gil, at::LOCKED) }.load(Ordering::Relaxed) == 1;
            let sleep_ms = if held {
                // SAFETY: `rt` checked out, `gil` is the main GIL.
                unsafe { tick(rt, gil, &mut cleared) };
                idle_ms = interval_ms;
                interval_ms
            } else {
                idle_ms = (idle_ms * 2).clamp(interval_ms, IDLE_MAX_MS);
                idle_ms
            };
            if told_to_stop(stop_fd, sleep_ms) {
                return;
            }
        }
    }

    /// One look at a held GIL (see the module doc).
    ///
    /// # Safety
    /// `rt` is `&_PyRuntime` with the hand-off on; `gil` is the main GIL.
    unsafe fn tick(rt: *mut u8, gil: *mut u8, cleared: &mut Cleared) {
        // SAFETY: `rt` is `&_PyRuntime` with the hand-off on and `gil` the main
        // GIL (this function's contract).
        unsafe {
            let lock = ptr_at::<c_void>(rt, at::HEAD_MUTEX);
            PyThread_acquire_lock(lock, 1);
            let mutex = gil.add(at::MUTEX) as *mut libc::pthread_mutex_t;
            libc::pthread_mutex_lock(mutex);
            let switch = *(gil.add(at::SWITCH_NUMBER) as *const usize);
            let h = holder(rt, gil);
            if int_at(gil, at::LOCKED).load(Ordering::Relaxed) == 1 && !h.is_null() {
                if (switch, h) != (cleared.switch, cleared.holder) {
                    cleared.switch = switch;
                    cleared.holder = h;
                    cleared.len = 0;
                }
                forward(gil, h, cleared);
            }
            libc::pthread_mutex_unlock(mutex);
            PyThread_release_lock(lock);
        }
    }

    /// Clears or forwards the requests of interpreters on `gil` other than
    /// `holder`'s.
    ///
    /// # Safety
    /// The interpreter-list lock and the GIL's mutex are held; `gil` is held
    /// by `holder`.
    unsafe fn forward(gil: *mut u8, holder: *mut PyThreadState, cleared: &mut Cleared) {
        // SAFETY: the interpreter-list lock and the GIL's mutex are held, `gil`
        // held by `holder` (this function's contract).
        unsafe {
            let rt = runtime();
            let Some(own) = interp_of(rt, gil, holder) else {
                return; // not (or no longer) a live thread state on this GIL
            };
            let mut live = false;
            let mut interp = pyo3_ffi::PyInterpreterState_Head();
            while !interp.is_null() {
                let i = interp as *const u8;
                let request = int_at(i, at::DROP_REQUEST);
                if interp != own
                    && gil_of(rt, interp) == gil
                    && request.load(Ordering::Relaxed) != 0
                {
                    if cleared.has(interp) {
                        live = true;
                    } else {
                        request.store(0, Ordering::Relaxed);
                        cleared.add(interp);
                    }
                }
                interp = pyo3_ffi::PyInterpreterState_Next(interp);
            }
            if live {
                let o = own as *const u8;
                int_at(o, at::DROP_REQUEST).store(1, Ordering::Relaxed);
                int_at(o, at::EVAL_BREAKER).store(1, Ordering::Relaxed);
            }
        }
    }

    /// The interpreter on `gil` whose thread list holds `ts`.
    ///
    /// # Safety
    /// The interpreter-list lock is held.
    unsafe fn interp_of(
        rt: *mut u8,
        gil: *mut u8,
        ts: *mut PyThreadState,
    ) -> Option<*mut PyInterpreterState> {
        // SAFETY: the interpreter-list lock is held (this function's contract),
        // so the lists do not change while walked.
        unsafe {
            let mut interp = pyo3_ffi::PyInterpreterState_Head();
            while !interp.is_null() {
                if gil_of(rt, interp) == gil {
                    let mut t = pyo3_ffi::PyInterpreterState_ThreadHead(interp);
                    while !t.is_null() {
                        if t == ts {
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
