//! The test runner itself: `tools/cargo-test.sh` (what `tools/test.sh` runs)
//! must run every test binary when an early one fails, and report them all.
use epy_tests::root;
use std::process::Command;

#[test]
fn a_failing_suite_does_not_hide_the_rest() {
    let root = root();
    let out = Command::new("bash")
        .arg(root.join("tools/cargo-test.sh"))
        .arg("--manifest-path")
        .arg(root.join("tests/fixtures/two-suites/Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/fixtures/two-suites"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "a failing suite must fail the run:\n{text}"
    );
    // b_passes runs after a_fails (alphabetical order): both are counted.
    assert!(text.contains("all tests: 1 passed, 1 failed"), "{text}");
    assert!(text.contains("FAILED: fails_on_purpose"), "{text}");
}
