//! Integers of every width, floats, bool, opaque pointers and enums, with
//! exact C semantics: an integer that does not fit raises OverflowError (the
//! export then returns its error value), never a silent truncation.
use super::shared::Shared;
use crate::obj::{Obj, PyErr, PyResult, raise};
use pyo3_ffi::*;

/// A C scalar that converts to and from a Python object.
pub trait Scalar: Copy {
    /// New Python object for this value.
    /// # Safety
    /// The plugin's interpreter is attached.
    unsafe fn to_py(self) -> PyResult<Obj>;
    /// Converts a borrowed object; out-of-range integers raise OverflowError,
    /// wrong types raise TypeError.
    /// # Safety
    /// The plugin's interpreter is attached; `o` is a valid object.
    unsafe fn from_py(o: *mut PyObject) -> PyResult<Self>;
}

/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn to_py<T: Scalar>(v: T) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe { v.to_py() }
}

/// Converts and drops an owned result.
/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn from_py<T: Scalar>(o: Obj) -> PyResult<T> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe { T::from_py(o.as_ptr()) }
}

/// `o` as a Python int (ints, bools, IntEnums, `__index__` objects; not
/// floats). `cname` names the target in the TypeError.
#[inline]
pub(crate) unsafe fn int_obj(o: *mut PyObject, cname: &str) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        if PyLong_Check(o) != 0 {
            return Ok(Obj::from_borrowed(o));
        }
        if PyFloat_Check(o) == 0 && PyIndex_Check(o) != 0 {
            return Obj::from_owned(PyNumber_Index(o));
        }
        raise(
            PyExc_TypeError,
            &format!(
                "expected an int for {cname}, got {}",
                crate::describe::type_and_repr(o)
            ),
        )
    }
}

macro_rules! signed {
    ($($t:ty => $cname:literal),*) => {$(
        impl Scalar for $t {
            #[inline]
            unsafe fn to_py(self) -> PyResult<Obj> {
                // SAFETY: the interpreter is attached, as for every marshaling
                // function (`marshal/mod.rs`) (the caller's contract).
                unsafe { Obj::from_owned(PyLong_FromLongLong(self as i64)) }
            }
            #[inline]
            unsafe fn from_py(o: *mut PyObject) -> PyResult<Self> {
                // SAFETY: the interpreter is attached, as for every marshaling
                // function (`marshal/mod.rs`); `o` is a live object (the
                // caller's contract).
                unsafe {
                    let n = if PyLong_Check(o) != 0 { None } else { Some(int_obj(o, $cname)?) };
                    let p = n.as_ref().map_or(o, Obj::as_ptr);
                    let mut overflow = 0;
                    let v = PyLong_AsLongLongAndOverflow(p, &mut overflow);
                    if v == -1 && !PyErr_Occurred().is_null() {
                        return Err(PyErr);
                    }
                    if overflow != 0 || v < <$t>::MIN as i64 || v > <$t>::MAX as i64 {
                        return overflow_error(p, $cname);
                    }
                    Ok(v as $t)
                }
            }
        }
    )*};
}

macro_rules! unsigned {
    ($($t:ty => $cname:literal),*) => {$(
        impl Scalar for $t {
            #[inline]
            unsafe fn to_py(self) -> PyResult<Obj> {
                // SAFETY: the interpreter is attached, as for every marshaling
                // function (`marshal/mod.rs`) (the caller's contract).
                unsafe { Obj::from_owned(PyLong_FromUnsignedLongLong(self as u64)) }
            }
            #[inline]
            unsafe fn from_py(o: *mut PyObject) -> PyResult<Self> {
                // SAFETY: the interpreter is attached, as for every marshaling
                // function (`marshal/mod.rs`); `o` is a live object (the
                // caller's contract).
                unsafe {
                    let n = if PyLong_Check(o) != 0 { None } else { Some(int_obj(o, $cname)?) };
                    let p = n.as_ref().map_or(o, Obj::as_ptr);
                    let mut overflow = 0;
                    // Fast path: fits in a signed 64-bit value.
                    let v = PyLong_AsLongLongAndOverflow(p, &mut overflow);
                    if v == -1 && !PyErr_Occurred().is_null() {
                        return Err(PyErr);
                    }
                    if overflow == 0 {
                        if v < 0 || (v as u64) > <$t>::MAX as u64 {
                            return overflow_error(p, $cname);
                        }
                        return Ok(v as $t);
                    }
                    let u = PyLong_AsUnsignedLongLong(p);
                    if u == u64::MAX && !PyErr_Occurred().is_null() {
                        PyErr_Clear();
                        return overflow_error(p, $cname);
                    }
                    if u > <$t>::MAX as u64 {
                        return overflow_error(p, $cname);
                    }
                    Ok(u as $t)
                }
            }
        }
    )*};
}

signed!(i8 => "int8_t", i16 => "int16_t", i32 => "int32_t", i64 => "int64_t", isize => "ssize_t");
unsigned!(u8 => "uint8_t", u16 => "uint16_t", u32 => "uint32_t", u64 => "uint64_t", usize => "size_t");

#[cold]
unsafe fn overflow_error<T>(o: *mut PyObject, cname: &str) -> PyResult<T> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        let text = repr(o);
        raise(
            PyExc_OverflowError,
            &format!("value {text} does not fit in {cname}"),
        )
    }
}

/// `repr(o)` for messages (empty if that fails).
pub(crate) unsafe fn repr(o: *mut PyObject) -> String {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        let r = Obj::from_owned(PyObject_Repr(o))
            .ok()
            .and_then(|r| crate::log::utf8(r.as_ptr()));
        if r.is_none() {
            PyErr_Clear();
        }
        r.unwrap_or_default()
    }
}

impl Scalar for f64 {
    #[inline]
    unsafe fn to_py(self) -> PyResult<Obj> {
        // SAFETY: the interpreter is attached, as for every marshaling function
        // (`marshal/mod.rs`) (the caller's contract).
        unsafe { Obj::from_owned(PyFloat_FromDouble(self)) }
    }
    #[inline]
    unsafe fn from_py(o: *mut PyObject) -> PyResult<Self> {
        // SAFETY: the interpreter is attached, as for every marshaling function
        // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
        unsafe {
            let v = PyFloat_AsDouble(o);
            if v == -1.0 && !PyErr_Occurred().is_null() {
                return Err(PyErr);
            }
            Ok(v)
        }
    }
}

impl Scalar for f32 {
    #[inline]
    unsafe fn to_py(self) -> PyResult<Obj> {
        // SAFETY: the interpreter is attached, as for every marshaling function
        // (`marshal/mod.rs`) (the caller's contract).
        unsafe { (self as f64).to_py() }
    }
    #[inline]
    unsafe fn from_py(o: *mut PyObject) -> PyResult<Self> {
        // SAFETY: the interpreter is attached, as for every marshaling function
        // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
        unsafe {
            let v = f64::from_py(o)?;
            let x = v as f32;
            // A finite double beyond float's range would become inf.
            if x.is_infinite() && v.is_finite() {
                return overflow_error(o, "float");
            }
            Ok(x)
        }
    }
}

impl Scalar for bool {
    #[inline]
    unsafe fn to_py(self) -> PyResult<Obj> {
        // SAFETY: the interpreter is attached, as for every marshaling function
        // (`marshal/mod.rs`) (the caller's contract).
        unsafe {
            Ok(Obj::from_borrowed(if self {
                Py_True()
            } else {
                Py_False()
            }))
        }
    }
    #[inline]
    unsafe fn from_py(o: *mut PyObject) -> PyResult<Self> {
        // SAFETY: the interpreter is attached, as for every marshaling function
        // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
        unsafe {
            if o == Py_True() {
                return Ok(true);
            }
            if o == Py_False() {
                return Ok(false);
            }
            if PyLong_Check(o) != 0 {
                return Ok(PyObject_IsTrue(o) == 1);
            }
            raise(
                PyExc_TypeError,
                &format!(
                    "expected a bool for bool, got {}",
                    crate::describe::type_and_repr(o)
                ),
            )
        }
    }
}

/// An enum value → its `IntEnum` member (`Spec::enums[idx]`), or a plain `int`
/// when the value names no member (C enums may hold any value).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn enum_to_py(cx: &crate::Cx, idx: usize, v: i64) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe { enum_member(&cx.types.shared, idx, v) }
}

/// `enum_to_py` for code that has the shared types but no `Cx`.
/// # Safety
/// The plugin's interpreter is attached.
pub(crate) unsafe fn enum_member(shared: &Shared, idx: usize, v: i64) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        let n = v.to_py()?;
        let map = shared.enum_maps[idx];
        let m = PyDict_GetItemWithError(map, n.as_ptr());
        if !m.is_null() {
            return Ok(Obj::from_borrowed(m));
        }
        if !PyErr_Occurred().is_null() {
            return Err(PyErr);
        }
        Ok(n)
    }
}
