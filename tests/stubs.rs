//! The typed stubs as their users see them: the example script type-checks
//! against the generated `.pyi` with `mypy --strict` in the README tour's
//! layout (script and header share a stem), a partial plugin checks its
//! exports with `check_exports`, and jedi (a real completion engine)
//! completes struct fields, constants and export signatures from it.
use epy_codegen::ParseOptions;
use epy_tests::*;
use std::path::PathBuf;
use std::process::Command;

/// Writes the stubs as `build` names them (`bench_h.pyi`) and the bench
/// script as `bench.py` beside them, as the README tour has it.
fn stubs_and_script(name: &str) -> PathBuf {
    let dir = scratch(name);
    let plan = epy_codegen::plan::Plan::load(&ParseOptions {
        header: root().join("tests/headers/bench.h"),
        annotations: Some(root().join("tests/headers/bench.toml")),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join(format!("{}.pyi", plan.iface.module)),
        epy_codegen::emit::python::pyi(&plan),
    )
    .unwrap();
    std::fs::copy(root().join("tests/scripts/bench.py"), dir.join("bench.py")).unwrap();
    dir
}

/// `bench.py` beside `bench.h`'s stubs: `from bench_h import Record` is the
/// stubs, never the script itself (with stubs named `bench.pyi` it was).
#[test]
fn script_named_like_its_header_passes_mypy_strict() {
    let dir = stubs_and_script("stubs-mypy");
    // The script module must also satisfy the export signatures (Exports protocol).
    std::fs::write(
        dir.join("check_exports.py"),
        "import bench_h\nimport bench\n\nexports: bench_h.Exports = bench\n",
    )
    .unwrap();
    mypy_strict_in(&dir, &["bench.py", "check_exports.py"]).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn jedi_completes_fields_constants_and_signatures() {
    let dir = stubs_and_script("stubs-jedi");
    let probe = r#"
import json, sys, jedi
project = jedi.Project(sys.argv[1])
def complete(code):
    script = jedi.Script(code, path=sys.argv[1] + "/probe.py", project=project)
    lines = code.splitlines()
    return sorted(c.name for c in script.complete(len(lines), len(lines[-1])))
def signature(code):
    script = jedi.Script(code, path=sys.argv[1] + "/probe.py", project=project)
    lines = code.splitlines()
    return [s.to_string() for s in script.get_signatures(len(lines), len(lines[-1]))]
print(json.dumps({
    "fields": complete("from bench_h import Record\ndef f(r: Record) -> None:\n    r."),
    "constants": complete("import bench_h\nbench_h.LI"),
    "enum": complete("from bench_h import Color\nColor.COLOR_"),
    "signature": signature("import bench_h\ndef g(e: bench_h.Exports) -> None:\n    e.fill("),
}))
"#;
    let out = run(Command::new(python()).arg("-c").arg(probe).arg(&dir));
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        "\"id\"",
        "\"value\"",
        "\"name\"",
        "\"where\"",
        "\"samples\"",
        "\"as_float\"",
        "\"LIMIT\"",
        "\"COLOR_GREEN\"",
    ] {
        assert!(text.contains(want), "jedi did not offer {want}: {text}");
    }
    assert!(
        text.contains("fill(r: Record, id: int, /) -> int"),
        "signature: {text}"
    );
}

const PARTIAL_WCX: &str = r#"from typing import Any

import wcxhead_h
from wcxhead_h import E_END_ARCHIVE, tHeaderDataExW, tOpenArchiveDataW


def OpenArchiveW(ArchiveData: tOpenArchiveDataW) -> object:
    return [ArchiveData.ArcName]


def ReadHeaderExW(hArcData: Any, HeaderData: tHeaderDataExW) -> int:
    return E_END_ARCHIVE


def ProcessFileW(hArcData: Any, Operation: int, DestPath: str | None, DestName: str | None) -> int:
    return 0


def CloseArchive(hArcData: Any) -> int:
    return 0


wcxhead_h.check_exports(
    OpenArchiveW=OpenArchiveW,
    ReadHeaderExW=ReadHeaderExW,
    ProcessFileW=ProcessFileW,
    CloseArchive=CloseArchive,
)
"#;

/// A WCX plugin defines some of the 28 exports (`Exports` needs all):
/// `check_exports` names those it defines and mypy checks each signature.
#[test]
fn partial_plugin_checks_its_exports() {
    let dir = scratch("stubs-partial");
    let plan = epy_codegen::plan::Plan::load(&ParseOptions {
        header: root().join("interfaces/wcx/wcxhead.h"),
        pack: Some(root().join("interfaces/wcx")),
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("wcxhead_h.pyi"),
        epy_codegen::emit::python::pyi(&plan),
    )
    .unwrap();
    std::fs::write(dir.join("partial.py"), PARTIAL_WCX).unwrap();
    mypy_strict_in(&dir, &["partial.py"]).unwrap_or_else(|e| panic!("{e}"));
    // One parameter short: mypy names the export and both signatures.
    let broken = PARTIAL_WCX.replace("(hArcData: Any, HeaderData:", "(HeaderData:");
    std::fs::write(dir.join("partial.py"), broken).unwrap();
    let text = mypy_strict_in(&dir, &["partial.py"]).expect_err("one parameter short");
    assert!(
        text.contains("Argument \"ReadHeaderExW\" to \"check_exports\" has incompatible type")
            && text.contains("Callable[[Any, tHeaderDataExW], int]"),
        "{text}"
    );
    assert_eq!(text.matches("error:").count(), 1, "{text}");
}
