//! `Plugin`: the static every generated crate holds, and the per-call path.
//!
//! First call: locate the files, start or join Python, create the plugin's
//! interpreter, build its stub module, import the script. Every call: attach
//! this thread's cached thread state, run the stub's marshaling closure,
//! turn a Python exception or a Rust panic into the export's error value.
//! `dlclose`: end the interpreter (see `unload`).
use crate::cx::Cx;
use crate::interp::{self, Mode};
use crate::log::Log;
use crate::obj::{Obj, PyResult};
use crate::script::{self, Files};
use crate::spec::Spec;
use crate::threads::{self, Slot};
use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use pyo3_ffi::{PyObject, PyThreadState};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;

pub struct Plugin {
    spec: &'static Spec,
    inst: AtomicPtr<Instance>,
    /// Loading failed; the reason was logged once. Calls return error values.
    failed: AtomicBool,
    lock: Mutex<()>,
}

/// One loaded plugin: its interpreter, context and thread states.
struct Instance {
    cx: Cx,
    mode: Mode,
    /// The thread state that created the interpreter (used to end it).
    ts0: *mut PyThreadState,
    /// Per-thread `Entry` for this interpreter.
    key: libc::pthread_key_t,
    /// Every live `Entry`, so unload can delete other threads' states.
    entries: Mutex<Vec<usize>>,
    log: Log,
    /// Per export: "the script does not define it" was logged.
    missing_logged: Vec<AtomicBool>,
}

/// What a thread's key slot points to.
struct Entry {
    slot: Slot,
    inst: *const Instance,
}

/// The plugin of this library, for the `dlclose` hook.
static THIS: AtomicPtr<Plugin> = AtomicPtr::new(core::ptr::null_mut());

impl Plugin {
    pub const fn new(spec: &'static Spec) -> Self {
        Plugin { spec, inst: AtomicPtr::new(core::ptr::null_mut()), failed: AtomicBool::new(false), lock: Mutex::new(()) }
    }

    /// Runs export `export`: `f` converts the arguments, calls the script's
    /// function and converts the result. Returns `on_error` when the plugin
    /// could not load, the function raised, or anything panicked.
    #[inline]
    pub fn call<R>(&'static self, export: usize, on_error: R, f: impl FnOnce(&Cx, *mut PyObject) -> PyResult<R>) -> R {
        let mut inst = self.inst.load(Ordering::Acquire);
        if inst.is_null() {
            inst = self.load();
            if inst.is_null() {
                return on_error;
            }
        }
        let inst = unsafe { &*inst };
        let entry = inst.entry();
        let prev = unsafe { threads::enter(&entry.slot) };
        let func = inst.cx.funcs[export];
        let out = if func.is_null() {
            inst.log_missing(export);
            on_error
        } else {
            match catch_unwind(AssertUnwindSafe(|| f(&inst.cx, func))) {
                Ok(Ok(v)) => v,
                Ok(Err(_)) => {
                    let name = self.spec.exports[export].to_string_lossy();
                    unsafe { inst.log.exception(&format!("{name}() raised; returning the error value to the host")) };
                    on_error
                }
                Err(panic) => {
                    let msg = panic_message(&panic);
                    inst.log.line(&format!("internal error (panic) in {}: {msg}", self.spec.exports[export].to_string_lossy()));
                    unsafe { pyo3_ffi::PyErr_Clear() };
                    on_error
                }
            }
        };
        unsafe { threads::leave(&entry.slot, prev) };
        out
    }

    /// Loads the plugin once; NULL (and one log line) on failure.
    #[cold]
    fn load(&'static self) -> *mut Instance {
        let _guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let inst = self.inst.load(Ordering::Acquire);
        if !inst.is_null() || self.failed.load(Ordering::Relaxed) {
            return inst;
        }
        let files = script::locate(self as *const Plugin as *const c_void);
        let log = Log {
            name: files
                .as_ref()
                .and_then(|f| f.library.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "plugin".into()),
            path: files.as_ref().map(|f| f.log.clone()),
        };
        match files.ok_or_else(|| "cannot find this library's path (dladdr failed)".to_string()).and_then(|f| unsafe { self.start(&f, &log) }) {
            Ok((cx, mode, ts0)) => {
                let mut key = 0;
                unsafe { libc::pthread_key_create(&mut key, Some(entry_dtor)) };
                let missing_logged = (0..self.spec.exports.len()).map(|_| AtomicBool::new(false)).collect();
                let inst = Box::into_raw(Box::new(Instance { cx, mode, ts0, key, entries: Mutex::new(Vec::new()), log, missing_logged }));
                self.inst.store(inst, Ordering::Release);
                THIS.store(self as *const Plugin as *mut Plugin, Ordering::Release);
                inst
            }
            Err(msg) => {
                log.line(&msg);
                log.line("every export returns its error value until this is fixed");
                self.failed.store(true, Ordering::Relaxed);
                core::ptr::null_mut()
            }
        }
    }

    /// Starts/joins Python and creates the interpreter; returns the context,
    /// the mode and the interpreter's first thread state (detached).
    unsafe fn start(&'static self, files: &Files, log: &Log) -> Result<(Cx, Mode, *mut PyThreadState), String> {
        let path = files.script()?.to_path_buf();
        interp::make_libpython_global()?;
        register_exit_flag();
        interp::with_start_lock(|| unsafe { interp::start_python() })?;
        interp::check_version()?;
        let mode = Mode::Shared;
        let spec = self.spec;
        unsafe {
            interp::with_main(|main_ts| {
                let ts0 = interp::new_interpreter(mode, main_ts)?;
                let r = build_cx(spec, &path, log);
                if r.is_err() {
                    // Leave nothing behind: end the half-made interpreter.
                    pyo3_ffi::Py_EndInterpreter(ts0);
                    reattach_main_after_end(main_ts);
                    return r.map(|cx| (cx, mode, ts0));
                }
                pyo3_ffi::PyEval_SaveThread();
                pyo3_ffi::PyEval_RestoreThread(main_ts);
                r.map(|cx| (cx, mode, ts0))
            })
        }
    }
}

/// Builds the stub module, imports the script, collects its functions.
///
/// # Safety
/// The plugin's new interpreter is attached.
unsafe fn build_cx(spec: &'static Spec, path: &std::path::Path, log: &Log) -> Result<Cx, String> {
    unsafe {
        let module_name = spec.module.to_string_lossy().into_owned();
        let (module, types) = crate::marshal::module::build(spec)
            .map_err(|_| format!("cannot create module {module_name}:\n{}", crate::log::format_exception()))?;
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let name = if stem == module_name { format!("{stem}_plugin") } else { stem };
        let script = script::import(path, &name)?;
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
            } else {
                funcs.push(f);
            }
        }
        if !missing.is_empty() {
            log.line(&format!(
                "{} does not define {}, which this library exports; those calls return their error value (add `def {}(...)` to the script)",
                path.display(),
                missing.join(", "),
                missing[0]
            ));
        }
        Ok(Cx::new(spec, types, funcs, vec![module, script]))
    }
}

/// After `Py_EndInterpreter`, re-attach the main thread state `main_ts`.
///
/// # Safety
/// Called right after `Py_EndInterpreter` on this thread.
unsafe fn reattach_main_after_end(main_ts: *mut PyThreadState) {
    unsafe {
        if cfg!(Py_3_12) {
            pyo3_ffi::PyEval_RestoreThread(main_ts);
        } else {
            // 3.11: the shared GIL is still held, with no thread state.
            pyo3_ffi::PyThreadState_Swap(main_ts);
        }
    }
}

impl Instance {
    /// This thread's entry, created on the thread's first call.
    #[inline]
    fn entry(&self) -> &Entry {
        let p = unsafe { libc::pthread_getspecific(self.key) } as *const Entry;
        if !p.is_null() {
            return unsafe { &*p };
        }
        self.new_entry()
    }

    #[cold]
    fn new_entry(&self) -> &Entry {
        let slot = unsafe { threads::new_slot(interp::interp_of(self.ts0)) };
        let e = Box::into_raw(Box::new(Entry { slot, inst: self }));
        unsafe { libc::pthread_setspecific(self.key, e as *const c_void) };
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).push(e as usize);
        unsafe { &*e }
    }

    #[cold]
    fn log_missing(&self, export: usize) {
        if !self.missing_logged[export].swap(true, Ordering::Relaxed) {
            let name = self.cx.spec.exports[export].to_string_lossy();
            self.log.line(&format!("the script does not define {name}(); returning the error value"));
        }
    }
}

/// Thread exit: delete that thread's state for the plugin's interpreter.
unsafe extern "C" fn entry_dtor(p: *mut c_void) {
    let e = p as *mut Entry;
    unsafe {
        let inst = &*(*e).inst;
        let mut entries = inst.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|&x| x != e as usize);
        if pyo3_ffi::Py_IsInitialized() != 0 {
            let ts = (*e).slot.ts;
            pyo3_ffi::PyEval_RestoreThread(ts);
            pyo3_ffi::PyThreadState_Clear(ts);
            pyo3_ffi::PyThreadState_DeleteCurrent();
        }
        drop(entries);
        drop(Box::from_raw(e));
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_else(|| "unknown panic".into())
}

/// `dlclose` (or process exit): end this library's interpreter so the next
/// load starts clean and other plugins and the host are unaffected.
unsafe extern "C" fn on_unmap() {
    let p = THIS.swap(core::ptr::null_mut(), Ordering::AcqRel);
    threads::before_unmap();
    if p.is_null() {
        return;
    }
    let plugin = unsafe { &*p };
    let inst = plugin.inst.swap(core::ptr::null_mut(), Ordering::AcqRel);
    if inst.is_null() {
        return;
    }
    unsafe { unload(Box::from_raw(inst)) };
}

#[used]
#[unsafe(link_section = ".fini_array")]
static ON_UNMAP: unsafe extern "C" fn() = on_unmap;

/// Ends the plugin's interpreter: runs the script's `shutdown()` if any,
/// deletes every thread's state and calls `Py_EndInterpreter`. A plugin
/// that left threads running is kept alive (and its library pinned) instead,
/// because ending an interpreter with live threads aborts the process.
unsafe fn unload(mut inst: Box<Instance>) {
    unsafe {
        libc::pthread_key_delete(inst.key);
        if pyo3_ffi::Py_IsInitialized() == 0 {
            // The host finalized Python already; nothing left to end.
            return;
        }
        if process_exiting() {
            std::mem::forget(inst);
            return;
        }
        let ts0 = inst.ts0;
        let log = &inst.log as *const Log;
        interp::with_main(|main_ts| {
            pyo3_ffi::PyEval_SaveThread();
            pyo3_ffi::PyEval_RestoreThread(ts0);
            call_shutdown(&inst.cx, &*log);
            if threads_alive() {
                (*log).line("the script left threads running; keeping its interpreter alive (stop them in shutdown())");
                pin_library();
                pyo3_ffi::PyEval_SaveThread();
                pyo3_ffi::PyEval_RestoreThread(main_ts);
                std::mem::forget(inst);
                return;
            }
            inst.cx.clear();
            let entries = std::mem::take(&mut *inst.entries.lock().unwrap_or_else(|e| e.into_inner()));
            for e in entries {
                let e = Box::from_raw(e as *mut Entry);
                pyo3_ffi::PyThreadState_Clear(e.slot.ts);
                pyo3_ffi::PyThreadState_Delete(e.slot.ts);
            }
            pyo3_ffi::Py_EndInterpreter(ts0);
            reattach_main_after_end(main_ts);
        });
    }
}

/// Calls the script's optional `shutdown()`.
///
/// # Safety
/// The plugin's interpreter is attached.
unsafe fn call_shutdown(cx: &Cx, log: &Log) {
    unsafe {
        let Some(script) = cx.keep.get(1) else { return };
        let f = pyo3_ffi::PyObject_GetAttrString(script.as_ptr(), c"shutdown".as_ptr());
        if f.is_null() {
            pyo3_ffi::PyErr_Clear();
            return;
        }
        let f = Obj::from_owned(f).unwrap_or_else(|_| unreachable!());
        if pyo3_ffi::PyObject_CallNoArgs(f.as_ptr()).is_null() {
            log.exception("shutdown() raised");
        }
    }
}

/// True when Python threads other than the calling one are alive in the
/// attached interpreter (`threading` not imported means none were started).
///
/// # Safety
/// The plugin's interpreter is attached.
unsafe fn threads_alive() -> bool {
    unsafe {
        let modules = pyo3_ffi::PyImport_GetModuleDict();
        let threading = pyo3_ffi::PyDict_GetItemString(modules, c"threading".as_ptr());
        if threading.is_null() {
            return false;
        }
        let n = pyo3_ffi::PyObject_CallMethod(threading, c"active_count".as_ptr(), core::ptr::null());
        if n.is_null() {
            pyo3_ffi::PyErr_Clear();
            return false;
        }
        let count = pyo3_ffi::PyLong_AsLong(n);
        pyo3_ffi::Py_DECREF(n);
        count > 1
    }
}

/// Keeps this library mapped forever (its interpreter still runs its code).
fn pin_library() {
    unsafe {
        let mut info: libc::Dl_info = core::mem::zeroed();
        if libc::dladdr(on_unmap as *const c_void, &mut info) != 0 {
            libc::dlopen(info.dli_fname, libc::RTLD_NOW | libc::RTLD_NOLOAD | libc::RTLD_NODELETE);
        }
    }
}

/// True while the process is exiting (not a `dlclose`): the flag is set by
/// an exit handler whose function is libc's `putenv`, so it stays valid even
/// after this library is unmapped.
fn process_exiting() -> bool {
    std::env::var_os("EPY_PROCESS_EXITING").is_some()
}

unsafe extern "C" {
    fn __cxa_atexit(f: unsafe extern "C" fn(*mut c_void), arg: *mut c_void, dso: *mut c_void) -> i32;
}

/// Registers the exit flag once per process (called on first load).
pub(crate) fn register_exit_flag() {
    const MARK: &str = "EPY_EXIT_FLAG_REGISTERED";
    if std::env::var_os(MARK).is_some() {
        return;
    }
    unsafe {
        libc::setenv(c"EPY_EXIT_FLAG_REGISTERED".as_ptr(), c"1".as_ptr(), 1);
        // Leaked on purpose: putenv keeps the pointer.
        let s = Box::leak(Box::new(*b"EPY_PROCESS_EXITING=1\0"));
        let putenv: unsafe extern "C" fn(*mut libc::c_char) -> libc::c_int = libc::putenv;
        let f: unsafe extern "C" fn(*mut c_void) = core::mem::transmute(putenv);
        __cxa_atexit(f, s.as_mut_ptr() as *mut c_void, core::ptr::null_mut());
    }
}
