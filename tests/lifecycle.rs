//! Many Python plugins in one process, on every Python version here: five
//! plugins (copies of one library under different names, each with its own
//! script and its own `helper` module), eight host threads calling all of them
//! concurrently, one unloaded and reloaded mid-run.
use epy_tests::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::RwLock;

/// Tests in this file share it as readers; a test that makes its own load
/// takes it exclusively (`a_python_host_exits_while_its_threads_leave_the_plugin`;
/// own-GIL parallelism is proven without timing in `liveness.rs`).
static CPU: RwLock<()> = RwLock::new(());

/// Builds life.so for `python` and lays out `n` plugins, each in its own
/// directory: `<dir>/pN/pluginN.so`, `pluginN.py` (IDENT = N), `helper.py`.
/// With `distinct`, plugins 2 and 3 are separate builds (different crates,
/// different binaries); the others are copies of plugin 1's library.
fn lay_out(
    python: &str,
    tag: &str,
    n: usize,
    sidecar: impl Fn(usize) -> Option<&'static str>,
) -> Vec<PathBuf> {
    lay_out_with(python, tag, n, 1, sidecar)
}

fn lay_out_with(
    python: &str,
    tag: &str,
    n: usize,
    distinct: usize,
    sidecar: impl Fn(usize) -> Option<&'static str>,
) -> Vec<PathBuf> {
    let dir = scratch(&format!("life-{tag}"));
    let build = dir.join("build");
    std::fs::create_dir_all(&build).unwrap();
    let names: Vec<String> = (1..=distinct).map(|i| format!("life{i}")).collect();
    let libs: Vec<PathBuf> = names
        .iter()
        .map(|name| {
            build_plugin_for(
                &Plugin {
                    header: "tests/headers/life.h",
                    annotations: None,
                    script: "tests/scripts/life/life.py",
                    name: Some(name),
                },
                &build,
                python,
            )
        })
        .collect();
    let script = std::fs::read_to_string(root().join("tests/scripts/life/life.py")).unwrap();
    (1..=n)
        .map(|i| {
            let d = dir.join(format!("p{i}"));
            std::fs::create_dir_all(&d).unwrap();
            let so = d.join(format!("plugin{i}.so"));
            std::fs::copy(libs.get(i - 1).unwrap_or(&libs[0]), &so).unwrap();
            std::fs::write(
                d.join(format!("plugin{i}.py")),
                script.replace("IDENT = 1", &format!("IDENT = {i}")),
            )
            .unwrap();
            std::fs::write(d.join("helper.py"), format!("VALUE = {}\n", i * 7)).unwrap();
            if let Some(toml) = sidecar(i) {
                std::fs::write(d.join(format!("plugin{i}.toml")), toml).unwrap();
            }
            so
        })
        .collect()
}

fn multi(python: &str, tag: &str, sidecar: impl Fn(usize) -> Option<&'static str>) {
    // Three different plugin libraries, plus two copies of the first one
    // under other names.
    let libs = lay_out_with(python, tag, 5, 3, sidecar);
    let host = compile_host(
        "multi_host",
        libs[0].parent().unwrap().parent().unwrap(),
        &[],
    );
    let out = run(Command::new(&host).args(["8", "10000"]).args(&libs));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "multi_host ({tag}):\n{stdout}"
    );
}

fn python_or_skip(version: &str) -> Option<String> {
    let p = pyenv_python(version);
    if p.is_none() {
        println!("skipped: no Python {version} under pyenv");
    }
    p
}

#[test]
fn many_plugins_threads_unload_reload_311() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    if let Some(py) = python_or_skip("3.11") {
        multi(&py, "3.11", |_| None);
    }
}

#[test]
fn many_plugins_threads_unload_reload_312() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    if let Some(py) = python_or_skip("3.12") {
        // Mixed modes in one process: two plugins with their own GIL.
        multi(&py, "3.12", |i| {
            (i % 2 == 0).then_some("[plugin]\ninterpreter = \"own-gil\"\n")
        });
    }
}

#[test]
fn many_plugins_threads_unload_reload_313() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    if let Some(py) = python_or_skip("3.13") {
        multi(&py, "3.13", |i| {
            (i % 2 == 0).then_some("[plugin]\ninterpreter = \"own-gil\"\n")
        });
    }
}

/// Lays out one plugin (`plugin1`) for `python` and returns its library.
fn one(python: &str, tag: &str, sidecar: Option<&'static str>) -> PathBuf {
    lay_out(python, tag, 1, |_| sidecar).remove(0)
}

#[test]
fn live_reload_edit_break_fix() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    let lib = one(&python(), "reload", None);
    let script = lib.with_extension("py");
    let host = compile_host("reload_host", lib.parent().unwrap(), &[]);
    let out = run(Command::new(&host).arg(&lib).arg(&script));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "reload_host:\n{stdout}"
    );
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
    assert!(
        log.contains("reloaded in a fresh interpreter"),
        "log:\n{log}"
    );
    // The broken script's log line names the file and line and the exception.
    assert!(
        log.contains("plugin1.py\", line") && log.contains("SyntaxError"),
        "log:\n{log}"
    );
}

#[test]
fn leak_check_load_unload_and_calls() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    // Reload watching is off here: it is measured separately.
    let lib = one(&python(), "leak", Some("[plugin]\nreload = false\n"));
    let host = compile_host("leak_host", lib.parent().unwrap(), &[]);
    let out = run(Command::new(&host).arg(&lib).args(["100", "1000000"]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "leak_host:\n{stdout}"
    );
}

#[test]
fn joins_a_python_host_via_ctypes() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    for version in ["3.11", "3.12", "3.13"] {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let lib = one(&py, &format!("pyhost-{version}"), None);
        let out = run(Command::new(&py)
            .arg(root().join("tests/hosts/py_host.py"))
            .arg(&lib)
            .arg("1"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains(" 0 failed"),
            "py_host {version}:\n{stdout}"
        );
    }
}

/// A Python host whose threads leave the plugin (their thread-exit clean-up
/// takes the GIL) while the host exits: such a thread asks the main
/// interpreter to let go of the GIL while the atexit hook that ends the
/// plugin's interpreter runs; if it took the GIL before the hook looked,
/// the request stayed on the main interpreter past `Py_EndInterpreter`
/// (3.11 re-attaches main by a swap, which does not clear it), and the
/// host's next atexit function dropped the GIL and waited forever for a
/// taker. A race: under the load of two busy threads it hung about once in
/// 50 runs before `gil::clear_stale_request`; each run here must exit.
#[test]
fn a_python_host_exits_while_its_threads_leave_the_plugin() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let _cpu = CPU.write().unwrap_or_else(|e| e.into_inner());
    let Some(py) = python_or_skip("3.11") else {
        return;
    };
    let lib = one(&py, "exit-race", None);
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..2)
        .map(|_| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
                }
            })
        })
        .collect();
    let runs = 60;
    let mut failure = None;
    for i in 1..=runs {
        let out_path = lib.with_extension("out");
        let out_file = std::fs::File::create(&out_path).expect("py_host output file");
        let mut child = Command::new(&py)
            .arg(root().join("tests/hosts/py_host.py"))
            .arg(&lib)
            .arg("1")
            .stdout(out_file)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn py_host");
        // A failure detector, not a timing: a run takes about a second.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        let status = loop {
            if let Some(s) = child.try_wait().expect("wait py_host") {
                break Some(s);
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
        match status {
            None => failure = Some(format!("run {i} of {runs} hung at exit:\n{stdout}")),
            Some(s) if !s.success() || !stdout.contains(" 0 failed") => {
                failure = Some(format!("run {i} of {runs} failed ({s}):\n{stdout}"))
            }
            _ => {}
        }
        if failure.is_some() {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in busy {
        t.join().unwrap();
    }
    if let Some(f) = failure {
        panic!("{f}");
    }
}

/// Many plugins in one process, all idle: every library has a GIL watchdog
/// thread and only one ticks; the others must sleep until they are needed
/// (the ticking one goes, or their own library unloads), not poll. Counted
/// as wake-ups (voluntary context switches of the host's other threads)
/// with 2 and with 12 plugins loaded. 3.11 and 3.12 (3.13 needs no
/// watchdog).
#[test]
fn idle_plugins_do_not_wake_the_process() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    for version in ["3.11", "3.12"] {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let libs = lay_out(&py, &format!("idle-{version}"), 12, |_| None);
        let dir = libs[0].parent().unwrap().parent().unwrap();
        let host = compile_host("idle_host", dir, &[]);
        let out = run(Command::new(&host).arg("2").args(&libs));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "idle_host {version}:\n{stdout}");
    }
}

#[test]
fn version_mismatch_is_refused_clearly() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    // A plugin built for 3.12 loaded into a 3.11 process: error values and one clear line.
    let (Some(py312), Some(py311)) = (python_or_skip("3.12"), python_or_skip("3.11")) else {
        return;
    };
    let lib = one(&py312, "mismatch", None);
    let out = run(Command::new(&py311)
        .arg(root().join("tests/hosts/py_host.py"))
        .arg(&lib)
        .arg("1"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stdout.contains("FAIL"), "{stdout}");
    assert!(
        stderr.contains("built for Python 3.12, but the process runs Python 3.11"),
        "{stderr}"
    );
}

/// Runs call_host on `lib`; returns (stdout, the plugin's log).
fn call_host(lib: &std::path::Path) -> (String, String) {
    let host = compile_host("call_host", lib.parent().unwrap(), &[]);
    let out = run(Command::new(&host).arg(lib));
    assert!(out.status.success(), "the host died");
    let log = std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default();
    (String::from_utf8_lossy(&out.stdout).into_owned(), log)
}

#[test]
fn start_up_errors_are_loud_and_safe() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    let py = python();
    // Missing script.
    let lib = one(&py, "err-missing", None);
    std::fs::remove_file(lib.with_extension("py")).unwrap();
    let (out, log) = call_host(&lib);
    assert!(
        out.contains("compute(10) = 0") && out.contains("host still running"),
        "{out}"
    );
    assert!(
        log.contains("no plugin script: looked for") && log.contains("plugin1.py"),
        "{log}"
    );
    assert_eq!(
        log.matches("no plugin script").count(),
        1,
        "logged once: {log}"
    );

    // Import error.
    let lib = one(&py, "err-import", None);
    std::fs::remove_file(lib.parent().unwrap().join("helper.py")).unwrap();
    let (out, log) = call_host(&lib);
    assert!(out.contains("compute(10) = 0"), "{out}");
    assert!(
        log.contains("ModuleNotFoundError: No module named 'helper'")
            && log.contains("plugin1.py\", line"),
        "{log}"
    );

    // A function the library exports but the script lost.
    let lib = one(&py, "err-lost", None);
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script)
        .unwrap()
        .replace("def compute(", "def _compute(");
    std::fs::write(&script, text).unwrap();
    let (out, log) = call_host(&lib);
    assert!(
        out.contains("compute(10) = 0") && out.contains("ident() = 1"),
        "{out}"
    );
    assert!(log.contains("does not define compute"), "{log}");
}

#[test]
fn venv_site_packages_are_importable_in_that_plugin_only() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    let py = python();
    let lib = one(&py, "venv", Some("[plugin]\nvenv = \"env\"\n"));
    let dir = lib.parent().unwrap();
    let status = Command::new(&py)
        .args(["-m", "venv", "--without-pip"])
        .arg(dir.join("env"))
        .status()
        .unwrap();
    assert!(status.success());
    let version = String::from_utf8(
        Command::new(&py)
            .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let site = dir.join(format!("env/lib/python{}/site-packages", version.trim()));
    std::fs::write(site.join("venvhelper.py"), "VALUE = 7\n").unwrap();
    // The script's `helper` now comes from the venv (and no helper.py beside it).
    std::fs::remove_file(dir.join("helper.py")).unwrap();
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script)
        .unwrap()
        .replace("import helper ", "import venvhelper as helper ");
    std::fs::write(&script, text).unwrap();
    let host = compile_host("multi_host", dir, &[]);
    let out = run(Command::new(&host).args(["2", "100"]).arg(&lib));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains(" 0 failed"),
        "{stdout}"
    );
}

#[test]
fn daemon_threads_keep_the_interpreter_instead_of_aborting() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    let lib = one(&python(), "daemon", None);
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script).unwrap()
        + "\nimport threading, time\nthreading.Thread(target=time.sleep, args=(1000,), daemon=True).start()\n";
    std::fs::write(&script, text).unwrap();
    let (out, log) = call_host(&lib);
    assert!(
        out.contains("compute(10) = 31") && out.contains("host still running"),
        "{out}"
    );
    assert!(
        log.contains("left threads running; keeping its interpreter alive"),
        "{log}"
    );
}

/// gdb embeds Python (Debian's 3.11): an epy JIT reader joins it, and gdb's
/// own Python keeps working afterwards.
#[test]
#[cfg_attr(not(feature = "slow"), ignore = "slow tier: runs gdb")]
fn joins_gdb_through_its_jit_reader_interface() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    let Some(py) = python_or_skip("3.11") else {
        return;
    };
    let dir = scratch("gdb-jit");
    let lib = build_plugin_for(
        &Plugin {
            header: "tests/headers/gdb_jit.h",
            annotations: None,
            script: "tests/scripts/gdbjit.py",
            name: None,
        },
        &dir,
        &py,
    );
    let load = format!("jit-reader-load {}", lib.display());
    let out = run(Command::new("gdb").args([
        "-nx",
        "-batch",
        "-ex",
        &load,
        "-ex",
        "python import sys, json; print('host python ok', json.dumps([1+1]))",
    ]));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(
        stderr.contains("epy jit reader: Python 3.11"),
        "the reader did not run in gdb's Python:\n{stderr}"
    );
    assert!(stdout.contains("host python ok [2]"), "{stdout}");
    assert!(!stderr.contains("Could not load"), "{stderr}");
}

/// An extension that refuses own-GIL interpreters (on 3.12: `_ctypes`) gets
/// a log line naming the sidecar setting; `shared` and `main` then work.
#[test]
fn interpreter_modes_and_refusing_extensions() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    let Some(py) = python_or_skip("3.12") else {
        return;
    };
    let lib = one(&py, "modes", Some("[plugin]\ninterpreter = \"own-gil\"\n"));
    let script = lib.with_extension("py");
    let text = std::fs::read_to_string(&script)
        .unwrap()
        .replace("import sys\n", "import sys\nimport ctypes\n");
    std::fs::write(&script, text).unwrap();
    let (out, log) = call_host(&lib);
    assert!(out.contains("compute(10) = 0"), "{out}");
    assert!(
        log.contains("interpreter = \"shared\""),
        "no hint in the log:\n{log}"
    );
    for mode in ["shared", "main"] {
        std::fs::write(
            lib.with_extension("toml"),
            format!("[plugin]\ninterpreter = \"{mode}\"\n"),
        )
        .unwrap();
        let (out, _) = call_host(&lib);
        assert!(
            out.contains("compute(10) = 31") && out.contains("ident() = 1"),
            "{mode}: {out}"
        );
    }
    // A typo in the sidecar is an error with the line, not a silent default.
    std::fs::write(
        lib.with_extension("toml"),
        "[plugin]\ninterpreter = \"shared\"\nrelaod = false\n",
    )
    .unwrap();
    let (out, log) = call_host(&lib);
    assert!(
        out.contains("compute(10) = 0") && log.contains("plugin1.toml:3: unknown key `relaod`"),
        "{out}\n{log}"
    );
}

/// A script that imports `threading` (zipfile, tarfile, … do) ends cleanly at
/// `dlclose`: on 3.11 ending the interpreter with a thread state other than
/// the importer's made `threading._shutdown` print an AssertionError.
#[test]
fn a_script_importing_threading_unloads_without_noise() {
    let _cpu = CPU.read().unwrap_or_else(|e| e.into_inner());
    for version in ["3.11", "3.12", "3.13"] {
        let Some(py) = python_or_skip(version) else {
            continue;
        };
        let lib = one(&py, &format!("threading-{version}"), None);
        let script = lib.with_extension("py");
        let text = std::fs::read_to_string(&script).unwrap();
        std::fs::write(&script, format!("import threading\n{text}")).unwrap();
        let host = compile_host("call_host", lib.parent().unwrap(), &[]);
        let out = run(Command::new(&host).arg(&lib));
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(
            out.status.success() && stdout.contains("compute(10) = 31"),
            "Python {version}: {stdout}{stderr}"
        );
        assert!(
            !stderr.contains("Exception ignored") && !stderr.contains("AssertionError"),
            "Python {version}, at dlclose:\n{stderr}"
        );
    }
}
