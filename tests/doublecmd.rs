//! Double Commander itself (doublecmd-gtk under Xvfb, driven with xdotool by
//! `tests/doublecmd/dc_wcx.sh`) using the Python tar plugin: it opens a tar
//! archive made by `tar`, lists it (screenshot kept), extracts a member with
//! F5 and packs a new archive with Alt+F5 — once over the Unicode exports and
//! once with an ANSI-only build, and once registered in a configuration that
//! only `epy-codegen install` wrote; and it survives a plugin whose every
//! export raises. Screenshots: target/artifacts/.
use epy_tests::*;
use std::process::Command;

/// `register`: the plugin entry comes from `epy-codegen install` (extension
/// given, Flags from the plugin's GetPackerCaps), not from the driver.
fn double_commander(variant: &str, script: &str, register: bool) {
    let dir = scratch(&format!("doublecmd-{variant}"));
    // The ANSI build re-exports the example's functions: the example sits beside it.
    std::fs::copy(
        root().join("examples/wcx-tar/tarwcx.py"),
        dir.join("tarwcx.py"),
    )
    .unwrap();
    let plugin = build_with_pack(script, "wcx", &dir, None);
    let arc = dir.join("arc");
    std::fs::create_dir_all(&arc).unwrap();
    std::fs::write(arc.join("hello.txt"), "Hello from a Python WCX plugin\n").unwrap();
    std::fs::write(arc.join("readme.md"), "second member\n").unwrap();
    let archive = dir.join("test.tar");
    let made = Command::new("tar")
        .arg("-cf")
        .arg(&archive)
        .arg("-C")
        .arg(&arc)
        .args(["hello.txt", "readme.md"])
        .status()
        .unwrap();
    assert!(made.success());
    // GUI automation on a loaded 2-core machine: a run that fails is tried
    // once more from scratch (said in the output), never more.
    let register = register.then(|| {
        format!(
            "{} install {} --host doublecmd --ext tar",
            epy_codegen().display(),
            plugin.display()
        )
    });
    let register = register.as_deref();
    let mut work = dir.join("dc");
    let mut out = drive(&plugin, &archive, &work, register);
    if !out.status.success() {
        println!(
            "{variant}: first Double Commander run failed, retrying once:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        work = dir.join("dc-retry");
        out = drive(&plugin, &archive, &work, register);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let artifacts = root().join("target/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    for shot in ["dc_list.png", "fail.png"] {
        if work.join(shot).is_file() {
            let to = artifacts.join(format!("doublecmd-{variant}-{shot}"));
            std::fs::copy(work.join(shot), &to).unwrap();
            println!("screenshot: {}", to.display());
        }
    }
    let log = std::fs::read_to_string(plugin.with_extension("log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains("PASS"),
        "{variant}: Double Commander run failed:\n{stdout}\nplugin log:\n{log}\nDC log: {}",
        work.join("dc.log").display()
    );
    assert!(work.join("dc_list.png").is_file());
    if register.is_some() {
        let cfg = std::fs::read_to_string(work.join("cfg/doublecmd.xml")).unwrap();
        assert!(cfg.contains("<Flags>79</Flags>"), "{variant}: {cfg}");
    }
    assert_eq!(
        std::fs::read_to_string(work.join("out/hello.txt")).unwrap(),
        "Hello from a Python WCX plugin\n",
        "{variant}: F5 extracted the wrong bytes"
    );
    let listing = Command::new("tar")
        .arg("-tf")
        .arg(work.join("dest/a.tar"))
        .output()
        .unwrap();
    assert!(
        listing.status.success(),
        "{variant}: tar cannot read what Alt+F5 packed"
    );
    assert_eq!(String::from_utf8_lossy(&listing.stdout).trim(), "a.txt");
    assert!(
        !log.contains("raised"),
        "{variant}: the plugin raised:\n{log}"
    );
}

fn drive(
    plugin: &std::path::Path,
    archive: &std::path::Path,
    work: &std::path::Path,
    register: Option<&str>,
) -> std::process::Output {
    let mut cmd = dc_wcx(plugin, archive, work);
    if let Some(r) = register {
        cmd.args(["--register", r]);
    }
    run(&mut cmd)
}

fn dc_wcx(plugin: &std::path::Path, archive: &std::path::Path, work: &std::path::Path) -> Command {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("tests/doublecmd/dc_wcx.sh"))
        .arg("--plugin")
        .arg(plugin)
        .args(["--ext", "tar", "--archive"])
        .arg(archive)
        .args(["--member", "hello.txt", "--work"])
        .arg(work);
    cmd
}

/// A plugin whose every export raises (tests/scripts/wcx/raises.py): Double
/// Commander opens the archive through it, gets the pack's error values (an
/// empty listing) and stays up and responsive; the tracebacks are in the log.
fn double_commander_survives_exceptions() {
    let dir = scratch("doublecmd-raises");
    let plugin = build_with_pack("tests/scripts/wcx/raises.py", "wcx", &dir, None);
    let archive = dir.join("test.tar");
    std::fs::write(dir.join("hello.txt"), "hello\n").unwrap();
    let made = Command::new("tar")
        .arg("-cf")
        .arg(&archive)
        .arg("-C")
        .arg(&dir)
        .arg("hello.txt")
        .status()
        .unwrap();
    assert!(made.success());
    let work = dir.join("dc");
    let out = run(dc_wcx(&plugin, &archive, &work).arg("--expect-error"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    if work.join("dc_error.png").is_file() {
        let to = root().join("target/artifacts/doublecmd-raises-dc_error.png");
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(work.join("dc_error.png"), &to).unwrap();
    }
    assert!(
        out.status.success() && stdout.contains("DC stayed up"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(plugin.with_extension("log")).unwrap_or_default();
    assert!(log.contains("ReadHeaderExW() raised"), "{log}");
}

/// One test, the variants in turn: two GUI sessions at once on a 2-core
/// machine only make both slower.
#[test]
fn double_commander_uses_the_python_tar_plugin() {
    double_commander("unicode", "examples/wcx-tar/tarwcx.py", false);
    double_commander("ansi", "tests/scripts/wcx/tar_ansi.py", false);
    double_commander("installed", "examples/wcx-tar/tarwcx.py", true);
    double_commander_survives_exceptions();
}
