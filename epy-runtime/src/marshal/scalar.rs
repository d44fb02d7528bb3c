//! Integers of every width, floats, bool and opaque pointers.
use crate::obj::{Obj, PyResult};
use core::ffi::c_void;
use pyo3_ffi::PyObject;

/// A C scalar that converts to and from a Python object.
pub trait Scalar: Copy {
    /// New Python object for this value.
    /// # Safety
    /// The plugin's interpreter is attached.
    unsafe fn to_py(self) -> PyResult<Obj>;
    /// Converts a borrowed object; out-of-range integers raise OverflowError
    /// (never truncated), wrong types raise TypeError.
    /// # Safety
    /// The plugin's interpreter is attached; `o` is a valid object.
    unsafe fn from_py(o: *mut PyObject) -> PyResult<Self>;
}

/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn to_py<T: Scalar>(v: T) -> PyResult<Obj> {
    unsafe { v.to_py() }
}

/// Converts and drops an owned result.
/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn from_py<T: Scalar>(o: Obj) -> PyResult<T> {
    unsafe { T::from_py(o.as_ptr()) }
}

/// `void*` and other opaque pointers: an `int` address, `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn ptr_to_py(p: *const c_void) -> PyResult<Obj> {
    todo!("{p:?}")
}

/// `int` (address) or `None` → pointer.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn ptr_from_py(o: *mut PyObject) -> PyResult<*mut c_void> {
    todo!("{o:?}")
}

/// A new reference to `None`.
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn none() -> Obj {
    todo!()
}

/// An enum value → its `IntEnum` member (`Spec::enums[idx]`), or a plain `int`
/// when the value names no member (C enums may hold any value).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn enum_to_py(cx: &crate::Cx, idx: usize, v: i64) -> PyResult<Obj> {
    todo!("{:?} {idx} {v}", cx as *const crate::Cx)
}
