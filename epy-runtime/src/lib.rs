//! epy-runtime: what every epy-generated plugin links.
//!
//! A generated crate holds a static [`Spec`] and a static [`Plugin`]; each
//! exported C function calls [`Plugin::call`], which loads the plugin on first
//! use (starting or joining Python, creating the plugin's own interpreter,
//! importing the script beside the library), attaches this thread's cached
//! thread state, runs the marshaling closure and turns any Python exception or
//! Rust panic into the export's error value.

#![warn(clippy::undocumented_unsafe_blocks)]

pub mod cx;
pub mod marshal;
pub mod obj;
pub mod spec;

#[doc(hidden)]
pub mod config; // public for `fuzz/` only (the sidecar target)
mod describe;
mod files;
mod fork;
mod gate;
mod gil;
mod gil_watchdog;
mod hooks;
mod iface_error;
mod import;
mod instance;
mod interp;
mod lifecycle;
mod loader;
mod log;
mod plugin;
mod result_error;
mod slow_path;
mod start_lock;
mod threads;
mod trust;
mod unload;
mod watch;
mod wrap;

pub use cx::Cx;
pub use marshal::argv::{StrArgs, argv_to_py, strs_arg_from_py, strv_to_py};
pub use marshal::buffer::buffer_to_py;
pub use marshal::callback::{callback_to_py, without_gil};
pub use marshal::descriptor::{
    attr_array, attr_cstr, attr_records, attr_scalar, attr_str_array, descriptor_from_py,
    descriptor_to_py, has_attr,
};
pub use marshal::handle::{handle_from_py, handle_to_py};
pub use marshal::output::{OutBuf, output_strs};
pub use marshal::pointer::{ptr_from_py, ptr_to_py};
pub use marshal::rewrite::rewrite_str;
pub use marshal::scalar::{Scalar, enum_to_py, from_py, to_py};
pub use marshal::shared::{CallbackSpec, Invoke, Shared, Spec};
pub use marshal::string::{str_arg_from_py, str_from_py, str_list_to_py, str_to_py, wstr_to_py};
pub use marshal::trampoline::{
    Binding, Closure, FnAddr, Pool, Slot, closure_at, closure_release, fnptr_from_py, fnptr_value,
    pool_closure, user_data_to_py,
};
pub use marshal::typed_ptr::{Pointee, PtrType, typed_ptr_to_py};
pub use marshal::view::{release_arg, struct_ptr_to_py, struct_val_from_py, struct_val_to_py};
pub use obj::{Obj, PyErr, PyResult, none};
pub use plugin::Plugin;
pub use pyo3_ffi as ffi;
pub use spec::*;
