//! A PAM module written in Python, end to end in the real host: libpam
//! (driven by `pamtester`) loads the plugin built from `pam_modules.h` with no
//! pack; the script reads its service-file arguments (`argv`), calls the
//! host's `pam_get_user` (its `const char **user` out-parameter comes back as
//! a `str`) and accepts or refuses the user. Needs root (it writes a service
//! file to /etc/pam.d/, always removed) and `pamtester` + `libpam0g-dev`
//! (tools/setup.sh); skipped with a message otherwise.
use epy_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const HEADER: &str = "/usr/include/security/pam_modules.h";

/// `/etc/pam.d/<name>`, removed when dropped (also when an assertion fails).
struct Service(PathBuf);

impl Service {
    fn new(tag: &str, line: &str) -> Service {
        let name = format!("epy-test-{tag}-{}", std::process::id());
        let path = Path::new("/etc/pam.d").join(name);
        std::fs::write(&path, format!("{line}\naccount required pam_permit.so\n"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Service(path)
    }
    fn authenticate(&self, user: &str) -> Output {
        let name = self.0.file_name().unwrap().to_string_lossy();
        run(Command::new("pamtester").args([&*name, user, "authenticate"]))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn missing_prerequisite() -> Option<String> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if !root {
        return Some("not root: cannot write /etc/pam.d/".into());
    }
    if !Path::new(HEADER).is_file() {
        return Some(format!("{HEADER} missing (apt-get install libpam0g-dev)"));
    }
    if Command::new("pamtester").arg("-v").output().is_err() {
        return Some("pamtester missing (apt-get install pamtester)".into());
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

#[test]
fn a_python_pam_module_accepts_refuses_and_fails_safely_in_pamtester() {
    if let Some(why) = missing_prerequisite() {
        eprintln!("skipped: {why}");
        return;
    }
    let dir = scratch("pam-allowlist");
    let example = root().join("examples/pam-allowlist");
    for f in ["pam_allowlist.py", "pam_allowlist.toml"] {
        std::fs::copy(example.join(f), dir.join(f)).unwrap();
    }
    // As the example's README says.
    let build = run(&mut shell(
        &format!("epy-codegen build pam_allowlist.py --header {HEADER}"),
        &dir,
    ));
    assert!(build.status.success(), "{}", text(&build));
    // Every int export has its error value: no warning about 0.
    assert!(
        !text(&build).contains("return 0 to the host"),
        "{}",
        text(&build)
    );
    let lib = dir.join("pam_allowlist.so");
    // The script (importing the host's pam_get_user) type-checks against
    // the stubs the build wrote.
    if let Err(report) = mypy_strict(&dir.join("pam_allowlist.py")) {
        panic!("mypy --strict pam_allowlist.py:\n{report}");
    }
    let line = format!("auth required {} allow=alice,root", lib.display());
    let service = Service::new("allow", &line);

    let ok = service.authenticate("alice");
    assert!(
        ok.status.success() && text(&ok).contains("successfully authenticated"),
        "alice is on the list:\n{}",
        text(&ok)
    );
    let refused = service.authenticate("mallory");
    assert!(
        !refused.status.success() && text(&refused).contains("Authentication failure"),
        "mallory is not on the list (PAM_AUTH_ERR):\n{}",
        text(&refused)
    );

    // An exception in the script: PAM gets the `on-error` value of
    // pam_allowlist.toml (PAM_SERVICE_ERR), never PAM_SUCCESS, and the
    // traceback is logged beside the library.
    let line = format!("auth required {} allow=alice fail", lib.display());
    let failing = Service::new("fail", &line);
    let err = failing.authenticate("alice");
    let log = std::fs::read_to_string(dir.join("pam_allowlist.log")).unwrap_or_default();
    assert!(
        !err.status.success() && text(&err).contains("Error in service module"),
        "a raising module fails with PAM_SERVICE_ERR:\n{}",
        text(&err)
    );
    assert!(
        log.contains("RuntimeError: pam_allowlist: asked to fail"),
        "the exception is logged:\n{log}"
    );
}

/// Without `pam_allowlist.toml` an exception in `pam_sm_authenticate` would
/// return 0 = PAM_SUCCESS: the build says so, naming each export at its
/// `file:line` with the annotation that sets its error value.
#[test]
fn a_pam_build_without_on_error_warns_that_a_raise_returns_0() {
    if !Path::new(HEADER).is_file() {
        eprintln!("skipped: {HEADER} missing (apt-get install libpam0g-dev)");
        return;
    }
    let dir = scratch("pam-no-on-error");
    let example = root().join("examples/pam-allowlist");
    std::fs::copy(
        example.join("pam_allowlist.py"),
        dir.join("pam_allowlist.py"),
    )
    .unwrap();
    let build = run(&mut shell(
        &format!("epy-codegen build pam_allowlist.py --header {HEADER}"),
        &dir,
    ));
    let out = text(&build);
    assert!(build.status.success(), "{out}");
    let warnings: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("return 0 to the host"))
        .collect();
    assert_eq!(warnings.len(), 1, "one warning per build:\n{out}");
    assert!(warnings[0].contains("pam_allowlist.toml"), "{out}");
    for f in ["pam_sm_authenticate", "pam_sm_setcred"] {
        let listed = out.lines().any(|l| {
            l.contains("pam_modules.h:") && l.contains(&format!("`[functions.{f}] on-error = N`"))
        });
        assert!(listed, "{f} is listed with file:line:\n{out}");
    }
}
