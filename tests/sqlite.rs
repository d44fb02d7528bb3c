//! SQLite: extensions built with the sqlite pack, loaded by real hosts —
//! Debian's `sqlite3` shell, Debian's (statically linked) `/usr/bin/python3`
//! through its `sqlite3` module, and APSW on pyenv's 3.11, 3.12 and 3.13 —
//! with every result checked against the same computation in Python
//! (`tests/sqlite/shell.py`, `tests/sqlite/host.py`).
use epy_tests::*;
use std::path::Path;
use std::process::Command;

const EXAMPLES: [(&str, &str); 3] = [
    ("examples/sqlite-regexp/regexp.py", "regexp"),
    ("examples/sqlite-median/median.py", "median"),
    ("examples/sqlite-series/series.py", "series"),
];

fn build_examples(dir: &Path, python: &str) {
    for (script, name) in EXAMPLES {
        build_with_pack_for(script, "sqlite", dir, Some(name), python);
    }
}

fn check(cmd: &mut Command, what: &str) {
    let out = run(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("OK"),
        "{what}:\n{stdout}\n{stderr}"
    );
}

#[test]
fn sqlite3_shell_loads_python_functions_aggregates_and_tables() {
    let dir = scratch("sqlite-shell");
    build_examples(&dir, &python());
    build_with_pack("examples/sqlite-csv/csvrows.py", "sqlite", &dir, None);
    build_with_pack(
        "tests/scripts/sqlite_values.py",
        "sqlite",
        &dir,
        Some("values"),
    );
    build_with_pack(
        "tests/scripts/sqlite_init_raises.py",
        "sqlite",
        &dir,
        Some("initraises"),
    );
    check(
        Command::new(python())
            .arg(root().join("tests/sqlite/shell.py"))
            .arg(&dir),
        "sqlite3 shell",
    );
}

#[test]
fn debian_python3_sqlite3_module_is_a_host() {
    let host = "/usr/bin/python3";
    assert!(Path::new(host).is_file(), "Debian's python3 is missing");
    let dir = scratch("sqlite-debian-python");
    // Built for the default Python (3.11): the plugin joins the host's.
    build_examples(&dir, &python());
    check(
        Command::new(host)
            .arg(root().join("tests/sqlite/host.py"))
            .args(["sqlite3"])
            .arg(&dir),
        "/usr/bin/python3 sqlite3",
    );
}

#[test]
fn apsw_is_a_host_on_3_11_3_12_and_3_13() {
    for version in ["3.11", "3.12", "3.13"] {
        let Some(py) = pyenv_python(version) else {
            println!("skipped: no Python {version} under pyenv");
            continue;
        };
        let dir = scratch(&format!("sqlite-apsw-{version}"));
        build_examples(&dir, &py);
        check(
            Command::new(&py)
                .arg(root().join("tests/sqlite/host.py"))
                .arg("apsw")
                .arg(&dir),
            &format!("APSW on {version} (pip install apsw)"),
        );
    }
}

/// The per-row path touches no file: the shell makes as many file system
/// calls (strace's `%file` class) for 10 rows as for 20,000.
#[test]
fn a_row_costs_no_file_access() {
    let dir = scratch("sqlite-no-files");
    build_with_pack(EXAMPLES[0].0, "sqlite", &dir, Some("regexp"));
    let file_calls = |rows: u32| {
        let trace = dir.join(format!("trace-{rows}"));
        let script = format!(
            ".load ./regexp\ncreate table w(s);\n\
             with recursive c(x) as (select 1 union all select x + 1 from c where x < {rows})\n\
             insert into w select 'ab' || x from c;\n\
             select count(*) from w where s regexp 'b1';\n"
        );
        let mut child = Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=%file", "-o"])
            .arg(&trace)
            .args(["sqlite3", ":memory:"])
            .current_dir(&dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("strace (tools/setup.sh installs it)");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "strace sqlite3 failed");
        let text = std::fs::read_to_string(&trace).unwrap();
        (
            text.lines().count(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (few, out) = file_calls(10);
    assert_eq!(out.trim(), "2", "b1, b10");
    let (many, out) = file_calls(20_000);
    assert_eq!(out.trim(), "11111", "b1, b10..b19, b100..b199, ...");
    assert_eq!(few, many, "file system calls grew with the rows");
}
