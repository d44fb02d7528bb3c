//! `int argc, char **argv` (the C `main` shape) and NULL-terminated string
//! arrays (`envp`) → `list[str]`.
use super::string::str_to_py;
use crate::obj::{Obj, PyErr, PyResult, raise, type_name};
use crate::spec::Encoding;
use core::ffi::c_char;

/// The first `argc` strings of `argv` as a list (it stops early at a NULL
/// entry); NULL `argv` or `argc <= 0` → an empty list.
///
/// # Safety
/// The plugin's interpreter is attached; `argv` is NULL or holds `argc`
/// pointers, each NULL or NUL-terminated.
pub unsafe fn argv_to_py(argc: i64, argv: *const *const c_char, enc: Encoding) -> PyResult<Obj> {
    // SAFETY: this function's contract.
    unsafe { strings_to_py(usize::try_from(argc).unwrap_or(0), argv, enc) }
}

/// The strings of `v` up to its first NULL entry as a list; NULL `v` → an
/// empty list.
///
/// # Safety
/// The plugin's interpreter is attached; `v` is NULL or a NULL-terminated
/// array of NUL-terminated strings.
pub unsafe fn strv_to_py(v: *const *const c_char, enc: Encoding) -> PyResult<Obj> {
    // SAFETY: this function's contract (the NULL entry ends the walk).
    unsafe { strings_to_py(usize::MAX, v, enc) }
}

/// At most `max` strings of `argv`, stopping at a NULL entry.
///
/// # Safety
/// As `argv_to_py` with `argc` = `max`.
unsafe fn strings_to_py(max: usize, argv: *const *const c_char, enc: Encoding) -> PyResult<Obj> {
    // SAFETY: the plugin's interpreter is attached; `argv` is NULL or holds
    // `max` pointers or fewer before a NULL one, each NUL-terminated (the
    // callers' contract).
    unsafe {
        let list = Obj::from_owned(pyo3_ffi::PyList_New(0))?;
        if argv.is_null() {
            return Ok(list);
        }
        for i in 0..max {
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

/// What a `list[str]` argument of a host function passes: its strings,
/// NUL-terminated, and a NULL-terminated array of pointers to them, valid
/// while this lives.
pub struct StrArgs {
    _owners: Vec<Option<Obj>>,
    ptrs: Vec<*const c_char>,
}

/// A `list`/`tuple` of `str` (or `None`) → a NULL-terminated `char *` array
/// valid while `keep` lives (`keep` receives it); `None` → NULL.
///
/// # Safety
/// The plugin's interpreter is attached; `o` is a live object.
pub unsafe fn strs_arg_from_py(
    o: *mut pyo3_ffi::PyObject,
    enc: Encoding,
    keep: &mut Option<StrArgs>,
) -> PyResult<*const *const c_char> {
    // SAFETY: the plugin's interpreter is attached and `o` is live (this
    // function's contract); items are borrowed while `o` holds them and
    // each string is kept alive by its owner in `keep`.
    unsafe {
        if o == pyo3_ffi::Py_None() {
            return Ok(core::ptr::null());
        }
        if pyo3_ffi::PyList_Check(o) == 0 && pyo3_ffi::PyTuple_Check(o) == 0 {
            return raise(
                pyo3_ffi::PyExc_TypeError,
                &format!("expected a list of str, not {}", type_name(o)),
            );
        }
        let n = pyo3_ffi::PySequence_Size(o);
        if n < 0 {
            return Err(PyErr);
        }
        let mut args = StrArgs {
            _owners: Vec::with_capacity(n as usize),
            ptrs: Vec::with_capacity(n as usize + 1),
        };
        for i in 0..n {
            let item = Obj::from_owned(pyo3_ffi::PySequence_GetItem(o, i))?;
            let mut owner = None;
            args.ptrs.push(super::string::str_arg_from_py(
                item.as_ptr(),
                enc,
                &mut owner,
            )?);
            args._owners.push(owner);
        }
        args.ptrs.push(core::ptr::null());
        let p = args.ptrs.as_ptr();
        *keep = Some(args);
        Ok(p)
    }
}
