//! What the codegen asks of a target triple, read with `target-lexicon`
//! (clang gets the triple as written and checks it first).
use target_lexicon::{Architecture, OperatingSystem, PointerWidth, Triple};

/// `target`, or this machine's when `None`. A triple `target-lexicon` cannot
/// read (clang may) counts as unknown: 64-bit, not Windows, not the host.
pub fn of(target: Option<&str>) -> Triple {
    match target {
        None => Triple::host(),
        Some(t) => t.parse().unwrap_or_else(|_| Triple::unknown()),
    }
}

pub fn is_windows(t: &Triple) -> bool {
    t.operating_system == OperatingSystem::Windows
}

/// 32-bit pointers (`i686-…`, `armv7-…`, `thumbv7em-…`).
pub fn is_32bit(t: &Triple) -> bool {
    t.pointer_width() == Ok(PointerWidth::U32)
}

/// 32-bit x86 (`i386` … `i686`).
pub fn is_x86_32(t: &Triple) -> bool {
    matches!(t.architecture, Architecture::X86_32(_))
}

/// Same architecture and OS as the machine we run on.
pub fn is_host(t: &Triple) -> bool {
    let host = Triple::host();
    t.architecture == host.architecture && t.operating_system == host.operating_system
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_read_as_the_packs_and_layouts_need() {
        let win32 = of(Some("i686-pc-windows-msvc"));
        assert!(is_windows(&win32) && is_32bit(&win32) && is_x86_32(&win32));
        let win64 = of(Some("x86_64-pc-windows-msvc"));
        assert!(is_windows(&win64) && !is_32bit(&win64) && !is_x86_32(&win64));
        let linux32 = of(Some("i386-unknown-linux-gnu"));
        assert!(!is_windows(&linux32) && is_x86_32(&linux32));
        assert!(is_32bit(&of(Some("thumbv7em-none-eabi"))));
        assert!(is_32bit(&of(Some("armv7-unknown-linux-gnueabihf"))));
        assert!(is_host(&of(None)) && !is_windows(&of(None)));
        let odd = of(Some("not-a-triple"));
        assert!(!is_windows(&odd) && !is_32bit(&odd) && !is_host(&odd));
    }
}
