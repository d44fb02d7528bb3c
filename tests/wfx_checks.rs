//! The wfx pack's checks, seen from the WFX test host
//! (`tests/hosts/wfx_host.c`, Double Commander 1.0.10's call sequences):
//! `Entry` refuses bad arguments where the script makes it, a listing skips
//! what the host's record cannot hold and goes on, `Error` refuses a code
//! the interface does not have (`tests/scripts/wfx/checks.py`).
use epy_tests::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The host's output for `commands` (it must report no failure) and the
/// plugin's log.
fn drive(dir: &Path, plugin: &Path, commands: &[&str]) -> (String, String) {
    let host = compile_host("wfx_host", dir, &[]);
    let out = run(Command::new(&host).arg(plugin).arg(dir).args(commands));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && stdout.contains("wfx_host: 0 failed"),
        "{stdout}"
    );
    let log = std::fs::read_to_string(dir.join("checks.log")).unwrap_or_default();
    (stdout, log)
}

fn checks(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let plugin = build_with_pack("tests/scripts/wfx/checks.py", "wfx", &dir, None);
    (dir, plugin)
}

/// Every bad argument is refused by `Entry(...)` itself (TypeError for a
/// wrong type, ValueError for a wrong value, the message naming the entry):
/// a NUL or "/" in a name no longer reaches the host.
#[test]
fn entry_refuses_bad_arguments_where_the_script_makes_it() {
    let (dir, plugin) = checks("wfx-checks-entry");
    let (out, _) = drive(&dir, &plugin, &["ls", "/refused"]);
    for (case, exc) in [
        ("nul", "ValueError"),
        ("slash", "ValueError"),
        ("empty", "ValueError"),
        ("bytes", "TypeError"),
        ("size-negative", "ValueError"),
        ("size-65-bits", "ValueError"),
        ("size-str", "TypeError"),
        ("size-float", "TypeError"),
        ("mtime-str", "TypeError"),
        ("mtime-nan", "ValueError"),
        ("mtime-before-1601", "ValueError"),
        ("is_dir-int", "TypeError"),
        ("mode-negative", "ValueError"),
        ("mode-too-big", "ValueError"),
        ("attributes-33-bits", "ValueError"),
    ] {
        assert!(
            out.contains(&format!("entry refused-{case}-{exc} 0 ")),
            "{case}: {out}"
        );
    }
    assert!(!out.contains("accepted-"), "{out}");
    for msg in [
        r"log 7 3 Entry('a\x00b'): a name is one non-empty name in its folder, without '/' or NUL",
        "log 7 3 Entry('a/b'): a name is one non-empty name in its folder",
        "log 7 3 Entry('s'): size -1 is outside 0..18446744073709551615",
        "log 7 3 Entry('s'): size is an int, not str",
        "log 7 3 Entry('t'): mtime nan is not a time",
        "log 7 3 Entry('t'): mtime -20000000000.0 is outside what a FILETIME holds",
        "log 7 3 Entry('m'): mode 262144 is outside 0..0o177777",
        "log 7 3 Entry('a'): attributes 4294967296 is outside 0..4294967295",
    ] {
        assert!(out.contains(msg), "{msg}: {out}");
    }
    // The largest size and the earliest time are accepted.
    assert!(
        out.contains("entry ok 18446744073709551615 0x80000001 100644 "),
        "{out}"
    );
}

/// A listing skips an item that is not an Entry and an entry the host's
/// record cannot hold (a name longer than cFileName), one log line each,
/// and goes on; an exception from the script's own iterable ends the
/// listing with its traceback (here at the first entry: INVALID_HANDLE_VALUE).
#[test]
fn a_listing_skips_what_the_host_cannot_hold_and_goes_on() {
    let (dir, plugin) = checks("wfx-checks-skip");
    let (out, log) = drive(&dir, &plugin, &["ls", "/skips", "ls", "/nul"]);
    assert!(
        out.contains("entry first 0 ") && out.contains("entry last 0 "),
        "{out}"
    );
    assert!(out.contains("listed 2\n"), "{out}");
    assert!(out.ends_with("listed 0\nwfx_host: 0 failed\n"), "{out}");
    assert!(
        log.contains("wfx: listing /skips: skipped 'not an entry': str is not an Entry"),
        "{log}"
    );
    assert!(
        log.contains("wfx: listing /skips: skipped Entry('xxxx"),
        "{log}"
    );
    assert_eq!(log.matches("skipped").count(), 2, "{log}");
    assert!(
        log.contains(r"ValueError: Entry('a\x00b'): a name is one non-empty name"),
        "{log}"
    );
}

/// `Error(12345)` is refused where the script makes it (a ValueError listing
/// the interface's codes): the host gets the export's error value, never 12345.
#[test]
fn error_refuses_a_code_the_interface_lacks() {
    let (dir, plugin) = checks("wfx-checks-error");
    let got = dir.join("got.out");
    let (out, log) = drive(&dir, &plugin, &["get", "/a", got.to_str().unwrap()]);
    assert!(out.contains("get 3 "), "{out}"); // FS_FILE_READERROR
    assert!(
        log.contains("ValueError: Error(12345): not a code of the wfx interface; use one of")
            && log.contains("FS_FILE_NOTFOUND (2)")
            && log.contains("FS_EXEC_SYMLINK (-2)")
            && log.contains("ERROR_NO_MORE_FILES (18)"),
        "{log}"
    );
}

/// A result of the wrong type (FsMkDirW returning "yes" for a BOOL): the log
/// says which export returned what, what the host expected, and where the
/// function is defined (its traceback has no Python line to show).
#[test]
fn a_wrong_result_type_names_the_export_the_value_and_the_def() {
    let (dir, plugin) = checks("wfx-checks-result");
    let (out, log) = drive(&dir, &plugin, &["mkdir", "/x"]);
    assert!(out.contains("mkdir 0\n"), "{out}");
    let src = std::fs::read_to_string(root().join("tests/scripts/wfx/checks.py")).unwrap();
    let line = 1 + src
        .lines()
        .position(|l| l.starts_with("def FsMkDirW"))
        .unwrap();
    let script = dir.join("checks.py");
    assert!(
        log.contains(&format!(
            "FsMkDirW() (def at {}:{line}): a value could not be converted between the host \
             and Python (an argument the host passed, or what the function returned); \
             returning the error value to the host",
            script.display()
        )),
        "{log}"
    );
    assert!(
        log.contains("TypeError: expected an int for int32_t, got str 'yes'"),
        "{log}"
    );
}

/// What the other tests leave out, in Double Commander's sequences:
/// FsSetAttr(W) between FsStatusInfo OP_ATTRIB calls (the next listing shows
/// the attributes), FsDisconnect(W) from the main thread, FsExecuteFile(W)
/// rewriting RemoteName in the host's MAX_PATH buffer (FS_EXEC_SYMLINK), over
/// the Unicode and the ANSI exports; `host.request_text` gets the text the
/// host's RequestProc writes back (RT_Password), None on Cancel, the default
/// shown.
#[test]
fn set_attr_disconnect_and_request_text_reach_the_host() {
    let dir = scratch("wfx-more");
    let plugin = build_with_pack("tests/scripts/wfx/more.py", "wfx", &dir, None);
    let host = compile_host("wfx_host", &dir, &[]);
    for ansi in [false, true] {
        let mut cmd = Command::new(&host);
        if ansi {
            cmd.arg("--ansi");
        }
        let out = run(cmd.arg(&plugin).arg(&dir).args([
            "attr",
            "/a.txt",
            "33",
            "attr",
            "/nope",
            "1",
            "ls",
            "/",
            "disconnect",
            "/conn",
            "exec",
            "/link",
            "open",
            "exec",
            "/here",
            "quote cd /elsewhere",
            "exec",
            "/long",
            "open",
            "exec",
            "/file",
            "open",
        ]));
        let out = String::from_utf8_lossy(&out.stdout);
        assert!(out.contains("wfx_host: 0 failed"), "{out}");
        assert!(out.contains("attr 1\nattr 0\n"), "{out}");
        assert!(out.contains("entry a.txt 1 0x21 - 1700000000\n"), "{out}");
        assert!(
            out.contains("log 7 2 disconnected /conn\ndisconnect 1\n"),
            "{out}"
        );
        // FS_EXEC_SYMLINK with the new name in the host's buffer; a name
        // longer than MAX_PATH is FS_EXEC_ERROR and the buffer kept.
        assert!(out.contains("exec -2 /target/dïr\n"), "{out}");
        assert!(out.contains("exec -2 /elsewhere\n"), "{out}");
        assert!(out.contains("exec 1 /long\n"), "{out}");
        assert!(out.contains("exec 0 /file\n"), "{out}");
    }
    let out = run(Command::new(&host)
        .arg(&plugin)
        .arg(&dir)
        .args(["mkdir", "/ask"])
        .env("WFX_PASSWORD", "sécret")
        .env_remove("WFX_ANSWER"));
    let out = String::from_utf8_lossy(&out.stdout);
    assert!(out.contains("wfx_host: 0 failed"), "{out}");
    assert!(
        out.contains("request 2 Password for epy (default old)\n"),
        "{out}"
    );
    assert!(out.contains("request 7 URL? (default )\n"), "{out}");
    assert!(
        out.contains("log 7 3 password 'sécret' url None yes True\nmkdir 1\n"),
        "{out}"
    );
}
