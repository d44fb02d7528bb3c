//! Ending a plugin's interpreters: at `dlclose`, and when the host finalizes
//! its own Python. Never `Py_Finalize`: other plugins and the host keep
//! running.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::instance::Instance;
use crate::interp::{self, Mode};
use crate::log::Log;
use crate::obj::Obj;
use core::ffi::c_void;

/// Ends `all` (current and retired instances) and removes the atexit hook.
///
/// # Safety
/// No call into these instances is in flight (the host is unloading us).
#[allow(clippy::vec_box)] // instances must not move: thread entries point at them
pub(crate) unsafe fn unload(all: Vec<Box<Instance>>, atexit: Option<Obj>) {
    // SAFETY: no call is in flight (contract), so `end` may run once Python
    // is known to be initialized; `unregister` runs with main attached.
    unsafe {
        if pyo3_ffi::Py_IsInitialized() == 0 {
            // The host finalized Python already; nothing is left to end.
            std::mem::forget(atexit);
            return;
        }
        if process_exiting() {
            // Process exit, not dlclose: other threads may still hold the
            // GIL; leave everything to the OS.
            std::mem::forget((all, atexit));
            return;
        }
        for mut inst in all {
            if !end(&mut inst) {
                std::mem::forget(inst);
            }
        }
        if let Some(f) = atexit {
            interp::with_main(|_| crate::hooks::unregister(f));
        }
    }
}

/// Ends one instance: the script's `shutdown()`, every thread's state, then
/// `Py_EndInterpreter`; true when it ended. A script that left threads
/// running keeps its interpreter (and pins the library), since ending it
/// would abort: false, and the caller must never drop `inst`.
///
/// # Safety
/// Python is initialized; no call into `inst` is in flight.
pub(crate) unsafe fn end(inst: &mut Instance) -> bool {
    // SAFETY: Python is initialized and no call into `inst` is in flight
    // (contract). `with_main` attaches main; `ts` is a new thread state of
    // this thread in `inst`'s interpreter, attached before any Python runs
    // there, and the last one left when `end_interpreter` ends it.
    unsafe {
        interp::with_main(|main_ts| {
            if inst.mode == Mode::Main {
                inst.stop_calls(main_ts);
                call_shutdown(&inst.cx, &inst.log);
                inst.cx.clear();
                inst.delete_entries();
                return true;
            }
            // A thread state of this thread, not `ts0` (made on whichever
            // thread loaded the plugin): on 3.11 a thread recognizes the
            // state it holds the GIL with by its thread id, and `ts0` would
            // carry another thread's id.
            let ts = pyo3_ffi::PyThreadState_New(inst.interp);
            pyo3_ffi::PyEval_SaveThread();
            crate::threads::attach(ts);
            inst.stop_calls(ts);
            call_shutdown(&inst.cx, &inst.log);
            if threads_alive() {
                inst.log.line("the script left threads running; keeping its interpreter alive (stop them in shutdown())");
                pin_library();
                pyo3_ffi::PyEval_SaveThread();
                crate::threads::attach(main_ts);
                return false;
            }
            inst.cx.clear();
            inst.delete_entries();
            inst.wait_for_leaving_threads(ts);
            pyo3_ffi::PyThreadState_Clear(inst.ts0);
            pyo3_ffi::PyThreadState_Delete(inst.ts0);
            #[cfg(not(Py_3_13))]
            keep_threading_consistent();
            interp::end_interpreter(ts, main_ts);
            true
        })
    }
}

/// Calls the script's optional `shutdown()`.
///
/// # Safety
/// The plugin's interpreter is attached.
unsafe fn call_shutdown(cx: &crate::Cx, log: &Log) {
    // SAFETY: the plugin's interpreter is attached (this function's
    // contract); every result is checked for NULL before use.
    unsafe {
        let Some(script) = cx.script() else { return };
        let f = pyo3_ffi::PyObject_GetAttrString(script, c"shutdown".as_ptr());
        if f.is_null() {
            pyo3_ffi::PyErr_Clear();
            return;
        }
        let Ok(f) = Obj::from_owned(f) else { return };
        match Obj::from_owned(pyo3_ffi::PyObject_CallNoArgs(f.as_ptr())) {
            Ok(_) => {}
            Err(_) => log.exception("shutdown() raised"),
        }
    }
}

/// Before `Py_EndInterpreter` on 3.11/3.12, whose `threading._shutdown()`
/// asserts that the state lock of `threading`'s main thread is held when that
/// thread is the calling one: if `threading` was imported on this thread
/// under a thread state deleted since (another entry, or `ts0`), its lock was
/// released with it, so give the main thread a held lock of its own.
#[cfg(not(Py_3_13))]
const THREADING_FIX: &core::ffi::CStr = c"import sys
t = sys.modules.get('threading')
if t is not None:
    m = t._main_thread
    l = getattr(m, '_tstate_lock', None)
    if m.ident == t.get_ident() and l is not None and not l.locked():
        n = t._allocate_lock()
        n.acquire()
        m._tstate_lock = n
";

/// Runs `THREADING_FIX` (see there).
///
/// # Safety
/// The plugin's interpreter is attached.
#[cfg(not(Py_3_13))]
unsafe fn keep_threading_consistent() {
    // SAFETY: the plugin's interpreter is attached (this function's
    // contract); every result is checked for NULL before use.
    unsafe {
        let Ok(globals) = Obj::from_owned(pyo3_ffi::PyDict_New()) else {
            pyo3_ffi::PyErr_Clear();
            return;
        };
        let r = pyo3_ffi::PyRun_String(
            THREADING_FIX.as_ptr(),
            pyo3_ffi::Py_file_input,
            globals.as_ptr(),
            globals.as_ptr(),
        );
        if r.is_null() {
            pyo3_ffi::PyErr_Clear();
        } else {
            pyo3_ffi::Py_DECREF(r);
        }
    }
}

/// True when Python threads other than the calling one are alive in the
/// attached interpreter (`threading` not imported means none were started).
///
/// # Safety
/// The plugin's interpreter is attached.
unsafe fn threads_alive() -> bool {
    // SAFETY: the plugin's interpreter is attached (this function's
    // contract); every result is checked for NULL before use.
    unsafe {
        let modules = pyo3_ffi::PyImport_GetModuleDict();
        let threading = pyo3_ffi::PyDict_GetItemString(modules, c"threading".as_ptr());
        if threading.is_null() {
            return false;
        }
        let n =
            pyo3_ffi::PyObject_CallMethod(threading, c"active_count".as_ptr(), core::ptr::null());
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
    // SAFETY: `dladdr` fills `info` (all-zero is valid); `dli_fname` names
    // this library, which is mapped.
    unsafe {
        let mut info: libc::Dl_info = core::mem::zeroed();
        if libc::dladdr(pin_library as *const c_void, &mut info) != 0 {
            libc::dlopen(
                info.dli_fname,
                libc::RTLD_NOW | libc::RTLD_NOLOAD | libc::RTLD_NODELETE,
            );
        }
    }
}

/// True while the process is exiting (as opposed to a `dlclose`).
fn process_exiting() -> bool {
    std::env::var_os("EPY_PROCESS_EXITING").is_some()
}

unsafe extern "C" {
    fn __cxa_atexit(
        f: unsafe extern "C" fn(*mut c_void),
        arg: *mut c_void,
        dso: *mut c_void,
    ) -> i32;
}

/// Registers, once per process, an exit handler that sets
/// `EPY_PROCESS_EXITING`. Its function is libc's own `putenv` and it belongs
/// to no library (`dso` NULL), so it stays valid after we are unmapped.
pub(crate) fn register_exit_flag() {
    // Named with the pid: a child process inherits the environment.
    let mark = format!("EPY_EXIT_FLAG_REGISTERED_{}", std::process::id());
    if std::env::var_os(&mark).is_some() {
        return;
    }
    let Ok(mark) = std::ffi::CString::new(mark) else {
        return;
    };
    // SAFETY: NUL-terminated strings; `s` is leaked, as `putenv` keeps it;
    // `putenv` has the ABI of a `void (*)(void *)` exit handler.
    unsafe {
        libc::setenv(mark.as_ptr(), c"1".as_ptr(), 1);
        // Leaked on purpose: putenv keeps the pointer.
        let s = Box::leak(Box::new(*b"EPY_PROCESS_EXITING=1\0"));
        let putenv: unsafe extern "C" fn(*mut libc::c_char) -> libc::c_int = libc::putenv;
        let f: unsafe extern "C" fn(*mut c_void) = core::mem::transmute(putenv);
        __cxa_atexit(f, s.as_mut_ptr() as *mut c_void, core::ptr::null_mut());
    }
}
