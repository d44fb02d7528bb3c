//! A Lua 5.4 C module written in Python with no pack, in the real host:
//! `lua5.4` `require`s the plugin built from a header of the user's own
//! (`pyext.h`, which includes `<lua.h>` and `<lauxlib.h>` and declares
//! `luaopen_pyext`) with `-I /usr/include/lua5.4`. The script calls Lua's
//! C API (the host's functions) from the stub module. Skipped with a
//! message without `lua5.4` and `liblua5.4-dev` (tools/setup.sh).
use epy_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LUA_INCLUDE: &str = "/usr/include/lua5.4";

fn missing_prerequisite() -> Option<String> {
    if !Path::new(LUA_INCLUDE).join("lua.h").is_file() {
        return Some(format!(
            "{LUA_INCLUDE}/lua.h missing (apt-get install liblua5.4-dev)"
        ));
    }
    if Command::new("lua5.4").arg("-v").output().is_err() {
        return Some("lua5.4 missing (apt-get install lua5.4)".into());
    }
    None
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A folder laid out as a user writes it: `pyext.h` and `pyext.py` (the
/// given script of `tests/lua/`), built as the README says.
fn build(tag: &str, script: &str) -> PathBuf {
    let dir = scratch(&format!("lua-{tag}"));
    let src = root().join("tests/lua");
    std::fs::copy(src.join("pyext.h"), dir.join("pyext.h")).unwrap();
    std::fs::copy(src.join(script), dir.join("pyext.py")).unwrap();
    let line = format!("epy-codegen build pyext.py --header pyext.h -I {LUA_INCLUDE}");
    let out = run(&mut shell(&line, &dir));
    assert!(out.status.success(), "{}", text(&out));
    dir
}

/// `lua5.4 -e CHUNK` in `dir`, finding `pyext.so` there.
fn lua(dir: &Path, chunk: &str) -> Output {
    run(Command::new("lua5.4")
        .args(["-e", chunk])
        .current_dir(dir)
        .env("LUA_CPATH", "./?.so"))
}

#[test]
fn host_functions_come_from_the_lua_headers_the_users_header_includes() {
    if let Some(why) = missing_prerequisite() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = build("table", "table.py");
    let out = lua(
        &dir,
        r#"local m = require("pyext"); print("answer=" .. m.answer .. " name=" .. m.name .. " maxu=" .. m.maxu)"#,
    );
    assert!(
        out.status.success()
            && text(&out).contains("answer=42 name=pyext maxu=18446744073709551615"),
        "{}",
        text(&out)
    );
    // Only the script's function is exported, none of Lua's.
    let nm = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(dir.join("pyext.so"))
        .output()
        .unwrap();
    let syms = String::from_utf8_lossy(&nm.stdout);
    assert!(
        syms.contains(" luaopen_pyext") && !syms.contains(" lua_"),
        "{syms}"
    );
}

#[test]
fn python_functions_become_lua_functions_through_lua_pushcclosure() {
    if let Some(why) = missing_prerequisite() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = build("readme", "pyext.py");
    let out = lua(
        &dir,
        r#"local m = require("pyext")
           print("add=" .. m.add(2, 3) .. " " .. m.add(0.5, 1))
           print("upper=" .. m.upper("abc"))
           local r, msg = m.add("x", 1); print("bad=" .. tostring(r) .. " " .. msg)
           print("blob=" .. #m.blob() .. " size=" .. m.size("a\0bc"))"#,
    );
    let all = text(&out);
    for want in [
        "add=5 1.5",
        "upper=ABC",
        "bad=nil add: two numbers expected",
    ] {
        assert!(
            out.status.success() && all.contains(want),
            "`{want}`:\n{all}"
        );
    }
    // Passing a `def` where C takes a lua_CFunction type-checks.
    if let Err(report) = mypy_strict(&dir.join("pyext.py")) {
        panic!("mypy --strict pyext.py:\n{report}");
    }
}

#[test]
fn a_kept_lua_state_raises_and_none_is_refused_without_crashing_lua() {
    if let Some(why) = missing_prerequisite() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = build("handles", "handles.py");
    let out = lua(
        &dir,
        r#"local m = require("pyext"); print(m.stale("a", "b")); print("lua alive")"#,
    );
    let all = text(&out);
    assert!(
        out.status.success()
            && all.contains("kept:ValueError none:TypeError length:TypeError top:2")
            && all.contains("lua alive"),
        "{all}"
    );
    if let Err(report) = mypy_strict(&dir.join("pyext.py")) {
        panic!("mypy --strict pyext.py:\n{report}");
    }
}

#[test]
fn new_for_the_lua_header_prints_commands_that_work_as_written() {
    if let Some(why) = missing_prerequisite() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = scratch("lua-new");
    std::fs::copy(root().join("tests/lua/pyext.h"), dir.join("pyext.h")).unwrap();
    let line = format!("epy-codegen new pyext --header pyext.h -I {LUA_INCLUDE}");
    let out = run(&mut shell(&line, &dir));
    assert!(out.status.success(), "{}", text(&out));
    // The commands `new` printed, run as written (comments dropped).
    let stdout = String::from_utf8_lossy(&out.stdout);
    let steps: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("  "))
        .map(|l| l.split("   #").next().unwrap_or(l).trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert!(steps.len() >= 3, "{stdout}");
    let out = run(&mut shell(&steps.join(" && "), &dir));
    assert!(out.status.success(), "{}\n{}", steps.join("\n"), text(&out));
    // Every host function the starter's comment names is in the stub module.
    let script = dir.join("pyext/pyext.py");
    let starter = std::fs::read_to_string(&script).unwrap();
    let import = starter
        .lines()
        .find_map(|l| l.strip_prefix("# from pyext_h import "))
        .unwrap_or_else(|| panic!("no host-function comment:\n{starter}"));
    assert!(
        import.contains("lua_pushcclosure") && !import.contains("lua_pushfstring"),
        "{import}"
    );
    std::fs::write(
        &script,
        starter.replace("# from pyext_h import ", "from pyext_h import "),
    )
    .unwrap();
    if let Err(report) = mypy_strict(&script) {
        panic!("mypy --strict with the host functions imported:\n{report}");
    }
}
