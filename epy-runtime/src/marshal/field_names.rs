//! The field names of each struct type as the interned `str` objects its
//! type dict holds, so a view's `tp_setattro` finds a field by identity
//! (`PyObject_SetAttr` interns the name first) instead of the generic
//! descriptor lookup.
use crate::obj::{Obj, PyResult};
use crate::spec::{FieldSpec, StructSpec};
use pyo3_ffi::*;

/// One struct's field names, in `StructSpec::fields` order. Strong: no
/// other object can take a name's address while `Shared` compares with it.
pub(crate) struct FieldNames(Box<[Obj]>);

impl FieldNames {
    /// The interned names of `s`'s fields (the same objects its getset
    /// descriptors are keyed by).
    pub(crate) unsafe fn new(s: &StructSpec) -> PyResult<FieldNames> {
        let mut names = Vec::with_capacity(s.fields.len());
        for f in s.fields {
            // SAFETY: the interpreter is attached (the caller's contract).
            names.push(unsafe { Obj::from_owned(PyUnicode_InternFromString(f.name.as_ptr()))? });
        }
        Ok(FieldNames(names.into_boxed_slice()))
    }

    /// The field of `s` named by the interned `name`; None for any other
    /// name (or one not interned): the generic lookup then decides.
    #[inline(always)]
    pub(crate) fn find(
        &self,
        s: &'static StructSpec,
        name: *mut PyObject,
    ) -> Option<&'static FieldSpec> {
        let i = self.0.iter().position(|n| n.as_ptr() == name)?;
        s.fields.get(i)
    }
}
