//! Annotated buffers: zero-copy memoryviews over host memory.
use crate::obj::{Obj, PyResult};
use crate::spec::Kind;
use core::ffi::c_void;

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
    todo!("{p:?} {len} {elem:?} {readonly}")
}
