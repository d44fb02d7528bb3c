//! Annotations / pack TOML → `annotations::load`, then applied (as
//! annotations, and as a pack when it has a `[pack]` table) to the model of
//! bench.h and of the wcx and ladspa packs' headers, then both emitters.
#![no_main]
use epy_codegen::model::{self, Interface};
use epy_codegen::{annotations, pack::Pack};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The interfaces, parsed once; the pack files beside the fuzzed pack.toml.
fn interfaces() -> &'static [Interface] {
    static IFACES: OnceLock<Vec<Interface>> = OnceLock::new();
    IFACES.get_or_init(|| {
        for pack in ["interfaces/wcx", "interfaces/ladspa"] {
            for e in std::fs::read_dir(epy_fuzz::root().join(pack)).unwrap() {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name != "pack.toml" {
                    epy_fuzz::file(&name, &std::fs::read(&path).unwrap());
                }
            }
        }
        vec![
            epy_fuzz::parse_repo("tests/headers/bench.h", None),
            epy_fuzz::parse_repo("interfaces/wcx/wcxhead.h", Some("interfaces/wcx")),
            epy_fuzz::parse_repo("/usr/include/ladspa.h", Some("interfaces/ladspa")),
        ]
    })
}

/// What `epy_codegen::parse` does after applying annotations.
fn finish(iface: &mut Interface, restructs: bool) {
    if restructs {
        model::relayout(iface, None);
    }
    if model::check_nesting(iface).is_ok() {
        epy_fuzz::emit_all(iface);
    }
}

fuzz_target!(|data: &[u8]| {
    let ifaces = interfaces();
    let path = epy_fuzz::file("pack.toml", data);
    let Ok(ann) = annotations::load(&path) else {
        return;
    };
    let restructs = !ann.file.structs.is_empty();
    for iface in ifaces {
        let mut iface = iface.clone();
        if annotations::apply(&ann, &mut iface).is_ok() {
            finish(&mut iface, restructs);
        }
    }
    if ann.file.pack.is_none() {
        return;
    }
    let Ok(pack) = Pack::load(epy_fuzz::scratch()) else {
        return;
    };
    let header = epy_fuzz::scratch().join("fuzzed.h");
    let _ = pack.extras(&header, &std::fs::read_to_string(&header).unwrap_or_default());
    let _ = pack.suffix(None);
    let _ = pack.suffix(Some("i686-pc-windows-msvc"));
    for iface in ifaces {
        let mut iface = iface.clone();
        if pack.apply(&mut iface, None).is_ok() {
            finish(&mut iface, restructs);
        }
    }
});
