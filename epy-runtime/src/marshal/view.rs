//! Live views of C structs: field reads and writes go straight to the host's
//! memory. One heap type per struct per interpreter (made by `module`), with
//! one getset per field whose closure is the field's `'static FieldSpec`, so
//! a field access is a type-cache lookup plus a read — no dict, no copy.
//!
//! A view of an argument is valid during the call; `release_arg` invalidates
//! a view the script kept (its nested views check their root), so a late use
//! raises instead of touching freed host memory. `Record()` makes a view over
//! zeroed memory owned by the Python object.
use super::module::{Shared, leak_cstr};
use super::scalar::{Scalar, enum_to_py, ptr_from_py, ptr_to_py, raise, type_name};
use super::string::{bytes_to_py, encode, units_to_py};
use crate::Cx;
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::{Encoding, FieldSpec, Kind, StructSpec};
use core::ffi::{c_int, c_void};
use core::ptr::{null, null_mut};
use pyo3_ffi::*;

#[repr(C)]
pub(crate) struct View {
    ob_base: PyObject,
    /// Start of the struct; NULL once released.
    ptr: *mut u8,
    /// The root view this one's memory belongs to (strong), NULL for roots.
    owner: *mut PyObject,
    shared: *const Shared,
    spec: *const StructSpec,
    /// Memory owned by this view (`Record()`, structs by value), or NULL.
    storage: *mut u8,
    readonly: bool,
}

#[repr(C)]
struct Hold {
    ob_base: PyObject,
    buf: *mut c_void,
    shape: Py_ssize_t,
    itemsize: Py_ssize_t,
    format: *const core::ffi::c_char,
    readonly: bool,
    owner: *mut PyObject,
}

fn slot(slot: c_int, pfunc: *mut c_void) -> PyType_Slot {
    PyType_Slot { slot, pfunc }
}

unsafe fn from_spec(
    name: String,
    basicsize: usize,
    flags: u64,
    slots: &mut [PyType_Slot],
    base: *mut PyObject,
) -> PyResult<Obj> {
    let mut spec = PyType_Spec {
        name: leak_cstr(name),
        basicsize: basicsize as c_int,
        itemsize: 0,
        flags: flags as _,
        slots: slots.as_mut_ptr(),
    };
    unsafe {
        if base.is_null() {
            Obj::from_owned(PyType_FromSpec(&mut spec))
        } else {
            let bases = Obj::from_owned(PyTuple_Pack(1, base))?;
            Obj::from_owned(PyType_FromSpecWithBases(&mut spec, bases.as_ptr()))
        }
    }
}

/// The base of every struct type: layout, dealloc, construction, repr.
pub(crate) unsafe fn new_base_type(module: &str) -> PyResult<Obj> {
    let mut slots = [
        slot(Py_tp_dealloc, view_dealloc as *mut c_void),
        slot(Py_tp_new, view_new as *mut c_void),
        slot(Py_tp_repr, view_repr as *mut c_void),
        slot(
            Py_tp_doc,
            c"A live view of a C struct.".as_ptr() as *mut c_void,
        ),
        slot(0, null_mut()),
    ];
    let flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
    unsafe {
        from_spec(
            format!("{module}._StructView"),
            core::mem::size_of::<View>(),
            flags,
            &mut slots,
            null_mut(),
        )
    }
}

/// A class with no behaviour (`Exports` at run time).
pub(crate) unsafe fn new_plain_type(name: &str) -> PyResult<Obj> {
    let mut slots = [slot(0, null_mut())];
    unsafe {
        from_spec(
            name.to_owned(),
            0,
            Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
            &mut slots,
            null_mut(),
        )
    }
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
            get: Some(field_get),
            set: Some(field_set),
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
    // The type keeps pointing at this table: it lives as long as the process.
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
        slot(Py_tp_doc, doc as *mut c_void),
        slot(0, null_mut()),
    ];
    let name = format!("{module}.{}", s.name.to_string_lossy());
    unsafe {
        from_spec(
            name,
            0,
            Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
            &mut slots,
            base,
        )
    }
}

/// The buffer exporter for arrays inside Python-owned structs (keeps them alive).
pub(crate) unsafe fn new_hold_type(module: &str) -> PyResult<Obj> {
    let mut slots = [
        slot(Py_tp_dealloc, hold_dealloc as *mut c_void),
        slot(Py_bf_getbuffer, hold_getbuffer as *mut c_void),
        slot(0, null_mut()),
    ];
    unsafe {
        from_spec(
            format!("{module}._Array"),
            core::mem::size_of::<Hold>(),
            Py_TPFLAGS_DEFAULT,
            &mut slots,
            null_mut(),
        )
    }
}

/// Is `o` one of our views (of any interpreter's struct types)?
#[inline]
unsafe fn as_view(o: *mut PyObject) -> Option<*mut View> {
    unsafe {
        // Every struct type inherits this dealloc: it identifies our views.
        let dealloc = (*Py_TYPE(o)).tp_dealloc.map_or(0, |f| f as usize);
        (dealloc == view_dealloc as *const () as usize).then_some(o as *mut View)
    }
}

/// The address a view points at (for pointer arguments), if `o` is a view.
pub(crate) unsafe fn view_address(o: *mut PyObject) -> Option<*mut c_void> {
    unsafe { as_view(o).map(|v| (*v).ptr as *mut c_void) }
}

/// The root view whose validity governs `v`.
#[inline]
unsafe fn root(v: *mut View) -> *mut View {
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
unsafe fn live(v: *mut View) -> PyResult<*mut u8> {
    unsafe {
        if (*root(v)).ptr.is_null() || (*v).ptr.is_null() {
            let name = (*(*v).spec).name.to_string_lossy();
            return raise(
                PyExc_ValueError,
                &format!(
                    "this {name} view was used after the call that received it returned; copy the values you need during the call"
                ),
            );
        }
        Ok((*v).ptr)
    }
}

/// A new view of struct `idx` at `p`.
unsafe fn new_view(
    shared: *const Shared,
    idx: usize,
    p: *mut u8,
    readonly: bool,
    owner: *mut PyObject,
) -> PyResult<Obj> {
    unsafe {
        let ty = (&(*shared).structs)[idx] as *mut PyTypeObject;
        let alloc = (*ty).tp_alloc.unwrap_or(PyType_GenericAlloc);
        let o = Obj::from_owned(alloc(ty, 0))?;
        let v = o.as_ptr() as *mut View;
        (*v).ptr = p;
        (*v).shared = shared;
        (*v).spec = &(*shared).spec.structs[idx];
        (*v).readonly = readonly;
        (*v).storage = null_mut();
        (*v).owner = owner;
        if !owner.is_null() {
            Py_INCREF(owner);
        }
        Ok(o)
    }
}

fn layout(s: &StructSpec) -> std::alloc::Layout {
    std::alloc::Layout::from_size_align(s.size.max(1), s.align.max(1))
        .unwrap_or(std::alloc::Layout::new::<u64>())
}

/// A view over zeroed memory owned by the new object.
unsafe fn new_owned(shared: *const Shared, idx: usize) -> PyResult<Obj> {
    unsafe {
        let spec = &(*shared).spec.structs[idx];
        let mem = std::alloc::alloc_zeroed(layout(spec));
        if mem.is_null() {
            PyErr_NoMemory();
            return Err(PyErr);
        }
        let o = match new_view(shared, idx, mem, false, null_mut()) {
            Ok(o) => o,
            Err(e) => {
                std::alloc::dealloc(mem, layout(spec));
                return Err(e);
            }
        };
        (*(o.as_ptr() as *mut View)).storage = mem;
        Ok(o)
    }
}

/// Pointer to a struct → a live view (read-only when `readonly`), `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or points to a valid
/// struct `idx` that outlives the view's use (see `release_arg`).
#[inline]
pub unsafe fn struct_ptr_to_py(
    cx: &Cx,
    p: *const c_void,
    idx: usize,
    readonly: bool,
) -> PyResult<Obj> {
    unsafe {
        if p.is_null() {
            return Ok(super::scalar::none());
        }
        new_view(&*cx.types.shared, idx, p as *mut u8, readonly, null_mut())
    }
}

/// Struct by value → a view over a private copy (owned by the Python object).
/// # Safety
/// The plugin's interpreter is attached; `p` points to a valid struct `idx`.
pub unsafe fn struct_val_to_py(cx: &Cx, p: *const c_void, idx: usize) -> PyResult<Obj> {
    unsafe {
        let o = new_owned(&*cx.types.shared, idx)?;
        let size = cx.spec.structs[idx].size;
        core::ptr::copy_nonoverlapping(p as *const u8, (*(o.as_ptr() as *mut View)).ptr, size);
        Ok(o)
    }
}

/// A view of struct `idx` (any view: owned or live) → copies its bytes to `out`.
/// TypeError for any other object.
/// # Safety
/// The plugin's interpreter is attached; `out` has room for struct `idx`.
pub unsafe fn struct_val_from_py(
    cx: &Cx,
    o: *mut PyObject,
    idx: usize,
    out: *mut c_void,
) -> PyResult<()> {
    unsafe { copy_into(&cx.types.shared, o, idx, out as *mut u8) }
}

unsafe fn copy_into(shared: &Shared, o: *mut PyObject, idx: usize, out: *mut u8) -> PyResult<()> {
    unsafe {
        let spec = &shared.spec.structs[idx];
        match as_view(o) {
            Some(v) if std::ptr::eq((*v).spec, spec) => {
                let src = live(v)?;
                core::ptr::copy(src, out, spec.size);
                Ok(())
            }
            _ => raise(
                PyExc_TypeError,
                &format!(
                    "expected a {} (e.g. {}()), got {}",
                    spec.name.to_string_lossy(),
                    spec.name.to_string_lossy(),
                    type_name(o)
                ),
            ),
        }
    }
}

/// After the call: an argument view or memoryview that the script kept
/// (refcount > 1) is invalidated so later use raises instead of touching
/// freed host memory. Drops `o`.
/// # Safety
/// The plugin's interpreter is attached.
#[inline]
pub unsafe fn release_arg(o: Obj) {
    unsafe {
        let p = o.as_ptr();
        if Py_REFCNT(p) <= 1 {
            return;
        }
        if let Some(v) = as_view(p) {
            (*v).ptr = null_mut();
        } else if PyMemoryView_Check(p) != 0 {
            // Fails (BufferError) if something, e.g. a numpy array, still
            // exports it; that object then keeps pointing at host memory.
            let r = PyObject_CallMethod(p, c"release".as_ptr(), null());
            if r.is_null() {
                PyErr_Clear();
            } else {
                Py_DECREF(r);
            }
        }
    }
}

unsafe extern "C" fn view_dealloc(o: *mut PyObject) {
    unsafe {
        let v = o as *mut View;
        if !(*v).storage.is_null() {
            std::alloc::dealloc((*v).storage, layout(&*(*v).spec));
        }
        if !(*v).owner.is_null() {
            Py_DECREF((*v).owner);
        }
        let ty = Py_TYPE(o);
        if let Some(free) = (*ty).tp_free {
            free(o as *mut c_void);
        }
        Py_DECREF(ty as *mut PyObject);
    }
}

/// `Record(**fields)`: a zeroed struct owned by Python.
unsafe extern "C" fn view_new(
    ty: *mut PyTypeObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    unsafe {
        let r = (|| -> PyResult<Obj> {
            if !args.is_null() && PyTuple_Size(args) > 0 {
                return raise(
                    PyExc_TypeError,
                    "struct types take keyword arguments only, e.g. Point(x=1, y=2)",
                );
            }
            let cap = Obj::from_owned(PyObject_GetAttrString(
                ty as *mut PyObject,
                c"__epy_shared__".as_ptr(),
            ))?;
            let shared = PyCapsule_GetPointer(cap.as_ptr(), null()) as *const Shared;
            if shared.is_null() {
                return Err(PyErr);
            }
            let Some(idx) = (*shared)
                .structs
                .iter()
                .position(|&t| t == ty as *mut PyObject)
            else {
                return raise(PyExc_TypeError, "cannot create an instance of this class");
            };
            let o = new_owned(shared, idx)?;
            if !kwargs.is_null() {
                let (mut pos, mut k, mut v) = (0, null_mut(), null_mut());
                while PyDict_Next(kwargs, &mut pos, &mut k, &mut v) != 0 {
                    if PyObject_SetAttr(o.as_ptr(), k, v) != 0 {
                        return Err(PyErr);
                    }
                }
            }
            Ok(o)
        })();
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

unsafe extern "C" fn view_repr(o: *mut PyObject) -> *mut PyObject {
    unsafe {
        let v = o as *mut View;
        let spec = &*(*v).spec;
        let name = spec.name.to_string_lossy();
        if live(v).is_err() {
            PyErr_Clear();
            return PyUnicode_FromString(leak_free(&format!("<{name}: released>")).as_ptr());
        }
        let mut parts = Vec::new();
        for f in spec.fields {
            let text = field_get(o, f as *const FieldSpec as *mut c_void);
            let r = if text.is_null() {
                null_mut()
            } else {
                PyObject_Repr(text)
            };
            if !text.is_null() {
                Py_DECREF(text);
            }
            let s = if r.is_null() {
                PyErr_Clear();
                "?".to_owned()
            } else {
                let s = crate::log::utf8(r).unwrap_or_default();
                Py_DECREF(r);
                s
            };
            parts.push(format!("{}={s}", f.name.to_string_lossy()));
        }
        PyUnicode_FromString(leak_free(&format!("{name}({})", parts.join(", "))).as_ptr())
    }
}

fn leak_free(s: &str) -> std::ffi::CString {
    std::ffi::CString::new(s.replace('\0', " ")).unwrap_or_default()
}

unsafe extern "C" fn field_get(o: *mut PyObject, closure: *mut c_void) -> *mut PyObject {
    unsafe {
        let v = o as *mut View;
        let f = &*(closure as *const FieldSpec);
        let r = live(v).and_then(|p| read(v, p.add(f.offset), f.kind));
        r.map_or(null_mut(), Obj::into_ptr)
    }
}

unsafe extern "C" fn field_set(
    o: *mut PyObject,
    value: *mut PyObject,
    closure: *mut c_void,
) -> c_int {
    unsafe {
        let v = o as *mut View;
        let f = &*(closure as *const FieldSpec);
        let r = (|| {
            if value.is_null() {
                return raise(PyExc_TypeError, "struct fields cannot be deleted");
            }
            if (*v).readonly {
                return raise(
                    PyExc_AttributeError,
                    &format!(
                        "{} is read-only here: the host passed a const pointer",
                        f.name.to_string_lossy()
                    ),
                );
            }
            let p = live(v)?;
            write(v, p.add(f.offset), f.kind, value, f)
        })();
        if r.is_ok() { 0 } else { -1 }
    }
}

macro_rules! rd {
    ($t:ty, $p:expr) => {
        core::ptr::read_unaligned($p as *const $t).to_py()
    };
}
macro_rules! wr {
    ($t:ty, $p:expr, $v:expr) => {{
        let x = <$t>::from_py($v)?;
        core::ptr::write_unaligned($p as *mut $t, x);
        Ok(())
    }};
}

/// Reads the value of kind `k` at `p` (inside view `v`).
unsafe fn read(v: *mut View, p: *mut u8, k: Kind) -> PyResult<Obj> {
    unsafe {
        let shared = (*v).shared;
        match k {
            Kind::I8 => rd!(i8, p),
            Kind::I16 => rd!(i16, p),
            Kind::I32 => rd!(i32, p),
            Kind::I64 => rd!(i64, p),
            Kind::U8 => rd!(u8, p),
            Kind::U16 => rd!(u16, p),
            Kind::U32 => rd!(u32, p),
            Kind::U64 => rd!(u64, p),
            Kind::F32 => rd!(f32, p),
            Kind::F64 => rd!(f64, p),
            Kind::Bool => (core::ptr::read_unaligned(p) != 0).to_py(),
            Kind::Ptr => ptr_to_py(core::ptr::read_unaligned(p as *const *const c_void)),
            Kind::CStr(enc) => super::string::str_to_py(
                core::ptr::read_unaligned(p as *const *const core::ffi::c_char),
                enc,
            ),
            Kind::CharArray(n, Encoding::Utf16) => {
                let units = p as *const u16;
                let len = (0..n)
                    .find(|&i| core::ptr::read_unaligned(units.add(i)) == 0)
                    .unwrap_or(n);
                if (p as usize) % 2 == 0 {
                    units_to_py(units, len)
                } else {
                    let copy: Vec<u16> = (0..len)
                        .map(|i| core::ptr::read_unaligned(units.add(i)))
                        .collect();
                    units_to_py(copy.as_ptr(), len)
                }
            }
            Kind::CharArray(n, enc) => {
                let len = (0..n).find(|&i| *p.add(i) == 0).unwrap_or(n);
                bytes_to_py(p as *const core::ffi::c_char, len, enc)
            }
            Kind::Array(elem, n) => match *elem {
                Kind::Struct(idx) => {
                    let size = (*shared).spec.structs[idx].size;
                    let list = Obj::from_owned(PyList_New(n as Py_ssize_t))?;
                    for i in 0..n {
                        let item = nested(v, idx, p.add(i * size))?;
                        PyList_SetItem(list.as_ptr(), i as Py_ssize_t, item.into_ptr());
                    }
                    Ok(list)
                }
                elem => array(v, p, elem, n),
            },
            Kind::Struct(idx) => nested(v, idx, p),
            Kind::StructPtr(idx) => {
                let q = core::ptr::read_unaligned(p as *const *mut u8);
                if q.is_null() {
                    return Ok(super::scalar::none());
                }
                new_view(shared, idx, q, (*v).readonly, null_mut())
            }
            Kind::Enum(idx, repr) => {
                let n = read_int(p, *repr);
                let cx = (*shared).cx.get();
                if cx.is_null() {
                    n.to_py()
                } else {
                    enum_to_py(&*cx, idx, n)
                }
            }
            Kind::Bits {
                storage,
                shift,
                width,
                signed,
            } => {
                let unit = read_int(p, *storage) as u64;
                let mask = if width >= 64 {
                    u64::MAX
                } else {
                    (1u64 << width) - 1
                };
                let raw = (unit >> shift) & mask;
                if signed && width < 64 && raw >> (width - 1) & 1 == 1 {
                    ((raw | !mask) as i64).to_py()
                } else {
                    raw.to_py()
                }
            }
            Kind::FnPtr(idx) => {
                let q = core::ptr::read_unaligned(p as *const *const c_void);
                let cx = (*shared).cx.get();
                if q.is_null() || cx.is_null() {
                    return ptr_to_py(q);
                }
                super::callback::callback_to_py(&*cx, q, idx)
            }
        }
    }
}

unsafe fn read_int(p: *const u8, k: Kind) -> i64 {
    unsafe {
        match k {
            Kind::I8 => core::ptr::read_unaligned(p as *const i8) as i64,
            Kind::I16 => core::ptr::read_unaligned(p as *const i16) as i64,
            Kind::I32 => core::ptr::read_unaligned(p as *const i32) as i64,
            Kind::I64 => core::ptr::read_unaligned(p as *const i64),
            Kind::U8 => *p as i64,
            Kind::U16 => core::ptr::read_unaligned(p as *const u16) as i64,
            Kind::U32 => core::ptr::read_unaligned(p as *const u32) as i64,
            _ => core::ptr::read_unaligned(p as *const u64) as i64,
        }
    }
}

unsafe fn write_int(p: *mut u8, k: Kind, v: u64) {
    unsafe {
        match k {
            Kind::I8 | Kind::U8 => *p = v as u8,
            Kind::I16 | Kind::U16 => core::ptr::write_unaligned(p as *mut u16, v as u16),
            Kind::I32 | Kind::U32 => core::ptr::write_unaligned(p as *mut u32, v as u32),
            _ => core::ptr::write_unaligned(p as *mut u64, v),
        }
    }
}

/// A view of the nested struct `idx` at `p`, sharing `v`'s memory.
unsafe fn nested(v: *mut View, idx: usize, p: *mut u8) -> PyResult<Obj> {
    unsafe { new_view((*v).shared, idx, p, (*v).readonly, root(v) as *mut PyObject) }
}

/// A memoryview of `n` elements at `p`; over Python-owned memory it keeps
/// the owner alive through a small exporter object.
unsafe fn array(v: *mut View, p: *mut u8, elem: Kind, n: usize) -> PyResult<Obj> {
    unsafe {
        let r = root(v);
        if (*r).storage.is_null() {
            return super::buffer::buffer_to_py(p as *mut c_void, n, elem, (*v).readonly);
        }
        let (format, itemsize) = super::buffer::format_of(elem);
        let ty = (*(*v).shared).hold_type as *mut PyTypeObject;
        let h = Obj::from_owned(PyType_GenericAlloc(ty, 0))?;
        let hp = h.as_ptr() as *mut Hold;
        (*hp).buf = p as *mut c_void;
        (*hp).shape = n as Py_ssize_t;
        (*hp).itemsize = itemsize as Py_ssize_t;
        (*hp).format = format.as_ptr();
        (*hp).readonly = (*v).readonly;
        (*hp).owner = r as *mut PyObject;
        Py_INCREF(r as *mut PyObject);
        Obj::from_owned(PyMemoryView_FromObject(h.as_ptr()))
    }
}

unsafe extern "C" fn hold_getbuffer(o: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> c_int {
    unsafe {
        let h = o as *mut Hold;
        if (flags & PyBUF_WRITABLE) != 0 && (*h).readonly {
            PyErr_SetString(PyExc_BufferError, c"read-only array".as_ptr());
            return -1;
        }
        (*view).buf = (*h).buf;
        (*view).obj = o;
        Py_INCREF(o);
        (*view).len = (*h).shape * (*h).itemsize;
        (*view).itemsize = (*h).itemsize;
        (*view).readonly = (*h).readonly as c_int;
        (*view).ndim = 1;
        (*view).format = if (flags & PyBUF_FORMAT) != 0 {
            (*h).format as *mut _
        } else {
            null_mut()
        };
        (*view).shape = &mut (*h).shape;
        (*view).strides = &mut (*h).itemsize;
        (*view).suboffsets = null_mut();
        (*view).internal = null_mut();
        0
    }
}

unsafe extern "C" fn hold_dealloc(o: *mut PyObject) {
    unsafe {
        let h = o as *mut Hold;
        if !(*h).owner.is_null() {
            Py_DECREF((*h).owner);
        }
        let ty = Py_TYPE(o);
        if let Some(free) = (*ty).tp_free {
            free(o as *mut c_void);
        }
        Py_DECREF(ty as *mut PyObject);
    }
}

/// Writes `value` as kind `k` at `p` (inside view `v`).
unsafe fn write(
    v: *mut View,
    p: *mut u8,
    k: Kind,
    value: *mut PyObject,
    f: &FieldSpec,
) -> PyResult<()> {
    unsafe {
        let name = || f.name.to_string_lossy().into_owned();
        match k {
            Kind::I8 => wr!(i8, p, value),
            Kind::I16 => wr!(i16, p, value),
            Kind::I32 => wr!(i32, p, value),
            Kind::I64 => wr!(i64, p, value),
            Kind::U8 => wr!(u8, p, value),
            Kind::U16 => wr!(u16, p, value),
            Kind::U32 => wr!(u32, p, value),
            Kind::U64 => wr!(u64, p, value),
            Kind::F32 => wr!(f32, p, value),
            Kind::F64 => wr!(f64, p, value),
            Kind::Bool => {
                *p = bool::from_py(value)? as u8;
                Ok(())
            }
            Kind::Ptr => {
                core::ptr::write_unaligned(p as *mut *mut c_void, ptr_from_py(value)?);
                Ok(())
            }
            Kind::CharArray(n, enc) => {
                let (_owner, src, len) = encode(value, enc)?;
                let unit = if enc == Encoding::Utf16 { 2 } else { 1 };
                let cap = n * unit;
                if len + unit > cap {
                    return raise(
                        PyExc_ValueError,
                        &format!(
                            "{} holds at most {} {} plus a NUL; this value needs {}",
                            name(),
                            n - 1,
                            if unit == 2 { "UTF-16 units" } else { "bytes" },
                            len / unit
                        ),
                    );
                }
                core::ptr::copy_nonoverlapping(src as *const u8, p, len);
                core::ptr::write_bytes(p.add(len), 0, cap - len);
                Ok(())
            }
            Kind::Struct(idx) => copy_into(&*(*v).shared, value, idx, p),
            Kind::Enum(_, repr) => write(v, p, *repr, value, f),
            Kind::Bits {
                storage,
                shift,
                width,
                signed,
            } => {
                let x = i64::from_py(value)?;
                let (lo, hi) = if signed {
                    (-(1i64 << (width - 1)), (1i64 << (width - 1)) - 1)
                } else {
                    (0, ((1u64 << width) - 1) as i64)
                };
                if x < lo || x > hi {
                    return raise(
                        PyExc_OverflowError,
                        &format!("value {x} does not fit in the {width}-bit field {}", name()),
                    );
                }
                let mask = ((1u64 << width) - 1) << shift;
                let unit = read_int(p, *storage) as u64;
                write_int(p, *storage, (unit & !mask) | (((x as u64) << shift) & mask));
                Ok(())
            }
            Kind::CStr(_) | Kind::StructPtr(_) | Kind::FnPtr(_) | Kind::Array(..) => raise(
                PyExc_AttributeError,
                &format!(
                    "{} is read-only (assign its elements or fields instead)",
                    name()
                ),
            ),
        }
    }
}
