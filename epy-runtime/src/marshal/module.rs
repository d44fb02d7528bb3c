//! Builds the plugin's stub module (`Spec::module`) inside its interpreter:
//! one heap type per struct, `enum.IntEnum` classes, constants, and the
//! callable type for host callbacks. Registered in `sys.modules` before the
//! script runs, so `from bench import Record, LIMIT` works.
use super::scalar::Scalar;
use crate::Cx;
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::{ConstValue, Spec};
use core::cell::Cell;
use core::ffi::{CStr, c_void};
use pyo3_ffi::*;
use std::ffi::CString;

/// Per-interpreter objects the marshaling code reads on every call. Boxed,
/// so views and callbacks can point at it.
pub struct Shared {
    pub spec: &'static Spec,
    /// Type object of `Spec::structs[i]` (strong references).
    pub structs: Vec<*mut PyObject>,
    /// `IntEnum` class of `Spec::enums[i]`, and its value → member dict.
    pub enums: Vec<*mut PyObject>,
    pub enum_maps: Vec<*mut PyObject>,
    /// Type of host-callback objects.
    pub callback_type: *mut PyObject,
    /// Type that exports owned memory as a buffer (arrays in owned structs).
    pub hold_type: *mut PyObject,
    /// The plugin context, set once it exists (callbacks need it).
    pub cx: Cell<*const Cx>,
}

/// The per-interpreter Python objects the marshaling functions need.
pub struct Types {
    pub shared: Box<Shared>,
    /// Everything created here, released when the interpreter ends.
    pub owned: Vec<Obj>,
}

impl Default for Types {
    fn default() -> Self {
        Types {
            shared: Box::new(Shared {
                spec: &EMPTY,
                structs: Vec::new(),
                enums: Vec::new(),
                enum_maps: Vec::new(),
                callback_type: core::ptr::null_mut(),
                hold_type: core::ptr::null_mut(),
                cx: Cell::new(core::ptr::null()),
            }),
            owned: Vec::new(),
        }
    }
}

static EMPTY: Spec = Spec {
    module: c"",
    exports: &[],
    structs: &[],
    enums: &[],
    consts: &[],
    callbacks: &[],
};

/// A C string that lives as long as the process (type names and getset
/// tables must outlive their types; they are small and made once per load).
pub(crate) fn leak_cstr(s: String) -> *const core::ffi::c_char {
    CString::new(s).unwrap_or_default().into_raw()
}

/// Creates the module and its types and registers it in `sys.modules`.
/// # Safety
/// The plugin's (fresh) interpreter is attached.
pub unsafe fn build(spec: &'static Spec) -> PyResult<(Obj, Types)> {
    unsafe {
        let mut types = Types::default();
        types.shared.spec = spec;
        let modname = spec.module.to_string_lossy().into_owned();
        let module = Obj::from_owned(PyModule_New(spec.module.as_ptr()))?;
        let shared_ptr = &*types.shared as *const Shared;

        let base = super::view::new_base_type(&modname)?;
        let hold = super::view::new_hold_type(&modname)?;
        let cb = super::callback::new_type(&modname)?;
        types.shared.hold_type = hold.as_ptr();
        types.shared.callback_type = cb.as_ptr();
        let capsule = Obj::from_owned(PyCapsule_New(
            shared_ptr as *mut c_void,
            core::ptr::null(),
            None,
        ))?;

        for s in spec.structs {
            let t = super::view::new_struct_type(&modname, s, base.as_ptr())?;
            if PyObject_SetAttrString(t.as_ptr(), c"__epy_shared__".as_ptr(), capsule.as_ptr()) != 0
            {
                return Err(PyErr);
            }
            add(&module, s.name, t.as_ptr())?;
            types.shared.structs.push(t.as_ptr());
            types.owned.push(t);
        }

        let enum_mod = Obj::from_owned(PyImport_ImportModule(c"enum".as_ptr()))?;
        let int_enum = Obj::from_owned(PyObject_GetAttrString(
            enum_mod.as_ptr(),
            c"IntEnum".as_ptr(),
        ))?;
        let modstr = Obj::from_owned(PyUnicode_FromString(spec.module.as_ptr()))?;
        for e in spec.enums {
            let members = Obj::from_owned(PyList_New(0))?;
            for (name, value) in e.members {
                let pair = Obj::from_owned(PyTuple_New(2))?;
                PyTuple_SetItem(
                    pair.as_ptr(),
                    0,
                    Obj::from_owned(PyUnicode_FromString(name.as_ptr()))?.into_ptr(),
                );
                PyTuple_SetItem(pair.as_ptr(), 1, value.to_py()?.into_ptr());
                if PyList_Append(members.as_ptr(), pair.as_ptr()) != 0 {
                    return Err(PyErr);
                }
            }
            let args = Obj::from_owned(PyTuple_New(2))?;
            PyTuple_SetItem(
                args.as_ptr(),
                0,
                Obj::from_owned(PyUnicode_FromString(e.name.as_ptr()))?.into_ptr(),
            );
            PyTuple_SetItem(args.as_ptr(), 1, members.into_ptr());
            let kwargs = Obj::from_owned(PyDict_New())?;
            PyDict_SetItemString(kwargs.as_ptr(), c"module".as_ptr(), modstr.as_ptr());
            let cls = Obj::from_owned(PyObject_Call(
                int_enum.as_ptr(),
                args.as_ptr(),
                kwargs.as_ptr(),
            ))?;
            if !e.doc.is_empty() {
                let doc = Obj::from_owned(PyUnicode_FromString(e.doc.as_ptr()))?;
                PyObject_SetAttrString(cls.as_ptr(), c"__doc__".as_ptr(), doc.as_ptr());
                PyErr_Clear();
            }
            let map = Obj::from_owned(PyObject_GetAttrString(
                cls.as_ptr(),
                c"_value2member_map_".as_ptr(),
            ))?;
            add(&module, e.name, cls.as_ptr())?;
            types.shared.enums.push(cls.as_ptr());
            types.shared.enum_maps.push(map.as_ptr());
            types.owned.push(cls);
            types.owned.push(map);
        }

        for c in spec.consts {
            let v = match c.value {
                ConstValue::Int(v) => v.to_py()?,
                ConstValue::Float(v) => v.to_py()?,
                ConstValue::Str(s) => Obj::from_owned(PyUnicode_DecodeUTF8(
                    s.as_ptr(),
                    s.count_bytes() as isize,
                    c"replace".as_ptr(),
                ))?,
            };
            add(&module, c.name, v.as_ptr())?;
        }
        for c in spec.callbacks {
            add(&module, c.name, cb.as_ptr())?;
        }
        let exports = super::view::new_plain_type(&format!("{modname}.Exports"))?;
        add(&module, c"Exports", exports.as_ptr())?;
        add(
            &module,
            c"__file__",
            Obj::from_owned(PyUnicode_FromString(c"<epy>".as_ptr()))?.as_ptr(),
        )?;

        let modules = PyImport_GetModuleDict();
        if PyDict_SetItemString(modules, spec.module.as_ptr(), module.as_ptr()) != 0 {
            return Err(PyErr);
        }
        types.owned.extend([base, hold, cb, capsule, exports]);
        Ok((module, types))
    }
}

unsafe fn add(module: &Obj, name: &CStr, value: *mut PyObject) -> PyResult<()> {
    unsafe {
        if PyObject_SetAttrString(module.as_ptr(), name.as_ptr(), value) != 0 {
            return Err(PyErr);
        }
        Ok(())
    }
}
