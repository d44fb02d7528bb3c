//! `Plugin`: the static every generated crate holds, and the per-call path.
//!
//! First call: locate the files, start or join Python, create the plugin's
//! interpreter, build its stub module, import the script. Every call: attach
//! this thread's cached thread state, run the stub's marshaling closure,
//! turn a Python exception or a Rust panic into the export's error value.
//! Script changed on disk: the next call loads it into a fresh interpreter.
//! `dlclose`: end the interpreters (see `unload.rs`).
use crate::config;
use crate::cx::Cx;
use crate::instance::{Entry, Instance, Site};
use crate::interp::{self, Mode};
use crate::log::Log;
use crate::obj::{Obj, PyResult};
use crate::script::{self, Files};
use crate::spec::Spec;
use crate::{hooks, threads, unload, watch};
use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use pyo3_ffi::PyObject;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

pub struct Plugin {
    spec: &'static Spec,
    inst: AtomicPtr<Instance>,
    /// Loading failed (logged once); calls return error values until the
    /// script changes.
    failed: AtomicBool,
    /// When to reload: the script changed, and the host holds nothing into
    /// the running interpreter.
    gate: ReloadGate,
    /// Slow-path state, touched only while loading, reloading or unloading.
    state: Mutex<State>,
}

/// Live reload must not pull the interpreter out from under objects the host
/// holds handles or descriptors to: the reload waits until they are gone.
pub(crate) struct ReloadGate {
    /// The script changed on disk: reload before the next call.
    dirty: AtomicBool,
    /// A change is pending until the host lets go of its handles.
    waiting: AtomicBool,
}

impl ReloadGate {
    /// The last handle went: a waiting reload happens on the next call.
    pub(crate) fn host_let_go(&self) {
        if self.waiting.swap(false, Ordering::AcqRel) {
            self.dirty.store(true, Ordering::Release);
        }
    }
}

pub(crate) struct State {
    pub watcher: Option<watch::Watcher>,
    /// Instances replaced by a reload, until they are idle
    /// (`Instance::idle`); then they end on the next slow path. Boxed:
    /// thread entries point at them, so they must not move.
    #[allow(clippy::vec_box)]
    pub retired: Vec<Box<Instance>>,
    /// Ended instances, shrunk: a thread that read the instance pointer
    /// just before a reload may still look for its entry in one, so their
    /// memory lives until the library unloads.
    #[allow(clippy::vec_box)]
    pub ended: Vec<Box<Instance>>,
    /// The main interpreter's atexit hook.
    pub atexit: Option<Obj>,
    /// The host finalized Python: never start it again.
    pub finalized: bool,
    /// Why the last load failed (for a pack's native code: `load_error`).
    pub last_error: Option<String>,
}

// The Python objects in `State` are only touched under its lock with the
// right interpreter attached.
unsafe impl Send for State {}

/// The plugin of this library, for the `dlclose` and atexit hooks.
static THIS: AtomicPtr<Plugin> = AtomicPtr::new(core::ptr::null_mut());

impl Plugin {
    pub const fn new(spec: &'static Spec) -> Self {
        Plugin {
            spec,
            inst: AtomicPtr::new(core::ptr::null_mut()),
            failed: AtomicBool::new(false),
            gate: ReloadGate {
                dirty: AtomicBool::new(false),
                waiting: AtomicBool::new(false),
            },
            state: Mutex::new(State {
                watcher: None,
                retired: Vec::new(),
                ended: Vec::new(),
                atexit: None,
                finalized: false,
                last_error: None,
            }),
        }
    }

    /// Runs export `export`: `f` converts the arguments, calls the script's
    /// function and converts the result. Returns `on_error` when the plugin
    /// could not load, the function raised, or anything panicked.
    #[inline]
    pub fn call<R>(
        &'static self,
        export: usize,
        on_error: R,
        f: impl FnOnce(&Cx, *mut PyObject) -> PyResult<R>,
    ) -> R {
        let Some((inst, entry)) = self.instance() else {
            return on_error;
        };
        let func = inst.cx.funcs[export];
        if func.is_null() {
            inst.log_missing(export);
            return on_error;
        }
        Self::guarded(inst, entry, Site::Export(export), on_error, |cx| {
            f(cx, func)
        })
    }

    /// Runs descriptor method `method` (`Spec::methods`): like `call`, but
    /// the closure finds its receiver among the arguments.
    #[inline]
    pub fn call_method<R>(
        &'static self,
        method: usize,
        on_error: R,
        f: impl FnOnce(&Cx) -> PyResult<R>,
    ) -> R {
        let Some((inst, entry)) = self.instance() else {
            return on_error;
        };
        Self::guarded(inst, entry, Site::Method(method), on_error, f)
    }

    /// Runs a pack's native code (`[pack] rust`) in the plugin's
    /// interpreter: like `call`, without a script function; an exception
    /// `f` leaves pending is logged. `on_error` when the plugin cannot load.
    #[inline]
    pub fn call_native<R>(&'static self, on_error: R, f: impl FnOnce(&Cx) -> PyResult<R>) -> R {
        let Some((inst, entry)) = self.instance() else {
            return on_error;
        };
        Self::guarded(inst, entry, Site::Native, on_error, f)
    }

    /// Why the plugin could not load (the last failure's log text), if it
    /// could not.
    pub fn load_error(&'static self) -> Option<String> {
        without_held_gil(|| {
            let state = self.lock();
            if self.failed.load(Ordering::Relaxed) {
                state.last_error.clone()
            } else {
                None
            }
        })
    }

    /// `f` with this thread's state (`entry`) attached; a Python exception
    /// or a panic becomes `on_error` and a log line naming `site`.
    #[inline(always)]
    fn guarded<R>(
        inst: &Instance,
        entry: &Entry,
        site: Site,
        on_error: R,
        f: impl FnOnce(&Cx) -> PyResult<R>,
    ) -> R {
        let prev = unsafe { threads::enter(&entry.slot) };
        let out = match catch_unwind(AssertUnwindSafe(|| f(&inst.cx))) {
            Ok(Ok(v)) => v,
            Ok(Err(_)) => {
                inst.log_exception(site);
                on_error
            }
            Err(panic) => {
                inst.log_panic(site, &*panic);
                on_error
            }
        };
        unsafe { threads::leave(&entry.slot, prev) };
        out
    }

    /// The loaded instance and this thread's entry in it: an atomic load
    /// and the thread's key, unless this is the first call, the script
    /// changed (then load it) or the thread's first call here; `None` if
    /// it cannot load.
    #[inline]
    fn instance(&'static self) -> Option<(&'static Instance, &'static Entry)> {
        loop {
            let mut p = self.inst.load(Ordering::Acquire);
            if p.is_null() || self.gate.dirty.load(Ordering::Relaxed) {
                p = self.slow_path();
            }
            // Instance memory lives until the library unloads (`State::ended`),
            // so a pointer read just before a reload is still safe to ask.
            let inst = unsafe { p.as_ref() }?;
            // With an entry in `inst`, this thread may call into it even if a
            // reload just retired it: it ends only once its other threads'
            // entries are gone (`Instance::idle`).
            if let Some(e) = inst.this_thread().filter(|e| e.of(inst)) {
                return Some((inst, e));
            }
            if let Some(e) = self.first_call_here(inst) {
                return Some((inst, e));
            }
        }
    }

    /// This thread's first call into `inst`: unless a reload retired `inst`
    /// meanwhile (None: ask again), first delete this thread's states in
    /// retired instances it is not calling (only a thread can delete its
    /// own safely), end those now idle, then make its entry, all under the
    /// lock a reload takes.
    #[cold]
    fn first_call_here(&'static self, inst: &'static Instance) -> Option<&'static Entry> {
        without_held_gil(|| {
            let mut state = self.lock();
            if !core::ptr::eq(self.inst.load(Ordering::Acquire), inst) {
                return None;
            }
            if !state.retired.is_empty() {
                for old in &state.retired {
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
            if unsafe { unload::end(&mut old) } {
                old.shrink();
                state.ended.push(old);
            } else {
                // Its interpreter lives on (the script left threads running).
                std::mem::forget(old);
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// First call, or the script changed: (re)load under the lock.
    #[cold]
    fn slow_path(&'static self) -> *mut Instance {
        without_held_gil(|| self.load_or_reload())
    }

    fn load_or_reload(&'static self) -> *mut Instance {
        let mut state = self.lock();
        if self.gate.dirty.swap(false, Ordering::AcqRel) && !self.reload_waits() {
            let old = self.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
            if !old.is_null() {
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
        let files = script::locate(self as *const Plugin as *const c_void);
        let log = Log::for_files(files.as_ref());
        let result = files
            .ok_or_else(|| "cannot find this library's path (dladdr failed)".to_string())
            .and_then(|f| unsafe { self.load(&f, &log, &mut state) });
        match result {
            Ok(mut inst) => {
                inst.cx.gate = Some(&self.gate);
                if reloading {
                    log.line("script changed on disk: reloaded in a fresh interpreter");
                }
                let inst = Box::into_raw(inst);
                self.inst.store(inst, Ordering::Release);
                inst
            }
            Err(msg) => {
                log.line(&msg);
                state.last_error = Some(msg);
                log.line("every export returns its error value until this is fixed");
                self.failed.store(true, Ordering::Relaxed);
                core::ptr::null_mut()
            }
        }
    }

    /// The script changed but the host holds handles or descriptors into the
    /// running interpreter: keep it (said once in the log) until they go.
    fn reload_waits(&'static self) -> bool {
        let inst = self.inst.load(Ordering::Acquire);
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
        THIS.store(self as *const Plugin as *mut Plugin, Ordering::Release);
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
        interp::with_start_lock(|| unsafe { interp::start_python() })?;
        crate::fork::register();
        if config.mode == Mode::OwnGil && !cfg!(Py_3_12) {
            return Err(format!(
                "{}: interpreter = \"own-gil\" needs Python 3.12 or newer",
                files.config.display()
            ));
        }
        let spec = self.spec;
        unsafe {
            interp::with_main(|main_ts| {
                if state.atexit.is_none() {
                    state.atexit = hooks::register();
                }
                let ts0 = interp::new_interpreter(config.mode, main_ts)?;
                if !threads::check_layout(ts0) {
                    return Err("unsupported Python build: PyThreadState layout differs from CPython 3.11's".into());
                }
                let cx = crate::instance::build_cx(spec, &path, &config, log);
                if config.mode == Mode::Main {
                    return cx.map(|cx| {
                        Instance::new(cx, config.mode, core::ptr::null_mut(), log.clone())
                    });
                }
                match cx {
                    Ok(cx) => {
                        pyo3_ffi::PyEval_SaveThread();
                        threads::attach(main_ts);
                        Ok(Instance::new(cx, config.mode, ts0, log.clone()))
                    }
                    Err(e) => {
                        // Leave nothing behind: end the half-made interpreter.
                        pyo3_ffi::Py_EndInterpreter(ts0);
                        interp::reattach_main_after_end(main_ts);
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
        unsafe { pyo3_ffi::PyEval_SaveThread() };
    }
    let out = f();
    if !held.is_null() {
        unsafe { threads::attach(held) };
    }
    out
}

/// Fork support (`fork.rs`): this library's plugin, once it has loaded.
pub(crate) fn this() -> Option<&'static Plugin> {
    unsafe { THIS.load(Ordering::Acquire).as_ref() }
}

impl Plugin {
    /// The plugin lock, if free.
    pub(crate) fn try_lock(&'static self) -> Option<std::sync::MutexGuard<'static, State>> {
        match self.state.try_lock() {
            Ok(g) => Some(g),
            Err(std::sync::TryLockError::Poisoned(e)) => Some(e.into_inner()),
            Err(std::sync::TryLockError::WouldBlock) => None,
        }
    }

    /// The current and retired instances (`state` is this plugin's lock).
    pub(crate) fn instances<'a>(&'a self, state: &'a State) -> impl Iterator<Item = &'a Instance> {
        let inst = unsafe { self.inst.load(Ordering::Acquire).as_ref() };
        inst.into_iter().chain(state.retired.iter().map(|b| &**b))
    }

    /// In a forked child: takes every instance (their interpreters and
    /// thread states are gone or going) and the watcher (its thread does not
    /// exist here), so the next call loads the script afresh.
    #[allow(clippy::vec_box)]
    pub(crate) fn take_instances_in_child(&self, state: &mut State) -> Vec<Box<Instance>> {
        // Not stopped: its thread does not exist here (`load` starts one).
        state.watcher = None;
        self.gate.waiting.store(false, Ordering::Relaxed);
        let mut all = std::mem::take(&mut state.retired);
        let inst = self.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
        if !inst.is_null() {
            all.push(unsafe { Box::from_raw(inst) });
        }
        all
    }
}

/// The host is finalizing its Python (main interpreter's atexit): end ours
/// now, and never start Python again from this library.
pub(crate) fn host_finalizing() {
    let p = THIS.load(Ordering::Acquire);
    if p.is_null() {
        return;
    }
    let plugin = unsafe { &*p };
    let mut state = plugin.lock();
    state.finalized = true;
    // The hook is being called by atexit itself: just drop our reference.
    state.atexit = None;
    plugin.failed.store(true, Ordering::Relaxed);
    let inst = plugin.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
    let mut all = std::mem::take(&mut state.retired);
    if !inst.is_null() {
        all.push(unsafe { Box::from_raw(inst) });
    }
    for mut inst in all {
        if !unsafe { unload::end(&mut inst) } {
            std::mem::forget(inst);
        }
    }
}

/// `dlclose` (or process exit): stop the watcher, end every interpreter of
/// this library so a later load starts clean and the rest of the process is
/// unaffected.
unsafe extern "C" fn on_unmap() {
    threads::before_unmap();
    let p = THIS.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if p.is_null() {
        return;
    }
    let plugin = unsafe { &*p };
    let mut state = plugin.lock();
    if let Some(w) = state.watcher.take() {
        w.stop();
    }
    let inst = plugin.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
    let mut all = std::mem::take(&mut state.retired);
    if !inst.is_null() {
        all.push(unsafe { Box::from_raw(inst) });
    }
    let atexit = state.atexit.take();
    // No call is in flight at unmap: ended instances can go.
    state.ended.clear();
    drop(state);
    unsafe { unload::unload(all, atexit) };
}

#[used]
#[unsafe(link_section = ".fini_array")]
static ON_UNMAP: unsafe extern "C" fn() = on_unmap;

/// For `unload`: the address of code in this library (to pin it).
pub(crate) fn code_address() -> *const c_void {
    on_unmap as *const c_void
}
