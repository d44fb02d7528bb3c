//! Annotated buffers: zero-copy memoryviews over host memory.
use super::scalar::none;
use crate::obj::{Obj, PyResult};
use crate::spec::Kind;
use core::ffi::{CStr, c_void};
use pyo3_ffi::*;

/// Format character and item size of a scalar kind.
pub(crate) fn format_of(kind: Kind) -> (&'static CStr, usize) {
    match kind {
        Kind::I8 => (c"b", 1),
        Kind::U8 => (c"B", 1),
        Kind::I16 => (c"h", 2),
        Kind::U16 => (c"H", 2),
        Kind::I32 => (c"i", 4),
        Kind::U32 => (c"I", 4),
        Kind::I64 => (c"q", 8),
        Kind::U64 => (c"Q", 8),
        Kind::F32 => (c"f", 4),
        Kind::F64 => (c"d", 8),
        Kind::Bool => (c"?", 1),
        Kind::Enum(_, repr) => format_of(*repr),
        _ => (c"P", core::mem::size_of::<*const c_void>()),
    }
}

/// `len` elements of scalar kind `elem` at `p` → a 1-D memoryview with the
/// element's format (`'i'`, `'d'`, `'f'`, …), writable unless `readonly`.
/// NULL with `len == 0` gives an empty memoryview; NULL with `len > 0`, `None`.
/// # Safety
/// The plugin's interpreter is attached; `p` points to `len` valid elements.
pub unsafe fn buffer_to_py(
    p: *mut c_void,
    len: usize,
    elem: Kind,
    readonly: bool,
) -> PyResult<Obj> {
    unsafe {
        if p.is_null() && len > 0 {
            return Ok(none());
        }
        let (format, itemsize) = format_of(elem);
        // Locals are fine: `PyMemoryView_FromBuffer` copies `*view` into its
        // managed buffer, and `mbuf_add_view` copies shape and strides into
        // the memoryview's own arrays (CPython's memoryobject.c); the copy of
        // the struct is never read again. `format` must (and does) outlive it.
        let mut shape = len as Py_ssize_t;
        let mut strides = itemsize as Py_ssize_t;
        // CPython refuses a NULL `buf`; an empty view never dereferences it.
        let buf = if p.is_null() {
            core::ptr::NonNull::<u64>::dangling().as_ptr() as *mut c_void
        } else {
            p
        };
        let view = Py_buffer {
            buf,
            obj: core::ptr::null_mut(),
            len: (len * itemsize) as Py_ssize_t,
            itemsize: itemsize as Py_ssize_t,
            readonly: readonly as i32,
            ndim: 1,
            format: format.as_ptr() as *mut _,
            shape: &mut shape,
            strides: &mut strides,
            suboffsets: core::ptr::null_mut(),
            internal: core::ptr::null_mut(),
        };
        Obj::from_owned(PyMemoryView_FromBuffer(&view))
    }
}
