//! `Plugin`: the static every generated crate holds, and the per-call path
//! (`call`, `call_method`): an atomic load of the instance, one of the
//! reload gate, this thread's cached thread state swapped in, the stub's
//! marshaling closure run, a Python exception or a Rust panic turned into the
//! export's error value. What it holds and its slow paths (loading,
//! reloading, a thread's first call) are `loader.rs` and `slow_path.rs`, below it; `dlclose` is
//! `lifecycle.rs`.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::cx::Cx;
use crate::instance::{Entry, Instance, Site};
use crate::loader::Loader;
use crate::marshal::shared::Spec;
use crate::obj::PyResult;
use crate::threads;
use core::sync::atomic::Ordering;
use pyo3_ffi::PyObject;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One plugin library's plugin: a `Loader`, whose slow paths the per-call
/// path below calls into only when it must.
#[repr(transparent)]
pub struct Plugin(pub(crate) Loader);

impl Plugin {
    pub const fn new(spec: &'static Spec) -> Self {
        Plugin(Loader::new(spec))
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
        Self::guarded(inst, entry, Site::Native("pack_callback"), on_error, f)
    }

    /// `call_native` whose log line names `site` (e.g. the SQL function a
    /// pack registered) instead of `pack_callback`.
    #[inline]
    pub fn call_native_as<R: 'static>(
        &'static self,
        site: &str,
        on_error: R,
        f: impl FnOnce(&Cx) -> PyResult<R>,
    ) -> R {
        let Some((inst, entry)) = self.instance() else {
            return on_error;
        };
        Self::guarded(inst, entry, Site::Native(site), on_error, f)
    }

    /// Why the plugin could not load (the last failure's log text), if it
    /// could not (for a pack's native code: SQLite's `*pzErrMsg`).
    pub fn load_error(&'static self) -> Option<String> {
        self.0.load_error()
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
        site: Site<'_>,
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
            let mut p = self.0.inst.load(Ordering::Acquire);
            if p.is_null() || self.0.gate.dirty.load(Ordering::Relaxed) {
                p = self.0.slow_path();
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
            if let Some(e) = self.0.first_call_here(inst) {
                return Some((inst, e));
            }
        }
    }
}
