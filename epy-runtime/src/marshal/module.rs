//! Builds the plugin's stub module (`Spec::module`) inside its interpreter:
//! one heap type per struct, `enum.IntEnum` classes, constants, and the
//! callable type for host callbacks. Registered in `sys.modules` before the
//! script runs, so `from bench import Record, LIMIT` works.
use crate::obj::{Obj, PyResult};
use crate::spec::Spec;
use pyo3_ffi::PyObject;

/// The per-interpreter Python objects the marshaling functions need.
#[derive(Default)]
pub struct Types {
    /// Type object of `Spec::structs[i]`.
    pub structs: Vec<*mut PyObject>,
    /// `IntEnum` class of `Spec::enums[i]`.
    pub enums: Vec<*mut PyObject>,
    /// Everything created here that must be released when the interpreter ends.
    pub owned: Vec<Obj>,
}

/// Creates the module and its types and registers it in `sys.modules`.
/// # Safety
/// The plugin's (fresh) interpreter is attached.
pub unsafe fn build(spec: &'static Spec) -> PyResult<(Obj, Types)> {
    todo!("{:?}", spec.module)
}
