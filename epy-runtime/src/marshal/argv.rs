//! `int argc, char **argv` (the C `main` shape) → `list[str]`.
use super::string::str_to_py;
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::Encoding;
use core::ffi::c_char;

/// The first `argc` strings of `argv` as a list (it stops early at a NULL
/// entry); NULL `argv` or `argc <= 0` → an empty list.
///
/// # Safety
/// The plugin's interpreter is attached; `argv` is NULL or holds `argc`
/// pointers, each NULL or NUL-terminated.
pub unsafe fn argv_to_py(argc: i64, argv: *const *const c_char, enc: Encoding) -> PyResult<Obj> {
    unsafe {
        let list = Obj::from_owned(pyo3_ffi::PyList_New(0))?;
        if argv.is_null() {
            return Ok(list);
        }
        for i in 0..usize::try_from(argc).unwrap_or(0) {
            let s = *argv.add(i);
            if s.is_null() {
                break;
            }
            let item = str_to_py(s, enc)?;
            if pyo3_ffi::PyList_Append(list.as_ptr(), item.as_ptr()) != 0 {
                return Err(PyErr);
            }
        }
        Ok(list)
    }
}
