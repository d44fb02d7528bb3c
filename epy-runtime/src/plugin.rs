//! (in progress) The per-plugin entry point used by every generated stub.
use crate::cx::Cx;
use crate::obj::PyResult;
use crate::spec::Spec;
use pyo3_ffi::PyObject;

pub struct Plugin {
    pub spec: &'static Spec,
}

impl Plugin {
    pub const fn new(spec: &'static Spec) -> Self {
        Plugin { spec }
    }

    /// Runs one export: `f` gets the plugin context and the script's function.
    #[inline]
    pub fn call<R>(&'static self, export: usize, on_error: R, f: impl FnOnce(&Cx, *mut PyObject) -> PyResult<R>) -> R {
        let _ = (export, f);
        on_error
    }
}
