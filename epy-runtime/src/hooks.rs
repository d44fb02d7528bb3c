//! Registering a function of this library in the *main* interpreter's
//! `atexit`, and unregistering it at unload (its code lives in this library).
//! `lifecycle.rs` registers the hook that ends this plugin's interpreters
//! when the host finalizes its own Python.
#![warn(clippy::undocumented_unsafe_blocks)]
use crate::obj::Obj;
use pyo3_ffi::PyMethodDef;

/// `atexit.register(hook)` for the function `def` describes; returns the
/// hook object to unregister later.
///
/// # Safety
/// The main interpreter is attached.
pub unsafe fn register(def: &'static PyMethodDef) -> Option<Obj> {
    // SAFETY: the main interpreter is attached (this function's contract);
    // `def` is static, as a `PyCFunction` needs.
    unsafe {
        let f = Obj::from_owned(pyo3_ffi::PyCFunction_New(
            def as *const PyMethodDef as *mut PyMethodDef,
            core::ptr::null_mut(),
        ))
        .ok()?;
        call_atexit(c"register", &f);
        Some(f)
    }
}

/// `atexit.unregister(hook)`.
///
/// # Safety
/// The main interpreter is attached.
pub unsafe fn unregister(f: Obj) {
    // SAFETY: the main interpreter is attached (this function's contract).
    unsafe { call_atexit(c"unregister", &f) }
}

/// Calls `atexit.<method>(f)`, clearing any error.
///
/// # Safety
/// The main interpreter is attached.
unsafe fn call_atexit(method: &core::ffi::CStr, f: &Obj) {
    // SAFETY: the main interpreter is attached (this function's contract);
    // every pointer is checked for NULL before use.
    unsafe {
        let Ok(atexit) = Obj::from_owned(pyo3_ffi::PyImport_ImportModule(c"atexit".as_ptr()))
        else {
            pyo3_ffi::PyErr_Clear();
            return;
        };
        let name = pyo3_ffi::PyUnicode_FromString(method.as_ptr());
        if name.is_null() {
            pyo3_ffi::PyErr_Clear();
            return;
        }
        let r = pyo3_ffi::PyObject_CallMethodOneArg(atexit.as_ptr(), name, f.as_ptr());
        pyo3_ffi::Py_DECREF(name);
        if r.is_null() {
            pyo3_ffi::PyErr_Clear();
        } else {
            pyo3_ffi::Py_DECREF(r);
        }
    }
}
