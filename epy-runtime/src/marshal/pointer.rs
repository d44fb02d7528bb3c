//! Opaque pointers (`void*`, handles of the host's own): an `int` address
//! or `None` in Python; a struct view or a host function passes its address.
use super::callback::fnptr_of;
use super::view::view_address;
use crate::obj::{Obj, PyErr, PyResult, none, raise, type_name};
use core::ffi::c_void;
use pyo3_ffi::*;

/// `void*` and other opaque pointers: an `int` address, `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn ptr_to_py(p: *const c_void) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        if p.is_null() {
            return Ok(none());
        }
        Obj::from_owned(PyLong_FromVoidPtr(p as *mut c_void))
    }
}

/// `int` (address), a struct view (its address), a host function (its
/// pointer) or `None` → pointer.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn ptr_from_py(o: *mut PyObject) -> PyResult<*mut c_void> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        if o == Py_None() {
            return Ok(core::ptr::null_mut());
        }
        if PyLong_Check(o) != 0 {
            let p = PyLong_AsVoidPtr(o);
            if p.is_null() && !PyErr_Occurred().is_null() {
                return Err(PyErr);
            }
            return Ok(p);
        }
        if let Some(p) = view_address(o) {
            return p;
        }
        if let Some(p) = super::typed_ptr::typed_ptr_address(o) {
            return p;
        }
        if let Some(p) = fnptr_of(o) {
            return Ok(p as *mut c_void);
        }
        raise(
            PyExc_TypeError,
            &format!(
                "expected an int address, a struct, a host function or None for a pointer, got {}",
                type_name(o)
            ),
        )
    }
}

/// The host's handle (`lua_State *L`) for a host function: a live typed
/// handle (or an int address); `None` is refused, since the host
/// dereferences it.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn host_handle_from_py(o: *mut PyObject) -> PyResult<*mut c_void> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        if o == Py_None() {
            return raise(
                PyExc_TypeError,
                "None for the host's handle: pass the handle the host gave this call",
            );
        }
        ptr_from_py(o)
    }
}
