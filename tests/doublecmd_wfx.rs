//! Double Commander itself (doublecmd-gtk 1.0.10 under Xvfb, driven with
//! xdotool by `tests/doublecmd/dc_wfx.py`) using the SQLite file system
//! (`examples/wfx-sqlite`) registered under `<WfxPlugins>`: opened from the
//! virtual file systems, a file copied out with F5 and compared byte for
//! byte, a file copied in, a folder made with F7 and deleted with F8.
//! Screenshots: target/artifacts/doublecmd-wfx-*.png.
use epy_tests::*;
use std::process::Command;

const HELLO: &[u8] = b"Hello from SQLite through Double Commander\n";

#[test]
fn double_commander_uses_the_sqlite_file_system() {
    let dir = scratch("doublecmd-wfx");
    let plugin = build_with_pack("examples/wfx-sqlite/sqlitefs.py", "wfx", &dir, None);
    // GUI automation on a loaded 2-core machine: a failed run is tried once
    // more from scratch (said in the output), never more.
    let mut work = dir.join("dc");
    let mut out = drive(&plugin, &work);
    if !String::from_utf8_lossy(&out.stdout).contains("PASS") {
        println!(
            "first Double Commander run failed, retrying once:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        work = dir.join("dc-retry");
        out = drive(&plugin, &work);
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let artifacts = root().join("target/artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    for shot in ["dc_wfx_list.png", "dc_wfx_done.png", "fail.png"] {
        if work.join(shot).is_file() {
            let to = artifacts.join(format!("doublecmd-wfx-{shot}"));
            std::fs::copy(work.join(shot), &to).unwrap();
            println!("screenshot: {}", to.display());
        }
    }
    let log = std::fs::read_to_string(plugin.with_extension("log")).unwrap_or_default();
    assert!(
        out.status.success() && stdout.contains("PASS"),
        "Double Commander run failed:\n{stdout}\nplugin log:\n{log}\nDC log: {}",
        work.join("dc.log").display()
    );
    assert!(work.join("dc_wfx_list.png").is_file() && work.join("dc_wfx_done.png").is_file());
    assert_eq!(
        std::fs::read(work.join("out/hello.txt")).unwrap(),
        HELLO,
        "F5 copied out the wrong bytes"
    );
    let copied_in = Command::new("sqlite3")
        .arg(work.join("db.sqlite"))
        .arg("SELECT data FROM entries WHERE path = '/in.txt'")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&copied_in.stdout),
        "copied in by Double Commander\n\n",
        "F5 copied in the wrong bytes"
    );
}

/// A fresh database holding /hello.txt, then the driver.
fn drive(plugin: &std::path::Path, work: &std::path::Path) -> std::process::Output {
    std::fs::create_dir_all(work).unwrap();
    let db = work.join("db.sqlite");
    let src = std::fs::read_to_string(root().join("examples/wfx-sqlite/sqlitefs.py")).unwrap();
    let schema = src
        .split("SCHEMA = \"\"\"")
        .nth(1)
        .unwrap()
        .split("\"\"\"")
        .next()
        .unwrap();
    let made = Command::new(python())
        .args([
            "-c",
            "import sqlite3, sys\n\
             c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2])\n\
             c.execute(\"INSERT INTO entries VALUES ('/hello.txt', '/', 0, ?, 1700000000, 420)\", (sys.argv[3].encode(),))\n\
             c.commit()",
        ])
        .arg(&db)
        .arg(schema)
        .arg(String::from_utf8_lossy(HELLO).as_ref())
        .status()
        .unwrap();
    assert!(made.success());
    run(Command::new("python3")
        .arg(root().join("tests/doublecmd/dc_wfx.py"))
        .arg("--plugin")
        .arg(plugin)
        .arg("--db")
        .arg(&db)
        .arg("--work")
        .arg(work))
}
