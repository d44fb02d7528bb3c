//! Integers of every width, floats, bool, opaque pointers and enums, with
//! exact C semantics: an integer that does not fit raises OverflowError (the
//! export then returns its error value), never a silent truncation.
use super::shared::Shared;
use crate::obj::{Obj, PyErr, PyResult, raise};
use crate::spec::Kind;
use core::ptr::{read_unaligned as rd, write_unaligned as wr};
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

/// The value of scalar kind `k` (a number, bool or enum) at `p`, unaligned
/// (packed structs put fields anywhere); None for any other kind. One table
/// for struct fields (`field`) and pointees (`typed_ptr`).
/// # Safety
/// The plugin's interpreter is attached; `p` holds a value of kind `k`.
#[inline(always)]
pub(crate) unsafe fn read_kind(shared: &Shared, p: *const u8, k: Kind) -> Option<PyResult<Obj>> {
    // SAFETY: the plugin's interpreter is attached; `p` holds a value of kind
    // `k` (this function's contract).
    unsafe {
        Some(match k {
            Kind::I8 => rd(p as *const i8).to_py(),
            Kind::I16 => rd(p as *const i16).to_py(),
            Kind::I32 => rd(p as *const i32).to_py(),
            Kind::I64 => rd(p as *const i64).to_py(),
            Kind::U8 => rd(p).to_py(),
            Kind::U16 => rd(p as *const u16).to_py(),
            Kind::U32 => rd(p as *const u32).to_py(),
            Kind::U64 => rd(p as *const u64).to_py(),
            Kind::F32 => rd(p as *const f32).to_py(),
            Kind::F64 => rd(p as *const f64).to_py(),
            Kind::Bool => (rd(p) != 0).to_py(),
            Kind::Enum(idx, repr) => enum_member(shared, idx, read_int(p, *repr)),
            _ => return None,
        })
    }
}

/// Converts `v` with the range check of scalar kind `k` and stores it at
/// `p`, unaligned; None (nothing written) for any other kind. An enum is
/// stored as its integer kind.
/// # Safety
/// The plugin's interpreter is attached; `p` has room for a value of kind
/// `k`; `v` is a live object.
#[inline(always)]
pub(crate) unsafe fn write_kind(p: *mut u8, k: Kind, v: *mut PyObject) -> Option<PyResult<()>> {
    /// Converts with `T`'s range check and stores unaligned.
    #[inline(always)]
    unsafe fn store<T: Scalar>(p: *mut u8, v: *mut PyObject) -> PyResult<()> {
        // SAFETY: as for `write_kind`.
        unsafe {
            wr(p as *mut T, T::from_py(v)?);
            Ok(())
        }
    }
    // SAFETY: the plugin's interpreter is attached; `p` has room for a value
    // of kind `k`; `v` is a live object (this function's contract).
    unsafe {
        Some(match k {
            Kind::I8 => store::<i8>(p, v),
            Kind::I16 => store::<i16>(p, v),
            Kind::I32 => store::<i32>(p, v),
            Kind::I64 => store::<i64>(p, v),
            Kind::U8 => store::<u8>(p, v),
            Kind::U16 => store::<u16>(p, v),
            Kind::U32 => store::<u32>(p, v),
            Kind::U64 => store::<u64>(p, v),
            Kind::F32 => store::<f32>(p, v),
            Kind::F64 => store::<f64>(p, v),
            Kind::Bool => store::<bool>(p, v),
            Kind::Enum(_, repr) => write_enum(p, *repr, v),
            _ => return None,
        })
    }
}

/// An enum stored as its integer kind `repr` (out of line: `write_kind`
/// is inlined into its callers).
#[inline(never)]
unsafe fn write_enum(p: *mut u8, repr: Kind, v: *mut PyObject) -> PyResult<()> {
    // SAFETY: as for `write_kind`.
    unsafe { write_kind(p, repr, v).unwrap_or_else(|| not_scalar()) }
}

/// The error for a kind `read_kind`/`write_kind` does not handle.
/// # Safety
/// The plugin's interpreter is attached.
#[cold]
pub(crate) unsafe fn not_scalar<T>() -> PyResult<T> {
    // SAFETY: the interpreter is attached (this function's contract).
    unsafe { raise(PyExc_TypeError, "not a number, bool or enum") }
}

/// An integer storage unit (enum or bitfield storage), sign-extended.
/// # Safety
/// `p` holds a value of the integer kind `k`.
pub(crate) unsafe fn read_int(p: *const u8, k: Kind) -> i64 {
    // SAFETY: `p` holds a value of the integer kind `k` (this function's
    // contract).
    unsafe {
        match k {
            Kind::I8 => rd(p as *const i8) as i64,
            Kind::I16 => rd(p as *const i16) as i64,
            Kind::I32 => rd(p as *const i32) as i64,
            Kind::U8 | Kind::Bool => *p as i64,
            Kind::U16 => rd(p as *const u16) as i64,
            Kind::U32 => rd(p as *const u32) as i64,
            _ => rd(p as *const i64),
        }
    }
}
