//! A plugin's sidecar `<stem>.toml` → the runtime's parser
//! (`epy_runtime::config::load`). Errors are fine; a panic is a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = epy_fuzz::file("plugin.toml", data);
    let _ = epy_runtime::config::load(&path);
});
