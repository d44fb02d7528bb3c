//! The WCX test host (Double Commander's call sequences over the `...W`
//! exports, built on `interfaces/wcx/wcxhead.h`) checked against Double
//! Commander's own zip plugin: the listing matches Python's `zipfile`, members
//! extract on a worker thread, an archive it packs reads back, a delete sticks.
use epy_tests::*;
use std::path::Path;
use std::process::Command;

const ZIP_WCX: &str = "/usr/lib/doublecmd/plugins/wcx/zip/zip.wcx";

fn py(code: &str, args: &[&Path]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn wcx_host_drives_double_commanders_zip_plugin() {
    assert!(
        Path::new(ZIP_WCX).is_file(),
        "{ZIP_WCX} is missing: run tools/setup.sh (doublecmd-plugins)"
    );
    let dir = scratch("wcx-zip");
    let (archive, out, packed, src) = (
        dir.join("in.zip"),
        dir.join("out"),
        dir.join("new.zip"),
        dir.join("src"),
    );
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(src.join("a.txt"), "hello\n").unwrap();
    std::fs::write(src.join("sub/b.txt"), "world\n").unwrap();
    let expected = py(
        "import sys, zipfile\n\
         with zipfile.ZipFile(sys.argv[1], 'w') as z:\n\
         \x20   z.writestr('one.txt', '1' * 100); z.writestr('dir/two.txt', '22'); z.writestr('three.bin', bytes(range(256)) * 10)\n\
         for i in zipfile.ZipFile(sys.argv[1]).infolist(): print(f'entry {i.filename} {i.file_size}')\n",
        &[&archive],
    );
    let host = compile_host("wcx_host", &dir, &[]);
    let run_out = run(Command::new(&host)
        .arg(ZIP_WCX)
        .args([&archive, &out, &packed, &src]));
    let stdout = String::from_utf8_lossy(&run_out.stdout);
    assert!(
        run_out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    // "entry NAME SIZE MODE MTIME": zipfile knows names and sizes.
    let listed: Vec<String> = stdout
        .lines()
        .filter(|l| l.starts_with("entry "))
        .map(|l| l.rsplitn(3, ' ').nth(2).unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        listed,
        expected.lines().collect::<Vec<_>>(),
        "listing differs from zipfile's"
    );
    assert_eq!(std::fs::read(out.join("dir/two.txt")).unwrap(), b"22");
    assert_eq!(std::fs::read(out.join("three.bin")).unwrap().len(), 2560);
    // Packed with paths, then a.txt deleted.
    let names = py(
        "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.namelist(), z.read('sub/b.txt'))",
        &[&packed],
    );
    assert_eq!(names.trim(), "['sub/b.txt'] b'world\\n'");
}

/// Every export of a Python plugin raising: the host gets the error value
/// `interfaces/wcx/pack.toml` declares for it (NULL, E_BAD_ARCHIVE, E_BAD_DATA,
/// E_ECLOSE, E_EWRITE, 0), the handle is released even when CloseArchive
/// raises, each traceback is in the plugin's log (at most 5 a second per
/// export), and the host runs on.
#[test]
fn exceptions_become_the_packs_error_values() {
    let dir = scratch("wcx-raises");
    let plugin = build_with_pack("tests/scripts/wcx/raises.py", "wcx", &dir, None);
    assert_eq!(plugin.extension().unwrap(), "wcx");
    let host = compile_host("wcx_host", &dir, &[]);
    let archive = dir.join("any.tar");
    std::fs::write(&archive, b"").unwrap();
    let out = run(Command::new(&host)
        .arg("--errors")
        .arg(&plugin)
        .arg(&archive));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("12 passed, 0 failed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(dir.join("raises.log")).unwrap();
    for export in [
        "OpenArchiveW",
        "ReadHeaderExW",
        "ProcessFileW",
        "CloseArchive",
        "PackFilesW",
    ] {
        assert!(
            log.contains(&format!("raise _Boom(\"{export}\")")),
            "{export}: {log}"
        );
    }
    assert!(log.contains("is not a live handle of this plugin"), "{log}");
    // 2001 failing calls in well under a second: 5 tracebacks, not 2001.
    let caps = log.matches("GetPackerCaps() raised").count();
    assert!(
        (1..=5).contains(&caps),
        "{caps} GetPackerCaps entries:\n{log}"
    );
}

/// `raise Error(code)` (the pack's `wcxhead_h.Error`) from any export: the
/// host gets that code (OpenArchive(W): NULL and the code in OpenResult; a
/// None handle: E_BAD_ARCHIVE), no traceback is logged; a code that is not
/// one of the interface's (`Error(12345)`) is refused where the script makes
/// it: the error value and a logged ValueError listing the E_* codes.
#[test]
fn interface_errors_carry_their_code_to_the_host() {
    let dir = scratch("wcx-codes");
    let plugin = build_with_pack("tests/scripts/wcx/codes.py", "wcx", &dir, None);
    let host = compile_host("wcx_host", &dir, &[]);
    let out = run(Command::new(&host).arg("--codes").arg(&plugin).arg(&dir));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("9 passed, 0 failed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(dir.join("codes.log")).unwrap_or_default();
    assert!(!log.contains("Error(E_"), "{log}");
    // A code the interface lacks is refused where the script makes it.
    assert!(
        log.contains("ValueError: Error(12345): not a code of the wcx interface; use one of")
            && log.contains("E_EOPEN (15)"),
        "{log}"
    );
}

/// `tar -tvf`'s listing as (name, size): `./` prefixes and the root entry
/// dropped, directories without their trailing `/`.
fn tar_listing(archive: &Path) -> Vec<(String, u64)> {
    let out = Command::new("tar")
        .arg("-tvf")
        .arg(archive)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut v: Vec<(String, u64)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let size = l
                .split_whitespace()
                .nth(2)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let name = l.split_whitespace().skip(5).collect::<Vec<_>>().join(" ");
            let name = name
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_owned();
            (!name.is_empty()).then_some((name, size))
        })
        .collect();
    v.sort();
    v
}

/// The Python tar plugin (`examples/wcx-tar`) in the WCX test host, over the
/// Unicode and the ANSI exports: listings equal `tar -tvf` for archives made
/// by `tar`, members extract byte for byte on a worker thread, PK_TEST /
/// PK_SKIP / abort / stale handles behave, DestPath, adding to an archive,
/// PK_PACK_MOVE_FILES, SubPath, caps and CanYouHandleThisFile work, and what it
/// packs `tar` reads back.
#[test]
fn python_tar_plugin_in_the_wcx_host() {
    let dir = scratch("wcx-tar");
    let plugin = build_with_pack("examples/wcx-tar/tarwcx.py", "wcx", &dir, None);
    let host = compile_host("wcx_host", &dir, &[]);
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("dir/deeper")).unwrap();
    std::fs::write(data.join("one.txt"), "one\n").unwrap();
    std::fs::write(data.join("dir/deeper/ünïcode.txt"), "ü\n").unwrap();
    let big: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(data.join("dir/big.bin"), &big).unwrap();
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("a.txt"), "hello\n").unwrap();
    std::fs::write(src.join("sub/b.txt"), "world\n").unwrap();
    for (flag, name) in [
        ("-cf", "in.tar"),
        ("-czf", "in.tar.gz"),
        ("-cJf", "in.tar.xz"),
    ] {
        let archive = dir.join(name);
        let ok = Command::new("tar")
            .args([flag])
            .arg(&archive)
            .arg("-C")
            .arg(&data)
            .arg(".")
            .status()
            .unwrap();
        assert!(ok.success());
        for ansi in [false, true] {
            let case = format!("{name} {}", if ansi { "ANSI" } else { "Unicode" });
            let (out, packed) = (
                dir.join(format!("out-{name}-{ansi}")),
                dir.join(format!("new-{name}-{ansi}.tar.gz")),
            );
            std::fs::create_dir_all(&out).unwrap();
            let mut cmd = Command::new(&host);
            if ansi {
                cmd.arg("--ansi");
            }
            let res = run(cmd
                .arg("--strict")
                .arg(&plugin)
                .args([&archive, &out, &packed, &src]));
            let stdout = String::from_utf8_lossy(&res.stdout);
            assert!(
                res.status.success() && stdout.contains(" 0 failed"),
                "{case}:\n{stdout}"
            );
            let mut listed: Vec<(String, u64)> = stdout
                .lines()
                .filter_map(|l| l.strip_prefix("entry "))
                .map(|l| {
                    let f: Vec<&str> = l.rsplitn(4, ' ').collect();
                    (f[3].to_owned(), f[2].parse().unwrap())
                })
                .collect();
            listed.sort();
            assert_eq!(
                listed,
                tar_listing(&archive),
                "{case}: listing differs from tar -tvf"
            );
            assert_eq!(
                std::fs::read(out.join("dir/big.bin")).unwrap(),
                big,
                "{case}"
            );
            assert_eq!(
                std::fs::read_to_string(out.join("dir/deeper/ünïcode.txt")).unwrap(),
                "ü\n"
            );
            // Packed with paths, then a.txt deleted: what `tar` sees.
            let names: Vec<String> = tar_listing(&packed).into_iter().map(|(n, _)| n).collect();
            assert!(
                names.contains(&"sub/b.txt".to_owned()) && !names.contains(&"a.txt".to_owned()),
                "{case}: {names:?}"
            );
            let x = dir.join(format!("x-{name}-{ansi}"));
            std::fs::create_dir_all(&x).unwrap();
            assert!(
                Command::new("tar")
                    .arg("-xzf")
                    .arg(&packed)
                    .arg("-C")
                    .arg(&x)
                    .status()
                    .unwrap()
                    .success()
            );
            assert_eq!(
                std::fs::read_to_string(x.join("sub/b.txt")).unwrap(),
                "world\n"
            );
        }
    }
    mypy_strict_in(&dir, &["tarwcx.py"]).unwrap_or_else(|e| panic!("{e}"));
}

/// The same plugin built for Python 3.12 and 3.13 (when pyenv has them): the
/// strict Unicode run of the test host.
#[test]
fn python_tar_plugin_on_other_pythons() {
    for version in ["3.12", "3.13"] {
        let Some(py) = pyenv_python(version) else {
            println!("Python {version} not installed: skipped");
            continue;
        };
        let dir = scratch(&format!("wcx-tar-{version}"));
        let plugin = build_with_pack_for("examples/wcx-tar/tarwcx.py", "wcx", &dir, None, &py);
        let host = compile_host("wcx_host", &dir, &[]);
        let (data, src, out) = (dir.join("data"), dir.join("src"), dir.join("out"));
        for d in [data.join("d"), src.join("sub"), out.clone()] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(data.join("d/x.txt"), "x\n").unwrap();
        std::fs::write(data.join("top.txt"), "top\n").unwrap();
        std::fs::write(src.join("a.txt"), "a\n").unwrap();
        std::fs::write(src.join("sub/b.txt"), "b\n").unwrap();
        let archive = dir.join("in.tar.gz");
        let made = Command::new("tar")
            .arg("-czf")
            .arg(&archive)
            .arg("-C")
            .arg(&data)
            .arg(".")
            .status();
        assert!(made.unwrap().success());
        let res = run(Command::new(&host).arg("--strict").arg(&plugin).args([
            &archive,
            &out,
            &dir.join("new.tar"),
            &src,
        ]));
        let stdout = String::from_utf8_lossy(&res.stdout);
        assert!(
            res.status.success() && stdout.contains(" 0 failed"),
            "Python {version}:\n{stdout}"
        );
    }
}

/// Live reload never pulls the interpreter out from under a handle the host
/// holds: an archive opened before the script changed keeps working on the
/// old code; once the host closes it, the next open runs the new script.
#[test]
fn reload_waits_for_the_hosts_handles() {
    let dir = scratch("wcx-reload");
    let plugin = build_with_pack("tests/scripts/wcx/versioned.py", "wcx", &dir, None);
    let host = compile_host("wcx_reload_host", &dir, &[]);
    let script = dir.join("versioned.py");
    let edited = dir.join("versioned.py.new");
    let text = std::fs::read_to_string(&script).unwrap();
    std::fs::write(
        &edited,
        text.replace("VERSION = \"v1\"", "VERSION = \"v2\""),
    )
    .unwrap();
    let out = run(Command::new(&host)
        .arg(&plugin)
        .arg(&script)
        .arg(&edited)
        .arg(dir.join("versioned.log")));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(dir.join("versioned.log")).unwrap_or_default();
    assert!(log.contains("the host holds 1 handle(s)"), "{log}");
    assert!(log.contains("reloaded in a fresh interpreter"), "{log}");
}
