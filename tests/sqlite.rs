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
    // The examples type their arguments as SqlArg: mypy checks the bodies.
    mypy_strict_in(&dir, &["regexp.py", "median.py", "series.py", "csvrows.py"])
        .unwrap_or_else(|e| panic!("{e}"));
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
    if Command::new("strace").arg("-V").output().is_err() {
        println!("skipped: strace is missing (tools/setup.sh installs it)");
        return;
    }
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

/// One library for the tests below (built once): each copies it into its
/// own folder beside its own `results.py`, as a user edits a script.
fn results_lib() -> &'static Path {
    static LIB: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    LIB.get_or_init(|| {
        let dir = scratch("sqlite-results-lib");
        build_with_pack(
            "tests/scripts/sqlite_results.py",
            "sqlite",
            &dir,
            Some("results"),
        )
    })
}

/// `dir` with a copy of the library and `script` as `results.py`.
fn results_dir(test: &str, script: &str) -> std::path::PathBuf {
    let lib = results_lib();
    let dir = scratch(test);
    std::fs::copy(lib, dir.join("results.so")).unwrap();
    std::fs::write(dir.join("results.py"), script).unwrap();
    dir
}

/// `sqlite3 :memory:` in `dir` with `input` on stdin: (stdout, stderr).
fn sqlite3(dir: &Path, input: &str) -> (String, String) {
    use std::io::Write;
    let mut child = Command::new("sqlite3")
        .arg(":memory:")
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sqlite3 (tools/setup.sh installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    println!("{stdout}");
    eprintln!("{stderr}");
    (stdout, stderr)
}

fn results_script() -> String {
    std::fs::read_to_string(root().join("tests/scripts/sqlite_results.py")).unwrap()
}

/// `results.py:N` of the decorator line above `def_line` in `script`.
fn origin(script: &str, def_line: &str) -> String {
    let n = script
        .lines()
        .position(|l| l.starts_with(def_line))
        .unwrap();
    format!("results.py:{n}")
}

/// A BLOB argument (a memoryview valid during the call) returned as is,
/// or a slice of it, is converted before the view is revoked.
#[test]
fn a_blob_argument_returned_as_is_is_the_result() {
    let dir = results_dir("sqlite-blob-ident", &results_script());
    let (out, err) = sqlite3(
        &dir,
        ".load ./results\n\
         select hex(py_ident(x'00ff10')), hex(py_slice(x'0001020304')), length(py_ident(zeroblob(5)));\n\
         with recursive c(x) as (select 1 union all select x + 1 from c where x < 1000)\n\
         select count(*) from (select py_ident(randomblob(100)) as b from c) where length(b) = 100;\n",
    );
    assert_eq!(out, "00FF10|010203|5\n1000\n", "stderr: {err}");
}

/// A result SQLite cannot take fails the statement with a message naming
/// the SQL function and its `file:line`; the log line names the function.
#[test]
fn a_wrong_result_names_the_sql_function() {
    let script = results_script();
    let dir = results_dir("sqlite-wrong-result", &script);
    let (out, err) = sqlite3(
        &dir,
        ".load ./results\nselect py_wrong();\nselect 'next';\n",
    );
    assert_eq!(out, "next\n");
    let want = format!(
        "the result of SQL function py_wrong ({}): an SQL value is None, int, float, str or bytes, not list",
        origin(&script, "def py_wrong")
    );
    let statement = err.lines().find(|l| l.contains("error near line 2"));
    assert!(
        statement.is_some_and(|l| l.contains(&want)),
        "the statement's error: {err}"
    );
    assert!(
        err.contains("py_wrong() raised") && !err.contains("pack_callback"),
        "the log line: {err}"
    );
}

/// A row of the wrong width fails the statement naming the table, the
/// row's width and the table's.
#[test]
fn a_row_of_the_wrong_width_is_an_error() {
    let script = results_script();
    let dir = results_dir("sqlite-row-width", &script);
    let (out, err) = sqlite3(
        &dir,
        ".load ./results\nselect value from py_wide(1);\nselect value from py_wide(3);\nselect 'next';\n",
    );
    assert_eq!(out, "0\n0\nnext\n", "stderr: {err}");
    let want = format!(
        "table py_wide ({}): row 2 has 2 values, the table has 1 column (value)",
        origin(&script, "class py_wide")
    );
    assert!(err.contains(&want), "{want}\nnot in: {err}");
}

/// `@table` with `rows()` but no `columns` fails where it is declared:
/// `.load` prints `file:line` of the decorator and the message.
#[test]
fn a_table_without_columns_fails_at_its_decorator() {
    let script = "from sqlite import table\n\n\n@table\nclass nocols:\n    def rows(self) -> list[int]:\n        return [1]\n";
    let dir = results_dir("sqlite-no-columns", script);
    let (out, err) = sqlite3(&dir, ".load ./results\nselect 'next';\n");
    assert_eq!(out, "next\n");
    assert!(
        err.lines().any(|l| l.starts_with("Error")
            && l.contains("results.py:4: TypeError: table nocols has rows() but no columns")),
        "{err}"
    );
}

/// A script that does not parse: `.load` prints `file:line: SyntaxError:
/// message` (the shell shows SQLite's `*pzErrMsg`) and the shell goes on.
#[test]
fn a_syntax_error_is_reported_with_its_file_and_line() {
    let script = "from sqlite import scalar\n\n\n@scalar\ndef f(x: int) -> int\n    return x\n";
    let dir = results_dir("sqlite-syntax-error", script);
    let (out, err) = sqlite3(&dir, ".load ./results\nselect 'next';\n");
    assert_eq!(out, "next\n");
    let line = err
        .lines()
        .find(|l| l.starts_with("Error"))
        .unwrap_or_default();
    assert!(
        line.contains("results.py:5: SyntaxError: expected ':'"),
        "{err}"
    );
}
