//! A buffer and its length passed to a host function as one Python value
//! (`lua_pushlstring(L, s, len)` takes `s`: `bytes` or `str`): the length
//! the host gets is the buffer's own, so the script can never make the host
//! read past it.
use crate::obj::{Obj, PyErr, PyResult, raise, type_name};
use crate::spec::Encoding;
use core::ffi::c_void;
use pyo3_ffi::*;

/// `bytes`, `bytearray`, a buffer or `str` (UTF-8) → its bytes and their
/// count, valid while `keep` lives; `None` → NULL and 0.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn sized_arg_from_py(
    o: *mut PyObject,
    keep: &mut Option<Obj>,
) -> PyResult<(*const c_void, usize)> {
    // SAFETY: the plugin's interpreter is attached (this function's contract);
    // the bytes object is kept alive by `keep`, so its buffer outlives the call.
    unsafe {
        if o == Py_None() {
            return Ok((core::ptr::null(), 0));
        }
        if PyUnicode_Check(o) != 0 || PyBytes_Check(o) != 0 {
            // The bytes a string argument is stored as (`encode`: UTF-8,
            // surrogate-escaped bytes back as they came).
            let (owner, p, n) = super::string::encode(o, Encoding::Utf8)?;
            *keep = Some(owner);
            return Ok((p as *const c_void, n));
        }
        if PyObject_CheckBuffer(o) == 0 {
            let msg = format!("expected bytes or str, got {}", type_name(o));
            return raise(PyExc_TypeError, &msg);
        }
        // A copy: a bytearray may be resized by the callee's callbacks.
        let bytes = Obj::from_owned(PyBytes_FromObject(o))?;
        let mut p: *mut core::ffi::c_char = core::ptr::null_mut();
        let mut n: Py_ssize_t = 0;
        if PyBytes_AsStringAndSize(bytes.as_ptr(), &mut p, &mut n) != 0 {
            return Err(PyErr);
        }
        *keep = Some(bytes);
        Ok((p as *const c_void, n as usize))
    }
}
