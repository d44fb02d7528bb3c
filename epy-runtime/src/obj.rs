//! Owned Python references and the error marker used on every call path.

use core::ptr::NonNull;
use pyo3_ffi::{Py_DECREF, Py_INCREF, PyObject};

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
        unsafe { Py_INCREF(p) };
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
        unsafe { Py_DECREF(self.0.as_ptr()) }
    }
}
