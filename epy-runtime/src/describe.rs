//! How a conversion error names the Python value it refused: its type and a
//! short `repr` ("str 'yes'"), so a log line says what the script returned.
//! Error paths only.
use crate::obj::{Obj, type_name};

/// The longest `repr` quoted, in characters.
const MAX_REPR: usize = 80;

/// `o`'s type name and its `repr`, cut to `MAX_REPR` characters ("str 'yes'").
///
/// # Safety
/// An interpreter is attached; `o` is a live object.
#[cold]
pub(crate) unsafe fn type_and_repr(o: *mut pyo3_ffi::PyObject) -> String {
    // SAFETY: the interpreter is attached and `o` is live (contract); the
    // repr is checked for NULL, and any error it raised is cleared.
    unsafe {
        let name = type_name(o);
        let repr = Obj::from_owned(pyo3_ffi::PyObject_Repr(o))
            .ok()
            .and_then(|r| crate::log::utf8(r.as_ptr()));
        let Some(repr) = repr else {
            pyo3_ffi::PyErr_Clear();
            return name;
        };
        if repr.chars().count() > MAX_REPR {
            let cut: String = repr.chars().take(MAX_REPR).collect();
            format!("{name} {cut}…")
        } else {
            format!("{name} {repr}")
        }
    }
}
