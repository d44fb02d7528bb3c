//! Live views of C structs: field reads and writes go straight to the host's
//! memory. One heap type per struct per interpreter (made by `module`), with
//! one getset per field whose closure is the field's `'static FieldSpec`, so
//! a field access is a type-cache lookup plus a read — no dict, no copy
//! (the per-kind code is in `field`).
//!
//! A view of an argument is valid during the call; `release_arg` invalidates
//! a view the script kept (its nested views check their root), so a late use
//! raises instead of touching freed host memory. `Record()` makes a view over
//! zeroed memory owned by the Python object.
use super::pytype::{end, free, new_type, slot};
use super::shared::Shared;
use crate::obj::{Obj, PyErr, PyResult};
use crate::obj::{raise, type_name};
use crate::spec::{FieldSpec, StructSpec};
use core::ffi::{c_int, c_void};
use core::ptr::{null, null_mut};
use pyo3_ffi::*;

#[repr(C)]
pub(crate) struct View {
    ob_base: PyObject,
    /// Start of the struct; NULL once released.
    pub ptr: *mut u8,
    /// The root view this one's memory belongs to (strong), NULL for roots.
    pub owner: *mut PyObject,
    pub shared: *const Shared,
    pub spec: *const StructSpec,
    /// Memory owned by this view (`Record()`, structs by value), or NULL.
    pub storage: *mut u8,
    /// Roots over host memory: a list of the memoryviews handed out over
    /// their arrays, released with the view (`release_arg`). NULL if none.
    pub arrays: *mut PyObject,
    pub readonly: bool,
}

/// The base of every struct type: layout, dealloc, construction, repr.
pub(crate) unsafe fn new_base_type(module: &str) -> PyResult<Obj> {
    let mut slots = [
        slot(Py_tp_dealloc, view_dealloc as *mut c_void),
        slot(Py_tp_new, view_new as *mut c_void),
        slot(Py_tp_init, view_init as *mut c_void),
        slot(Py_tp_repr, view_repr as *mut c_void),
        slot(
            Py_tp_doc,
            c"A live view of a C struct.".as_ptr() as *mut c_void,
        ),
        end(),
    ];
    // Immutable: no `__class__` assignment between struct types, which
    // would read one struct's memory through another's fields.
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE;
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`) (the caller's contract).
    unsafe {
        new_type(
            format!("{module}._StructView"),
            size_of::<View>(),
            flags,
            &mut slots,
            null_mut(),
        )
    }
}

/// A class with no behaviour (`Exports` at run time).
pub(crate) unsafe fn new_plain_type(name: &str) -> PyResult<Obj> {
    let mut slots = [end()];
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`) (the caller's contract).
    unsafe { new_type(name.to_owned(), 0, flags, &mut slots, null_mut()) }
}

/// The type of one struct: a getset per field.
pub(crate) unsafe fn new_struct_type(
    module: &str,
    s: &'static StructSpec,
    base: *mut PyObject,
) -> PyResult<Obj> {
    let mut getset: Vec<PyGetSetDef> = s
        .fields
        .iter()
        .map(|f| PyGetSetDef {
            name: f.name.as_ptr(),
            get: Some(super::field::get),
            set: Some(super::field::set),
            doc: if f.doc.is_empty() {
                null()
            } else {
                f.doc.as_ptr()
            },
            closure: f as *const FieldSpec as *mut c_void,
        })
        .collect();
    getset.push(PyGetSetDef {
        name: null(),
        get: None,
        set: None,
        doc: null(),
        closure: null_mut(),
    });
    // The type's descriptors keep pointing at this table: it lives as long
    // as the process (small, made once per load).
    let getset = Box::leak(getset.into_boxed_slice());
    let doc = if s.doc.is_empty() {
        c"A live view of a C struct.".as_ptr()
    } else {
        s.doc.as_ptr()
    };
    let mut slots = [
        // Set explicitly (not inherited: CPython would install its generic
        // subtype dealloc), so `as_view` recognises instances by it.
        slot(Py_tp_dealloc, view_dealloc as *mut c_void),
        slot(Py_tp_getset, getset.as_mut_ptr() as *mut c_void),
        slot(Py_tp_setattro, super::field::setattro as *mut c_void),
        slot(Py_tp_doc, doc as *mut c_void),
        end(),
    ];
    let name = format!("{module}.{}", s.name.to_string_lossy());
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_IMMUTABLETYPE;
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `base` is a live object (the caller's contract).
    unsafe { new_type(name, 0, flags, &mut slots, base) }
}

/// Is `o` one of our views (of any interpreter's struct types, or a Python
/// subclass of one)?
#[inline]
pub(crate) unsafe fn as_view(o: *mut PyObject) -> Option<*mut View> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        // Our types set this dealloc; Python subclasses get CPython's, so
        // walk up (one step for a direct instance).
        let mut ty = Py_TYPE(o);
        while !ty.is_null() {
            if (*ty).tp_dealloc.map(|f| f as usize) == Some(view_dealloc as *const () as usize) {
                return Some(o as *mut View);
            }
            ty = (*ty).tp_base;
        }
        None
    }
}

/// The address a view points at (for pointer arguments), if `o` is a view.
pub(crate) unsafe fn view_address(o: *mut PyObject) -> Option<PyResult<*mut c_void>> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe { as_view(o).map(|v| live(v).map(|p| p as *mut c_void)) }
}

/// The root view whose validity governs `v`.
#[inline]
pub(crate) unsafe fn root(v: *mut View) -> *mut View {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view (the caller's contract).
    unsafe {
        if (*v).owner.is_null() {
            v
        } else {
            (*v).owner as *mut View
        }
    }
}

/// `v`'s address, or a ValueError if the call it came from has returned.
#[inline]
pub(crate) unsafe fn live(v: *mut View) -> PyResult<*mut u8> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view (the caller's contract).
    unsafe {
        if (*root(v)).ptr.is_null() || (*v).ptr.is_null() {
            return released(v);
        }
        Ok((*v).ptr)
    }
}

#[cold]
unsafe fn released<T>(v: *mut View) -> PyResult<T> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view (the caller's contract).
    unsafe {
        let name = (*(*v).spec).name.to_string_lossy();
        raise(
            PyExc_ValueError,
            &format!(
                "this {name} view was used after the call that received it returned; \
                 copy the values you need during the call"
            ),
        )
    }
}

/// A new view of struct `idx` at `p` whose validity follows `owner` (a
/// root view, strong) or, for NULL, its own `ptr`.
pub(crate) unsafe fn new_view(
    shared: *const Shared,
    idx: usize,
    p: *mut u8,
    readonly: bool,
    owner: *mut PyObject,
) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `shared` is live; `p` is struct memory of the kind
    // read or written; `owner` is a live object (the caller's contract).
    unsafe {
        let ty = (&(*shared).structs)[idx] as *mut PyTypeObject;
        let o = alloc_view(ty, shared, idx)?;
        let v = o.as_ptr() as *mut View;
        (*v).ptr = p;
        (*v).readonly = readonly;
        (*v).owner = owner;
        if !owner.is_null() {
            Py_INCREF(owner);
        }
        Ok(o)
    }
}

/// An instance of `ty` (struct `idx` or a subclass), all fields zero/NULL.
unsafe fn alloc_view(ty: *mut PyTypeObject, shared: *const Shared, idx: usize) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `ty` is a live type; `shared` is live (the caller's
    // contract).
    unsafe {
        let alloc = (*ty).tp_alloc.unwrap_or(PyType_GenericAlloc);
        let o = Obj::from_owned(alloc(ty, 0))?;
        let v = o.as_ptr() as *mut View;
        (*v).shared = shared;
        (*v).spec = &(*shared).spec.structs[idx];
        Ok(o)
    }
}

fn layout(s: &StructSpec) -> std::alloc::Layout {
    std::alloc::Layout::from_size_align(s.size.max(1), s.align.max(1))
        .unwrap_or(std::alloc::Layout::new::<u64>())
}

/// A view over zeroed memory owned by the new object.
unsafe fn new_owned(ty: *mut PyTypeObject, shared: *const Shared, idx: usize) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `ty` is a live type; `shared` is live (the caller's
    // contract).
    unsafe {
        let o = alloc_view(ty, shared, idx)?;
        let v = o.as_ptr() as *mut View;
        let mem = std::alloc::alloc_zeroed(layout(&*(*v).spec));
        if mem.is_null() {
            PyErr_NoMemory();
            return Err(PyErr);
        }
        (*v).ptr = mem;
        (*v).storage = mem;
        Ok(o)
    }
}

/// Pointer to a struct → a live view (read-only when `readonly`), `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or points to a valid
/// struct `idx` that outlives the view's use (see `release_arg`).
#[inline]
pub unsafe fn struct_ptr_to_py(
    shared: &Shared,
    p: *const c_void,
    idx: usize,
    readonly: bool,
) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` is NULL or points to a
    // valid struct `idx` that outlives the view's use (see `release_arg`) (this
    // function's contract).
    unsafe {
        if p.is_null() {
            return Ok(crate::obj::none());
        }
        // The previous call's view, if the script did not keep it: no
        // allocation on the hot path.
        let cached = shared.view_cache[idx].replace(null_mut());
        if !cached.is_null() {
            let v = cached as *mut View;
            (*v).ptr = p as *mut u8;
            (*v).readonly = readonly;
            return Obj::from_owned(cached);
        }
        new_view(shared, idx, p as *mut u8, readonly, null_mut())
    }
}

/// Struct by value → a view over a private copy (owned by the Python object).
/// # Safety
/// The plugin's interpreter is attached; `p` points to a valid struct `idx`.
pub unsafe fn struct_val_to_py(shared: &Shared, p: *const c_void, idx: usize) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` points to a valid
    // struct `idx` (this function's contract).
    unsafe {
        let o = new_owned(shared.structs[idx] as *mut PyTypeObject, shared, idx)?;
        let size = shared.spec.structs[idx].size;
        core::ptr::copy_nonoverlapping(p as *const u8, (*(o.as_ptr() as *mut View)).ptr, size);
        Ok(o)
    }
}

/// A view of struct `idx` (any view: owned or live) → copies its bytes to `out`.
/// TypeError for any other object.
/// # Safety
/// The plugin's interpreter is attached; `out` has room for struct `idx`.
pub unsafe fn struct_val_from_py(
    shared: &Shared,
    o: *mut PyObject,
    idx: usize,
    out: *mut c_void,
) -> PyResult<()> {
    // SAFETY: the plugin's interpreter is attached; `out` has room for struct
    // `idx` (this function's contract).
    unsafe { copy_into(shared, o, idx, out as *mut u8) }
}

/// Copies the struct `o` views (struct `idx`, else TypeError) to `out`.
pub(crate) unsafe fn copy_into(
    shared: &Shared,
    o: *mut PyObject,
    idx: usize,
    out: *mut u8,
) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object; `out` is struct memory of the
    // kind read or written (the caller's contract).
    unsafe {
        let spec = &shared.spec.structs[idx];
        match as_view(o) {
            Some(v) if core::ptr::eq((*v).spec, spec) => {
                let src = live(v)?;
                // `copy`, not `copy_nonoverlapping`: `r.where = r.where` is legal.
                core::ptr::copy(src, out, spec.size);
                Ok(())
            }
            _ => {
                let name = spec.name.to_string_lossy();
                let msg = format!("expected a {name} (e.g. {name}()), got {}", type_name(o));
                raise(PyExc_TypeError, &msg)
            }
        }
    }
}

/// After the call: an argument view that the script kept (refcount > 1)
/// is invalidated so later use raises instead of touching freed host
/// memory; argument memoryviews and those made over the view's arrays are
/// revoked with everything derived from them (`exporter`). Drops `o`;
/// keeps a pending exception (the script's, to be logged).
/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn release_arg(o: Obj) {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        let p = o.as_ptr();
        let kept = Py_REFCNT(p) > 1;
        if let Some(v) = as_view(p) {
            if !kept && reuse(v, o.as_ptr()) {
                core::mem::forget(o);
                return;
            }
            if kept {
                (*v).ptr = null_mut();
            }
            if !(*v).arrays.is_null() {
                super::array::release_all(v);
            }
        } else if PyMemoryView_Check(p) != 0 {
            super::buffer::release_buffer(o);
        } else {
            super::typed_ptr::release_typed_ptr(p);
        }
    }
}

/// The index in `Spec::structs` of the struct `v` views.
#[inline(always)]
pub(crate) unsafe fn struct_index(v: *mut View) -> usize {
    // SAFETY: `v` is a live view (the caller's contract): `spec` points into
    // its `Shared`'s `spec.structs` (`alloc_view`).
    unsafe {
        ((*v).spec as usize - (*(*v).shared).spec.structs.as_ptr() as usize)
            / core::mem::size_of::<StructSpec>()
    }
}

/// Keeps an unshared argument view of a host pointer for the next call.
#[inline]
unsafe fn reuse(v: *mut View, o: *mut PyObject) -> bool {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `v` is a live view; `o` is a live object (the
    // caller's contract).
    unsafe {
        if !(*v).storage.is_null() || !(*v).owner.is_null() || !(*v).arrays.is_null() {
            return false;
        }
        let shared = &*(*v).shared;
        let idx = struct_index(v);
        let Some(slot) = shared.view_cache.get(idx) else {
            return false;
        };
        // Exactly the struct's own type (not a Python subclass), slot free.
        if Py_TYPE(o) as *mut PyObject != shared.structs[idx] || !slot.get().is_null() {
            return false;
        }
        (*v).ptr = null_mut();
        slot.set(o);
        true
    }
}

unsafe extern "C" fn view_dealloc(o: *mut PyObject) {
    // SAFETY: CPython calls dealloc with the interpreter attached, on a view
    // nothing references any more.
    unsafe {
        let v = o as *mut View;
        if !(*v).storage.is_null() {
            std::alloc::dealloc((*v).storage, layout(&*(*v).spec));
        }
        Py_XDECREF((*v).owner);
        Py_XDECREF((*v).arrays);
        free(o);
    }
}

/// `Record()`: a zeroed struct owned by Python (fields are set by `view_init`).
unsafe extern "C" fn view_new(
    ty: *mut PyTypeObject,
    _args: *mut PyObject,
    _kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: CPython calls `tp_new` with the interpreter attached and `ty` a
    // struct type made by `new_struct_type`.
    unsafe {
        let r = (|| -> PyResult<Obj> {
            let cap = Obj::from_owned(PyObject_GetAttrString(
                ty as *mut PyObject,
                c"__epy_shared__".as_ptr(),
            ))?;
            let shared = Shared::from_capsule(cap.as_ptr());
            if shared.is_null() {
                return Err(PyErr);
            }
            // `ty` is a struct type or a Python subclass of one.
            let mut t = ty;
            while !t.is_null() {
                if let Some(idx) = (*shared).structs.iter().position(|&s| s == t as *mut _) {
                    return new_owned(ty, shared, idx);
                }
                t = (*t).tp_base;
            }
            raise(
                PyExc_TypeError,
                "_StructView is abstract: create a struct type instead, e.g. Point()",
            )
        })();
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

/// `Record(id=1, name="x")`: sets fields by keyword.
unsafe extern "C" fn view_init(
    o: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> c_int {
    // SAFETY: CPython calls `tp_init` with the interpreter attached, `o` a
    // view, `args` and `kwargs` NULL or a tuple and a dict.
    unsafe {
        if !args.is_null() && PyTuple_Size(args) > 0 {
            let _ = raise::<()>(
                PyExc_TypeError,
                "struct types take keyword arguments only, e.g. Point(x=1, y=2)",
            );
            return -1;
        }
        if !kwargs.is_null() {
            let (mut pos, mut k, mut v) = (0, null_mut(), null_mut());
            while PyDict_Next(kwargs, &mut pos, &mut k, &mut v) != 0 {
                if PyObject_SetAttr(o, k, v) != 0 {
                    return -1;
                }
            }
        }
        0
    }
}

/// `Record(id=1, value=2.5, name='x', where=Point(x=0, y=0), ...)`.
unsafe extern "C" fn view_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: CPython calls `tp_repr` with the interpreter attached and `o` a
    // view.
    unsafe {
        let v = o as *mut View;
        let spec = &*(*v).spec;
        let name = spec.name.to_string_lossy();
        let text = if live(v).is_err() {
            PyErr_Clear();
            format!("<{name}: released>")
        } else {
            let parts: Vec<String> = spec
                .fields
                .iter()
                .map(|f| format!("{}={}", f.name.to_string_lossy(), field_repr(o, f)))
                .collect();
            format!("{name}({})", parts.join(", "))
        };
        let text = std::ffi::CString::new(text.replace('\0', " ")).unwrap_or_default();
        PyUnicode_FromString(text.as_ptr())
    }
}

/// The repr of one field's value (arrays as lists), `?` if it fails.
unsafe fn field_repr(o: *mut PyObject, f: &'static FieldSpec) -> String {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        let r = (|| -> PyResult<String> {
            let mut value =
                Obj::from_owned(super::field::get(o, f as *const FieldSpec as *mut c_void))?;
            if PyMemoryView_Check(value.as_ptr()) != 0 {
                value = Obj::from_owned(PyObject_CallMethod(
                    value.as_ptr(),
                    c"tolist".as_ptr(),
                    null(),
                ))?;
            }
            let r = Obj::from_owned(PyObject_Repr(value.as_ptr()))?;
            Ok(crate::log::utf8(r.as_ptr()).unwrap_or_default())
        })();
        r.unwrap_or_else(|_| {
            PyErr_Clear();
            "?".to_owned()
        })
    }
}
