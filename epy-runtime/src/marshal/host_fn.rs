//! Functions of the host process the script calls (`from pam_modules_h
//! import pam_get_user`): host function objects (`callback.rs`) whose
//! pointer is resolved by name at the first call, then kept in the object.
use crate::obj::{PyResult, raise};
use core::ffi::{CStr, c_void};
use pyo3_ffi::PyExc_LookupError;

/// The address of the host process's function `name`, searched in the
/// global scope (the executable and the libraries loaded `RTLD_GLOBAL`, as
/// a C plugin's undefined symbols would be); a Python `LookupError` naming
/// it when the process has none.
/// # Safety
/// An interpreter is attached.
pub(crate) unsafe fn resolve(name: &CStr) -> PyResult<*const c_void> {
    // SAFETY: `name` is NUL-terminated; RTLD_DEFAULT is a valid handle.
    let f = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    if f.is_null() {
        let name = name.to_string_lossy();
        let msg = format!(
            "{name}: the host process has no function {name} (declared in the header, \
             not defined by the script, so it is called in the host)"
        );
        // SAFETY: the interpreter is attached (this function's contract).
        return unsafe { raise(PyExc_LookupError, &msg) };
    }
    Ok(f as *const c_void)
}
