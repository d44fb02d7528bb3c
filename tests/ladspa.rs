//! LADSPA: Python effects built with the ladspa pack, run by the real SDK
//! hosts (`listplugins`, `analyseplugin`, `applyplugin`) on generated WAV
//! files and verified sample by sample (`tests/ladspa/check_apply.py` models
//! the host's sample conversion exactly), two instances keeping separate
//! state, and an exception in run() giving silence.
use epy_tests::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn check(script: &str, args: &[&str]) -> String {
    let out = run(Command::new(python())
        .arg(root().join("tests/ladspa").join(script))
        .args(args));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{script} {args:?}:\n{text}");
    text
}

fn built(script: &str, dir: &Path) -> (PathBuf, String) {
    let lib = build_with_pack(script, "ladspa", dir, None);
    let s = lib.to_string_lossy().into_owned();
    (lib, s)
}

#[test]
fn gain_in_applyplugin_is_exact() {
    let dir = scratch("ladspa-gain");
    let (_, lib) = built("examples/ladspa-gain/gain.py", &dir);
    check("check_analyse.py", &[&lib, "epy_gain"]);
    for args in [
        &["--control", "1"][..],
        &["--control", "0.5"],
        &["--control", "2.5", "--rate", "48000"],
    ] {
        let out = check(
            "check_apply.py",
            &[&[lib.as_str(), "--label", "epy_gain"][..], args].concat(),
        );
        assert!(out.contains("max |diff| 0 LSB, OK"), "{out}");
    }
}

#[test]
fn lowpass_in_applyplugin_matches_the_reference_and_keeps_state_per_instance() {
    let dir = scratch("ladspa-lowpass");
    let (_, lib) = built("examples/ladspa-lowpass/lowpass.py", &dir);
    check("check_analyse.py", &[&lib, "epy_lowpass"]);
    // 32768 Hz x 0.5 s = 8 blocks of 2048: applyplugin then also calls run(h, 0).
    for args in [
        &[][..],
        &["--control", "1000", "--rate", "32768"],
        &["--control", "10"],
        &["--control", "20000", "--rate", "48000", "--seconds", "1"],
    ] {
        let out = check(
            "check_apply.py",
            &[&[lib.as_str(), "--label", "epy_lowpass"][..], args].concat(),
        );
        assert!(out.contains(", OK"), "{out}");
    }
    let host = dir.join("two_instances");
    let status = Command::new("gcc")
        .args(["-O2", "-o"])
        .arg(&host)
        .arg(root().join("tests/ladspa/two_instances.c"))
        .args(["-ldl", "-lm"])
        .status()
        .unwrap();
    assert!(status.success());
    let out = run(Command::new(&host).args([lib.as_str(), "epy_lowpass"]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("two_instances: ok"),
        "{text}"
    );
}

#[test]
fn an_exception_in_run_gives_silence_and_one_log_entry_a_second() {
    let dir = scratch("ladspa-raises");
    let (lib, lib_s) = built("tests/scripts/ladspa/raises.py", &dir);
    let out = check(
        "check_apply.py",
        &[
            &lib_s,
            "--label",
            "epy_gain",
            "--control",
            "1",
            "--expect-silence",
        ],
    );
    assert!(out.contains("OK"), "{out}");
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap();
    // ~12 blocks in well under a second: one traceback, not twelve.
    assert_eq!(
        log.matches("LADSPA_Descriptor.run() raised").count(),
        1,
        "{log}"
    );
    assert!(
        log.contains("ZeroDivisionError: run() is broken on purpose"),
        "{log}"
    );
}

#[test]
fn examples_pass_mypy_strict_against_the_stubs() {
    for (script, name) in [
        ("examples/ladspa-gain/gain.py", "mypy-gain"),
        ("examples/ladspa-gain/gain_numpy.py", "mypy-gain-numpy"),
        ("examples/ladspa-lowpass/lowpass.py", "mypy-lowpass"),
    ] {
        let dir = scratch(&format!("ladspa-{name}"));
        build_with_pack(script, "ladspa", &dir, None);
        let file = dir.join(Path::new(script).file_name().unwrap());
        mypy_strict(&file).unwrap_or_else(|e| panic!("{script}: {e}"));
    }
}

/// numpy on the host's buffers (`numpy.frombuffer` over the ports, in-place
/// multiply), in the main interpreter as its sidecar asks: exact in applyplugin.
#[test]
fn numpy_gain_in_applyplugin_is_exact() {
    let dir = scratch("ladspa-numpy");
    std::fs::copy(
        root().join("examples/ladspa-gain/gain_numpy.toml"),
        dir.join("gain_numpy.toml"),
    )
    .unwrap();
    let (lib, lib_s) = built("examples/ladspa-gain/gain_numpy.py", &dir);
    for control in ["1", "0.5", "2.5"] {
        let out = check(
            "check_apply.py",
            &[&lib_s, "--label", "epy_gain", "--control", control],
        );
        assert!(out.contains("max |diff| 0 LSB, OK"), "{out}");
    }
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
    assert!(!log.contains("raised"), "{log}");
}
