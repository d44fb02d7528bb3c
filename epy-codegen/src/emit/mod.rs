//! Lowering the interface model to files: `rust` (the cdylib crate) and
//! `python` (the `.pyi` stubs).
pub mod python;
pub mod rust;
