//! A `bytearray` passed for a host function's string parameter: the host
//! gets the bytearray's own memory, so what it writes there (a text it
//! returns, such as Double Commander's `RequestProc` answer) is in the
//! bytearray afterwards. It must hold a NUL unit (a zeroed `bytearray(n)`
//! does), so the host's reads stop inside it; its length is the caller's to
//! pass as the capacity.
use crate::obj::{Obj, PyResult, raise};
use crate::spec::Encoding;
use core::ffi::c_char;
use pyo3_ffi::*;

/// The memory of bytearray `o` as a writable string argument (`keep`
/// receives `o`); a ValueError when no NUL unit ends it.
///
/// # Safety
/// The plugin's interpreter is attached; `o` is a live bytearray.
pub(crate) unsafe fn bytearray_arg(
    o: *mut PyObject,
    enc: Encoding,
    keep: &mut Option<Obj>,
) -> PyResult<*const c_char> {
    // SAFETY: the interpreter is attached and `o` is a bytearray (contract);
    // its buffer holds `n` bytes while `keep` holds it.
    unsafe {
        let (p, n) = (PyByteArray_AsString(o), PyByteArray_Size(o) as usize);
        let bytes = core::slice::from_raw_parts(p as *const u8, n);
        let unit = if enc == Encoding::Utf16 { 2 } else { 1 };
        if n % unit != 0 || !bytes.chunks_exact(unit).any(|u| u.iter().all(|&b| b == 0)) {
            return raise(
                PyExc_ValueError,
                &format!(
                    "a bytearray passed as a writable string must hold whole {}-byte units \
                     and a NUL one (bytearray(n) is zeroed)",
                    unit
                ),
            );
        }
        *keep = Some(Obj::from_borrowed(o));
        Ok(p as *const c_char)
    }
}
