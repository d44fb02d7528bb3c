//! Converting values between C and Python, both directions, with exact C
//! semantics. Called by generated stubs with the plugin's interpreter attached.
//! Every function returning `PyResult` has set a Python exception on `Err`.
//!
//! One file per kind of value: `scalar` (integers, floats, bool, pointers),
//! `string` (char*/WCHAR* and char[N]), `view` (live struct views),
//! `buffer` (zero-copy memoryviews), `callback` (host function pointers as
//! Python callables), `module` (the stub module built in each interpreter).

pub mod buffer;
pub mod callback;
pub mod module;
pub mod scalar;
pub mod string;
pub mod view;
