//! `Plugin`: the static every generated crate holds, and the per-call path
//! (`call`, `call_method`): an atomic load of the instance, one of the
//! reload gate, this thread's cached thread state swapped in, the stub's
//! marshaling closure run, a Python exception or a Rust panic turned into the
//! export's error value. Loading, reloading, the atexit hook and `dlclose`
//! are `lifecycle.rs`.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::cx::Cx;
use crate::gate::ReloadGate;
use crate::instance::{Entry, Instance, Site};
use crate::obj::{Obj, PyResult};
use crate::spec::Spec;
use crate::{threads, watch};
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use pyo3_ffi::PyObject;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

pub struct Plugin {
    pub(crate) spec: &'static Spec,
    /// The loaded instance (NULL: not loaded, or loading failed).
    pub(crate) inst: AtomicPtr<Instance>,
    /// Loading failed (logged once); calls return error values until the
    /// script changes.
    pub(crate) failed: AtomicBool,
    /// When to reload: the script changed, and the host holds nothing into
    /// the running interpreter.
    pub(crate) gate: ReloadGate,
    /// Slow-path state, touched only while loading, reloading or unloading.
    pub(crate) state: Mutex<State>,
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

// SAFETY: the Python objects in `State` are only touched under its lock
// with the right interpreter attached.
unsafe impl Send for State {}

/// The plugin of this library, for the `dlclose` and atexit hooks.
pub(crate) static THIS: AtomicPtr<Plugin> = AtomicPtr::new(core::ptr::null_mut());

impl Plugin {
    pub const fn new(spec: &'static Spec) -> Self {
        Plugin {
            spec,
            inst: AtomicPtr::new(core::ptr::null_mut()),
            failed: AtomicBool::new(false),
            gate: ReloadGate::new(),
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
    pub fn call<R: 'static>(
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
    pub fn call_method<R: 'static>(
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
    pub fn call_native<R: 'static>(
        &'static self,
        on_error: R,
        f: impl FnOnce(&Cx) -> PyResult<R>,
    ) -> R {
        let Some((inst, entry)) = self.instance() else {
            return on_error;
        };
        Self::guarded(inst, entry, Site::Native, on_error, f)
    }

    /// Runs a Python callable the host got as a function pointer of
    /// callback signature `callback` (a trampoline, `marshal::trampoline`):
    /// like `call`, but the closure finds the callable itself.
    #[inline]
    pub fn call_callback<R: 'static>(
        &'static self,
        callback: usize,
        on_error: R,
        f: impl FnOnce(&Cx) -> PyResult<R>,
    ) -> R {
        let Some((inst, entry)) = self.instance() else {
            return on_error;
        };
        Self::guarded(inst, entry, Site::Callback(callback), on_error, f)
    }

    /// `f` with this thread's state (`entry`) attached; a Python exception
    /// or a panic becomes `on_error` and a log line naming `site`.
    #[inline(always)]
    fn guarded<R: 'static>(
        inst: &Instance,
        entry: &Entry,
        site: Site,
        on_error: R,
        f: impl FnOnce(&Cx) -> PyResult<R>,
    ) -> R {
        // SAFETY: `entry` is this thread's entry (`Plugin::instance`), so its
        // slot holds a live thread state made for this thread.
        let prev = unsafe { threads::enter(&entry.slot) };
        let out = match catch_unwind(AssertUnwindSafe(|| f(&inst.cx))) {
            Ok(Ok(v)) => v,
            // SAFETY: this thread's state is attached (`enter` above) and the
            // closure's `Err` means a Python exception is pending.
            Ok(Err(_)) => match unsafe { crate::iface_error::take::<R>() } {
                Some(code) => code.unwrap_or(on_error),
                None => {
                    inst.log_exception(site);
                    on_error
                }
            },
            Err(panic) => {
                inst.log_panic(site, &*panic);
                on_error
            }
        };
        // SAFETY: pairs with the `enter` above, on the same thread.
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
            // SAFETY: NULL or an instance that lives until unload (see above).
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
}

/// Fork support (`fork.rs`): this library's plugin, once it has loaded.
pub(crate) fn this() -> Option<&'static Plugin> {
    // SAFETY: NULL or the `Plugin` static of this library (set by `load`).
    unsafe { THIS.load(Ordering::Acquire).as_ref() }
}

impl Plugin {
    /// The plugin lock (poisoning ignored: the state stays consistent).
    pub(crate) fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

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
        // SAFETY: NULL or an instance that lives until unload (`State::ended`).
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
            // SAFETY: `inst` came from `Box::into_raw` (`load_or_reload`) and
            // the swap took the only owner.
            all.push(unsafe { Box::from_raw(inst) });
        }
        all
    }
}
