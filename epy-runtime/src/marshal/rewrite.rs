//! A string parameter the script may replace in place (`rewrite` in the
//! annotations: `FsExecuteFile` writing a symlink's target into
//! `RemoteName`): the script returns the value, or `(value, text)`, and the
//! text goes into the host's buffer, never past its capacity (too long is an
//! error and the buffer is left as it was).
use super::output::{OutBuf, write};
use crate::obj::{Obj, PyResult, none};
use pyo3_ffi::*;

/// The value part of the script's result `res`, after writing its text (if
/// any) into `buf`: with a value, `(value, text)` or the value alone;
/// without one (a `void` function), the text or None.
///
/// # Safety
/// The plugin's interpreter is attached; `buf` holds `cap` characters.
pub unsafe fn rewrite_str(res: Obj, buf: &OutBuf, with_value: bool, func: &str) -> PyResult<Obj> {
    // SAFETY: the interpreter is attached and `buf` is the host's buffer of
    // `cap` characters (contract); tuple items are borrowed from `res`.
    unsafe {
        let r = res.as_ptr();
        if !with_value {
            if r == Py_None() {
                return Ok(none());
            }
            write(buf, r, func)?;
            return Ok(none());
        }
        if PyTuple_Check(r) == 0 || PyTuple_Size(r) != 2 {
            return Ok(res);
        }
        let text = PyTuple_GetItem(r, 1);
        if text != Py_None() {
            write(buf, text, &format!("{func}: {}", buf.name))?;
        }
        Ok(Obj::from_borrowed(PyTuple_GetItem(r, 0)))
    }
}
