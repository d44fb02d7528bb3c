//! What the generated stubs tell the script's author beyond Python types:
//! header comments of every form as docstrings, the C width and range of
//! every integer, the header's name, and `check_exports`.
use epy_codegen::ParseOptions;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn pyi(header: &str, pack: Option<&str>) -> (String, String) {
    let plan = epy_codegen::plan::Plan::load(&ParseOptions {
        header: root().join(header),
        pack: pack.map(|p| root().join(p)),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    (
        plan.iface.module.clone(),
        epy_codegen::emit::python::pyi(&plan),
    )
}

fn has(text: &str, want: &str) {
    assert!(text.contains(want), "missing:\n{want}\nin:\n{text}");
}

/// SDK headers comment with plain `/* … */` and `// …`, often after the
/// item on its line: those are docstrings too.
#[test]
fn plain_and_trailing_comments_are_docstrings() {
    let (module, text) = pyi("tests/headers/comments.h", None);
    assert_eq!(module, "comments_h");
    for want in [
        "E_END_ARCHIVE: Final = 10\n\"\"\"No more files in archive\"\"\"",
        "E_NO_MEMORY: Final = 11\n\"\"\"Not enough memory\"\"\"",
        "E_EOPEN: Final = 15\n\"\"\"Cannot open the file.\"\"\"",
        "MODE_A: Final = 0\nMODE_B: Final = 1\n",
        "E_SLASH: Final = \"a/*b\"\n\"\"\"the string holds a comment opener\"\"\"",
        "class tHeaderData:\n    \"\"\"A header record.\"\"\"",
        "def ArcName(self) -> str:\n        \"\"\"Archive name\"\"\"",
        "\"\"\"Reads the next header.\n",
    ] {
        has(&text, want);
    }
}

/// `FileCRC: int` hid that C holds an `int32_t` (a CRC >= 2**31 fails at
/// run time): fields and exports say the C width and range.
#[test]
fn integers_show_their_c_width_and_range() {
    let (_, text) = pyi("tests/headers/comments.h", None);
    has(
        &text,
        "FileCRC: int\n    \"\"\"CRC of the file\n\n    `int32_t`: -2147483648 to 2147483647\"\"\"",
    );
    has(
        &text,
        "Flags: int\n    \"\"\"three bits\n\n    `uint32_t : 3`: 0 to 7\"\"\"",
    );
    has(
        &text,
        "C: `int32_t ReadHeader(void *hArcData, tHeaderData *HeaderData)`",
    );
    let (_, wcx) = pyi("interfaces/wcx/wcxhead.h", Some("interfaces/wcx"));
    has(
        &wcx,
        "FileCRC: int\n    \"\"\"`int32_t`: -2147483648 to 2147483647\"\"\"",
    );
    has(&wcx, "`uint32_t`: 0 to 4294967295");
}

/// The module docstring names the header the stubs are for (it named the
/// pack's declarations file, wcxexports.h) and how to check exports.
#[test]
fn module_docstring_names_the_header_and_the_checks() {
    let (module, text) = pyi("interfaces/wcx/wcxhead.h", Some("interfaces/wcx"));
    assert_eq!(module, "wcxhead_h");
    has(
        &text,
        "\"\"\"Types and constants of wcxhead.h, as the plugin script sees them.",
    );
    has(&text, "`from wcxhead_h import ...` in the script.");
    has(&text, "`wcxhead_h.check_exports(name=name, ...)`");
    has(
        &text,
        "    ReadHeaderExW: Callable[[Any, tHeaderDataExW], int] = ...,\n",
    );
}
