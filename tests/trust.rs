//! Nothing loose is trusted: the standard library comes from the Python the
//! plugin was built for (not the host's PATH), scripts, sidecars and venvs
//! that another user could change are refused (also on live reload), the log
//! never follows a planted link and stays bounded, the start lock cannot be
//! pre-seeded and leaves nothing in /dev/shm, and `foo.py` beside
//! `libfoo.so` reloads. The tests run as root: "another user" is `nobody`.
use epy_tests::*;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// A failure detector only (a hung host), never a speed assertion.
const HUNG: Duration = Duration::from_secs(180);
const NOBODY: u32 = 65534;

/// `tests/scripts/trust/<script>.py` built for `python` (life.h
/// interface), once per (script, Python).
fn built_for(script: &'static str, python: &str) -> PathBuf {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static BUILT: Mutex<Option<HashMap<(String, String), PathBuf>>> = Mutex::new(None);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    let key = (script.to_owned(), python.to_owned());
    if let Some(lib) = built.get_or_insert_default().get(&key) {
        return lib.clone();
    }
    let tag = python.replace(['/', '.'], "_");
    let dir = scratch(&format!("trust-build-{script}-{tag}"));
    let lib = build_plugin_for(
        &Plugin {
            header: "tests/headers/life.h",
            annotations: None,
            script: &format!("tests/scripts/trust/{script}.py"),
            name: None,
        },
        &dir,
        python,
    );
    built.get_or_insert_default().insert(key, lib.clone());
    lib
}

fn step_host() -> &'static Path {
    static HOST: OnceLock<PathBuf> = OnceLock::new();
    HOST.get_or_init(|| compile_host("step_host", &scratch("trust-host"), &[]))
}

/// A fresh folder `trust-<tag>` holding `<lib>` (a copy of `script`'s
/// library) and the script as `<py>`; returns the library.
fn lay_out_as(tag: &str, script: &'static str, lib: &str, py: &str) -> PathBuf {
    lay_out_for(tag, script, lib, py, &python())
}

fn lay_out_for(tag: &str, script: &'static str, lib: &str, py: &str, python: &str) -> PathBuf {
    let dir = scratch(&format!("trust-{tag}"));
    let so = dir.join(lib);
    std::fs::copy(built_for(script, python), &so).unwrap();
    let src = root().join(format!("tests/scripts/trust/{script}.py"));
    std::fs::copy(src, dir.join(py)).unwrap();
    so
}

fn lay_out(tag: &str, script: &'static str) -> PathBuf {
    lay_out_as(tag, script, "plugin.so", "plugin.py")
}

/// `step_host` on a library, driven line by line.
struct Host {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    pid: u32,
    stderr: PathBuf,
}

impl Host {
    fn start(lib: &Path, path_env: Option<String>) -> Host {
        let stderr = lib.with_extension("stderr");
        let mut cmd = Command::new(step_host());
        cmd.arg(lib)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap());
        if let Some(p) = path_env {
            cmd.env("PATH", p);
        }
        let mut child = cmd.spawn().expect("step_host");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                println!("host: {line}");
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut host = Host {
            child,
            stdin,
            lines,
            pid: 0,
            stderr,
        };
        let first = host.line("start");
        host.pid = first.strip_prefix("pid ").unwrap().parse().unwrap();
        host
    }

    fn line(&mut self, what: &str) -> String {
        match self.lines.recv_timeout(HUNG) {
            Ok(line) => line,
            Err(_) => {
                let _ = self.child.kill();
                panic!("the host hung or died at `{what}`");
            }
        }
    }

    fn ask(&mut self, cmd: &str) -> String {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.line(cmd)
    }

    /// compute(10) as the host saw it.
    fn compute(&mut self, cmd: &str) -> i32 {
        let reply = self.ask(cmd);
        reply
            .strip_prefix("compute = ")
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("`{cmd}`: {reply}"))
    }

    /// Ends the host; returns what it wrote to stderr.
    fn quit(mut self) -> String {
        writeln!(self.stdin, "quit").unwrap();
        let status = self.child.wait().unwrap();
        assert!(status.success(), "the host died: {status}");
        let bytes = std::fs::read(&self.stderr).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log_of(lib: &Path) -> String {
    std::fs::read_to_string(lib.with_extension("log")).unwrap_or_default()
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// True if we can make files another user's (the tests run as root).
fn can_chown() -> bool {
    use std::os::unix::fs::MetadataExt;
    let ok = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !ok {
        println!("skipped: ownership cases need root");
    }
    ok
}

fn chown(path: &Path, uid: u32) {
    std::os::unix::fs::chown(path, Some(uid), None).unwrap();
}

/// A Python's version ("3.11") and standard library folder.
fn stdlib(python: &str) -> (String, PathBuf) {
    let out = Command::new(python)
        .args([
            "-c",
            "import os, sys; print('%d.%d' % sys.version_info[:2]); print(os.path.dirname(os.__file__))",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let version = lines.next().unwrap().to_owned();
    (version, PathBuf::from(lines.next().unwrap()))
}

/// A fake Python installation under `dir`: `bin/python3` and
/// `lib/pythonX.Y/`. With a marker, the library is the real one (links)
/// except `encodings/__init__.py`, which also creates `marker` (encodings
/// is the first module Python imports from its stdlib). Without, it is
/// broken (an empty `os.py` and no `encodings`): Python cannot start from it.
/// Returns a PATH value that finds the fake `python3` first.
fn fake_python(dir: &Path, python: &str, marker: Option<&Path>) -> String {
    let (version, real) = stdlib(python);
    let bin = dir.join("bin");
    let lib = dir.join("lib").join(format!("python{version}"));
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&lib).unwrap();
    std::fs::write(bin.join("python3"), "#!/bin/sh\nexit 1\n").unwrap();
    chmod(&bin.join("python3"), 0o755);
    let link_all = |from: &Path, to: &Path, except: &str| {
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            if e.file_name() != except {
                std::os::unix::fs::symlink(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    };
    match marker {
        Some(marker) => {
            link_all(&real, &lib, "encodings");
            let enc = lib.join("encodings");
            std::fs::create_dir(&enc).unwrap();
            link_all(&real.join("encodings"), &enc, "__init__.py");
            let init = std::fs::read_to_string(real.join("encodings/__init__.py")).unwrap()
                + &format!(
                    "\nimport posix as _p\n_p.close(_p.open({:?}, _p.O_WRONLY | _p.O_CREAT, 0o644))\n",
                    marker.display().to_string()
                );
            std::fs::write(enc.join("__init__.py"), init).unwrap();
        }
        None => {
            std::fs::write(lib.join("os.py"), "").unwrap();
            std::os::unix::fs::symlink(real.join("lib-dynload"), lib.join("lib-dynload")).unwrap();
        }
    }
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Item 4: a `python3` on the host's PATH does not choose the stdlib
/// (3.11, and 3.12 and 3.13 when pyenv has them).
#[test]
fn stdlib_comes_from_the_python_built_for_not_from_path() {
    let mut pythons = vec![python()];
    pythons.extend(["3.12", "3.13"].into_iter().filter_map(pyenv_python));
    let mut wrong = Vec::new();
    for (i, py) in pythons.iter().enumerate() {
        let lib = lay_out_for(&format!("path-{i}"), "plain", "plugin.so", "plugin.py", py);
        let dir = lib.parent().unwrap();
        let marker = dir.join("MARKER");
        let path = fake_python(&dir.join("fake"), py, Some(&marker));
        let mut host = Host::start(&lib, Some(path));
        assert_eq!(host.compute("call"), 31, "{py}: {}", log_of(&lib));
        host.quit();
        if marker.exists() {
            wrong.push(py.clone());
        }
    }
    assert!(
        wrong.is_empty(),
        "the plugin ran the standard library of the python3 on PATH: {wrong:?}"
    );
}

/// Item 4: the Python a plugin was built for gone from its place (its
/// libpython still found) is one clear log line and error values, not
/// another Python. The installation is a hard-linked copy of the real one.
#[test]
fn a_missing_python_home_is_a_clear_error() {
    let dir = scratch("trust-home");
    let out = Command::new(python())
        .args([
            "-c",
            "import sys; print(sys.base_prefix); print('%d.%d' % sys.version_info[:2])",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let (prefix, version) = text.trim().split_once('\n').unwrap();
    if !prefix.contains("/versions/") && !prefix.starts_with("/opt/") {
        println!("skipped: {prefix} is not a self-contained installation to copy");
        return;
    }
    let copy = dir.join("py");
    let status = Command::new("cp")
        .args(["-al", prefix])
        .arg(&copy)
        .status()
        .unwrap();
    if !status.success() {
        println!("skipped: cannot hard-link {prefix} into {}", dir.display());
        return;
    }
    let build = dir.join("build");
    std::fs::create_dir_all(&build).unwrap();
    let script = build.join("plugin.py");
    std::fs::copy(root().join("tests/scripts/trust/plain.py"), &script).unwrap();
    let opts = epy_codegen::builder::BuildOptions {
        script,
        parse: epy_codegen::ParseOptions {
            header: root().join("tests/headers/life.h"),
            ..Default::default()
        },
        out_dir: Some(build.clone()),
        python: copy
            .join(format!("bin/python{version}"))
            .to_string_lossy()
            .into_owned(),
        // Not the shared per-version target: another Python's build there
        // would rebuild every other test's runtime.
        target_dir: root().join("target/plugins/trust-home"),
        runtime_path: root().join("epy-runtime"),
        suffix: None,
        debug: false,
    };
    let lib = epy_codegen::builder::build(&opts)
        .unwrap_or_else(|e| panic!("{e}"))
        .library;
    let (value, log) = one_call(&lib);
    assert_eq!(value, 31, "{log}");
    let stdlib = copy.join(format!("lib/python{version}"));
    std::fs::rename(&stdlib, copy.join("lib/moved")).unwrap();
    let _ = std::fs::remove_file(lib.with_extension("log"));
    let (value, log) = one_call(&lib);
    assert_eq!(value, 0, "{log}");
    assert!(
        log.contains(&format!(
            "the Python {version} this plugin was built for is gone from {}",
            copy.display()
        )),
        "{log}"
    );
}

fn shm_entry(pid: u32) -> PathBuf {
    PathBuf::from(format!("/dev/shm/sem.epy-start-{pid}"))
}

/// Item 6: a start-lock name pre-created at 0 (as another user could) does
/// not hang the first call, and epy leaves nothing in /dev/shm, even when
/// the start fails.
#[test]
fn start_lock_cannot_be_preseeded_and_leaves_nothing() {
    let lib = lay_out("lock", "plain");
    let mut host = Host::start(&lib, None);
    assert_eq!(host.ask("seed-sem"), "seeded");
    let seeded = shm_entry(host.pid);
    assert!(seeded.exists());
    assert_eq!(host.compute("call"), 31, "{}", log_of(&lib));
    host.quit();
    std::fs::remove_file(&seeded).unwrap();

    // A start that fails with the old PATH-derived home (a broken python3 on
    // PATH) must leave no entry behind either.
    let dir = lib.parent().unwrap();
    let path = fake_python(&dir.join("broken"), &python(), None);
    let mut host = Host::start(&lib, Some(path));
    let pid = host.pid;
    let value = host.compute("call");
    assert!(!shm_entry(pid).exists(), "a start-lock entry while running");
    host.quit();
    let leftover = shm_entry(pid).exists();
    let _ = std::fs::remove_file(shm_entry(pid));
    assert!(
        !leftover,
        "the start left {} behind",
        shm_entry(pid).display()
    );
    assert_eq!(value, 31, "{}", log_of(&lib));
}

/// Runs one call on `lib`; returns (compute(10), the plugin's log).
fn one_call(lib: &Path) -> (i32, String) {
    let mut host = Host::start(lib, None);
    let value = host.compute("call");
    host.quit();
    (value, log_of(lib))
}

fn assert_refused(lib: &Path, what: &str, fix: &str) {
    let (value, log) = one_call(lib);
    assert_eq!(value, 0, "not refused:\n{log}");
    assert!(
        log.contains(&format!("refusing {what}")) && log.contains(&format!("fix: {fix}")),
        "want `refusing {what}` and `fix: {fix}` in:\n{log}"
    );
}

/// Item 5: a world-writable script, or one in a world-writable folder
/// without the sticky bit, is refused with the chmod that fixes it.
#[test]
fn world_writable_scripts_and_folders_are_refused() {
    let lib = lay_out("ww-script", "plain");
    let script = lib.with_extension("py");
    chmod(&script, 0o666);
    let s = script.display();
    assert_refused(
        &lib,
        &format!("{s}: any user can write it"),
        &format!("chmod o-w {s}"),
    );

    let lib = lay_out("ww-dir", "plain");
    let script = lib.with_extension("py");
    let dir = lib.parent().unwrap();
    chmod(dir, 0o777);
    assert_refused(
        &lib,
        &format!("{}: any user can write its folder", script.display()),
        &format!("chmod o-w {}", dir.display()),
    );
    // Sticky (like /tmp): others cannot replace the script; it loads.
    chmod(dir, 0o1777);
    let _ = std::fs::remove_file(lib.with_extension("log"));
    let (value, log) = one_call(&lib);
    chmod(dir, 0o755);
    assert_eq!(value, 31, "{log}");

    // The sidecar too.
    let lib = lay_out("ww-toml", "plain");
    let toml = lib.with_extension("toml");
    std::fs::write(&toml, "[plugin]\nreload = false\n").unwrap();
    chmod(&toml, 0o646);
    let t = toml.display();
    assert_refused(
        &lib,
        &format!("{t}: any user can write it"),
        &format!("chmod o-w {t}"),
    );
}

/// Item 5: a script, sidecar or venv owned by another user (not root, not
/// the library's owner) is refused with the chown that fixes it.
#[test]
fn files_owned_by_another_user_are_refused() {
    if !can_chown() {
        return;
    }
    let lib = lay_out("owner-script", "plain");
    let script = lib.with_extension("py");
    chown(&script, NOBODY);
    let s = script.display();
    assert_refused(
        &lib,
        &format!("{s}: it is owned by uid {NOBODY}"),
        &format!("chown 0 {s}"),
    );

    let lib = lay_out("owner-toml", "plain");
    let toml = lib.with_extension("toml");
    std::fs::write(&toml, "[plugin]\nreload = false\n").unwrap();
    chown(&toml, NOBODY);
    let t = toml.display();
    assert_refused(
        &lib,
        &format!("{t}: it is owned by uid {NOBODY}"),
        &format!("chown 0 {t}"),
    );

    // A venv the sidecar names, owned by someone else.
    let lib = lay_out("owner-venv", "plain");
    let dir = lib.parent().unwrap();
    let (version, _) = stdlib(&python());
    let venv = dir.join("env");
    std::fs::create_dir_all(venv.join(format!("lib/python{version}/site-packages"))).unwrap();
    std::fs::write(lib.with_extension("toml"), "[plugin]\nvenv = \"env\"\n").unwrap();
    let (value, log) = one_call(&lib);
    assert_eq!(value, 31, "a trusted venv loads:\n{log}");
    chown(&venv, NOBODY);
    let v = venv.display();
    assert_refused(
        &lib,
        &format!("{v}: it is owned by uid {NOBODY}"),
        &format!("chown 0 {v}"),
    );
}

/// Item 5, live reload: a script that becomes world-writable and is then
/// rewritten is not reloaded; `chmod o-w` reloads it. A folder made
/// world-writable stops the plugin the same way.
#[test]
fn a_script_made_world_writable_is_not_reloaded() {
    let lib = lay_out("ww-reload", "plain");
    let script = lib.with_extension("py");
    let mut host = Host::start(&lib, None);
    assert_eq!(host.compute("call"), 31);
    chmod(&script, 0o666);
    let text = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&script, text.replace("FACTOR = 3", "FACTOR = 5")).unwrap();
    // The change is seen (error values), and the new code never runs.
    assert_eq!(host.compute("until 0 5000"), 0, "{}", log_of(&lib));
    assert_eq!(host.compute("repeat 5 20"), 0);
    chmod(&script, 0o644);
    assert_eq!(host.compute("until 51 5000"), 51, "{}", log_of(&lib));
    // The same for its folder.
    let dir = lib.parent().unwrap();
    chmod(dir, 0o777);
    assert_eq!(host.compute("until 0 5000"), 0, "{}", log_of(&lib));
    chmod(dir, 0o755);
    assert_eq!(host.compute("until 51 5000"), 51, "{}", log_of(&lib));
    host.quit();
    let log = log_of(&lib);
    assert!(
        log.contains(&format!(
            "refusing {}: any user can write it",
            script.display()
        )),
        "{log}"
    );
}

/// Item 5: `<stem>.log` planted as a symbolic link (or a hard link) is not
/// written through; the lines go to stderr only.
#[test]
fn the_log_never_follows_a_planted_link() {
    let lib = lay_out("log-symlink", "loud");
    let dir = lib.parent().unwrap();
    let target = dir.join("target.txt");
    std::fs::write(&target, "").unwrap();
    std::os::unix::fs::symlink(&target, lib.with_extension("log")).unwrap();
    let mut host = Host::start(&lib, None);
    assert_eq!(host.compute("call"), 0);
    let stderr = host.quit();
    let through = std::fs::metadata(&target).unwrap().len();
    assert_eq!(through, 0, "{through} bytes written through the link");
    assert!(
        stderr.contains("ValueError") && stderr.contains("symbolic link"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );

    let lib = lay_out("log-hardlink", "loud");
    let target = lib.parent().unwrap().join("target.txt");
    std::fs::write(&target, "").unwrap();
    std::fs::hard_link(&target, lib.with_extension("log")).unwrap();
    let mut host = Host::start(&lib, None);
    assert_eq!(host.compute("call"), 0);
    let stderr = host.quit();
    let through = std::fs::metadata(&target).unwrap().len();
    assert_eq!(through, 0, "{through} bytes written through the hard link");
    assert!(
        stderr.contains("hard links"),
        "{}",
        &stderr[..stderr.len().min(2000)]
    );
}

/// Item 9: the documented layout `libfoo.so` + `foo.py` reloads on edit;
/// a `libfoo.py` appearing later takes over (the first name wins).
#[test]
fn foo_py_beside_libfoo_so_reloads() {
    let lib = lay_out_as("foo-py", "plain", "libwatch.so", "watch.py");
    let script = lib.parent().unwrap().join("watch.py");
    let text = std::fs::read_to_string(&script).unwrap();
    let mut host = Host::start(&lib, None);
    assert_eq!(host.compute("call"), 31);
    std::fs::write(&script, text.replace("FACTOR = 3", "FACTOR = 5")).unwrap();
    assert_eq!(host.compute("until 51 5000"), 51, "{}", log_of(&lib));
    std::fs::write(
        lib.with_extension("py"),
        text.replace("FACTOR = 3", "FACTOR = 9"),
    )
    .unwrap();
    assert_eq!(host.compute("until 91 5000"), 91, "{}", log_of(&lib));
    host.quit();
}

/// Item 10: 50 calls raising a 10 MB message: each logged message is cut
/// (with the marker), the file rotates to `<stem>.log.1` at 4 MiB, and the
/// bytes written stay bounded (log files and stderr).
#[test]
fn the_log_is_bounded_cut_and_rotated() {
    let lib = lay_out("log-bounded", "loud");
    let log = lib.with_extension("log");
    let old = lib.with_extension("log.1");
    // An earlier run's log just under 4 MiB: the next lines rotate it.
    let filler = "an earlier line\n".repeat((4 << 20) / 16 - 1024);
    std::fs::write(&log, &filler).unwrap();
    let mut host = Host::start(&lib, None);
    assert_eq!(host.compute("repeat 50 40"), 0);
    let stderr_len = std::fs::metadata(&host.stderr).unwrap().len();
    host.quit();
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let total = size(&log) + size(&old);
    println!(
        "log {} bytes, log.1 {} bytes, stderr {stderr_len} bytes",
        size(&log),
        size(&old)
    );
    assert!(total < 9 << 20, "log files hold {total} bytes");
    assert!(stderr_len < 4 << 20, "stderr got {stderr_len} bytes");
    assert!(
        std::fs::read_to_string(&old)
            .unwrap_or_default()
            .starts_with("an earlier line"),
        "no rotation to {}",
        old.display()
    );
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("ValueError: xxxx") && text.contains(" bytes cut …"),
        "{}",
        &text[..text.len().min(2000)]
    );
}
