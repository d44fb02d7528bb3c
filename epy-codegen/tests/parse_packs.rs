//! Interface packs: the WCX pack gives the same interface for its own header,
//! for a header in the shape of Total Commander's SDK (no prototypes, Windows
//! types from windows.h, unpacked records) and for one in the shape of Double
//! Commander's (its own common.h with a 64-bit DWORD); pack files are parsed
//! strictly; required exports are enforced.
use epy_codegen::ParseOptions;
use epy_codegen::model::Interface;
use epy_codegen::pack::{self, Pack};
use std::path::{Path, PathBuf};
mod support;
use support::diagnostic;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn parse(header: &str, target: Option<&str>) -> Interface {
    let header = root().join(header);
    let pack = pack::recognise(&header).expect("the wcx pack covers it");
    epy_codegen::parse(&ParseOptions {
        header,
        target: target.map(str::to_owned),
        pack: Some(pack.dir),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Everything but source locations and docs, as JSON.
fn shape(iface: &Interface) -> serde_json::Value {
    let mut v = serde_json::to_value(iface).unwrap();
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("loc");
                m.remove("doc");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    // Declaration order may differ; names identify.
    if let Some(a) = v["structs"].as_array_mut() {
        a.sort_by_key(|s| s["name"].as_str().unwrap_or_default().to_owned());
    }
    serde_json::json!({ "functions": v["functions"], "structs": v["structs"], "callbacks": v["callbacks"] })
}

#[test]
fn sdk_header_gives_the_packs_interface() {
    for target in [
        None,
        Some("i686-pc-windows-msvc"),
        Some("x86_64-pc-windows-msvc"),
    ] {
        let own = parse("interfaces/wcx/wcxhead.h", target);
        let sdk = parse("tests/headers/sdk/wcxhead.h", target);
        assert_eq!(own.functions.len(), 28, "{target:?}");
        assert_eq!(shape(&own), shape(&sdk), "{target:?}");
        // Double Commander's SDK shape: its own common.h, a 64-bit DWORD.
        let dc = parse("tests/headers/sdk-dc/wcxplugin.h", target);
        assert_eq!(shape(&own), shape(&dc), "{target:?} (wcxplugin.h)");
        let sizes: Vec<usize> = sdk.structs.iter().map(|s| s.size).collect();
        let p = if target == Some("i686-pc-windows-msvc") {
            4
        } else {
            8
        };
        assert_eq!(&sizes[..3], &[568 + p, 3128 + p, 5176 + p], "{target:?}");
        let f = sdk.function_named("ReadHeaderExW").unwrap();
        assert_eq!(
            f.sig.params[0].role,
            Some(epy_codegen::model::Role::Handle { optional: false })
        );
    }
}

#[test]
fn the_wcx_pack_is_found_by_name_file_and_content() {
    assert_eq!(pack::find("wcx").unwrap().name(), "wcx");
    let by_dir = pack::find(root().join("interfaces/wcx").to_str().unwrap()).unwrap();
    assert_eq!(by_dir.name(), "wcx");
    let err = pack::find("nosuchpack").err().unwrap().to_string();
    let d = diagnostic(&err, "error: no interface pack `nosuchpack`", "");
    assert!(d.contains("= note: packs: ") && d.contains("wcx"), "{err}");
    // A misspelt name gets the nearest pack as help.
    let err = pack::find("wxc").err().unwrap().to_string();
    let d = diagnostic(&err, "error: no interface pack `wxc`", "");
    assert!(d.contains("= help: did you mean `wcx`?"), "{err}");
    // By content: a renamed copy of the SDK header.
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packs-content");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("tc_archive_sdk.h");
    std::fs::copy(root().join("tests/headers/sdk/wcxhead.h"), &copy).unwrap();
    assert_eq!(
        pack::recognise(&copy)
            .map(|p| p.name().to_owned())
            .as_deref(),
        Some("wcx")
    );
    assert!(pack::recognise(&root().join("tests/headers/bench.h")).is_none());
}

#[test]
fn required_exports_are_enforced() {
    let wcx = pack::find("wcx").unwrap();
    let s = |v: &[&str]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let script = Path::new("arc.py");
    let noops = wcx
        .check_exports(
            script,
            &s(&[
                "OpenArchiveW",
                "ReadHeaderExW",
                "ProcessFileW",
                "CloseArchive",
            ]),
        )
        .unwrap();
    assert_eq!(noops, s(&["SetChangeVolProc", "SetProcessDataProc"]));
    let err = wcx
        .check_exports(script, &s(&["OpenArchive", "ReadHeader", "ProcessFile"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`CloseArchive` is required"), "{err}");
    let err = wcx
        .check_exports(script, &s(&["OpenArchive", "CloseArchive"]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("missing ReadHeader, ProcessFile"), "{err}");
}

#[test]
fn pack_files_are_strict() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packs-strict");
    std::fs::create_dir_all(&dir).unwrap();
    for h in ["wcxhead.h", "wcxexports.h", "windows-types.h"] {
        std::fs::copy(root().join("interfaces/wcx").join(h), dir.join(h)).unwrap();
    }
    let cases = [
        (
            "[pack]\nname = \"x\"\nheader = \"wcxhead.h\"\nsufix = \"so\"\n",
            "4:1",
            "unknown field `sufix`",
            "",
        ),
        (
            "[functions.OpenArchive]\nreturns-handle = true\n",
            "1:1",
            "a pack.toml needs a [pack] table",
            "",
        ),
        (
            "[pack]\nname = \"x\"\nheader = \"nothere.h\"\n",
            "1:1",
            "the pack's header ",
            "nothere.h does not exist\n",
        ),
    ];
    for (text, at, msg, tail) in cases {
        std::fs::write(dir.join("pack.toml"), text).unwrap();
        let err = Pack::load(&dir).err().unwrap().to_string();
        let d = diagnostic(&err, &format!("error: {msg}"), &format!("pack.toml:{at}"));
        assert!(d.contains(tail), "{text}\n{err}");
    }
    // Names the header lacks, and keys on the wrong kind of parameter.
    std::fs::write(
        dir.join("pack.toml"),
        "[pack]\nname = \"x\"\nheader = \"wcxhead.h\"\n[exports]\nrequired = [\"CloseArchiv\"]\n\
         [functions.GetPackerCaps]\nreturns-handle = true\n\
         [functions.CloseArchive]\nreleases = \"hArcData\"\n\
         [functions.PackFiles.params.Flags]\nstring-list = true\n",
    )
    .unwrap();
    let err = epy_codegen::parse(&ParseOptions {
        header: dir.join("wcxhead.h"),
        pack: Some(dir.clone()),
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    let d = diagnostic(
        &err,
        "error: [exports]: no function `CloseArchiv` in the header",
        "pack.toml:5:13",
    );
    assert!(d.contains("= help: did you mean `CloseArchive`?"), "{err}");
    assert!(d.contains("= note: its functions: CloseArchive"), "{err}");
    for (head, at) in [
        ("`returns-handle` needs a pointer result", "7:18"),
        ("`releases` names `hArcData`, which is not a handle", "9:12"),
        ("`string-list` needs a pointer to characters", "11:15"),
    ] {
        diagnostic(&err, &format!("error: {head}"), &format!("pack.toml:{at}"));
    }
}

/// A newer SDK header whose `tHeaderDataExW` ends with `MfileTime` (5192
/// bytes on 64-bit) while Double Commander 1.0.10 allocates 5184: the pack's
/// layout wins and a warning says why; constants the SDK header lacks
/// (`BACKGROUND_*` in older copies) come from the pack.
#[test]
fn sdk_records_keep_to_what_the_host_allocates() {
    for target in [
        None,
        Some("i686-pc-windows-msvc"),
        Some("x86_64-pc-windows-msvc"),
    ] {
        let own = parse("interfaces/wcx/wcxhead.h", target);
        assert!(own.warnings.is_empty(), "{:?}", own.warnings);
        let new = parse("tests/headers/sdk-dc-new/wcxplugin.h", target);
        let rec = new.struct_named("tHeaderDataExW").unwrap();
        let host = own.struct_named("tHeaderDataExW").unwrap();
        assert_eq!(rec.size, host.size, "{target:?}");
        assert!(rec.fields.iter().all(|f| f.name != "MfileTime"));
        assert_eq!(shape(&own), shape(&new), "{target:?}");
        assert_eq!(new.warnings.len(), 1, "{:?}", new.warnings);
        let w = new.warnings[0].to_string();
        assert!(
            w.contains("wcxplugin.h:")
                && w.contains("`tHeaderDataExW`")
                && w.contains(&format!(
                    "{} bytes, the host's {}",
                    host.size + 8,
                    host.size
                ))
                && w.contains("the host has no MfileTime"),
            "{w}"
        );
        let old = parse("tests/headers/sdk-old/wcxhead.h", target);
        assert!(old.warnings.is_empty(), "{:?}", old.warnings);
        for (name, value) in [
            ("BACKGROUND_UNPACK", 1),
            ("BACKGROUND_PACK", 2),
            ("BACKGROUND_MEMPACK", 4),
        ] {
            let c = old.constants.iter().find(|c| c.name == name);
            assert_eq!(
                c.map(|c| c.value.clone()),
                Some(epy_codegen::model::ConstValue::Int(value)),
                "{name} {target:?}"
            );
        }
    }
}

/// The wfx pack's records at what the hosts allocate: Double Commander 1.0.10
/// on Linux (Free Pascal's MAX_PATH 4096, packed), Total Commander on Windows
/// (260, natural); an SDK header (Total Commander's shape, or Double
/// Commander's C SDK with its own 260-character records) gives the same
/// interface, the latter with a warning per record it lays out otherwise.
#[test]
fn wfx_records_are_what_the_hosts_allocate() {
    let field = |s: &epy_codegen::model::Struct, n: &str| {
        s.fields.iter().find(|f| f.name == n).unwrap().offset
    };
    for (target, w, a, dps, alt_w, alt_a) in [
        (None, 8264, 4154, 4108, 8236, 4140),
        (Some("i686-pc-windows-msvc"), 592, 320, 272, 564, 304),
        (Some("x86_64-pc-windows-msvc"), 592, 320, 272, 564, 304),
    ] {
        let own = parse("interfaces/wfx/wfxplugin.h", target);
        let s = |n: &str| own.struct_named(n).unwrap().clone();
        assert_eq!(s("WIN32_FIND_DATAW").size, w, "{target:?}");
        assert_eq!(s("WIN32_FIND_DATAA").size, a, "{target:?}");
        assert_eq!(s("FsDefaultParamStruct").size, dps, "{target:?}");
        assert_eq!(s("RemoteInfoStruct").size, 20, "{target:?}");
        assert_eq!(field(&s("WIN32_FIND_DATAW"), "cFileName"), 44);
        assert_eq!(field(&s("WIN32_FIND_DATAW"), "cAlternateFileName"), alt_w);
        assert_eq!(field(&s("WIN32_FIND_DATAA"), "cAlternateFileName"), alt_a);
        assert_eq!(field(&s("FsDefaultParamStruct"), "DefaultIniName"), 12);
        assert_eq!(own.functions.len(), 34, "{target:?}");
        let tc = parse("tests/headers/sdk/fsplugin.h", target);
        assert_eq!(shape(&own), shape(&tc), "{target:?} (fsplugin.h)");
        assert!(tc.warnings.is_empty(), "{:?}", tc.warnings);
        let dc = parse("tests/headers/sdk-dc/wfxplugin.h", target);
        assert_eq!(shape(&own), shape(&dc), "{target:?} (wfxplugin.h)");
        if target.is_none() {
            let w: Vec<String> = dc.warnings.iter().map(|w| w.to_string()).collect();
            let w = w.join("\n");
            assert!(
                w.contains("`WIN32_FIND_DATAW` is laid out differently here than the host allocates it (592 bytes, the host's 8264)")
                    && w.contains("`FsDefaultParamStruct`"),
                "{w}"
            );
        }
        // What the pack's layer and on-error values need, whatever the SDK header defines.
        for name in [
            "INVALID_HANDLE_VALUE",
            "FILE_ATTRIBUTE_UNIX_MODE",
            "ERROR_NO_MORE_FILES",
            "FS_EXEC_ERROR",
        ] {
            assert!(dc.constants.iter().any(|c| c.name == name), "{name}");
        }
    }
}

/// The wfx pack's required set: FsInit + FsFindFirst + FsFindNext (or their
/// W forms) and FsFindClose; FsFindNext(W)/FsFindClose/FsInit(W) count when
/// the script imports the pack's own.
#[test]
fn wfx_required_exports_are_enforced() {
    let wfx = pack::find("wfx").unwrap();
    let s = |v: &[&str]| v.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    let script = Path::new("fs.py");
    let full = s(&["FsInitW", "FsFindFirstW", "FsFindNextW", "FsFindClose"]);
    assert_eq!(
        wfx.check_exports(script, &full).unwrap(),
        Vec::<String>::new()
    );
    let ansi = s(&["FsInit", "FsFindFirst", "FsFindNext", "FsFindClose"]);
    assert!(wfx.check_exports(script, &ansi).is_ok());
    let err = wfx
        .check_exports(script, &s(&["FsInitW", "FsFindFirstW"]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`FsFindClose` is required") && err.contains("missing FsFindNextW"),
        "{err}"
    );
}
