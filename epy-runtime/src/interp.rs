//! The interpreter lifecycle, in one place: make libpython global, start
//! Python or join the running one (never finalize it), create and end the
//! plugin's own sub-interpreter (every sub-interpreter is created and ended
//! here; when to end one is `unload.rs`'s business, forgetting them in a
//! forked child `fork.rs`'s).
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::threads;
use core::ffi::{CStr, c_void};
use pyo3_ffi::{PyInterpreterState, PyThreadState};

/// The Python version this library was built for ("3.11").
pub const BUILT_FOR: &str = env!("EPY_PYTHON_VERSION");

/// How a plugin's interpreter is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A sub-interpreter sharing the main GIL; loads every extension module.
    Shared,
    /// 3.12+: an isolated sub-interpreter with its own GIL (plugins run in
    /// parallel); extension modules without multi-interpreter support refuse.
    OwnGil,
    /// The main interpreter itself (for extensions that refuse sub-interpreters).
    Main,
}

/// Makes libpython's symbols global (hosts load plugins RTLD_LOCAL, which
/// hides them from extension modules like `math`) and pins it in memory.
pub fn make_libpython_global() -> Result<(), String> {
    // SAFETY: `dladdr` fills `info` (all-zero is valid); `dli_fname` names
    // the mapped libpython; `dlopen` with RTLD_NOLOAD only changes flags.
    unsafe {
        let mut info: libc::Dl_info = core::mem::zeroed();
        let addr = pyo3_ffi::Py_IsInitialized as *const c_void;
        if libc::dladdr(addr, &mut info) != 0 && !info.dli_fname.is_null() {
            let flags =
                libc::RTLD_NOW | libc::RTLD_GLOBAL | libc::RTLD_NOLOAD | libc::RTLD_NODELETE;
            if !libc::dlopen(info.dli_fname, flags).is_null() {
                return Ok(());
            }
        }
        // A statically linked python executable exports the symbols already.
        if !libc::dlsym(libc::RTLD_DEFAULT, c"PyFloat_Type".as_ptr()).is_null() {
            return Ok(());
        }
        Err("cannot make libpython's symbols global (dladdr/dlopen failed)".into())
    }
}

/// Checks the running Python against the one this library was built for.
pub fn check_version() -> Result<(), String> {
    // SAFETY: `Py_GetVersion` may be called before initialization and
    // returns a static NUL-terminated string.
    let running = unsafe { CStr::from_ptr(pyo3_ffi::Py_GetVersion()) }.to_string_lossy();
    let mm: String = running
        .split_whitespace()
        .next()
        .unwrap_or("")
        .split('.')
        .take(2)
        .collect::<Vec<_>>()
        .join(".");
    if mm == BUILT_FOR {
        Ok(())
    } else {
        Err(format!(
            "this plugin was built for Python {BUILT_FOR}, but the process runs Python {mm}; rebuild the plugin with PYO3_PYTHON pointing at Python {mm}"
        ))
    }
}

/// Where the Python this library was built for lives (`PyConfig.home`:
/// `prefix` or `prefix:exec_prefix`), recorded at build time.
const HOME: &str = env!("EPY_PYTHON_HOME");
/// That Python's executable (`sys.executable` when epy starts Python).
const EXECUTABLE: &str = env!("EPY_PYTHON_EXECUTABLE");

/// The recorded home, if that Python is still there: its standard library
/// (`<prefix>/lib/pythonX.Y/os.py`) exists.
fn built_for_home() -> Result<&'static str, String> {
    let prefix = HOME.split(':').next().unwrap_or("");
    if prefix.is_empty() {
        return Err(format!(
            "this plugin does not know where its Python {BUILT_FOR} lives (built without a Python interpreter to ask); rebuild it with PYO3_PYTHON naming one"
        ));
    }
    let landmark = std::path::Path::new(prefix)
        .join("lib")
        .join(format!("python{BUILT_FOR}"))
        .join("os.py");
    if landmark.is_file() {
        Ok(HOME)
    } else {
        Err(format!(
            "the Python {BUILT_FOR} this plugin was built for is gone from {prefix} (no {}): reinstall it there, or rebuild the plugin for an installed Python",
            landmark.display()
        ))
    }
}

/// Starts Python if nobody has (isolated config: no environment variables,
/// no signal handlers); leaves the main interpreter detached. Its home is
/// the installation the library was built for, never one derived from the
/// host's `PATH` (CPython would otherwise search `PATH` for `python3` and
/// take the standard library beside it).
///
/// # Safety
/// Called under the process-wide start lock.
pub unsafe fn start_python() -> Result<(), String> {
    // SAFETY: under the start lock (contract), so no other epy library
    // initializes Python meanwhile; every status and pointer is checked.
    unsafe {
        if pyo3_ffi::Py_IsInitialized() != 0 {
            return Ok(());
        }
        let home = std::ffi::CString::new(built_for_home()?)
            .map_err(|_| "NUL byte in the Python home".to_string())?;
        // UTF-8 mode: file names and text are UTF-8 whatever locale the host
        // left (a host that never calls setlocale runs in "C", where Python
        // would otherwise encode paths as ASCII). The host's locale is not touched.
        let mut pre: pyo3_ffi::PyPreConfig = core::mem::zeroed();
        pyo3_ffi::PyPreConfig_InitIsolatedConfig(&mut pre);
        pre.utf8_mode = 1;
        let status = pyo3_ffi::Py_PreInitialize(&pre);
        if pyo3_ffi::PyStatus_Exception(status) != 0 {
            return Err("Python failed to pre-initialize (UTF-8 mode)".into());
        }
        let mut config: pyo3_ffi::PyConfig = core::mem::zeroed();
        pyo3_ffi::PyConfig_InitIsolatedConfig(&mut config);
        config.install_signal_handlers = 0;
        // No `site` import: every plugin interpreter would repeat it (with
        // its .pth files) on creation. Each plugin interpreter gets the
        // site-packages directory on sys.path instead (`import::add_site_packages`).
        config.site_import = 0;
        let mut status =
            pyo3_ffi::PyConfig_SetBytesString(&mut config, &mut config.home, home.as_ptr());
        if pyo3_ffi::PyStatus_Exception(status) == 0 && !EXECUTABLE.is_empty() {
            if let Ok(exe) = std::ffi::CString::new(EXECUTABLE) {
                status = pyo3_ffi::PyConfig_SetBytesString(
                    &mut config,
                    &mut config.executable,
                    exe.as_ptr(),
                );
            }
        }
        if pyo3_ffi::PyStatus_Exception(status) == 0 {
            status = pyo3_ffi::Py_InitializeFromConfig(&config);
        }
        pyo3_ffi::PyConfig_Clear(&mut config);
        if pyo3_ffi::PyStatus_Exception(status) != 0 {
            let msg = if status.err_msg.is_null() {
                "unknown error".into()
            } else {
                CStr::from_ptr(status.err_msg)
                    .to_string_lossy()
                    .into_owned()
            };
            return Err(format!("Python failed to start (home {HOME}): {msg}"));
        }
        pyo3_ffi::PyEval_SaveThread();
        // Tell every epy plugin in the process (each has its own statics).
        // (Named with the pid: a child process inherits the environment.)
        crate::start_lock::mark_started_by_epy();
        Ok(())
    }
}

pub use crate::start_lock::with_start_lock;

/// A main-interpreter thread state attached on this thread for the duration
/// of `f` (the caller's own if it holds one), then the previous state restored.
///
/// # Safety
/// Python is initialized.
pub unsafe fn with_main<R>(f: impl FnOnce(*mut PyThreadState) -> R) -> R {
    // SAFETY: Python is initialized (contract); what was attached is
    // detached before another state is attached and restored at the end, and
    // a state made here is deleted while current.
    unsafe {
        let main = pyo3_ffi::PyInterpreterState_Main();
        let cur = threads::current();
        if !cur.is_null() && pyo3_ffi::PyThreadState_GetInterpreter(cur) == main {
            return f(cur); // e.g. ctypes.PyDLL: the caller holds the main GIL
        }
        if !cur.is_null() {
            pyo3_ffi::PyEval_SaveThread();
        }
        let bound = pyo3_ffi::PyGILState_GetThisThreadState();
        let (ts, ours) =
            if !bound.is_null() && pyo3_ffi::PyThreadState_GetInterpreter(bound) == main {
                (bound, false)
            } else {
                (pyo3_ffi::PyThreadState_New(main), true)
            };
        threads::attach(ts);
        let r = f(ts);
        if ours {
            pyo3_ffi::PyThreadState_Clear(ts);
            pyo3_ffi::PyThreadState_DeleteCurrent();
        } else {
            pyo3_ffi::PyEval_SaveThread();
        }
        if !cur.is_null() {
            threads::attach(cur);
        }
        r
    }
}

/// Creates the plugin's interpreter; returns its first thread state, attached
/// (the main thread state `main_ts` is detached meanwhile).
///
/// # Safety
/// `main_ts` is attached on this thread.
pub unsafe fn new_interpreter(
    mode: Mode,
    main_ts: *mut PyThreadState,
) -> Result<*mut PyThreadState, String> {
    // SAFETY: `main_ts` is attached on this thread (contract), as creating
    // an interpreter requires.
    unsafe {
        match mode {
            Mode::Main => Ok(main_ts),
            #[cfg(Py_3_12)]
            Mode::Shared | Mode::OwnGil => {
                let cfg = if mode == Mode::OwnGil {
                    pyo3_ffi::_PyInterpreterConfig_INIT
                } else {
                    pyo3_ffi::_PyInterpreterConfig_LEGACY_INIT
                };
                let mut ts = core::ptr::null_mut();
                let st = pyo3_ffi::Py_NewInterpreterFromConfig(&mut ts, &cfg);
                if pyo3_ffi::PyStatus_Exception(st) != 0 || ts.is_null() {
                    pyo3_ffi::PyThreadState_Swap(main_ts);
                    return Err("Py_NewInterpreterFromConfig failed".into());
                }
                Ok(ts)
            }
            #[cfg(not(Py_3_12))]
            Mode::Shared | Mode::OwnGil => {
                if mode == Mode::OwnGil {
                    return Err("own-GIL interpreters need Python 3.12 or newer".into());
                }
                let ts = pyo3_ffi::Py_NewInterpreter();
                if ts.is_null() {
                    pyo3_ffi::PyThreadState_Swap(main_ts);
                    return Err("Py_NewInterpreter failed".into());
                }
                Ok(ts)
            }
        }
    }
}

/// The interpreter a thread state belongs to.
pub fn interp_of(ts: *mut PyThreadState) -> *mut PyInterpreterState {
    // SAFETY: every caller passes a live thread state.
    unsafe { pyo3_ffi::PyThreadState_GetInterpreter(ts) }
}

/// Ends the interpreter of `ts` (`Py_EndInterpreter`), then re-attaches the
/// main thread state `main_ts`.
///
/// # Safety
/// `ts` is attached on this thread and is its interpreter's last thread state.
pub unsafe fn end_interpreter(ts: *mut PyThreadState, main_ts: *mut PyThreadState) {
    // SAFETY: `ts` is attached and its interpreter's last state (contract);
    // `main_ts` is this thread's main-interpreter state.
    unsafe {
        pyo3_ffi::Py_EndInterpreter(ts);
        if cfg!(Py_3_12) {
            threads::attach(main_ts);
        } else {
            // 3.11: the shared GIL is still held, with no thread state.
            crate::gil::clear_stale_request(interp_of(main_ts));
            pyo3_ffi::PyThreadState_Swap(main_ts);
        }
    }
}
