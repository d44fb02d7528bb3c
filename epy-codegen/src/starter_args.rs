//! The `build` flags `new` prints for a header without a pack, so the
//! printed command works as written from the new folder: the user's own
//! header is copied beside the script (`--header pyext.h`), a system header
//! or one that includes its neighbours by `"name"` is named by its absolute
//! path, and `-I`/`-D`/`--include`/`--annotations`/`--target`/`--no-infer`
//! are kept (paths made absolute).
use crate::ParseOptions;
use crate::error::{Diagnostic, Result};
use std::path::Path;

pub(crate) fn header_args(opts: &ParseOptions, folder: &Path) -> Result<String> {
    let abs = |p: &Path| {
        p.canonicalize()
            .map_err(|e| Diagnostic::plain(format!("{}: {e}", p.display())))
    };
    let header = abs(&opts.header)?;
    let text = std::fs::read_to_string(&header).unwrap_or_default();
    let system = header.starts_with("/usr/include") || header.starts_with("/usr/local/include");
    let neighbours = text.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with('#') && l[1..].trim_start().starts_with("include") && l.contains('"')
    });
    let mut args = vec!["--header".to_owned()];
    match header.file_name() {
        Some(file) if !system && !neighbours => {
            let copy = folder.join(file);
            if !copy.exists() {
                std::fs::copy(&header, &copy)
                    .map_err(|e| Diagnostic::plain(format!("{}: {e}", copy.display())))?;
            }
            args.push(quote(&file.to_string_lossy()));
        }
        _ => args.push(quote(&header.display().to_string())),
    }
    for i in &opts.includes {
        args.push(format!("-I {}", quote(&abs(i)?.display().to_string())));
    }
    for d in &opts.defines {
        args.push(format!("-D {}", quote(d)));
    }
    for f in &opts.force_includes {
        // Found beside the header or in an -I directory otherwise.
        let shown = f.canonicalize().unwrap_or_else(|_| f.clone());
        args.push(format!("--include {}", quote(&shown.display().to_string())));
    }
    if let Some(a) = &opts.annotations {
        args.push(format!(
            "--annotations {}",
            quote(&abs(a)?.display().to_string())
        ));
    }
    if let Some(t) = &opts.target {
        args.push(format!("--target {}", quote(t)));
    }
    if !opts.infer {
        args.push("--no-infer".to_owned());
    }
    Ok(args.join(" "))
}

/// `s` as one shell word.
fn quote(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-=+:,@%".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
