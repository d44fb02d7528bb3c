//! Hosts that fork. A C host's `fork()` never tells Python, so a child could
//! inherit a GIL held by a thread that does not exist in it and hang on its
//! first call. `pthread_atfork` handlers, registered once per plugin library
//! when it starts or joins Python, do for `fork()` what CPython does for
//! `os.fork()`:
//!
//! - before: take this library's plugin lock (no load or reload is half
//!   done in the child); park a helper thread on the GIL of each of this
//!   library's own-GIL interpreters (a thread can hold only one GIL as its
//!   own), so none of them is mid-bytecode at the fork; take the main GIL
//!   with a main-interpreter thread state and run `PyOS_BeforeFork` (the main
//!   interpreter's `os.register_at_fork` hooks, the import lock).
//! - parent: release all of it in reverse (`PyOS_AfterFork_Parent`).
//! - child: forget this library's instances (CPython deletes every
//!   sub-interpreter and every other thread's state in a forked child; their
//!   per-thread entries and the watcher thread do not exist there); the next
//!   call loads the script afresh, restarting the watcher. Take the
//!   sub-interpreters off CPython's list (it would hang or abort clearing
//!   them), then `PyOS_AfterFork_Child` and release the GIL.
//!
//! Several libraries cooperate without shared statics: prepare handlers run
//! last-registered first, and only one that finds its thread holding no GIL
//! does the CPython part; the others (and every library when the host's own
//! Python forks through `os.fork()`, which runs CPython's hooks itself) see
//! the main GIL held and skip it (and their own-GIL interpreters: with the
//! main GIL held, a thread state cannot always be made). That library's
//! child handler runs last, so every library's bookkeeping is done before
//! Python is re-initialised. What
//! one fork holds is kept in thread-locals of the forking thread: concurrent
//! forks on two threads never mix their state. A fork from Python code
//! running in a sub-interpreter (the thread holds that GIL) is left to
//! CPython.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::instance::Instance;
use crate::interp::{self, Mode};
use crate::plugin::{self, State};
use crate::threads;
use core::cell::Cell;
use pyo3_ffi::{PyInterpreterState, PyThreadState};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Once};

/// Registers this library's handlers (once). Python is initialized.
pub fn register() {
    static ONCE: Once = Once::new();
    // SAFETY: the handlers are this library's functions, and glibc drops
    // them when the library is unloaded (`pthread_atfork` registers them
    // with the caller's `__dso_handle`).
    ONCE.call_once(|| unsafe {
        libc::pthread_atfork(Some(prepare), Some(parent), Some(child));
    });
}

/// What the forking thread holds between prepare and parent/child.
#[derive(Clone, Copy)]
struct Fork {
    /// The main thread state this library attached (it did the CPython part).
    main_ts: *mut PyThreadState,
    /// `main_ts` was made for the fork (delete it afterwards).
    made: bool,
    /// Python was started by an epy plugin (per-pid marker to carry over).
    started_by_epy: bool,
    /// This library's plugin lock (a leaked guard), NULL if none.
    guard: *mut MutexGuard<'static, State>,
    /// Helper threads holding own-GIL interpreters' GILs.
    holders: *mut Vec<Holder>,
}

const NONE: Fork = Fork {
    main_ts: core::ptr::null_mut(),
    made: false,
    started_by_epy: false,
    guard: core::ptr::null_mut(),
    holders: core::ptr::null_mut(),
};

thread_local! {
    // No destructor (plain `Copy` data): does not pin the library.
    static FORK: Cell<Option<Fork>> = const { Cell::new(None) };
}

unsafe extern "C" fn prepare() {
    // SAFETY: `Py_IsInitialized` has no precondition.
    if unsafe { pyo3_ffi::Py_IsInitialized() } == 0 {
        return;
    }
    let cur = threads::current();
    // SAFETY: Python is initialized.
    let main = unsafe { pyo3_ffi::PyInterpreterState_Main() };
    if !cur.is_null() && interp::interp_of(cur) != main {
        return; // Python code in a sub-interpreter forks: CPython's business
    }
    let mut f = NONE;
    f.started_by_epy = crate::start_lock::started_by_epy();
    // This thread holds the main GIL if CPython's os.fork() or another epy
    // library's handler runs the fork; else nobody told Python: we do.
    let ours = cur.is_null();
    // Plugin lock first, then GILs: the order every load takes them.
    let guard = plugin::this().map(|p| lock(p, !ours));
    if ours {
        // SAFETY: nothing is attached on this thread (`ours`), so it may
        // attach a main thread state of its own before `PyOS_BeforeFork`.
        unsafe {
            // Before PyOS_BeforeFork: on 3.13 it holds the runtime lock that
            // making a thread state needs.
            if let Some(g) = &guard {
                let insts = plugin::this().map(|p| p.instances(g));
                f.holders = Box::into_raw(Box::new(hold_own_gils(insts.into_iter().flatten())));
            }
            let bound = pyo3_ffi::PyGILState_GetThisThreadState();
            (f.main_ts, f.made) = if !bound.is_null() && interp::interp_of(bound) == main {
                (bound, false)
            } else {
                (pyo3_ffi::PyThreadState_New(main), true)
            };
            crate::threads::attach(f.main_ts);
            pyo3_ffi::PyOS_BeforeFork();
        }
    }
    if let Some(g) = guard {
        f.guard = Box::into_raw(Box::new(g));
    }
    FORK.with(|c| c.set(Some(f)));
}

unsafe extern "C" fn parent() {
    let Some(f) = FORK.with(|c| c.take()) else {
        return;
    };
    // The reverse of `prepare` (3.13: the helpers need the runtime lock
    // that PyOS_AfterFork_Parent releases).
    // SAFETY: `f` is what `prepare` made on this thread: its pointers are
    // the boxes it leaked, taken back once.
    unsafe {
        if !f.main_ts.is_null() {
            pyo3_ffi::PyOS_AfterFork_Parent();
            detach(f);
        }
        if !f.holders.is_null() {
            for h in *Box::from_raw(f.holders) {
                h.release();
            }
        }
        if !f.guard.is_null() {
            drop(Box::from_raw(f.guard));
        }
    }
}

unsafe extern "C" fn child() {
    let Some(f) = FORK.with(|c| c.take()) else {
        return;
    };
    if f.started_by_epy {
        crate::start_lock::mark_started_by_epy();
    }
    // SAFETY: `f` is what `prepare` made on this thread (its boxes taken
    // back once); in the child only this thread exists.
    unsafe {
        if !f.holders.is_null() {
            // The helpers do not exist here; their interpreters go below.
            std::mem::forget(Box::from_raw(f.holders));
        }
        unlink_sub_interpreters();
        if !f.guard.is_null() {
            let mut guard = Box::from_raw(f.guard);
            if let Some(p) = plugin::this() {
                for inst in p.take_instances_in_child(&mut guard) {
                    forget_instance(inst);
                }
            }
            drop(guard);
        }
        if !f.main_ts.is_null() {
            pyo3_ffi::PyOS_AfterFork_Child();
            // Kept (it is this thread's main thread state now): deleting the
            // last main thread state makes 3.12.1 reuse the interpreter's
            // initial one, which its fork code left marked in use (abort).
            pyo3_ffi::PyEval_SaveThread();
        }
    }
}

unsafe extern "C" {
    static mut _PyRuntime: [*mut PyInterpreterState; 0];
}

/// How far into `_PyRuntime` its interpreter list is looked for.
const RUNTIME_WORDS: usize = 1024;

/// In a child, before `PyOS_AfterFork_Child` (ours, or CPython's own after
/// `os.fork()`): takes every sub-interpreter off the runtime's interpreter
/// list, leaving them untouched (leaked). CPython would clear them there,
/// which hangs (3.11, 3.12: the list lock is taken twice) or aborts (3.13:
/// no thread state) as soon as one exists, and would run code of threads
/// that do not exist in the child. The list is newest-first, main last; its
/// head is found as the runtime field pair `{head, main}`, a layout shared
/// by 3.11-3.13.
unsafe fn unlink_sub_interpreters() {
    // SAFETY: in the child only this thread exists, so the list cannot
    // change; `_PyRuntime` is only written where its `{head, main}` pair is
    // found, within `RUNTIME_WORDS` words of the (larger) runtime struct.
    unsafe {
        let main = pyo3_ffi::PyInterpreterState_Main();
        let head = pyo3_ffi::PyInterpreterState_Head();
        if main.is_null() || head == main {
            return;
        }
        let mut last = head;
        while !pyo3_ffi::PyInterpreterState_Next(last).is_null() {
            last = pyo3_ffi::PyInterpreterState_Next(last);
        }
        if last != main {
            return;
        }
        let runtime = core::ptr::addr_of_mut!(_PyRuntime) as *mut *mut PyInterpreterState;
        for i in 0..RUNTIME_WORDS {
            if *runtime.add(i) == head && *runtime.add(i + 1) == main {
                *runtime.add(i) = main;
                return;
            }
        }
    }
}

/// In the parent: leaves the main thread state attached in `prepare`
/// (deleting it if it was made for the fork).
unsafe fn detach(f: Fork) {
    // SAFETY: `f.main_ts` is attached on this thread (`prepare`).
    unsafe {
        if f.made {
            pyo3_ffi::PyThreadState_Clear(f.main_ts);
            pyo3_ffi::PyThreadState_DeleteCurrent();
        } else {
            pyo3_ffi::PyEval_SaveThread();
        }
    }
}

/// In a child: an instance whose interpreter (sub-interpreters) or thread
/// states (main) CPython deletes. Nothing of it may be touched again: its
/// per-thread key goes (no destructor runs for the forking thread's entry)
/// and the rest leaks.
unsafe fn forget_instance(inst: Box<Instance>) {
    // SAFETY: the key is the instance's own, deleted once (it is forgotten).
    unsafe { libc::pthread_key_delete(inst.key) };
    std::mem::forget(inst);
}

/// This library's plugin lock. With `holding_gil` (the main GIL, on this
/// thread), the GIL is let go while waiting: a load in progress may need it.
fn lock(p: &'static plugin::Plugin, holding_gil: bool) -> MutexGuard<'static, State> {
    loop {
        if let Some(g) = p.try_lock() {
            return g;
        }
        // SAFETY: with `holding_gil`, this thread's state is attached: it is
        // detached while waiting and attached again.
        unsafe {
            let ts = if holding_gil {
                pyo3_ffi::PyEval_SaveThread()
            } else {
                core::ptr::null_mut()
            };
            libc::usleep(200);
            if holding_gil {
                crate::threads::attach(ts);
            }
        }
    }
}

/// A helper thread holding one own-GIL interpreter's GIL until released.
struct Holder {
    thread: libc::pthread_t,
    sync: Arc<Sync>,
}

struct Sync {
    interp: *mut PyInterpreterState,
    /// 0: starting, 1: holds the GIL, 2: may let go.
    step: Mutex<u8>,
    cv: Condvar,
}

// SAFETY: the interpreter pointer is only used by the helper thread.
unsafe impl Send for Sync {}
// SAFETY: as for `Send`; the rest is a mutex and a condvar.
unsafe impl core::marker::Sync for Sync {}

/// Starts one holder per own-GIL interpreter in `insts` and waits until each
/// holds its GIL (this thread holds none; no other thread ever holds two, so
/// the order cannot deadlock).
fn hold_own_gils<'a>(insts: impl Iterator<Item = &'a Instance>) -> Vec<Holder> {
    let mut holders = Vec::new();
    for inst in insts.filter(|i| i.mode == Mode::OwnGil) {
        let sync = Arc::new(Sync {
            interp: inst.interp,
            step: Mutex::new(0),
            cv: Condvar::new(),
        });
        let arg = Arc::into_raw(sync.clone()) as *mut libc::c_void;
        let mut thread: libc::pthread_t = 0;
        // SAFETY: `hold` takes ownership of `arg`, an `Arc` leaked for it.
        if unsafe { libc::pthread_create(&mut thread, core::ptr::null(), hold, arg) } != 0 {
            // SAFETY: the thread did not start: `arg` is still ours.
            drop(unsafe { Arc::from_raw(arg as *const Sync) });
            continue;
        }
        let mut step = sync.step.lock().unwrap_or_else(|e| e.into_inner());
        while *step == 0 {
            step = sync.cv.wait(step).unwrap_or_else(|e| e.into_inner());
        }
        drop(step);
        holders.push(Holder { thread, sync });
    }
    holders
}

impl Holder {
    fn release(self) {
        *self.sync.step.lock().unwrap_or_else(|e| e.into_inner()) = 2;
        self.sync.cv.notify_all();
        // SAFETY: the helper thread is joined once (`self` is consumed).
        unsafe { libc::pthread_join(self.thread, core::ptr::null_mut()) };
    }
}

extern "C" fn hold(arg: *mut libc::c_void) -> *mut libc::c_void {
    // SAFETY: `arg` is the `Arc` leaked for this thread by `hold_own_gils`.
    let sync = unsafe { Arc::from_raw(arg as *const Sync) };
    // SAFETY: a new thread with nothing attached: it makes, attaches and
    // deletes its own thread state in a live interpreter.
    unsafe {
        let ts = pyo3_ffi::PyThreadState_New(sync.interp);
        crate::threads::attach(ts);
        let mut step = sync.step.lock().unwrap_or_else(|e| e.into_inner());
        *step = 1;
        sync.cv.notify_all();
        while *step != 2 {
            step = sync.cv.wait(step).unwrap_or_else(|e| e.into_inner());
        }
        drop(step);
        pyo3_ffi::PyThreadState_Clear(ts);
        pyo3_ffi::PyThreadState_DeleteCurrent();
    }
    core::ptr::null_mut()
}
