//! Creating the per-interpreter heap types (never static type objects: each
//! plugin interpreter gets its own, released when it ends).
use crate::obj::{Obj, PyResult};
use core::ffi::{c_int, c_void};
use pyo3_ffi::*;

pub(crate) fn slot(slot: c_int, pfunc: *mut c_void) -> PyType_Slot {
    PyType_Slot { slot, pfunc }
}

/// The terminator of a slot table.
pub(crate) fn end() -> PyType_Slot {
    slot(0, core::ptr::null_mut())
}

/// `PyType_FromSpecWithBases` with a process-lifetime name (CPython 3.11
/// keeps pointing at `spec.name`). `slots` may live on the stack: CPython
/// copies them into the type.
///
/// # Safety
/// An interpreter is attached; `base` is NULL or a type object.
pub(crate) unsafe fn new_type(
    name: String,
    basicsize: usize,
    flags: u64,
    slots: &mut [PyType_Slot],
    base: *mut PyObject,
) -> PyResult<Obj> {
    let mut spec = PyType_Spec {
        name: leak_cstr(name),
        basicsize: basicsize as c_int,
        itemsize: 0,
        flags: flags as _,
        slots: slots.as_mut_ptr(),
    };
    unsafe {
        if base.is_null() {
            Obj::from_owned(PyType_FromSpec(&mut spec))
        } else {
            let bases = Obj::from_owned(PyTuple_Pack(1, base))?;
            Obj::from_owned(PyType_FromSpecWithBases(&mut spec, bases.as_ptr()))
        }
    }
}

/// The usual end of a heap-type instance's dealloc: free it, drop its type.
///
/// # Safety
/// `o` is an instance of a heap type, about to be freed.
pub(crate) unsafe fn free(o: *mut PyObject) {
    unsafe {
        let ty = Py_TYPE(o);
        if let Some(free) = (*ty).tp_free {
            free(o as *mut c_void);
        }
        Py_DECREF(ty as *mut PyObject);
    }
}

/// A C string that lives as long as the process (type names and getset
/// tables must outlive their types; they are small and made once per load).
pub(crate) fn leak_cstr(s: String) -> *const core::ffi::c_char {
    std::ffi::CString::new(s).unwrap_or_default().into_raw()
}
