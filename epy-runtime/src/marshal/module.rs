//! Builds the plugin's stub module (`Spec::module`) inside its interpreter:
//! one heap type per struct, `enum.IntEnum` classes, constants, and the
//! callable type for host callbacks. Registered in `sys.modules` before the
//! script runs, so `from bench_h import Record, LIMIT` works.
use super::scalar::Scalar;
use crate::marshal::shared::Spec;
use crate::obj::{Obj, PyErr, PyResult};
use crate::spec::ConstValue;
use core::cell::Cell;
use core::ffi::CStr;
use pyo3_ffi::*;

use super::shared::{Shared, Types};

/// Creates the module and its types and registers it in `sys.modules`.
/// # Safety
/// The plugin's (fresh) interpreter is attached.
pub unsafe fn build(spec: &'static Spec) -> PyResult<(Obj, Types)> {
    // SAFETY: the plugin's (fresh) interpreter is attached (this function's
    // contract).
    unsafe {
        let mut shared = Box::new(Shared::new(spec));
        let mut owned = Vec::new();
        let modname = spec.module.to_string_lossy().into_owned();
        let module = Obj::from_owned(PyModule_New(spec.module.as_ptr()))?;

        let base = super::view::new_base_type(&modname)?;
        shared.exporter_type = super::exporter::new_exporter_type(&modname)?.into_ptr();
        let ptr = super::typed_ptr::new_ptr_type(&modname)?;
        add(&module, c"Ptr", ptr.as_ptr())?;
        shared.ptr_type = ptr.into_ptr();
        let cb = super::callback::new_type_object(&modname)?;
        shared.callback_type = Obj::from_borrowed(cb.as_ptr()).into_ptr();

        let all = Obj::from_owned(PyTuple_New(spec.structs.len() as Py_ssize_t))?;
        for (i, s) in spec.structs.iter().enumerate() {
            let t = super::view::new_struct_type(&modname, s, base.as_ptr())?;
            add(&module, s.name, t.as_ptr())?;
            shared.structs.push(t.as_ptr());
            shared
                .field_names
                .push(super::field_names::FieldNames::new(s)?);
            shared.view_cache.push(Cell::new(core::ptr::null_mut()));
            PyTuple_SetItem(
                all.as_ptr(),
                i as Py_ssize_t,
                Obj::from_borrowed(t.as_ptr()).into_ptr(),
            );
            owned.push(t);
        }
        // Every view keeps its type, hence the base, hence all struct types
        // (nested views need them) and the capsule owning `Shared`.
        set_type_attr(&base, c"__epy_structs__", all.as_ptr())?;

        // `enum` costs milliseconds to import in a fresh interpreter: only
        // when the interface has enums.
        let enum_api = if spec.enums.is_empty() {
            None
        } else {
            let m = Obj::from_owned(PyImport_ImportModule(c"enum".as_ptr()))?;
            let int_enum =
                Obj::from_owned(PyObject_GetAttrString(m.as_ptr(), c"IntEnum".as_ptr()))?;
            let modstr = Obj::from_owned(PyUnicode_FromString(spec.module.as_ptr()))?;
            Some((int_enum, modstr))
        };
        for e in spec.enums {
            let Some((int_enum, modstr)) = &enum_api else {
                break;
            };
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
            shared.enums.push(cls.into_ptr());
            shared.enum_maps.push(map.into_ptr());
        }

        for c in spec.consts {
            let v = match c.value {
                ConstValue::Int(v) => v.to_py()?,
                ConstValue::UInt(v) => v.to_py()?,
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
        // As in C, enumerators are module-level names too (unless taken).
        for (e, &cls) in spec.enums.iter().zip(&shared.enums) {
            for (name, _) in e.members {
                if PyObject_HasAttrString(module.as_ptr(), name.as_ptr()) == 0 {
                    let m = Obj::from_owned(PyObject_GetAttrString(cls, name.as_ptr()))?;
                    add(&module, name, m.as_ptr())?;
                }
            }
        }
        if !spec.layer.is_empty() {
            // For the pack's layer only, which runs next and must `del` them:
            // a raw address in a script's hands can crash the host, and the
            // memo and log are the layer's own (see `layer_kit`).
            let buffer_at = Obj::from_owned(PyCFunction_NewEx(
                &super::descriptor::BUFFER_AT.0 as *const PyMethodDef as *mut PyMethodDef,
                core::ptr::null_mut(),
                core::ptr::null_mut(),
            ))?;
            add(&module, c"buffer_at", buffer_at.as_ptr())?;
            for (name, def) in [
                (c"_epy_memo", &super::layer_kit::MEMO_DEF),
                (c"_epy_log", &super::layer_kit::LOG_DEF),
            ] {
                let f = Obj::from_owned(PyCFunction_NewEx(
                    &def.0 as *const PyMethodDef as *mut PyMethodDef,
                    core::ptr::null_mut(),
                    core::ptr::null_mut(),
                ))?;
                add(&module, name, f.as_ptr())?;
            }
        }
        let exports = super::view::new_plain_type(&format!("{modname}.Exports"))?;
        add(&module, c"Exports", exports.as_ptr())?;
        add(
            &module,
            c"__file__",
            Obj::from_owned(PyUnicode_FromString(c"<epy>".as_ptr()))?.as_ptr(),
        )?;

        let capsule = Shared::into_capsule(shared)?;
        let shared = Shared::from_capsule(capsule.as_ptr());
        // `Record()` finds the shared types through the base class.
        set_type_attr(&base, c"__epy_shared__", capsule.as_ptr())?;
        if PyObject_HasAttrString(module.as_ptr(), c"user_data".as_ptr()) == 0 {
            let def = &super::trampoline::USER_DATA.0 as *const PyMethodDef as *mut PyMethodDef;
            let f = Obj::from_owned(PyCFunction_NewEx(
                def,
                capsule.as_ptr(),
                core::ptr::null_mut(),
            ))?;
            add(&module, c"user_data", f.as_ptr())?;
        }

        for h in spec.host_fns {
            let f = super::callback::new_host_fn(&*shared, h)?;
            add(&module, h.name, f.as_ptr())?;
        }
        let modules = PyImport_GetModuleDict();
        if PyDict_SetItemString(modules, spec.module.as_ptr(), module.as_ptr()) != 0 {
            return Err(PyErr);
        }
        owned.extend([base, cb, capsule, exports]);
        Ok((module, Types::new(shared, owned)))
    }
}

unsafe fn add(module: &Obj, name: &CStr, value: *mut PyObject) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `value` is a live object (the caller's contract).
    unsafe { set_attr(module, name, value) }
}

/// Sets `name` in the dict of `ty`, an immutable type.
unsafe fn set_type_attr(ty: &Obj, name: &CStr, value: *mut PyObject) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `value` is a live object (the caller's contract).
    unsafe {
        let t = ty.as_ptr() as *mut PyTypeObject;
        if PyDict_SetItemString((*t).tp_dict, name.as_ptr(), value) != 0 {
            return Err(PyErr);
        }
        PyType_Modified(t);
        Ok(())
    }
}

unsafe fn set_attr(o: &Obj, name: &CStr, value: *mut PyObject) -> PyResult<()> {
    // SAFETY: the interpreter is attached, as for every marshaling function
    // (`marshal/mod.rs`); `value` is a live object (the caller's contract).
    unsafe {
        if PyObject_SetAttrString(o.as_ptr(), name.as_ptr(), value) != 0 {
            return Err(PyErr);
        }
        Ok(())
    }
}
