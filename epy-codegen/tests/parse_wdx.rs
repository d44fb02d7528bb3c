//! The WDX pack lays its records out as the hosts allocate them: Double
//! Commander 1.0.10 on Linux (FPC's MAX_PATH 4096: ContentDefaultParamStruct
//! is 4108 bytes, DefaultIniName at 12) and Total Commander on both Windows
//! targets (MAX_PATH 260: 272 bytes); the date and time records are 6 bytes.
use epy_codegen::ParseOptions;
use epy_codegen::model::Interface;
use std::path::{Path, PathBuf};

fn pack_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../interfaces/wdx")
}

fn parse(target: Option<&str>) -> Interface {
    epy_codegen::parse(&ParseOptions {
        header: pack_dir().join("wdxplugin.h"),
        target: target.map(str::to_owned),
        pack: Some(pack_dir()),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"))
}

/// (size, [(field, offset)]) of struct `name`.
fn layout(iface: &Interface, name: &str) -> (usize, Vec<(String, usize)>) {
    let s = iface.structs.iter().find(|s| s.name == name).unwrap();
    let fields = s
        .fields
        .iter()
        .map(|f| (f.name.clone(), f.offset))
        .collect();
    (s.size, fields)
}

fn fields(list: &[(&str, usize)]) -> Vec<(String, usize)> {
    list.iter().map(|(n, o)| (n.to_string(), *o)).collect()
}

#[test]
fn records_have_the_hosts_sizes_and_offsets() {
    for (target, params_size) in [
        (None, 4108),
        (Some("i686-pc-windows-msvc"), 272),
        (Some("x86_64-pc-windows-msvc"), 272),
    ] {
        let iface = parse(target);
        assert_eq!(
            layout(&iface, "ContentDefaultParamStruct"),
            (
                params_size,
                fields(&[
                    ("size", 0),
                    ("PluginInterfaceVersionLow", 4),
                    ("PluginInterfaceVersionHi", 8),
                    ("DefaultIniName", 12),
                ])
            ),
            "{target:?}"
        );
        assert_eq!(
            layout(&iface, "tdateformat"),
            (6, fields(&[("wYear", 0), ("wMonth", 2), ("wDay", 4)])),
            "{target:?}"
        );
        assert_eq!(
            layout(&iface, "ttimeformat"),
            (6, fields(&[("wHour", 0), ("wMinute", 2), ("wSecond", 4)])),
            "{target:?}"
        );
    }
}

#[test]
fn the_value_buffer_and_text_outputs_are_marshalled_as_the_layer_needs() {
    let iface = parse(None);
    let get = iface.function_named("ContentGetValueW").unwrap();
    // FieldValue: a memoryview of maxlen bytes; FileName UTF-16.
    let value = get
        .sig
        .params
        .iter()
        .find(|p| p.name == "FieldValue")
        .unwrap();
    assert_eq!(value.length.as_deref(), Some("maxlen"));
    let field = iface.function_named("ContentGetSupportedField").unwrap();
    let outputs = field.sig.params.iter().filter(|p| p.role.is_some()).count();
    assert_eq!(outputs, 2, "FieldName and Units are both output buffers");
    assert!(
        iface
            .python_layer
            .as_deref()
            .unwrap_or("")
            .contains("def field(")
    );
}

/// A decorated `def` (the layer's `@field`) is what its decorator makes it:
/// not an error when the interface does not declare its name, and no arity
/// check; an undecorated stray `def` still is an error.
#[test]
fn decorated_defs_are_not_stray_exports() {
    use epy_codegen::script::{select_exports, top_level_functions};
    let dir = std::env::temp_dir().join(format!("epy-parse-wdx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("cols.py");
    std::fs::write(
        &script,
        "from wdxplugin_h import ContentGetSupportedField, ContentGetValueW, field\n\
         @field('Width', int)\n\
         def width(path):\n    return 1\n",
    )
    .unwrap();
    let declared: Vec<String> = parse(None)
        .functions
        .iter()
        .map(|f| f.name.clone())
        .collect();
    let funcs = top_level_functions(&script, "python3").unwrap();
    let width = funcs.iter().find(|f| f.name == "width").unwrap();
    assert!(width.alias && width.arity.is_none(), "{width:?}");
    assert_eq!(
        select_exports(&funcs, &declared).unwrap(),
        ["ContentGetSupportedField", "ContentGetValueW"]
    );
    std::fs::write(&script, "def width(path):\n    return 1\n").unwrap();
    let funcs = top_level_functions(&script, "python3").unwrap();
    let err = select_exports(&funcs, &declared).unwrap_err().to_string();
    assert!(
        err.contains("`width` is not a function of the interface"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
