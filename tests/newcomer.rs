//! A newcomer's first plugins: `epy-codegen new` starters for every pack
//! (build as written, pass `mypy --strict`, work in a host) and the small
//! first examples (`examples/wcx-minimal`, `examples/ladspa-minimal`), all
//! driven through the `epy-codegen` binary as a user types it.
use epy_tests::*;
use std::path::Path;
use std::process::Command;

fn ok(cmd: &mut Command) -> String {
    let out = run(cmd);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

fn fails(cmd: &mut Command) -> String {
    let out = run(cmd);
    assert!(!out.status.success(), "{cmd:?} succeeded");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// wcx_host --read-only over `archive`: the entries it listed.
fn wcx_list(plugin: &Path, archive: &Path, dir: &Path) -> Vec<String> {
    let host = compile_host("wcx_host", dir, &[]);
    let out_dir = dir.join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let out = run(Command::new(&host)
        .arg("--read-only")
        .arg(plugin)
        .arg(archive)
        .arg(&out_dir)
        .args(["unused", "unused"]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    stdout
        .lines()
        .filter_map(|l| l.strip_prefix("entry "))
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn new_wcx_starter_builds_type_checks_and_lists_an_archive() {
    let dir = scratch("new-wcx");
    let next = ok(&mut shell("epy-codegen new myarc --pack wcx", &dir));
    for step in [
        "epy-codegen build myarc.py --pack wcx",
        "python3 -m mypy --strict myarc.py",
        "epy-codegen install myarc.wcx --host doublecmd",
        "myarc.log",
    ] {
        assert!(next.contains(step), "the next steps lack `{step}`:\n{next}");
    }
    let folder = dir.join("myarc");
    ok(&mut shell("epy-codegen build myarc.py --pack wcx", &folder));
    mypy_strict(&folder.join("myarc.py")).unwrap_or_else(|e| panic!("{e}"));
    // Its exports are named in check_exports: mypy checks them against the header.
    let src = std::fs::read_to_string(folder.join("myarc.py")).unwrap();
    for export in [
        "OpenArchiveW",
        "ReadHeaderExW",
        "ProcessFileW",
        "CloseArchive",
    ] {
        assert!(src.contains(&format!("{export}={export}")), "{src}");
    }
    let archive = folder.join("a.myarc");
    std::fs::write(&archive, "one.txt\nsub/two.txt\n").unwrap();
    let listed = wcx_list(&folder.join("myarc.wcx"), &archive, &folder);
    assert_eq!(listed, ["one.txt 0", "sub/two.txt 0"]);
    assert!(folder.join("out/sub/two.txt").is_file());
    // `new` never overwrites.
    let err = fails(&mut shell("epy-codegen new myarc --pack wcx", &dir));
    assert!(err.contains("exists already"), "{err}");
}

#[test]
fn new_ladspa_starter_builds_type_checks_and_runs_in_applyplugin() {
    let dir = scratch("new-ladspa");
    // Named epy_gain: the starter is a gain, which check_apply.py models exactly.
    ok(&mut shell("epy-codegen new epy_gain --pack ladspa", &dir));
    let folder = dir.join("epy_gain");
    ok(&mut shell(
        "epy-codegen build epy_gain.py --pack ladspa",
        &folder,
    ));
    mypy_strict(&folder.join("epy_gain.py")).unwrap_or_else(|e| panic!("{e}"));
    let lib = folder.join("epy_gain.so");
    let out = ok(Command::new(python())
        .arg(root().join("tests/ladspa/check_apply.py"))
        .arg(&lib)
        .args(["--label", "epy_gain", "--control", "0.5"]));
    assert!(out.contains("max |diff| 0 LSB, OK"), "{out}");
}

#[test]
fn new_sqlite_starter_builds_type_checks_and_runs_in_the_sqlite3_shell() {
    let dir = scratch("new-sqlite");
    let next = ok(&mut shell("epy-codegen new demo --pack sqlite", &dir));
    // The starter imports `sqlite`: its stubs are sqlite.pyi.
    assert!(
        next.contains("and sqlite.pyi for your editor")
            && next.contains("against sqlite.pyi")
            && next.contains("sqlite3 :memory: '.load ./demo' \"select demo_upper('hi')\""),
        "{next}"
    );
    let folder = dir.join("demo");
    let built = ok(&mut shell(
        "epy-codegen build demo.py --pack sqlite",
        &folder,
    ));
    // Nothing about the pack's own header; the pack's entry points counted.
    assert!(
        !built.contains("warning") && !built.contains("sqlite3.h"),
        "{built}"
    );
    assert!(
        built.contains("building demo.so (2 exports)")
            && built.contains("(exports: sqlite3_extension_init, sqlite3_demo_init)"),
        "{built}"
    );
    mypy_strict(&folder.join("demo.py")).unwrap_or_else(|e| panic!("{e}"));
    let script = std::fs::read_to_string(folder.join("demo.py")).unwrap();
    assert!(script.contains("(text: SqlArg)"), "{script}");
    let out = ok(Command::new("sqlite3").current_dir(&folder).args([
        ":memory:",
        ".load ./demo",
        "select demo_upper('hi'), (select demo_total(value) from demo_range(1, 5))",
    ]));
    assert_eq!(out.trim(), "HI|10.0", "{out}");
}

#[test]
fn new_with_a_header_stubs_every_function() {
    let dir = scratch("new-header");
    let h = root().join("tests/headers/bench.h");
    let a = root().join("tests/headers/bench.toml");
    let line = format!(
        "epy-codegen new tour --header {} --annotations {}",
        h.display(),
        a.display()
    );
    ok(&mut shell(&line, &dir));
    let folder = dir.join("tour");
    let script = std::fs::read_to_string(folder.join("tour.py")).unwrap();
    assert!(
        script.contains("def add(a: int, b: int, /) -> int:\n    \"\"\"Adds two ints.\"\"\"\n    raise NotImplementedError(\"TODO: add\")"),
        "{script}"
    );
    let line = format!(
        "epy-codegen build tour.py --header {} --annotations {}",
        h.display(),
        a.display()
    );
    ok(&mut shell(&line, &folder));
    mypy_strict(&folder.join("tour.py")).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn new_says_what_is_wrong() {
    let dir = scratch("new-errors");
    let err = fails(&mut shell("epy-codegen new 9lives --pack wcx", &dir));
    assert!(
        err.contains("`9lives` cannot be a plugin name") && err.contains("`_9lives`"),
        "{err}"
    );
    let err = fails(&mut shell("epy-codegen new x --pack wxc", &dir));
    assert!(
        err.contains("error: no interface pack `wxc`")
            && err.contains("= help: did you mean `wcx`?")
            && err.contains("= note: packs: ladspa, sqlite, wcx"),
        "{err}"
    );
    std::fs::write(
        dir.join("half.py"),
        "from typing import Any\n\ndef CloseArchive(hArcData: Any, /) -> int:\n    return 0\n",
    )
    .unwrap();
    let err = fails(&mut shell("epy-codegen build half.py --pack wcx", &dir));
    assert!(
        err.contains("half.py: the `wcx` interface needs functions the script does not define")
            && err.contains("OpenArchiveW + ReadHeaderExW + ProcessFileW")
            && err.contains("epy-codegen new NAME --pack wcx"),
        "{err}"
    );
    let help = ok(&mut shell("epy-codegen --help", &dir));
    assert!(help.contains("new") && help.contains("install"), "{help}");
}

#[test]
fn wcx_minimal_example_lists_and_extracts_then_says_when_its_script_is_gone() {
    let dir = scratch("wcx-minimal");
    std::fs::copy(
        root().join("examples/wcx-minimal/textarc.py"),
        dir.join("textarc.py"),
    )
    .unwrap();
    let lines = std::fs::read_to_string(dir.join("textarc.py")).unwrap();
    assert!(
        lines.lines().count() <= 80,
        "examples/wcx-minimal must stay small"
    );
    ok(&mut shell("epy-codegen build textarc.py --pack wcx", &dir));
    mypy_strict(&dir.join("textarc.py")).unwrap_or_else(|e| panic!("{e}"));
    for export in [
        "OpenArchiveW",
        "ReadHeaderExW",
        "ProcessFileW",
        "CloseArchive",
    ] {
        assert!(lines.contains(&format!("{export}={export}")), "{lines}");
    }
    let archive = dir.join("notes.txa");
    std::fs::write(&archive, "--- hello.txt\nHello\n--- todo.txt\none\ntwo\n").unwrap();
    let plugin = dir.join("textarc.wcx");
    assert_eq!(
        wcx_list(&plugin, &archive, &dir),
        ["hello.txt 6", "todo.txt 8"]
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("out/todo.txt")).unwrap(),
        "one\ntwo\n"
    );
    // The script deleted after the build: every call fails, the log says why.
    std::fs::remove_file(dir.join("textarc.py")).unwrap();
    let host = dir.join("wcx_host");
    let out = run(Command::new(&host)
        .arg("--read-only")
        .arg(&plugin)
        .arg(&archive)
        .arg(dir.join("out"))
        .args(["unused", "unused"]));
    assert!(!out.status.success());
    let log = std::fs::read_to_string(dir.join("textarc.log")).unwrap();
    assert!(
        log.contains(&format!(
            "no plugin script: looked for {}",
            dir.join("textarc.py").display()
        )),
        "{log}"
    );
}

#[test]
fn ladspa_minimal_example_inverts_in_applyplugin() {
    let dir = scratch("ladspa-minimal");
    std::fs::copy(
        root().join("examples/ladspa-minimal/invert.py"),
        dir.join("invert.py"),
    )
    .unwrap();
    ok(&mut shell(
        "epy-codegen build invert.py --pack ladspa",
        &dir,
    ));
    mypy_strict(&dir.join("invert.py")).unwrap_or_else(|e| panic!("{e}"));
    // applyplugin reads s/32768 and writes floor(y*32768): -s exactly.
    let out = ok(shell(
        "python3 -c \"import wave, struct\n\
w = wave.open('in.wav', 'wb'); w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)\n\
w.writeframes(struct.pack('<5000h', *[(i * 7919) % 65535 - 32767 for i in range(5000)])); w.close()\"\n\
         applyplugin in.wav out.wav ./invert.so epy_invert\n\
         python3 -c \"import wave, struct\n\
a, b = (wave.open(f, 'rb') for f in ('in.wav', 'out.wav'))\n\
x = struct.unpack('<5000h', a.readframes(5000)); y = struct.unpack('<5000h', b.readframes(5000))\n\
bad = [(s, t) for s, t in zip(x, y) if t != -s]\n\
print('inverted', len(x) - len(bad), 'of', len(x), bad[:3])\"",
        &dir,
    )
    .env("LADSPA_PATH", &dir));
    assert!(out.contains("inverted 5000 of 5000 []"), "{out}");
}

/// Double Commander rewrites doublecmd.xml when it quits: `install` refuses a
/// configuration a running one uses (here a stand-in process named
/// `doublecmd`), and registers once it is gone.
#[test]
fn install_refuses_the_config_of_a_running_double_commander() {
    let dir = scratch("install-running");
    std::fs::copy(
        root().join("examples/wcx-minimal/textarc.py"),
        dir.join("textarc.py"),
    )
    .unwrap();
    ok(&mut shell("epy-codegen build textarc.py --pack wcx", &dir));
    let cfg = dir.join("cfg");
    std::fs::create_dir_all(&cfg).unwrap();
    let fake = dir.join("doublecmd");
    // A shell script: the process is named after it and waits on its stdin.
    std::fs::write(&fake, "#!/bin/sh\nread line\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut dc = Command::new(&fake)
        .arg(format!("--config-dir={}", cfg.display()))
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let line = format!(
        "epy-codegen install textarc.wcx --host doublecmd --config-dir {}",
        cfg.display()
    );
    let mut refused = String::new();
    for _ in 0..50 {
        let comm = std::fs::read_to_string(format!("/proc/{}/comm", dc.id())).unwrap_or_default();
        if comm.trim() == "doublecmd" {
            refused = fails(&mut shell(&line, &dir));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    dc.kill().unwrap();
    dc.wait().unwrap();
    assert!(
        refused.contains(&format!("Double Commander is running (pid {})", dc.id()))
            && refused.contains("Quit Double Commander, then run this again"),
        "{refused}"
    );
    assert!(!cfg.join("doublecmd.xml").exists());
    ok(&mut shell(&line, &dir));
    let xml = std::fs::read_to_string(cfg.join("doublecmd.xml")).unwrap();
    assert!(xml.contains("<ArchiveExt>txa</ArchiveExt>"), "{xml}");
}

/// Generated crates live in the cache and the cargo target directory is
/// shared: two plugins of the same name in different folders (here both
/// `raises`) keep their own libraries however their builds interleave.
#[test]
fn plugins_named_alike_in_different_folders_keep_their_own_exports() {
    let (a, b) = (scratch("alike-wcx"), scratch("alike-ladspa"));
    let has = |lib: &Path, name: &str| {
        let bytes = std::fs::read(lib).unwrap();
        bytes.windows(name.len()).any(|w| w == name.as_bytes())
    };
    let wcx = build_with_pack("tests/scripts/wcx/raises.py", "wcx", &a, None);
    let ladspa = build_with_pack("tests/scripts/ladspa/raises.py", "ladspa", &b, None);
    let wcx_again = build_with_pack("tests/scripts/wcx/raises.py", "wcx", &a, None);
    assert_eq!(wcx, wcx_again);
    assert!(has(&wcx, "OpenArchiveW"), "the wcx plugin lost its exports");
    assert!(!has(&ladspa, "OpenArchiveW") && has(&ladspa, "ladspa_descriptor"));
}
