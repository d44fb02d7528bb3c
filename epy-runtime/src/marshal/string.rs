//! `char*` / `WCHAR*` strings in both directions. UTF-8 is decoded with
//! `surrogateescape`, so bytes that are not UTF-8 (file names) round-trip.
use crate::Cx;
use crate::obj::{Obj, PyResult};
use crate::obj::{none, raise, type_name};
use crate::spec::Encoding;
use core::ffi::c_char;
use pyo3_ffi::*;

/// `len` bytes at `p` → `str` (Utf8) or `bytes` (Bytes).
///
/// # Safety
/// The plugin's interpreter is attached; `p` has `len` readable bytes.
pub(crate) unsafe fn bytes_to_py(p: *const c_char, len: usize, enc: Encoding) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` has `len` readable
    // bytes (this function's contract).
    unsafe {
        match enc {
            Encoding::Bytes => Obj::from_owned(PyBytes_FromStringAndSize(p, len as isize)),
            _ => Obj::from_owned(PyUnicode_DecodeUTF8(
                p,
                len as isize,
                c"surrogateescape".as_ptr(),
            )),
        }
    }
}

/// `len` UTF-16 code units at `p` → `str`.
///
/// # Safety
/// The plugin's interpreter is attached; `p` has `len` readable units (it
/// may be unaligned: the decoder reads bytes).
pub(crate) unsafe fn units_to_py(p: *const u16, len: usize) -> PyResult<Obj> {
    let mut order: i32 = if cfg!(target_endian = "little") {
        -1
    } else {
        1
    };
    // SAFETY: the plugin's interpreter is attached; `p` has `len` readable
    // units (it may be unaligned: the decoder reads bytes) (this function's
    // contract).
    unsafe {
        Obj::from_owned(PyUnicode_DecodeUTF16(
            p as *const c_char,
            (len * 2) as isize,
            c"surrogatepass".as_ptr(),
            &mut order,
        ))
    }
}

/// NUL-terminated `char*` → `str` (Utf8) or `bytes` (Bytes); `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or NUL-terminated.
pub unsafe fn str_to_py(p: *const c_char, enc: Encoding) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` is NULL or
    // NUL-terminated (this function's contract).
    unsafe {
        if p.is_null() {
            return Ok(none());
        }
        if enc == Encoding::Utf16 {
            return wstr_to_py(p as *const u16);
        }
        bytes_to_py(p, libc::strlen(p), enc)
    }
}

/// NUL-terminated 16-bit `WCHAR*` (UTF-16) → `str`; `None` for NULL.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or NUL-terminated.
pub unsafe fn wstr_to_py(p: *const u16) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` is NULL or
    // NUL-terminated (this function's contract).
    unsafe {
        if p.is_null() {
            return Ok(none());
        }
        let mut n = 0;
        while *p.add(n) != 0 {
            n += 1;
        }
        units_to_py(p, n)
    }
}

/// The bytes a string value is stored as in C memory (without terminator):
/// returns the object that owns them, a pointer and a length in bytes.
///
/// # Safety
/// The plugin's interpreter is attached.
pub(crate) unsafe fn encode(
    o: *mut PyObject,
    enc: Encoding,
) -> PyResult<(Obj, *const c_char, usize)> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        if PyBytes_Check(o) != 0 {
            let (p, n) = (PyBytes_AsString(o), PyBytes_Size(o) as usize);
            if enc == Encoding::Utf16 && n % 2 != 0 {
                return raise(
                    PyExc_ValueError,
                    "bytes for a UTF-16 string must hold whole 16-bit units",
                );
            }
            return Ok((Obj::from_borrowed(o), p, n));
        }
        if PyUnicode_Check(o) == 0 {
            return raise(
                PyExc_TypeError,
                &format!(
                    "expected str, bytes or None for a string, got {}",
                    type_name(o)
                ),
            );
        }
        match enc {
            Encoding::Utf16 => {
                let codec = if cfg!(target_endian = "little") {
                    c"utf-16-le"
                } else {
                    c"utf-16-be"
                };
                let b = Obj::from_owned(PyUnicode_AsEncodedString(
                    o,
                    codec.as_ptr(),
                    c"surrogatepass".as_ptr(),
                ))?;
                let (p, n) = (
                    PyBytes_AsString(b.as_ptr()),
                    PyBytes_Size(b.as_ptr()) as usize,
                );
                Ok((b, p, n))
            }
            _ => {
                let mut n: Py_ssize_t = 0;
                let p = PyUnicode_AsUTF8AndSize(o, &mut n);
                if p.is_null() {
                    // Lone surrogates (from surrogateescape) go back to bytes.
                    PyErr_Clear();
                    let b = Obj::from_owned(PyUnicode_AsEncodedString(
                        o,
                        c"utf-8".as_ptr(),
                        c"surrogateescape".as_ptr(),
                    ))?;
                    let (p, n) = (
                        PyBytes_AsString(b.as_ptr()),
                        PyBytes_Size(b.as_ptr()) as usize,
                    );
                    return Ok((b, p, n));
                }
                Ok((Obj::from_borrowed(o), p, n as usize))
            }
        }
    }
}

/// A NUL-terminated C string owned by a Python object; ValueError for an
/// embedded NUL (C would silently cut the string there).
unsafe fn terminated(o: *mut PyObject, enc: Encoding) -> PyResult<(Obj, *const c_char)> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `o` is a live object (the caller's contract).
    unsafe {
        let (owner, p, n) = encode(o, enc)?;
        if enc == Encoding::Utf16 {
            let mut units = core::slice::from_raw_parts(p as *const u8, n).chunks(2);
            if units.any(|u| u == [0, 0]) {
                return raise(
                    PyExc_ValueError,
                    "a string passed to C must not contain NUL characters",
                );
            }
            // UTF-16 needs two NUL bytes; a bytes object ends with one.
            let b = Obj::from_owned(PyBytes_FromStringAndSize(
                core::ptr::null(),
                (n + 2) as isize,
            ))?;
            let dst = PyBytes_AsString(b.as_ptr()) as *mut u8;
            core::ptr::copy_nonoverlapping(p as *const u8, dst, n);
            *dst.add(n) = 0;
            *dst.add(n + 1) = 0;
            let q = dst as *const c_char;
            return Ok((b, q));
        }
        if libc::strlen(p) != n {
            return raise(
                PyExc_ValueError,
                "a string passed to C must not contain NUL characters",
            );
        }
        Ok((owner, p))
    }
}

/// A returned `str`/`bytes`/`None` → `const char*` (NULL for None). The
/// encoded bytes stay alive in this thread's return slot for the export
/// until that export returns again on this thread (another thread's calls
/// never free them).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn str_from_py(
    cx: &Cx,
    export: usize,
    o: Obj,
    enc: Encoding,
) -> PyResult<*const c_char> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        if o.as_ptr() == Py_None() {
            return Ok(core::ptr::null());
        }
        let (owner, p) = terminated(o.as_ptr(), enc)?;
        cx.keep_return(export, owner);
        Ok(p)
    }
}

/// Borrowed `str`/`bytes`/`None` argument for a host callback → pointer valid
/// while `keep` lives (`keep` receives the encoded object); a `bytearray`
/// passes its own memory, for the host to write into (`writable`).
/// # Safety
/// The plugin's interpreter is attached.
pub unsafe fn str_arg_from_py(
    o: *mut PyObject,
    enc: Encoding,
    keep: &mut Option<Obj>,
) -> PyResult<*const c_char> {
    // SAFETY: the plugin's interpreter is attached (this function's contract).
    unsafe {
        if o == Py_None() {
            return Ok(core::ptr::null());
        }
        if PyByteArray_Check(o) != 0 {
            return super::writable::bytearray_arg(o, enc, keep);
        }
        let (owner, p) = terminated(o, enc)?;
        *keep = Some(owner);
        Ok(p)
    }
}

/// A string list (`"a\0b\0\0"`: NUL-separated, ending with an empty string)
/// → `list[str]` (`bytes` items for `Bytes`); NULL → empty list.
/// # Safety
/// The plugin's interpreter is attached; `p` is NULL or a terminated list of
/// `char` (Utf8/Bytes) or 16-bit units (Utf16).
pub unsafe fn str_list_to_py(p: *const core::ffi::c_void, enc: Encoding) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `p` is NULL or a terminated
    // list of `char` (Utf8/Bytes) or 16-bit units (Utf16) (this function's
    // contract).
    unsafe {
        let list = Obj::from_owned(pyo3_ffi::PyList_New(0))?;
        if p.is_null() {
            return Ok(list);
        }
        let mut at = 0usize;
        loop {
            let (item, len) = if enc == Encoding::Utf16 {
                let s = (p as *const u16).add(at);
                let mut n = 0;
                while *s.add(n) != 0 {
                    n += 1;
                }
                (
                    if n == 0 {
                        None
                    } else {
                        Some(units_to_py(s, n)?)
                    },
                    n,
                )
            } else {
                let s = (p as *const c_char).add(at);
                let n = libc::strlen(s);
                (
                    if n == 0 {
                        None
                    } else {
                        Some(bytes_to_py(s, n, enc)?)
                    },
                    n,
                )
            };
            let Some(item) = item else { return Ok(list) };
            if pyo3_ffi::PyList_Append(list.as_ptr(), item.as_ptr()) != 0 {
                return Err(crate::PyErr);
            }
            at += len + 1;
        }
    }
}

/// `char[n]`/`WCHAR[n]` from `str`/`bytes`: NUL-padded; ValueError if it
/// does not fit with its terminator (never truncated).
pub(crate) unsafe fn write_chars(
    p: *mut u8,
    n: usize,
    enc: Encoding,
    value: *mut PyObject,
    name: &str,
) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `p` is struct memory of the kind read or written;
    // `value` is a live object (the caller's contract).
    unsafe {
        let (_owner, src, len) = encode(value, enc)?;
        let unit = if enc == Encoding::Utf16 { 2 } else { 1 };
        let cap = n * unit;
        if len + unit > cap {
            let msg = format!(
                "{name} holds at most {} {} plus a NUL; this value needs {}",
                n.saturating_sub(1),
                if unit == 2 { "UTF-16 units" } else { "bytes" },
                len / unit
            );
            return raise(PyExc_ValueError, &msg);
        }
        core::ptr::copy_nonoverlapping(src as *const u8, p, len);
        core::ptr::write_bytes(p.add(len), 0, cap - len);
        Ok(())
    }
}
