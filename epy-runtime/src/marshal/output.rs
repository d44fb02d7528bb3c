//! Output string buffers (annotation `capacity`): the script returns the
//! texts, after the value when the function returns one, and each goes into
//! its host buffer NUL-terminated. A text that does not fit is a ValueError
//! (never truncated) and leaves every buffer untouched: with several buffers
//! all texts are checked before any is written.
use super::string::encode;
use super::string::write_chars;
use crate::obj::{Obj, PyResult};
use crate::obj::{none, raise};
use crate::spec::Encoding;
use core::ffi::c_void;
use pyo3_ffi::*;

/// One host buffer: room for `cap` characters (NUL included) at `ptr`.
pub struct OutBuf {
    pub ptr: *mut c_void,
    pub cap: usize,
    pub enc: Encoding,
    /// The C parameter's name, for messages.
    pub name: &'static str,
}

/// Writes the script's result `res` into `bufs`: the text itself (one buffer,
/// no value), else a tuple `(value?, text, …)` with one text per buffer in
/// parameter order. Returns the value part (None for a `void` function).
/// # Safety
/// The plugin's interpreter is attached; each buffer holds `cap` characters.
pub unsafe fn output_strs(
    res: Obj,
    bufs: &[OutBuf],
    with_value: bool,
    func: &str,
) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; each buffer holds `cap`
    // characters (this function's contract).
    unsafe {
        for b in bufs {
            if b.cap > isize::MAX as usize {
                return super::buffer::negative(b.cap, &format!("{func}: capacity for {}", b.name));
            }
        }
        let first = with_value as usize;
        let want = first + bufs.len();
        let item = |i: usize| Obj::from_borrowed(PyTuple_GetItem(res.as_ptr(), i as Py_ssize_t));
        if want == 1 {
            return write(&bufs[0], res.as_ptr(), func).map(|()| none());
        }
        if PyTuple_Check(res.as_ptr()) == 0 || PyTuple_Size(res.as_ptr()) != want as Py_ssize_t {
            let mut parts: Vec<&str> = bufs.iter().map(|b| b.name).collect();
            if with_value {
                parts.insert(0, "value");
            }
            return raise(
                PyExc_TypeError,
                &format!(
                    "{func}: return ({}): one text per host buffer",
                    parts.join(", ")
                ),
            );
        }
        if bufs.len() > 1 {
            for (i, b) in bufs.iter().enumerate() {
                check(b, item(first + i).as_ptr(), func)?;
            }
        }
        for (i, b) in bufs.iter().enumerate() {
            write(b, item(first + i).as_ptr(), func)?;
        }
        Ok(if with_value { item(0) } else { none() })
    }
}

pub(crate) unsafe fn write(b: &OutBuf, text: *mut PyObject, func: &str) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `text` is a live object (the caller's contract).
    unsafe {
        if b.ptr.is_null() || b.cap == 0 {
            return raise(
                PyExc_ValueError,
                &format!(
                    "{func}: the host gave no buffer for {} (NULL or capacity 0)",
                    b.name
                ),
            );
        }
        write_chars(b.ptr as *mut u8, b.cap, b.enc, text, func)
    }
}

/// Ok when the text fits; else the error `write` raises for it (it refuses
/// before writing anything).
unsafe fn check(b: &OutBuf, text: *mut PyObject, func: &str) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `text` is a live object (the caller's contract).
    unsafe {
        let (_owner, _, len) = encode(text, b.enc)?;
        let unit = if b.enc == Encoding::Utf16 { 2 } else { 1 };
        if !b.ptr.is_null() && len + unit <= b.cap * unit {
            return Ok(());
        }
        write(b, text, &format!("{func}: {}", b.name))
    }
}
