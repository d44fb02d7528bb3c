//! A frei0r video filter in Python, built from `frei0r.h` with no pack and
//! no annotations (`examples/frei0r-invert/`), run by ffmpeg's `frei0r`
//! filter on raw RGBA frames; every output frame must be the input with
//! red, green and blue inverted. Skipped with a message where ffmpeg (or its
//! `frei0r` filter) is missing: `tools/setup.sh` installs it.
use epy_tests::*;
use std::path::Path;
use std::process::Command;

const W: usize = 64;
const H: usize = 48;
const FRAMES: usize = 3;

fn ffmpeg_has_frei0r() -> bool {
    Command::new("ffmpeg")
        .args(["-hide_banner", "-filters"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(" frei0r "))
}

fn ffmpeg(dir: &Path, args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-nostdin", "-y"])
        .args(args)
        .env("FREI0R_PATH", dir)
        .current_dir(dir)
        .output()
        .expect("ffmpeg");
    let log = std::fs::read_to_string(dir.join("epyinvert.log")).unwrap_or_default();
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}\nplugin log:\n{log}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ffmpeg_runs_a_python_frei0r_filter() {
    if !ffmpeg_has_frei0r() {
        eprintln!("skipped: ffmpeg with the frei0r filter is not installed (tools/setup.sh)");
        return;
    }
    let dir = scratch("frei0r");
    let lib = build_plugin_inferred(
        &Plugin {
            header: "/usr/include/frei0r.h",
            annotations: None,
            script: "examples/frei0r-invert/epyinvert.py",
            name: None,
        },
        &dir,
    );
    assert_eq!(lib.file_name().unwrap(), "epyinvert.so");
    let size = format!("{W}x{H}");
    // A test pattern as raw RGBA frames, then through the Python filter.
    ffmpeg(
        &dir,
        &[
            "-f",
            "lavfi",
            "-i",
            &format!("testsrc=size={size}:rate=5"),
            "-frames:v",
            &FRAMES.to_string(),
            "-pix_fmt",
            "rgba",
            "-f",
            "rawvideo",
            "in.rgba",
        ],
    );
    ffmpeg(
        &dir,
        &[
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgba",
            "-s",
            &size,
            "-i",
            "in.rgba",
            "-vf",
            "frei0r=filter_name=epyinvert",
            "-pix_fmt",
            "rgba",
            "-f",
            "rawvideo",
            "out.rgba",
        ],
    );
    let input = std::fs::read(dir.join("in.rgba")).unwrap();
    let output = std::fs::read(dir.join("out.rgba")).unwrap();
    assert_eq!(input.len(), W * H * 4 * FRAMES);
    assert_eq!(output.len(), input.len(), "frames out");
    let expected: Vec<u8> = input
        .chunks(4)
        .flat_map(|p| [255 - p[0], 255 - p[1], 255 - p[2], p[3]])
        .collect();
    let first_bad = output.iter().zip(&expected).position(|(a, b)| a != b);
    assert_eq!(first_bad, None, "output differs from the inverted input");
    // And the script type-checks against the stubs the build wrote.
    let mypy = Command::new(python())
        .args(["-m", "mypy", "--strict", "--no-incremental", "epyinvert.py"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        mypy.status.success(),
        "{}",
        String::from_utf8_lossy(&mypy.stdout)
    );
}
