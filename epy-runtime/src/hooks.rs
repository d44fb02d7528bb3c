//! A hook in the *main* interpreter's `atexit`: when the host finalizes its
//! own Python, CPython 3.11/3.12 abort if a sub-interpreter is still alive,
//! so the hook ends this plugin's interpreters first. Unregistered at unload,
//! because its code lives in this library.
use crate::obj::Obj;
use pyo3_ffi::{METH_NOARGS, PyMethodDef, PyMethodDefPointer, PyObject};

struct Def(PyMethodDef);
// A constant table read by CPython; never mutated.
unsafe impl Sync for Def {}

static DEF: Def = Def(PyMethodDef {
    ml_name: c"epy_end_plugin_interpreters".as_ptr(),
    ml_meth: PyMethodDefPointer {
        PyCFunction: on_finalize,
    },
    ml_flags: METH_NOARGS,
    ml_doc: core::ptr::null(),
});

unsafe extern "C" fn on_finalize(_self: *mut PyObject, _args: *mut PyObject) -> *mut PyObject {
    crate::plugin::host_finalizing();
    unsafe { pyo3_ffi::Py_NewRef(pyo3_ffi::Py_None()) }
}

/// `atexit.register(hook)`; returns the hook object to unregister later.
///
/// # Safety
/// The main interpreter is attached.
pub unsafe fn register() -> Option<Obj> {
    unsafe {
        let f = Obj::from_owned(pyo3_ffi::PyCFunction_New(
            &DEF.0 as *const PyMethodDef as *mut PyMethodDef,
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
    unsafe { call_atexit(c"unregister", &f) }
}

unsafe fn call_atexit(method: &core::ffi::CStr, f: &Obj) {
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
