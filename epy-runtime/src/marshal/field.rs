//! Reading and writing one struct field by its `Kind` (the getset functions
//! of every struct type). Reads and writes are unaligned-safe: packed
//! structs put fields anywhere.
use super::pointer::{ptr_from_py, ptr_to_py};
use super::scalar::{Scalar, int_obj, read_int, read_kind, write_kind};
use super::string::{bytes_to_py, units_to_py, write_chars};
use super::view::{View, copy_into, live, new_view, root, struct_index};
use crate::obj::raise;
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::{Encoding, FieldSpec, Kind};
use core::ffi::{c_char, c_int, c_void};
use core::ptr::{null_mut, read_unaligned as rd, write_unaligned as wr};
use pyo3_ffi::*;

/// Getter: `closure` is the field's `'static FieldSpec`.
pub(crate) unsafe extern "C" fn get(o: *mut PyObject, closure: *mut c_void) -> *mut PyObject {
    // SAFETY: CPython calls a getter with the interpreter attached, `o` a view
    // of the type it is on and `closure` the `FieldSpec` it was made with.
    unsafe {
        let v = o as *mut View;
        let f = &*(closure as *const FieldSpec);
        let r = owns(v, f)
            .and_then(|()| live(v))
            .and_then(|p| read(v, p.add(f.offset), f.kind));
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

/// Setter: `closure` is the field's `'static FieldSpec` (reached through
/// the generic lookup: a Python subclass's instance, or `setattr` with a name
/// that is not interned).
pub(crate) unsafe extern "C" fn set(
    o: *mut PyObject,
    value: *mut PyObject,
    closure: *mut c_void,
) -> c_int {
    // SAFETY: CPython calls a setter with the interpreter attached, `o` a view
    // of the type it is on, `value` live or NULL (delete) and `closure` the
    // `FieldSpec` it was made with.
    unsafe {
        let v = o as *mut View;
        let f = &*(closure as *const FieldSpec);
        let r = owns(v, f).and_then(|()| set_field(v, f, value));
        if r.is_ok() { 0 } else { -1 }
    }
}

/// `tp_setattro` of every struct type: on an instance of exactly the struct
/// type, a field name (the interned object its getset is keyed by) goes
/// straight to the field; the type is immutable, so that getset is what the
/// generic lookup would find. Anything else (`__class__`, a subclass's
/// attributes, unknown names) takes the generic path.
pub(crate) unsafe extern "C" fn setattro(
    o: *mut PyObject,
    name: *mut PyObject,
    value: *mut PyObject,
) -> c_int {
    // SAFETY: CPython calls `tp_setattro` with the interpreter attached and
    // `o` an instance of a struct type or of a Python subclass of one (a
    // view: subclasses add no fields before it).
    unsafe {
        let v = o as *mut View;
        let shared = &*(*v).shared;
        let idx = struct_index(v);
        if Py_TYPE(o) as *mut PyObject == shared.structs[idx] {
            if let Some(f) = shared
                .field_names
                .get(idx)
                .and_then(|n| n.find(&*(*v).spec, name))
            {
                return if set_field(v, f, value).is_ok() {
                    0
                } else {
                    -1
                };
            }
        }
        PyObject_GenericSetAttr(o, name, value)
    }
}

/// Writes `value` to field `f` of view `v` (`f` one of its struct's fields).
#[inline(always)]
unsafe fn set_field(v: *mut View, f: &'static FieldSpec, value: *mut PyObject) -> PyResult<()> {
    // SAFETY: the interpreter is attached; `v` is a live view and `f` a field
    // of its struct (the callers' contract).
    unsafe {
        if value.is_null() {
            return raise(PyExc_TypeError, "struct fields cannot be deleted");
        }
        if (*v).readonly {
            return read_only(f);
        }
        let p = live(v)?;
        write(v, p.add(f.offset), f.kind, value, f)
    }
}

#[cold]
#[inline(never)]
fn read_only(f: &FieldSpec) -> PyResult<()> {
    let msg = format!(
        "{} is read-only here: the host passed a const pointer",
        f.name.to_string_lossy()
    );
    // SAFETY: only called from a setter, with the interpreter attached.
    unsafe { raise(PyExc_AttributeError, &msg) }
}

/// A field's name for messages, converted only when one is made.
struct Lossy(&'static core::ffi::CStr);

impl core::fmt::Display for Lossy {
    fn fmt(&self, out: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        out.write_str(&self.0.to_string_lossy())
    }
}

/// Whether `f` is a field of the struct `v` views: a view whose class was
/// swapped (a Python subclass's `__class__`) must not reach past its memory.
#[inline(always)]
unsafe fn owns(v: *mut View, f: &FieldSpec) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view (the caller's contract).
    unsafe {
        let fields = (*(*v).spec).fields;
        if fields.as_ptr_range().contains(&(f as *const FieldSpec)) {
            return Ok(());
        }
        not_a_field(v, f)
    }
}

#[cold]
#[inline(never)]
unsafe fn not_a_field(v: *mut View, f: &FieldSpec) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view (the caller's contract).
    unsafe {
        let name = (*(*v).spec).name.to_string_lossy();
        let msg = format!(
            "{} is not a field of {name} (was __class__ reassigned?)",
            f.name.to_string_lossy()
        );
        raise(PyExc_TypeError, &msg)
    }
}

/// Reads the value of kind `k` at `p` (inside view `v`).
unsafe fn read(v: *mut View, p: *mut u8, k: Kind) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view; `p` is struct memory of the kind
    // read or written (the caller's contract).
    unsafe {
        let shared = (*v).shared;
        if let Some(r) = read_kind(&*shared, p, k) {
            return r;
        }
        match k {
            Kind::I8
            | Kind::I16
            | Kind::I32
            | Kind::I64
            | Kind::U8
            | Kind::U16
            | Kind::U32
            | Kind::U64
            | Kind::F32
            | Kind::F64
            | Kind::Bool
            | Kind::Enum(..) => unreachable!("read by read_kind"),
            Kind::Ptr => ptr_to_py(rd(p as *const *const c_void)),
            Kind::CStr(enc) => super::string::str_to_py(rd(p as *const *const c_char), enc),
            Kind::CharArray(n, Encoding::Utf16) => {
                // CPython's UTF-16 decoder reads bytes: fine unaligned (packed).
                let units = p as *const u16;
                let len = (0..n).take_while(|&i| rd(units.add(i)) != 0).count();
                units_to_py(units, len)
            }
            Kind::CharArray(n, enc) => {
                let len = (0..n).find(|&i| *p.add(i) == 0).unwrap_or(n);
                bytes_to_py(p as *const c_char, len, enc)
            }
            Kind::Array(&Kind::Struct(idx), n) => {
                let size = (*shared).spec.structs[idx].size;
                let list = Obj::from_owned(PyList_New(n as Py_ssize_t))?;
                for i in 0..n {
                    let item = nested(v, idx, p.add(i * size))?;
                    PyList_SetItem(list.as_ptr(), i as Py_ssize_t, item.into_ptr());
                }
                Ok(list)
            }
            Kind::Array(elem, n) => super::array::field_array(v, p, *elem, n),
            Kind::Struct(idx) => nested(v, idx, p),
            Kind::StructPtr(idx) => {
                let q = rd(p as *const *mut u8);
                if q.is_null() {
                    return Ok(crate::obj::none());
                }
                // Tied to the root: host memory reached through an argument
                // is no safer to touch after the call than the argument.
                new_view(shared, idx, q, (*v).readonly, root(v) as *mut PyObject)
            }
            Kind::Bits {
                storage,
                shift,
                width,
                signed,
            } => {
                let raw = (read_int(p, *storage) as u64 >> shift) & mask(width);
                if signed && (1..64).contains(&width) && (raw >> (width - 1)) & 1 == 1 {
                    ((raw | !mask(width)) as i64).to_py()
                } else if signed {
                    (raw as i64).to_py()
                } else {
                    raw.to_py()
                }
            }
            Kind::FnPtr(idx) => {
                let q = rd(p as *const *const c_void);
                super::callback::new_callback(&*shared, q, idx)
            }
        }
    }
}

/// The low `width` bits set.
fn mask(width: u8) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

unsafe fn write_int(p: *mut u8, k: Kind, v: u64) {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `p` is struct memory of the kind read or written (the
    // caller's contract).
    unsafe {
        match k {
            Kind::I8 | Kind::U8 | Kind::Bool => *p = v as u8,
            Kind::I16 | Kind::U16 => wr(p as *mut u16, v as u16),
            Kind::I32 | Kind::U32 => wr(p as *mut u32, v as u32),
            _ => wr(p as *mut u64, v),
        }
    }
}

/// A view of the nested struct `idx` at `p`, sharing `v`'s memory.
unsafe fn nested(v: *mut View, idx: usize, p: *mut u8) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view; `p` is struct memory of the kind
    // read or written (the caller's contract).
    unsafe { new_view((*v).shared, idx, p, (*v).readonly, root(v) as *mut PyObject) }
}

/// Writes `value` as kind `k` at `p` (inside view `v`).
#[inline(always)]
unsafe fn write(
    v: *mut View,
    p: *mut u8,
    k: Kind,
    value: *mut PyObject,
    f: &FieldSpec,
) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view; `p` is struct memory of the kind
    // read or written; `value` is a live object (the caller's contract).
    unsafe {
        if let Some(r) = write_kind(p, k, value) {
            return r;
        }
        match k {
            Kind::I8
            | Kind::I16
            | Kind::I32
            | Kind::I64
            | Kind::U8
            | Kind::U16
            | Kind::U32
            | Kind::U64
            | Kind::F32
            | Kind::F64
            | Kind::Bool
            | Kind::Enum(..) => unreachable!("written by write_kind"),
            Kind::Ptr => {
                wr(p as *mut *mut c_void, ptr_from_py(value)?);
                Ok(())
            }
            Kind::CharArray(n, enc) => write_chars(p, n, enc, value, &Lossy(f.name)),
            Kind::Struct(idx) => copy_into(&*(*v).shared, value, idx, p),
            Kind::Bits {
                storage,
                shift,
                width,
                signed,
            } => {
                let x = bits_value(value, width, signed, f.name)?;
                let m = mask(width) << shift;
                let unit = read_int(p, *storage) as u64;
                write_int(p, *storage, (unit & !m) | ((x << shift) & m));
                Ok(())
            }
            Kind::FnPtr(idx) => {
                let shared = &*(*v).shared;
                let pool = shared.spec.callbacks[idx].pool;
                let q = super::trampoline::fnptr_in(shared, value, pool)?;
                wr(p as *mut *mut c_void, q);
                Ok(())
            }
            Kind::CStr(_) | Kind::StructPtr(_) | Kind::Array(..) => {
                let name = f.name.to_string_lossy();
                let msg = format!("{name} is read-only (assign its elements or fields instead)");
                raise(PyExc_AttributeError, &msg)
            }
        }
    }
}

/// `value` in range for a `width`-bit field, as the bits to store.
unsafe fn bits_value(
    value: *mut PyObject,
    width: u8,
    signed: bool,
    name: &core::ffi::CStr,
) -> PyResult<u64> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `value` is a live object (the caller's contract).
    unsafe {
        let n = int_obj(value, &name.to_string_lossy())?;
        let mut overflow = 0;
        let x = PyLong_AsLongLongAndOverflow(n.as_ptr(), &mut overflow) as i128;
        if x == -1 && !PyErr_Occurred().is_null() {
            return Err(PyErr);
        }
        let x = match overflow {
            0 => x,
            // Above i64::MAX: a 64-bit unsigned field may still hold it.
            1 if !signed => match PyLong_AsUnsignedLongLong(n.as_ptr()) {
                u64::MAX if !PyErr_Occurred().is_null() => {
                    PyErr_Clear();
                    i128::MAX
                }
                u => u as i128,
            },
            _ => i128::MAX,
        };
        let w = width.clamp(1, 64) as u32;
        let (lo, hi) = if signed {
            (-(1i128 << (w - 1)), (1i128 << (w - 1)) - 1)
        } else {
            (0, (1i128 << w) - 1)
        };
        if x < lo || x > hi {
            let text = super::scalar::repr(n.as_ptr());
            let name = name.to_string_lossy();
            let msg = format!("value {text} does not fit in the {width}-bit field {name}");
            return raise(PyExc_OverflowError, &msg);
        }
        Ok(x as u64)
    }
}
