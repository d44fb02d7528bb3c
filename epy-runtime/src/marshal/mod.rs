//! Converting values between C and Python, both directions, with exact C
//! semantics. Called by generated stubs with the plugin's interpreter attached.
//! Every function returning `PyResult` has set a Python exception on `Err`.
//!
//! One file per kind of value: `scalar` (integers, floats, bool, enums),
//! `pointer` (opaque pointers), `string` (`char*`/`WCHAR*` and `char[N]`),
//! `sized` (a buffer and its length as one value, for host functions),
//! `output` (output string buffers), `view` (live struct views), `buffer`
//! (zero-copy memoryviews), `callback` (host function pointers as Python
//! callables), `handle` (plugin-owned handles), `typed_ptr` (`Ptr[T]`:
//! pointers no other rule marshals), `descriptor` (structs filled
//! from Python objects, and the methods behind them), `module` (the stub
//! module built in each interpreter), `trampoline` (Python callables handed
//! to the host as function pointers), `shared` (the `Spec` type, what the
//! per-interpreter objects are and how long they live); private: `field`
//! (struct fields by kind), `field_names` (a struct's interned field names), `array` (array fields as memoryviews),
//! `exporter` (the revocable object behind memoryviews), `pytype` (heap-type
//! creation), `host_refs` (the handles and descriptors the host holds),
//! `closures` (the records behind `trampoline`), `writable` (a bytearray as
//! a string argument the host writes into); `rewrite` (a string parameter
//! the script replaces in place).

pub mod argv;
pub mod buffer;
pub mod callback;
pub mod descriptor;
pub mod handle;
mod host_fn;
pub mod module;
pub mod output;
pub mod pointer;
pub mod rewrite;
pub mod scalar;
pub mod shared;
pub mod sized;
pub mod string;
pub mod trampoline;
pub mod typed_ptr;
pub mod view;

mod array;
pub(crate) mod closures;
mod copy;
mod exporter;
mod field;
mod field_names;
pub(crate) mod host_refs;
pub(crate) mod layer_kit;
mod pytype;
mod writable;
