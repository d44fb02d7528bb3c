//! A plugin's sidecar `<stem>.toml` → the runtime's parser
//! (`epy_runtime::config::parse`). Errors are fine; a panic is a crash.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = epy_runtime::config::parse(std::path::Path::new("plugin.toml"), text);
    }
});
