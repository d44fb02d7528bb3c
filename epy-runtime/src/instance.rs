//! One loaded plugin: its interpreter, its `Cx`, and the thread states the
//! host's threads use in it (one per thread, made on the thread's first
//! call, deleted by a pthread-key destructor when the thread exits).
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::config::Config;
use crate::cx::{Cx, Returns};
use crate::gate::ReloadGate;
use crate::import;
use crate::interp::{self, Mode};
use crate::log::Log;
use crate::marshal::shared::Spec;
use crate::threads::{self, Slot};
use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use pyo3_ffi::{PyInterpreterState, PyThreadState};
use std::path::Path;
use std::sync::Mutex;

/// What the host called: an export, or a descriptor method (by index).
#[derive(Clone, Copy)]
pub(crate) enum Site<'a> {
    Export(usize),
    Method(usize),
    /// A Python callable the host got as a function pointer, by callback
    /// signature (`Spec::callbacks`).
    Callback(usize),
    /// A pack's native code (`Plugin::call_native`, logged as
    /// `pack_callback()`), or `Plugin::call_native_as` with the name the
    /// pack gives (SQLite: the SQL function's).
    Native(&'a str),
}

/// `key` and `cx.funcs`, which every call reads, come first and share a
/// cache line (`repr(C)`, 64-aligned; see `Loader`).
#[repr(C, align(64))]
pub(crate) struct Instance {
    /// Per-thread `Entry` for this interpreter.
    pub key: libc::pthread_key_t,
    pub cx: Cx,
    pub mode: Mode,
    pub interp: *mut PyInterpreterState,
    /// The thread state that created the interpreter (deleted when it ends);
    /// NULL in `Mode::Main`.
    pub ts0: *mut PyThreadState,
    /// Every live `Entry`, so unload can delete other threads' states.
    /// A thread calls into an instance only through its entry, made under
    /// the plugin's lock while the instance is current.
    pub entries: Mutex<Vec<usize>>,
    /// Threads deleting their own entry right now (off the list already).
    leaving: AtomicUsize,
    pub log: Log,
    /// Per export: "the script does not define it" was logged.
    missing_logged: Vec<AtomicBool>,
    /// Per export, then per method: how often it logged lately.
    limits: Box<[Limit]>,
}

/// At most `BURST` exception logs per export (or method) a second: a host
/// calling a broken function at audio rate must not flood the log.
#[derive(Default)]
struct Limit {
    /// Start of the current one-second window (ms since the instance began; 0 = none yet).
    window: core::sync::atomic::AtomicU64,
    logged: core::sync::atomic::AtomicU64,
    suppressed: core::sync::atomic::AtomicU64,
}

const BURST: u64 = 5;

// SAFETY: raw interpreter pointers are only used with that interpreter
// attached, and the instance is shared across host threads by design.
unsafe impl Send for Instance {}
// SAFETY: as for `Send`.
unsafe impl Sync for Instance {}

/// What a thread's key slot points to. `rets` comes first: `Cx` finds this
/// thread's return slots through the key without knowing `Entry`. What a
/// call reads (`inst`, the slot's hot fields) fits in the first cache line.
#[repr(C, align(64))]
pub(crate) struct Entry {
    pub rets: Returns,
    inst: *const Instance,
    pub slot: Slot,
    /// The thread this entry belongs to.
    owner: libc::pthread_t,
}

impl Entry {
    /// True when this is an entry of `inst`.
    #[inline]
    pub fn of(&self, inst: &Instance) -> bool {
        core::ptr::eq(self.inst, inst)
    }
}

impl Instance {
    /// `Err` when the process has no thread key left for this instance's
    /// entries (then nothing is made; `cx` is dropped with `ts0`'s
    /// interpreter attached, as the caller holds it).
    pub fn new(
        mut cx: Cx,
        mode: Mode,
        ts0: *mut PyThreadState,
        log: Log,
    ) -> Result<Box<Instance>, String> {
        let interp = if ts0.is_null() {
            // SAFETY: `Mode::Main` instances are made with Python running.
            unsafe { pyo3_ffi::PyInterpreterState_Main() }
        } else {
            interp::interp_of(ts0)
        };
        let mut key = 0;
        // SAFETY: `key` is a valid out pointer.
        let rc = unsafe { libc::pthread_key_create(&mut key, Some(entry_dtor)) };
        if rc != 0 {
            // Going on would use a key that is not ours (the host's, or
            // another plugin's).
            return Err(format!(
                "cannot make a thread key for the plugin's interpreter: {} (the process has used up its thread keys; each epy plugin needs one or two)",
                std::io::Error::from_raw_os_error(rc)
            ));
        }
        cx.entry_key = Some(key);
        // Exports the script lacks were logged at load (with the fix).
        let missing_logged = cx
            .funcs
            .iter()
            .map(|f| AtomicBool::new(f.is_null()))
            .collect();
        let n_sites = cx.spec.exports.len() + cx.spec.methods.len() + cx.spec.callbacks.len() + 1;
        Ok(Box::new(Instance {
            cx,
            mode,
            interp,
            ts0,
            key,
            entries: Mutex::new(Vec::new()),
            leaving: AtomicUsize::new(0),
            log,
            missing_logged,
            limits: (0..n_sites).map(|_| Limit::default()).collect(),
        }))
    }

    /// This thread's entry, if it has called before. Also safe on an ended
    /// instance: its key is deleted, so this is None, or (the key number
    /// reused) an entry of another instance, which `Entry::of` tells.
    #[inline]
    pub fn this_thread(&self) -> Option<&Entry> {
        // SAFETY: the key's value is NULL or an `Entry` set by `new_entry`
        // and freed only after the value is cleared (or the key deleted).
        unsafe { (libc::pthread_getspecific(self.key) as *const Entry).as_ref() }
    }

    /// Creates this thread's entry (its first call).
    #[cold]
    pub fn new_entry(&self) -> &Entry {
        // SAFETY: Python runs and the interpreter is live (it is current).
        let slot = unsafe { threads::new_slot(self.interp) };
        let e = Box::into_raw(Box::new(Entry {
            rets: Returns::new(self.cx.spec.exports.len()),
            slot,
            inst: self,
            // SAFETY: `pthread_self` has no precondition.
            owner: unsafe { libc::pthread_self() },
        }));
        // SAFETY: `self.key` is live while the instance is.
        unsafe { libc::pthread_setspecific(self.key, e as *const c_void) };
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(e as usize);
        // SAFETY: `e` is freed only by its thread's exit, an unload or this
        // thread's own deletion, none of which runs while the caller uses it.
        unsafe { &*e }
    }

    /// The threads (other than this one) inside a call into this instance.
    fn threads_in_call(&self) -> Vec<core::ffi::c_ulong> {
        // SAFETY: `self.key` is live while the instance is.
        let this = unsafe { libc::pthread_getspecific(self.key) } as usize;
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .filter(|&&e| e != this)
            // SAFETY: listed entries are live; they leave the list (under this
            // lock) before they are freed.
            .map(|&e| unsafe { &(*(e as *const Entry)).slot })
            .filter(|s| s.in_call())
            .map(|s| s.thread)
            .collect()
    }

    /// Before ending the interpreter: the host unloads the plugin while
    /// other threads are still inside calls (a host bug: their code is about
    /// to be unmapped, and `RTLD_NODELETE` cannot be set from a destructor).
    /// Neither end the interpreter under them nor wait for a busy loop to
    /// finish: raise `epy.PluginUnloaded` in them (Python code stops at its
    /// next instruction; the calls return error values) and wait until they
    /// have left. A call blocked in C (a host callback, `time.sleep`) is
    /// waited for.
    ///
    /// # Safety
    /// `ts`, a thread state of this interpreter, is attached on this thread.
    pub unsafe fn stop_calls(&self, ts: *mut PyThreadState) {
        let busy = self.threads_in_call();
        if busy.is_empty() {
            return;
        }
        self.log.line(&format!(
            "unloaded while a call is still running on {} other thread(s): raising epy.PluginUnloaded in them and waiting for them to return",
            busy.len()
        ));
        // SAFETY: `ts` is attached on this thread (contract), detached while
        // waiting and attached again.
        unsafe {
            let exc = pyo3_ffi::PyErr_NewException(
                c"epy.PluginUnloaded".as_ptr(),
                pyo3_ffi::PyExc_BaseException,
                core::ptr::null_mut(),
            );
            if exc.is_null() {
                pyo3_ffi::PyErr_Clear();
            } else {
                for thread in busy {
                    pyo3_ffi::PyThreadState_SetAsyncExc(thread as core::ffi::c_long, exc);
                }
                pyo3_ffi::Py_DECREF(exc);
            }
            pyo3_ffi::PyEval_SaveThread();
            while !self.threads_in_call().is_empty() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            threads::attach(ts);
        }
    }

    /// After `delete_entries`: waits, with the GIL let go, for threads whose
    /// exit destructor took their entry off the list and now waits for the
    /// GIL to delete its thread state (`Py_EndInterpreter` needs the last one).
    ///
    /// # Safety
    /// `ts`, a thread state of this interpreter, is attached on this thread.
    pub unsafe fn wait_for_leaving_threads(&self, ts: *mut PyThreadState) {
        while self.leaving.load(Ordering::SeqCst) != 0 {
            // SAFETY: `ts` is attached on this thread (contract).
            unsafe { pyo3_ffi::PyEval_SaveThread() };
            std::thread::sleep(std::time::Duration::from_millis(1));
            // SAFETY: `ts` is this thread's, detached just above.
            unsafe { threads::attach(ts) };
        }
    }

    /// Deletes every thread's state (the interpreter's GIL is held).
    ///
    /// # Safety
    /// A thread state of this interpreter is attached; no other thread uses it.
    pub unsafe fn delete_entries(&self) {
        // SAFETY: the key is deleted once, here (the instance ends).
        unsafe { libc::pthread_key_delete(self.key) };
        let entries = std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        let current = threads::current();
        for e in entries {
            // SAFETY: listed entries came from `Box::into_raw`; taking the
            // list took their ownership (an exiting thread then frees none).
            let e = unsafe { Box::from_raw(e as *mut Entry) };
            // SAFETY: a state of this interpreter is attached (contract).
            unsafe { e.rets.clear() };
            if e.slot.ts != current {
                // SAFETY: another thread's state that no thread uses
                // (contract); the attached one is left to end the interpreter.
                unsafe {
                    pyo3_ffi::PyThreadState_Clear(e.slot.ts);
                    pyo3_ffi::PyThreadState_Delete(e.slot.ts);
                }
            }
        }
    }

    /// Deletes this thread's entry, if it has one and no call of this
    /// thread is inside it (its thread state goes on this thread, as at
    /// thread exit).
    ///
    /// # Safety
    /// Nothing is attached on this thread.
    pub unsafe fn delete_own_entry(&self) {
        let Some(e) = self.this_thread() else { return };
        if e.slot.in_call() {
            return;
        }
        let e = e as *const Entry as *mut c_void;
        // SAFETY: this thread's own entry, not in a call; cleared from the
        // key first, so it is deleted exactly as at thread exit, with nothing
        // attached (contract).
        unsafe {
            libc::pthread_setspecific(self.key, core::ptr::null());
            entry_dtor(e);
        }
    }

    /// A retired instance can end now: the host holds no handle or
    /// descriptor into it, and no thread but this one has a thread state in
    /// it (so no other thread can be calling into it: calls go through an
    /// entry), nor is this thread inside it. Deleting another thread's
    /// state would also leave that thread's `PyGILState` binding dangling
    /// on 3.12+: threads delete their own at their next call or at exit.
    pub fn idle(&self) -> bool {
        if self.cx.host_refs() != (0, 0) {
            return false;
        }
        // SAFETY: `pthread_self` has no precondition.
        let me = unsafe { libc::pthread_self() };
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let own_and_out = entries.iter().all(|&e| {
            // SAFETY: listed entries are live (see `threads_in_call`).
            let e = unsafe { &*(e as *const Entry) };
            // SAFETY: `pthread_equal` has no precondition.
            let own = unsafe { libc::pthread_equal(e.owner, me) } != 0;
            own && !e.slot.in_call()
        });
        own_and_out && self.leaving.load(Ordering::SeqCst) == 0
    }

    /// After `unload::end`: let go of what only a live instance needs (an
    /// ended one is kept, small: a thread that read the instance pointer
    /// just before the reload may still call `this_thread` on it).
    pub fn shrink(&mut self) {
        self.missing_logged = Vec::new();
        self.limits = Box::new([]);
        self.cx.shrink();
    }

    fn export_name(&self, export: usize) -> std::borrow::Cow<'_, str> {
        self.cx.spec.exports[export].to_string_lossy()
    }

    #[cold]
    pub fn log_missing(&self, export: usize) {
        if !self.missing_logged[export].swap(true, Ordering::Relaxed) {
            self.log.line(&format!(
                "the script does not define {}(); returning the error value",
                self.export_name(export)
            ));
        }
    }

    /// `site`'s name for messages, and its index in `limits`.
    fn site<'s>(&'s self, site: Site<'s>) -> (std::borrow::Cow<'s, str>, usize) {
        match site {
            Site::Export(e) => (self.export_name(e), e),
            Site::Method(m) => (
                self.cx.spec.methods[m].site.to_string_lossy(),
                self.cx.spec.exports.len() + m,
            ),
            Site::Callback(c) => (
                self.cx.spec.callbacks[c].name.to_string_lossy(),
                self.cx.spec.exports.len() + self.cx.spec.methods.len() + c,
            ),
            Site::Native(name) => (
                name.into(),
                self.cx.spec.exports.len()
                    + self.cx.spec.methods.len()
                    + self.cx.spec.callbacks.len(),
            ),
        }
    }

    #[cold]
    pub fn log_exception(&self, site: Site<'_>) {
        let (name, i) = self.site(site);
        // An export's result epy could not convert: say so, with the `def`.
        let what = match site {
            // SAFETY: called from `Plugin::guarded`, the interpreter attached
            // and the call's exception pending; `funcs[e]` is the export's.
            Site::Export(e) => unsafe { crate::result_error::context(self.cx.funcs[e], &name) },
            _ => None,
        };
        self.log_limited(i, &what.unwrap_or_else(|| format!("{name}() raised")));
    }

    /// Logs (and clears) the pending exception of site `i` after `what`
    /// happened, unless it has logged `BURST` times this second already.
    fn log_limited(&self, i: usize, what: &str) {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        let now = START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_millis() as u64
            + 1;
        let l = &self.limits[i];
        if now.saturating_sub(l.window.load(Ordering::Relaxed)) >= 1000 {
            l.window.store(now, Ordering::Relaxed);
            l.logged.store(0, Ordering::Relaxed);
        }
        if l.logged.fetch_add(1, Ordering::Relaxed) >= BURST {
            l.suppressed.fetch_add(1, Ordering::Relaxed);
            // SAFETY: called from `Plugin::guarded`, the interpreter attached.
            unsafe { pyo3_ffi::PyErr_Clear() };
            return;
        }
        let skipped = l.suppressed.swap(0, Ordering::Relaxed);
        let also = if skipped > 0 {
            format!(" ({skipped} more like it were not logged: at most {BURST} a second)")
        } else {
            String::new()
        };
        let context = format!("{what}; returning the error value to the host{also}");
        // SAFETY: called from `Plugin::guarded` with the interpreter attached
        // and the call's exception set.
        unsafe { self.log.exception(&context) };
    }

    #[cold]
    pub fn log_panic(&self, site: Site<'_>, panic: &(dyn std::any::Any + Send)) {
        let msg = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let (name, _) = self.site(site);
        self.log
            .line(&format!("internal error (panic) in {name}: {msg}"));
        // SAFETY: called from `Plugin::guarded`, the interpreter attached.
        unsafe { pyo3_ffi::PyErr_Clear() };
    }
}

/// Thread exit: delete that thread's state for the plugin's interpreter.
unsafe extern "C" fn entry_dtor(p: *mut c_void) {
    let e = p as *mut Entry;
    // SAFETY: `p` is this exiting thread's live `Entry` (the key's value);
    // its instance outlives it (`leaving` holds the end off); the thread has
    // nothing attached at exit, so it may attach its own state to delete it.
    unsafe {
        let inst = &*(*e).inst;
        // Take ourselves off the list, then let go of the lock before waiting
        // for the GIL: a thread holding the GIL may be waiting for this lock
        // (its first call, in `new_entry`). `leaving` keeps the instance
        // from ending until our thread state is gone.
        inst.leaving.fetch_add(1, Ordering::SeqCst);
        let ours = {
            let mut entries = inst.entries.lock().unwrap_or_else(|e| e.into_inner());
            let before = entries.len();
            entries.retain(|&x| x != e as usize);
            entries.len() != before
        };
        if !ours {
            inst.leaving.fetch_sub(1, Ordering::SeqCst);
            return; // an unload took the list: it deletes this entry
        }
        if pyo3_ffi::Py_IsInitialized() != 0 {
            let ts = (*e).slot.ts;
            threads::attach(ts);
            (*e).rets.clear();
            pyo3_ffi::PyThreadState_Clear(ts);
            pyo3_ffi::PyThreadState_DeleteCurrent();
        }
        drop(Box::from_raw(e));
        inst.leaving.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Builds the stub module, adds the venv, imports the script, collects its
/// functions.
///
/// # Safety
/// The plugin's new interpreter is attached.
pub(crate) unsafe fn build_cx(
    spec: &'static Spec,
    path: &Path,
    config: &Config,
    log: &Log,
    gate: &'static ReloadGate,
) -> Result<Cx, String> {
    // SAFETY: the plugin's new interpreter is attached (contract); every
    // result is checked for NULL before use.
    unsafe {
        let module_name = spec.module.to_string_lossy().into_owned();
        let (module, types) = crate::marshal::module::build(spec).map_err(|_| {
            format!(
                "cannot create module {module_name}:\n{}",
                crate::log::format_exception()
            )
        })?;
        types.shared.copy_buffers.set(config.copies());
        if !spec.layer.is_empty() {
            crate::marshal::layer_kit::set_log(log);
            run_layer(spec, &module).map_err(|_| {
                format!(
                    "the interface's Python layer failed in module {module_name}:\n{}",
                    crate::log::format_exception()
                )
            })?;
        }
        import::add_site_packages();
        if let Some(venv) = &config.venv {
            import::add_venv(venv)?;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = if stem == module_name {
            format!("{stem}_plugin")
        } else {
            stem
        };
        let script = import::import(path, &name)?;
        let mut funcs = Vec::with_capacity(spec.exports.len());
        let mut missing = Vec::new();
        for export in spec.exports {
            let f = pyo3_ffi::PyObject_GetAttrString(script.as_ptr(), export.as_ptr());
            if f.is_null() || pyo3_ffi::PyCallable_Check(f) == 0 {
                pyo3_ffi::PyErr_Clear();
                if !f.is_null() {
                    pyo3_ffi::Py_DECREF(f);
                }
                missing.push(export.to_string_lossy().into_owned());
                funcs.push(core::ptr::null_mut());
            } else if spec.layer.is_empty() {
                funcs.push(f);
            } else {
                funcs.push(
                    crate::wrap::apply(module.as_ptr(), export, f).map_err(|e| {
                        format!("the interface's wrapper of {export:?} failed:\n{e}")
                    })?,
                );
            }
        }
        if !missing.is_empty() {
            log.line(&format!(
                "{} does not define {}, which this library exports; those calls return their error value (add `def {}(...)` to the script, or rebuild the plugin)",
                path.display(),
                missing.join(", "),
                missing[0]
            ));
        }
        let mut cx = Cx::new(spec, types, funcs, vec![module, script], Some(gate));
        for m in spec.methods {
            let name = pyo3_ffi::PyUnicode_InternFromString(m.name.as_ptr());
            cx.method_names
                .push(crate::Obj::from_owned(name).map_err(|_| {
                    format!(
                        "cannot intern {}:\n{}",
                        m.name.to_string_lossy(),
                        crate::log::format_exception()
                    )
                })?);
        }
        Ok(cx)
    }
}

/// Runs the interface pack's Python layer in the stub module's namespace.
///
/// # Safety
/// The plugin's interpreter is attached.
unsafe fn run_layer(spec: &Spec, module: &crate::Obj) -> crate::obj::PyResult<()> {
    // SAFETY: the plugin's interpreter is attached (contract); every result
    // is checked for NULL before use.
    unsafe {
        let globals = pyo3_ffi::PyModule_GetDict(module.as_ptr());
        let code = crate::Obj::from_owned(pyo3_ffi::Py_CompileString(
            spec.layer.as_ptr(),
            c"<epy interface layer>".as_ptr(),
            pyo3_ffi::Py_file_input,
        ))?;
        let ran =
            crate::Obj::from_owned(pyo3_ffi::PyEval_EvalCode(code.as_ptr(), globals, globals));
        // `buffer_at`, `_epy_memo` and `_epy_log` were lent to the layer only
        // (a pack layer captures them and deletes them; the part epy appends
        // does not): never left for scripts.
        for name in [c"buffer_at", c"_epy_memo", c"_epy_log"] {
            if pyo3_ffi::PyDict_DelItemString(globals, name.as_ptr()) != 0 {
                pyo3_ffi::PyErr_Clear();
            }
        }
        ran.map(drop)
    }
}
