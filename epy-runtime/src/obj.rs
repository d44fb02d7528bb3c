//! Owned Python references, the error marker used on every call path, and
//! the helpers every conversion uses (`raise`, `none`, `type_name`).

#![warn(clippy::undocumented_unsafe_blocks)]
use core::ffi::CStr;
use core::ptr::NonNull;
use pyo3_ffi::{Py_DECREF, Py_INCREF, Py_None, Py_TYPE, PyErr_SetString, PyObject};

/// A Python exception is set in the current thread state (the "error
/// indicator"); the runtime turns it into the export's error value.
#[derive(Debug)]
pub struct PyErr;

pub type PyResult<T> = Result<T, PyErr>;

/// An owned (strong) reference; dropped with `Py_DECREF`.
/// Must only be created and dropped while the owning interpreter is attached.
#[repr(transparent)]
pub struct Obj(NonNull<PyObject>);

impl Obj {
    /// Takes ownership of a new reference; NULL means an exception is set.
    ///
    /// # Safety
    /// `p` is a new reference or NULL with the error indicator set.
    #[inline]
    pub unsafe fn from_owned(p: *mut PyObject) -> PyResult<Obj> {
        NonNull::new(p).map(Obj).ok_or(PyErr)
    }

    /// Takes a new strong reference to a borrowed object.
    ///
    /// # Safety
    /// `p` is a valid, non-null object.
    #[inline]
    pub unsafe fn from_borrowed(p: *mut PyObject) -> Obj {
        // SAFETY: `p` is a valid object (this function's contract).
        unsafe { Py_INCREF(p) };
        // SAFETY: `p` is non-null (this function's contract).
        Obj(unsafe { NonNull::new_unchecked(p) })
    }

    #[inline]
    pub fn as_ptr(&self) -> *mut PyObject {
        self.0.as_ptr()
    }

    /// Gives the reference away (to a C API that steals it).
    #[inline]
    pub fn into_ptr(self) -> *mut PyObject {
        let p = self.0.as_ptr();
        core::mem::forget(self);
        p
    }
}

impl Drop for Obj {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `self` owns a strong reference, dropped with its
        // interpreter attached (the type's rule).
        unsafe { Py_DECREF(self.0.as_ptr()) }
    }
}

/// Sets `exc` with `msg` and returns `Err`.
///
/// # Safety
/// An interpreter is attached.
pub(crate) unsafe fn raise<T>(exc: *mut PyObject, msg: &str) -> PyResult<T> {
    let mut bytes = msg.replace('\0', " ").into_bytes();
    bytes.push(0);
    // SAFETY: an interpreter is attached (contract); `bytes` has no NUL but
    // the one pushed last.
    unsafe { PyErr_SetString(exc, CStr::from_bytes_with_nul_unchecked(&bytes).as_ptr()) };
    Err(PyErr)
}

/// The type name of `o`, for messages.
///
/// # Safety
/// An interpreter is attached; `o` is a live object.
pub(crate) unsafe fn type_name(o: *mut PyObject) -> String {
    // SAFETY: `o` is a live object (its type and the type's name are too).
    unsafe {
        CStr::from_ptr((*Py_TYPE(o)).tp_name)
            .to_string_lossy()
            .into_owned()
    }
}

/// A new reference to `None`.
/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn none() -> Obj {
    // SAFETY: `None` is a valid, non-null object of every interpreter.
    unsafe { Obj::from_borrowed(Py_None()) }
}
