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
    let listed: Vec<&str> = stdout.lines().filter(|l| l.starts_with("entry ")).collect();
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
/// raises, each traceback is in the plugin's log, and the host runs on.
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
        out.status.success() && stdout.contains("10 passed, 0 failed"),
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
}
