//! Typed pointers (`Ptr[T]` in the stubs): a pointer argument no other rule
//! marshals (`uint32_t *outframe`, `T **out`) reaches the script as a `Ptr`
//! object, `None` for NULL, never as an integer address.
//!
//! C semantics of a pointer to one object: `p.value` reads and writes the
//! pointee (a number, a live struct view, or the inner `Ptr` of a
//! pointer-to-pointer, so `*out = x` is `out.value = x`). The length is
//! unknown, so indexing needs the script to say it: `p.array(n)` is a
//! memoryview of `n` elements, and the script answers for `n` (C's own
//! bounds rule). Everything derived (arrays, views, inner pointers) is
//! revoked with the pointer by `release_arg` after the call, through the
//! same machinery as buffer arguments (`exporter`) and views.
use super::exporter::exporter;
use super::pytype::{end, free, new_type, slot};
use super::scalar::{Scalar, not_scalar, read_kind, write_kind};
use super::shared::Shared;
use crate::obj::{Obj, PyResult, none, raise};
use crate::spec::Kind;
use core::ffi::{c_int, c_void};
use core::ptr::{null_mut, read_unaligned as rd, write_unaligned as wr};
use pyo3_ffi::*;

/// What a typed pointer points at (generated as a `static` per parameter).
#[derive(Debug)]
pub enum Pointee {
    /// A number or enum (`Kind::I8`…`Kind::F64`, `Kind::Bool`, `Kind::Enum`).
    Scalar(Kind),
    /// Struct `Spec::structs[i]`: `.value` is a live view.
    Struct(usize),
    /// `void`: no `.value`; `.array(n)` is bytes.
    Void,
    /// Another pointer (`T **`): `.value` is a `Ptr` (a struct view for
    /// `S **`), or `None`.
    Ptr(&'static PtrType),
    /// An incomplete struct (`lua_State`): the host's handle, only passed
    /// back to the host; no `.value`, no `.array`.
    Opaque,
}

/// A pointer type: its pointee and whether it is `const`.
#[derive(Debug)]
pub struct PtrType {
    pub pointee: Pointee,
    pub readonly: bool,
}

#[repr(C)]
struct Ptr {
    ob_base: PyObject,
    /// The host address; NULL once revoked.
    addr: *mut c_void,
    ty: &'static PtrType,
    shared: *const Shared,
    /// Objects made from this pointer (memoryviews, views, inner pointers),
    /// revoked with it; NULL until the first.
    derived: *mut Vec<Obj>,
}

pub(crate) unsafe fn new_ptr_type(module: &str) -> PyResult<Obj> {
    static mut GETSET: [PyGetSetDef; 2] = [
        PyGetSetDef {
            name: c"value".as_ptr(),
            get: Some(get_value),
            set: Some(set_value),
            doc: c"The pointee (C `*p`): read and written in host memory.".as_ptr(),
            closure: null_mut(),
        },
        PyGetSetDef {
            name: core::ptr::null(),
            get: None,
            set: None,
            doc: core::ptr::null(),
            closure: null_mut(),
        },
    ];
    static mut METHODS: [PyMethodDef; 3] = [
        PyMethodDef {
            ml_name: c"array".as_ptr(),
            ml_meth: PyMethodDefPointer { PyCFunction: array },
            ml_flags: METH_O,
            ml_doc: c"array(n): a memoryview of n elements from here; n is the caller's promise."
                .as_ptr(),
        },
        PyMethodDef {
            ml_name: c"__class_getitem__".as_ptr(),
            ml_meth: PyMethodDefPointer {
                PyCFunction: Py_GenericAlias,
            },
            ml_flags: METH_O | METH_CLASS,
            ml_doc: core::ptr::null(),
        },
        PyMethodDef::zeroed(),
    ];
    let mut slots = [
        slot(Py_tp_dealloc, dealloc as *mut c_void),
        slot(Py_tp_repr, repr as *mut c_void),
        slot(Py_tp_getset, (&raw mut GETSET) as *mut c_void),
        slot(Py_tp_methods, (&raw mut METHODS) as *mut c_void),
        end(),
    ];
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION | Py_TPFLAGS_IMMUTABLETYPE;
    // SAFETY: the slots and tables are statics that live as long as the library; the
    // interpreter is attached (the caller's contract).
    unsafe {
        new_type(
            format!("{module}.Ptr"),
            size_of::<Ptr>(),
            flags,
            &mut slots,
            null_mut(),
        )
    }
}

const OPAQUE: &str = "an opaque handle of the host has no value: pass it to the host's functions";

/// Pointer argument `p` of type `ty` → a `Ptr`, `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or valid for the call.
pub unsafe fn typed_ptr_to_py(
    cx: &crate::Cx,
    p: *mut c_void,
    ty: &'static PtrType,
) -> PyResult<Obj> {
    // SAFETY: the caller's contract (attached interpreter, `p` valid for the call); the
    // Cx's shared tables outlive the object via its capsule.
    unsafe { new_ptr(&*cx.types.shared, p, ty) }
}

unsafe fn new_ptr(shared: *const Shared, p: *mut c_void, ty: &'static PtrType) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached (the callers' contract); the allocation is of
    // this interpreter's `Ptr` type, so it is a `Ptr`.
    unsafe {
        if p.is_null() {
            return Ok(none());
        }
        let t = (*shared).ptr_type as *mut PyTypeObject;
        let o = Obj::from_owned(PyType_GenericAlloc(t, 0))?;
        let s = o.as_ptr() as *mut Ptr;
        (*s).addr = p;
        (*s).ty = ty;
        (*s).shared = shared;
        (*s).derived = null_mut();
        Ok(o)
    }
}

/// Is `o` a typed pointer (of any interpreter)?
#[inline]
unsafe fn as_ptr_obj(o: *mut PyObject) -> Option<*mut Ptr> {
    // SAFETY: `o` is a live object (the callers' contract); a type is recognised by its
    // dealloc, like views (the type is final).
    unsafe {
        let d = (*Py_TYPE(o)).tp_dealloc.map(|f| f as usize);
        (d == Some(dealloc as *const () as usize)).then_some(o as *mut Ptr)
    }
}

/// The address a live typed pointer holds (a host function's `void*`
/// argument, or `*out = p`), if `o` is one.
pub(crate) unsafe fn typed_ptr_address(o: *mut PyObject) -> Option<PyResult<*mut c_void>> {
    // SAFETY: `o` is a live object (the caller's contract).
    unsafe { as_ptr_obj(o).map(|s| live(s)) }
}

unsafe fn live(s: *mut Ptr) -> PyResult<*mut c_void> {
    // SAFETY: `s` is a live `Ptr` (the callers' contract); raising needs the attached
    // interpreter, which every caller has.
    unsafe {
        if (*s).addr.is_null() {
            return raise(
                PyExc_ValueError,
                "this Ptr was used after the call that received it returned; \
                 copy the values you need during the call",
            );
        }
        Ok((*s).addr)
    }
}

/// After the call (`release_arg`): the pointer and everything made from it
/// stop reaching host memory. False if `o` is not a typed pointer.
pub(crate) unsafe fn release_typed_ptr(o: *mut PyObject) -> bool {
    // SAFETY: called by `release_arg` with the interpreter attached and `o` live;
    // `derived` is NULL or a box this object owns.
    unsafe {
        let Some(s) = as_ptr_obj(o) else {
            return false;
        };
        (*s).addr = null_mut();
        let d = core::mem::replace(&mut (*s).derived, null_mut());
        if !d.is_null() {
            for obj in Box::from_raw(d).into_iter() {
                super::view::release_arg(obj);
            }
        }
        true
    }
}

unsafe fn keep(s: *mut Ptr, o: &Obj) -> PyResult<()> {
    // SAFETY: `s` is a live `Ptr` and the interpreter is attached (the callers'
    // contract); `derived` is NULL or a box it owns.
    unsafe {
        if o.as_ptr() == Py_None() {
            return Ok(());
        }
        if (*s).derived.is_null() {
            (*s).derived = Box::into_raw(Box::default());
        }
        (*(*s).derived).push(Obj::from_borrowed(o.as_ptr()));
        Ok(())
    }
}

unsafe extern "C" fn dealloc(o: *mut PyObject) {
    // SAFETY: CPython calls `tp_dealloc` once, with the interpreter attached, on a
    // `Ptr` whose refcount reached zero.
    unsafe {
        let s = o as *mut Ptr;
        let d = core::mem::replace(&mut (*s).derived, null_mut());
        if !d.is_null() {
            drop(Box::from_raw(d));
        }
        free(o);
    }
}

unsafe extern "C" fn repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: CPython calls `tp_repr` with the interpreter attached and `o` a `Ptr`.
    unsafe {
        let s = o as *mut Ptr;
        let state = if (*s).addr.is_null() {
            "released"
        } else {
            "live"
        };
        let text = format!("<Ptr to {} ({state})>", describe(&(*s).ty.pointee));
        let c = std::ffi::CString::new(text).unwrap_or_default();
        PyUnicode_FromString(c.as_ptr())
    }
}

fn describe(p: &Pointee) -> String {
    match p {
        Pointee::Scalar(k) => format!("{k:?}"),
        Pointee::Struct(i) => format!("struct #{i}"),
        Pointee::Void => "void".into(),
        Pointee::Opaque => "opaque".into(),
        Pointee::Ptr(t) => format!("pointer to {}", describe(&t.pointee)),
    }
}

unsafe extern "C" fn get_value(o: *mut PyObject, _: *mut c_void) -> *mut PyObject {
    // SAFETY: CPython calls the getter with the interpreter attached and `o` a `Ptr`;
    // `live` refuses a revoked address, and a live one is valid for the call that
    // received it (its pointee of the declared type).
    unsafe {
        let s = o as *mut Ptr;
        let r = live(s).and_then(|p| {
            let shared = (*s).shared;
            let ro = (*s).ty.readonly;
            match &(*s).ty.pointee {
                Pointee::Scalar(k) => {
                    read_kind(&*shared, p as *const u8, *k).unwrap_or_else(|| not_scalar())
                }
                Pointee::Struct(i) => {
                    let v = super::view::new_view(shared, *i, p as *mut u8, ro, null_mut())?;
                    keep(s, &v)?;
                    Ok(v)
                }
                Pointee::Void => raise(
                    PyExc_TypeError,
                    "a void pointer has no value: use .array(n) for its bytes",
                ),
                Pointee::Opaque => raise(PyExc_TypeError, OPAQUE),
                Pointee::Ptr(inner) => {
                    let target = rd(p as *const *mut c_void);
                    let q = match inner.pointee {
                        // A struct pointer is a view, as for arguments.
                        Pointee::Struct(_) if target.is_null() => Ok(none()),
                        Pointee::Struct(i) => super::view::new_view(
                            shared,
                            i,
                            target as *mut u8,
                            inner.readonly,
                            null_mut(),
                        ),
                        _ => new_ptr(shared, target, inner),
                    }?;
                    keep(s, &q)?;
                    Ok(q)
                }
            }
        });
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

unsafe extern "C" fn set_value(o: *mut PyObject, v: *mut PyObject, _: *mut c_void) -> c_int {
    // SAFETY: CPython calls the setter with the interpreter attached and `o` a `Ptr`;
    // writes go through `live`, valid for the call, and are refused for const pointers.
    unsafe {
        let s = o as *mut Ptr;
        let r = (|| {
            if v.is_null() {
                return raise(PyExc_TypeError, "a pointee cannot be deleted");
            }
            if (*s).ty.readonly {
                return raise(
                    PyExc_AttributeError,
                    "read-only: the host passed a const pointer",
                );
            }
            let p = live(s)?;
            match &(*s).ty.pointee {
                Pointee::Scalar(k) => {
                    write_kind(p as *mut u8, *k, v).unwrap_or_else(|| not_scalar())
                }
                Pointee::Struct(_) => raise(
                    PyExc_TypeError,
                    "assign the fields of .value (a live view), not the struct",
                ),
                Pointee::Void => raise(PyExc_TypeError, "a void pointer has no value"),
                Pointee::Opaque => raise(PyExc_TypeError, OPAQUE),
                Pointee::Ptr(_) => {
                    let q = super::pointer::ptr_from_py(v)?;
                    wr(p as *mut *mut c_void, q);
                    Ok(())
                }
            }
        })();
        if r.is_ok() { 0 } else { -1 }
    }
}

unsafe extern "C" fn array(o: *mut PyObject, n: *mut PyObject) -> *mut PyObject {
    // SAFETY: CPython calls the method with the interpreter attached and `o` a `Ptr`;
    // `n` elements from a live address are the script's promise, as in C (documented).
    unsafe {
        let s = o as *mut Ptr;
        let r = (|| {
            let n = usize::from_py(n)?;
            let p = live(s)?;
            let elem = match &(*s).ty.pointee {
                Pointee::Scalar(Kind::Enum(_, k)) => **k,
                Pointee::Scalar(k) => *k,
                Pointee::Void => Kind::U8,
                Pointee::Opaque => return raise(PyExc_TypeError, OPAQUE),
                _ => {
                    return raise(
                        PyExc_TypeError,
                        "array(n) is for pointers to numbers or bytes; use .value",
                    );
                }
            };
            let e = exporter(
                (*s).shared,
                null_mut(),
                p,
                n,
                elem,
                (*s).ty.readonly,
                null_mut(),
            )?;
            let mv = Obj::from_owned(PyMemoryView_FromObject(e.as_ptr()))?;
            keep(s, &mv)?;
            Ok(mv)
        })();
        r.map_or(null_mut(), Obj::into_ptr)
    }
}
