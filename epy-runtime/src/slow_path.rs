//! The slow paths of a `Plugin` (`plugin.rs`), on its `Loader`: the first
//! call (locate the files, start or join Python, create the plugin's
//! interpreter, build its stub module, import the script), a thread's first
//! call into an instance, a changed script (load it into a fresh interpreter
//! once the reload gate opens, end retired instances once idle) and the host
//! finalizing its Python (a hook in the main interpreter's `atexit`). Below
//! the hot path, which calls in only when the instance pointer is NULL, the
//! script changed, or a thread is new here. Ending an interpreter is
//! `unload.rs`.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::config;
use crate::files::{self, Files};
use crate::instance::{Entry, Instance};
use crate::interp::{self, Mode};
use crate::loader::{Loader, State, THIS};
use crate::log::Log;
use crate::{hooks, threads, unload, watch};
use core::ffi::c_void;
use core::sync::atomic::Ordering;
use pyo3_ffi::{METH_NOARGS, PyMethodDef, PyMethodDefPointer, PyObject};

impl Loader {
    /// Why the plugin could not load (the last failure's log text), if it
    /// could not.
    pub(crate) fn load_error(&'static self) -> Option<String> {
        without_held_gil(|| {
            let state = self.lock();
            if self.failed.load(Ordering::Relaxed) {
                state.last_error.clone()
            } else {
                None
            }
        })
    }

    /// This thread's first call into `inst`: unless a reload retired `inst`
    /// meanwhile (None: ask again), first delete this thread's states in
    /// retired instances it is not calling (only a thread can delete its
    /// own safely), end those now idle, then make its entry, all under the
    /// lock a reload takes.
    #[cold]
    pub(crate) fn first_call_here(
        &'static self,
        inst: &'static Instance,
    ) -> Option<&'static Entry> {
        without_held_gil(|| {
            let mut state = self.lock();
            if !core::ptr::eq(self.inst.load(Ordering::Acquire), inst) {
                return None;
            }
            if !state.retired.is_empty() {
                for old in &state.retired {
                    // SAFETY: `without_held_gil`: nothing is attached here.
                    unsafe { old.delete_own_entry() };
                }
                self.end_idle(&mut state);
            }
            Some(inst.new_entry())
        })
    }

    /// Ends the retired instances that are idle (`Instance::idle`).
    fn end_idle(&self, state: &mut State) {
        let mut i = 0;
        while i < state.retired.len() {
            if !state.retired[i].idle() {
                i += 1;
                continue;
            }
            let mut old = state.retired.swap_remove(i);
            // SAFETY: Python runs (it made `old`); idle means no call is in it.
            if unsafe { unload::end(&mut old) } {
                old.shrink();
                state.ended.push(old);
            } else {
                // Its interpreter lives on (the script left threads running).
                std::mem::forget(old);
            }
        }
    }

    /// First call, or the script changed: (re)load under the lock.
    #[cold]
    pub(crate) fn slow_path(&'static self) -> *mut Instance {
        without_held_gil(|| self.load_or_reload())
    }

    fn load_or_reload(&'static self) -> *mut Instance {
        let mut state = self.lock();
        if self.gate.dirty.swap(false, Ordering::AcqRel) && !self.reload_waits() {
            let old = self.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
            if !old.is_null() {
                // SAFETY: `old` came from `Box::into_raw` below and the swap
                // took the only owner.
                state.retired.push(unsafe { Box::from_raw(old) });
            }
            self.failed.store(false, Ordering::Relaxed);
        }
        if !state.retired.is_empty() {
            self.end_idle(&mut state);
        }
        let inst = self.inst.load(Ordering::Acquire);
        if !inst.is_null() || self.failed.load(Ordering::Relaxed) || state.finalized {
            return inst;
        }
        let reloading = !state.retired.is_empty() || !state.ended.is_empty();
        let files = files::locate(self as *const Loader as *const c_void);
        let log = Log::for_files(files.as_ref());
        let result = files
            .ok_or_else(|| "cannot find this library's path (dladdr failed)".to_string())
            // SAFETY: `load` has no precondition beyond holding the plugin
            // lock (`state`), which this thread does.
            .and_then(|f| unsafe { self.load(&f, &log, &mut state) });
        match result {
            Ok(inst) => {
                if reloading {
                    log.line("script changed on disk: reloaded in a fresh interpreter");
                }
                let inst = Box::into_raw(inst);
                self.inst.store(inst, Ordering::Release);
                inst
            }
            Err(msg) => {
                log.line(&msg);
                log.line("every export returns its error value until this is fixed");
                state.last_error = Some(msg);
                self.failed.store(true, Ordering::Relaxed);
                core::ptr::null_mut()
            }
        }
    }

    /// The script changed but the host holds handles or descriptors into the
    /// running interpreter: keep it (said once in the log) until they go.
    fn reload_waits(&'static self) -> bool {
        let inst = self.inst.load(Ordering::Acquire);
        // SAFETY: NULL or an instance that lives until unload (`State::ended`).
        let Some(inst) = (unsafe { inst.as_ref() }) else {
            return false;
        };
        let (handles, descriptors) = inst.cx.host_refs();
        if handles == 0 && descriptors == 0 {
            return false;
        }
        if !self.gate.waiting.swap(true, Ordering::AcqRel) {
            let why = if descriptors > 0 {
                "the host keeps this plugin's descriptors for as long as it has the library loaded: restart the host (or reload the plugin in it) to run the new script"
            } else {
                "the reload happens when the host has closed them"
            };
            inst.log.line(&format!(
                "script changed on disk; the host holds {handles} handle(s) and {descriptors} descriptor(s) into the running interpreter, so it keeps running the old code: {why}"
            ));
        }
        true
    }

    /// Starts/joins Python, creates the interpreter, imports the script.
    unsafe fn load(
        &'static self,
        files: &Files,
        log: &Log,
        state: &mut State,
    ) -> Result<Box<Instance>, String> {
        THIS.store(self as *const Loader as *mut Loader, Ordering::Release);
        let config = config::load(files)?;
        let path = files.script().map(Into::into);
        if config.reload && state.watcher.is_none() {
            // Watch even a missing or broken script: fixing it reloads.
            state.watcher = watch::start(&files.scripts, &self.gate.dirty);
        }
        let path: std::path::PathBuf = path?;
        // First, before any other Python call: our Py_* references bind to
        // whichever libpython the process loaded first, maybe another version.
        interp::check_version()?;
        interp::make_libpython_global()?;
        unload::register_exit_flag();
        // SAFETY: called under the start lock, as `start_python` requires.
        interp::with_start_lock(|| unsafe { interp::start_python() })?;
        crate::fork::register();
        if config.mode == Mode::OwnGil && !cfg!(Py_3_12) {
            return Err(format!(
                "{}: interpreter = \"own-gil\" needs Python 3.12 or newer",
                files.config.display()
            ));
        }
        let spec = self.spec;
        // SAFETY: Python is initialized (started or joined above); inside
        // `with_main` the main interpreter is attached on this thread, which
        // is what `hooks::register` and `new_interpreter` need; `build_cx`
        // runs with the new interpreter attached (`new_interpreter` attaches
        // `ts0`), and `ts0` is its only thread state when it is ended.
        unsafe {
            interp::with_main(|main_ts| {
                if config.mode == Mode::Shared {
                    crate::gil_watchdog::ensure();
                }
                if state.atexit.is_none() {
                    state.atexit = hooks::register(&ATEXIT_HOOK.0);
                }
                let ts0 = interp::new_interpreter(config.mode, main_ts)?;
                if !threads::check_layout(ts0) {
                    return Err("unsupported Python build: PyThreadState layout differs from CPython 3.11's".into());
                }
                let cx = crate::instance::build_cx(spec, &path, &config, log, &self.gate);
                if config.mode == Mode::Main {
                    return cx.and_then(|cx| {
                        Instance::new(cx, config.mode, core::ptr::null_mut(), log.clone())
                    });
                }
                match cx.and_then(|cx| Instance::new(cx, config.mode, ts0, log.clone())) {
                    Ok(inst) => {
                        pyo3_ffi::PyEval_SaveThread();
                        threads::attach(main_ts);
                        Ok(inst)
                    }
                    Err(e) => {
                        // Leave nothing behind: end the half-made interpreter.
                        interp::end_interpreter(ts0, main_ts);
                        Err(e)
                    }
                }
            })
        }
    }
}

/// Runs `f` with no GIL held by this thread. Never wait for the plugin's
/// lock while holding a GIL (a ctypes.PyDLL caller does, or a plugin
/// calling another): the thread holding the lock may be waiting for it.
fn without_held_gil<T>(f: impl FnOnce() -> T) -> T {
    let held = threads::current();
    if !held.is_null() {
        // SAFETY: `held` is attached on this thread.
        unsafe { pyo3_ffi::PyEval_SaveThread() };
    }
    let out = f();
    if !held.is_null() {
        // SAFETY: `held` was this thread's and `f` left nothing attached.
        unsafe { threads::attach(held) };
    }
    out
}

struct Def(PyMethodDef);
// SAFETY: a constant table CPython only reads; never mutated.
unsafe impl Sync for Def {}

static ATEXIT_HOOK: Def = Def(PyMethodDef {
    ml_name: c"epy_end_plugin_interpreters".as_ptr(),
    ml_meth: PyMethodDefPointer {
        PyCFunction: on_finalize,
    },
    ml_flags: METH_NOARGS,
    ml_doc: core::ptr::null(),
});

/// The atexit hook: CPython 3.11/3.12 abort if a sub-interpreter is still
/// alive when the host finalizes its own Python, so end ours first.
unsafe extern "C" fn on_finalize(_self: *mut PyObject, _args: *mut PyObject) -> *mut PyObject {
    host_finalizing();
    // SAFETY: atexit calls the hook with the main interpreter attached.
    unsafe { pyo3_ffi::Py_NewRef(pyo3_ffi::Py_None()) }
}

/// The host is finalizing its Python (main interpreter's atexit): end ours
/// now, and never start Python again from this library.
pub(crate) fn host_finalizing() {
    let p = THIS.load(Ordering::Acquire);
    if p.is_null() {
        return;
    }
    crate::gil_watchdog::stop();
    // SAFETY: non-NULL `THIS` is the `Loader` of this library's `Plugin` static.
    let plugin = unsafe { &*p };
    let mut state = plugin.lock();
    state.finalized = true;
    // The hook is being called by atexit itself: just drop our reference.
    state.atexit = None;
    plugin.failed.store(true, Ordering::Relaxed);
    let inst = plugin.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
    let mut all = std::mem::take(&mut state.retired);
    if !inst.is_null() {
        // SAFETY: `inst` came from `Box::into_raw` and the swap took the
        // only owner.
        all.push(unsafe { Box::from_raw(inst) });
    }
    for mut inst in all {
        // SAFETY: Python is still initialized (atexit runs before
        // finalizing) and the host is not calling into it while it exits.
        if !unsafe { unload::end(&mut inst) } {
            std::mem::forget(inst);
        }
    }
}
