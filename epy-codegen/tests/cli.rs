//! The command line as a user meets it: errors are `file:line:col` with the
//! offending line, exit status 1, never a panic or a backtrace.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
mod support;
use support::{count, diagnostic};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn epy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_epy-codegen"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

/// Asserts exit status 1, no panic, no colour (stderr is a pipe) and each of
/// `wants` on stderr; returns stderr.
fn failed_with(out: &Output, wants: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    assert!(!err.contains('\x1b'), "colour on a pipe:\n{err}");
    for w in wants {
        assert!(err.contains(w), "missing {w:?} in:\n{err}");
    }
    err
}

#[test]
fn help_documents_the_options_real_headers_need() {
    let out = epy(&["--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for opt in [
        "-I <DIR>",
        "-D <NAME[=VALUE]>",
        "--include <FILE>",
        "declares no functions",
    ] {
        assert!(help.contains(opt), "missing {opt:?} in:\n{help}");
    }
}

#[test]
fn a_header_without_functions_says_what_to_do() {
    let out = epy(&[
        "tests/headers/generic/no_functions.h",
        "-o",
        "target/cli-no-functions",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    diagnostic(
        &err,
        "warning: the header declares no functions: name a pack, or declare the exports in a header of your own — see",
        "",
    );
    // `build` cannot make a plugin of it: the same advice, as an error.
    let dir = root().join("target/cli-no-functions-build");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("plug.py"),
        "def query(provctx: int, op: int) -> None: ...\n",
    )
    .unwrap();
    let script = dir.join("plug.py");
    let out = epy(&[
        "build",
        script.to_str().unwrap(),
        "--header",
        "tests/headers/generic/no_functions.h",
    ]);
    let err = failed_with(&out, &[]);
    diagnostic(
        &err,
        "error: the header declares no functions: name a pack",
        "",
    );
}

#[test]
fn warnings_name_what_is_left_out() {
    let out = epy(&[
        "tests/headers/generic/constructs.h",
        "-o",
        "target/cli-generic-constructs",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    for (head, at) in [
        (
            "warning: function `log_printf` is variadic",
            "tests/headers/generic/constructs.h:37:5",
        ),
        (
            "warning: function `old_style` has no prototype",
            "tests/headers/generic/constructs.h:33:5",
        ),
    ] {
        let d = diagnostic(&err, head, at);
        // The declaration's line, its name marked.
        assert!(d.contains(" │ ") && d.contains("^"), "{err}");
    }
}

#[test]
fn explain_lists_inferences_and_no_infer_turns_them_off() {
    let h = "tests/headers/generic/infer_output.h";
    let out = epy(&["--explain", h]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains(
            "tests/headers/generic/infer_output.h:4:5: output-buffer: get_name(buf) → output buffer of `maxlen` characters"
        ),
        "{said}"
    );
    assert!(!said.contains("grow"), "{said}");
    let out = epy(&["--explain", "--no-infer", h]);
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The stubs follow: the text is returned, or with --no-infer a str copy.
    let pyi = |args: &[&str], dir: &str| {
        let out = epy(&[args, &[h, "-o", dir]].concat());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::read_to_string(root().join(dir).join("infer_output_h.pyi")).unwrap()
    };
    let inferred = pyi(&[], "target/cli-infer");
    assert!(
        inferred.contains("def get_name(self, id: int, maxlen: int, /) -> tuple[int, str]:"),
        "{inferred}"
    );
    let plain = pyi(&["--no-infer"], "target/cli-no-infer");
    assert!(
        plain.contains("def get_name(self, id: int, buf: str | None, maxlen: int, /) -> int:"),
        "{plain}"
    );
}

#[test]
fn a_starter_imports_the_names_of_inline_callbacks() {
    let dir = root().join("target/cli-new-inline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = epy(&[
        "new",
        "inl",
        "--header",
        "tests/headers/generic/inline_callback.h",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = std::fs::read_to_string(dir.join("inl/inl.py")).unwrap();
    assert!(
        script.contains("from inline_callback_h import set_handler_handler\n"),
        "{script}"
    );
}

#[test]
fn bad_header_points_at_the_line() {
    let out = epy(&["tests/headers/broken.h", "-o", "target/cli-broken"]);
    let err = failed_with(&out, &[]);
    let d = diagnostic(&err, "error: expected ')'", "tests/headers/broken.h:5:18");
    assert!(d.contains("5 │ int broken(int a int b);\n"), "{err}");
    assert!(d.contains("^"), "{err}");
}

#[test]
fn missing_header_is_named() {
    failed_with(&epy(&["tests/headers/nope.h"]), &["nope.h"]);
}

#[test]
fn unknown_annotation_key_points_into_the_toml() {
    let dir = root().join("target/cli-ann");
    std::fs::create_dir_all(&dir).unwrap();
    let toml = dir.join("bad.toml");
    std::fs::write(&toml, "[functions.add]\non-eror = 1\n").unwrap();
    let out = epy(&[
        "tests/headers/bench.h",
        "--annotations",
        toml.to_str().unwrap(),
        "--emit-model",
    ]);
    let err = failed_with(&out, &[]);
    let d = diagnostic(&err, "error: unknown field `on-eror`", "bad.toml:2:1");
    assert!(d.contains("2 │ on-eror = 1\n"), "{err}");
    assert!(d.contains("= help: did you mean `on-error`?"), "{err}");
}

#[test]
fn build_refuses_a_function_the_header_does_not_declare() {
    let dir = root().join("target/cli-build");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("plug.py");
    std::fs::write(&script, "def add(a: int, b: int) -> int:\n    return a + b\n\n\ndef addd(a: int) -> int:\n    return a\n").unwrap();
    let out = epy(&[
        "build",
        script.to_str().unwrap(),
        "--header",
        "tests/headers/bench.h",
    ]);
    let err = failed_with(&out, &[]);
    let d = diagnostic(
        &err,
        "error: `addd` is not a function of the interface",
        "plug.py:5:1",
    );
    for want in [
        "5 │ def addd(a: int) -> int:\n",
        "not in the interface",
        "= help: did you mean `add`?",
        "= note: the script defines: add, addd",
        "= note: the interface declares: add,",
    ] {
        assert!(d.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn syntax_error_in_the_script_points_at_it() {
    let dir = root().join("target/cli-syntax");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("plug.py");
    std::fs::write(&script, "def add(a, b)\n    return a + b\n").unwrap();
    let out = epy(&[
        "build",
        script.to_str().unwrap(),
        "--header",
        "tests/headers/bench.h",
    ]);
    let err = failed_with(&out, &[]);
    let d = diagnostic(&err, "error: syntax error", "plug.py:1:14");
    assert!(d.contains("1 │ def add(a, b)\n"), "{err}");
}

#[test]
fn help_explains_both_commands() {
    let out = epy(&["--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success()
            && text.contains("build")
            && text.contains("--annotations")
            && text.contains("--target")
            && text.contains("`NO_COLOR`"),
        "{text}"
    );
}

/// `install --help` says what `install` registers: archive, content and
/// file-system plugins (not archives only), and which options are archive-only.
#[test]
fn install_help_names_every_plugin_kind_it_registers() {
    let out = epy(&["install", "--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    for want in [
        "(.wcx) gets a <WcxPlugin>",
        "(.wdx) a <WdxPlugin>",
        "(.wfx) a <WfxPlugin>",
        "NAME.wcx, NAME.wdx or NAME.wfx",
        "Archive plugins only: an extension",
        "Archive plugins only: PK_CAPS_*",
    ] {
        assert!(text.contains(want), "no {want:?} in:\n{text}");
    }
}

/// ANSI and W forms: both defined, or mixed, is a warning at the script's
/// `def` with the fix (here next to the missing-export error, which stops
/// the build before cargo runs).
#[test]
fn ansi_and_wide_forms_both_or_mixed_are_warned_with_the_fix() {
    let dir = root().join("target/cli-ansi-wide");
    std::fs::create_dir_all(&dir).unwrap();
    let head = "from collections.abc import Iterator\n\
                from wfxplugin_h import Entry, FsInit, FsInitW, FsFindNext, FsFindNextW\n";
    let first = "def FsFindFirst(Path: str | None, FindData: object, /) -> Iterator[Entry]:\n    yield Entry('a')\n";
    let first_w = "def FsFindFirstW(Path: str | None, FindData: object, /) -> Iterator[Entry]:\n    yield Entry('a')\n";
    std::fs::write(dir.join("both.py"), format!("{head}{first}{first_w}")).unwrap();
    let out = epy(&["build", "target/cli-ansi-wide/both.py", "--pack", "wfx"]);
    let err = failed_with(&out, &["FsFindClose"]);
    assert!(
        err.contains("both.py:3:1: warning: both forms are exported of `FsFindFirst`: a host that finds the W form calls it instead of the ANSI one")
            && err.contains("help: keep `FsFindFirstW` (Unicode paths) and remove the ANSI forms"),
        "{err}"
    );
    assert!(!err.contains("`FsInit`"), "imported pairs are meant: {err}");
    // FsFindFirst (ANSI) with the W forms of the rest.
    let mixed = "from collections.abc import Iterator\n\
                 from wfxplugin_h import Entry, FsInitW, FsFindNextW\n";
    std::fs::write(dir.join("mixed.py"), format!("{mixed}{first}")).unwrap();
    let out = epy(&["build", "target/cli-ansi-wide/mixed.py", "--pack", "wfx"]);
    let err = failed_with(&out, &[]);
    assert!(
        err.contains("mixed.py:3:1: warning: the exports mix ANSI and Unicode forms: `FsFindFirst` (ANSI only) with `FsInitW`, `FsFindNextW` (Unicode only)")
            && err.contains("help: use one set: define `FsFindFirstW` instead of `FsFindFirst`"),
        "{err}"
    );
}

/// A header a pack covers is recognised and the pack applied (said on
/// stderr); `--no-pack` reads it alone; an unknown pack lists the real ones;
/// a script missing a required export fails the build naming it.
#[test]
fn packs_on_the_command_line() {
    let out = epy(&["tests/headers/sdk/wcxhead.h", "-o", "target/cli-sdk-wcx"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("is covered by the `wcx` pack"), "{err}");
    let pyi = std::fs::read_to_string(root().join("target/cli-sdk-wcx/wcxhead_h.pyi")).unwrap();
    assert!(
        pyi.contains("def OpenArchiveW(self, ArchiveData: tOpenArchiveDataW, /) -> object:"),
        "{pyi}"
    );

    // Alone, an SDK header declares no functions and lacks windows.h's types.
    let out = epy(&[
        "tests/headers/sdk/wcxhead.h",
        "--no-pack",
        "-o",
        "target/cli-sdk-alone",
    ]);
    failed_with(&out, &["wcxhead.h:", "MAX_PATH"]);

    let out = epy(&["tests/headers/bench.h", "--pack", "nosuchpack"]);
    let err = failed_with(&out, &[]);
    let d = diagnostic(&err, "error: no interface pack `nosuchpack`", "");
    assert!(d.contains("= note: packs: ladspa, sqlite, wcx"), "{err}");

    let dir = root().join("target/cli-pack-build");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("half.py"),
        "def OpenArchiveW(d: object, /) -> object:\n    return d\n",
    )
    .unwrap();
    let out = epy(&["build", "target/cli-pack-build/half.py", "--pack", "wcx"]);
    failed_with(
        &out,
        &[
            "`CloseArchive` is required",
            "missing ReadHeaderExW, ProcessFileW",
        ],
    );
}

/// An export whose parameters cannot take the host's arguments is a build
/// error at its `def` (file:line:col) quoting the header's declaration;
/// defaults and `*args` that fit are accepted.
#[test]
fn wrong_arity_is_a_build_error_at_the_def() {
    let dir = root().join("target/cli-arity");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("arity.py"),
        "from typing import Any\n\n\ndef OpenArchiveW(d: Any, mode: int = 0) -> object:\n    return d\n\n\n\
         def ReadHeaderExW(HeaderData: Any) -> int:\n    return 10\n\n\n\
         def ProcessFileW(*args: Any) -> int:\n    return 0\n\n\n\
         def CloseArchive(h: Any, *, now: bool) -> int:\n    return 0\n",
    )
    .unwrap();
    let out = epy(&["build", "target/cli-arity/arity.py", "--pack", "wcx"]);
    let err = failed_with(&out, &[]);
    let d = diagnostic(
        &err,
        "error: `ReadHeaderExW` takes 1 parameter, but the host calls it with 2: (hArcData, HeaderData)",
        "arity.py:8:1",
    );
    assert!(
        d.contains("= note: declared at ")
            && d.contains("wcxexports.h:14:13: int DCPCALL ReadHeaderExW(HANDLE hArcData, tHeaderDataExW *HeaderData);"),
        "{err}"
    );
    diagnostic(
        &err,
        "error: `CloseArchive` takes required keyword-only parameters",
        "arity.py:16:1",
    );
    assert_eq!(count(&err, "error"), 2, "{err}");
}

/// On a terminal the diagnostics are coloured, unless `NO_COLOR` is set
/// (`script` gives the command a pseudo-terminal; on a pipe every other test
/// checks there is no colour).
#[test]
fn colour_on_a_terminal_unless_no_color() {
    let on_tty = |no_color: &str| {
        let line = format!(
            "{no_color} {} tests/headers/broken.h -o target/cli-colour",
            env!("CARGO_BIN_EXE_epy-codegen")
        );
        let out = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            .current_dir(root())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_tty("");
    assert!(
        coloured.contains("\x1b[") && coloured.contains("broken.h:5:18"),
        "{coloured}"
    );
    let plain = on_tty("NO_COLOR=1");
    assert!(
        !plain.contains('\x1b') && plain.contains("broken.h:5:18"),
        "{plain}"
    );
}
