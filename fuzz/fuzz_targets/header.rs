//! Header text → `epy_codegen::parse` (libclang and the model) → both
//! emitters. Errors are fine; a panic or a sanitizer report is a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let header = epy_fuzz::file("fuzzed.h", data);
    let opts = epy_codegen::ParseOptions {
        header,
        ..Default::default()
    };
    if let Ok(iface) = epy_codegen::parse(&opts) {
        epy_fuzz::emit_all(&iface);
    }
});
