//! Parameter names that say what an integer next to a pointer holds: the
//! capacity of an output buffer, the length of input data, a count of
//! elements; and typedef names of 16-bit characters. Conservative: whole
//! words, or words naming the pointer, never a guess from types alone.

/// Lower case without `_`: `buf_size` and `BufSize` are both `bufsize`.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `nByte` → `byte`: `n` then an upper-case word (sqlite's style).
fn n_prefixed(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let upper = chars.next() == Some('n') && chars.next().is_some_and(|c| c.is_ascii_uppercase());
    upper.then(|| squashed(&name[1..]))
}

const CAPACITY: &[&str] = &[
    "maxlen",
    "maxlength",
    "maxsize",
    "size",
    "len",
    "length",
    "cb",
    "cch",
    "bufsize",
    "buflen",
    "bufferlen",
    "buffersize",
    "bufferlength",
    "capacity",
    "cap",
];

const LENGTH_SUFFIXES: &[&str] = &["len", "length", "size", "count", "cnt", "bytes"];

/// Lengths whatever the pointer is called.
const LENGTH: &[&str] = &[
    "len", "length", "size", "sz", "count", "cnt", "cb", "num", "nbytes", "numbytes", "bytes",
    "nelem", "nelems", "nitems",
];

/// What an `nXxx` length counts whatever the pointer is called (`nByte`).
const N_UNITS: &[&str] = &["byte", "bytes", "data", "char", "chars", "len"];

/// Pointers named like these are not data whose length follows (`const
/// char *path, off_t size` is a file's size; `id, count` an element count).
const NOT_DATA: &[&str] = &["path", "name", "filename", "file", "dir", "id", "mode"];

/// An integer naming how many characters (NUL included) an output buffer
/// holds: `maxlen`, `size`, `len`, `cb`, `bufsize`, `buf_len`, ….
pub fn is_capacity(name: &str) -> bool {
    let s = squashed(name);
    CAPACITY.contains(&s.as_str())
        || ["buf", "buffer", "max"]
            .iter()
            .any(|p| s.starts_with(p) && LENGTH_SUFFIXES.iter().any(|x| s.ends_with(x)))
}

/// Whether integer `name` holds how many bytes or elements pointer `ptr`
/// holds: a generic length (`n`, `len`, `size`, `count`, `nByte`) or one
/// named after the pointer (`key`/`key_len`, `src`/`srcLen`, `s`/`slen`).
pub fn is_length(name: &str, ptr: &str) -> bool {
    let (s, p) = (squashed(name), squashed(ptr));
    if NOT_DATA.contains(&p.as_str()) {
        return false;
    }
    let after_pointer = |what: &str| !what.is_empty() && p.contains(what);
    name == "n"
        || LENGTH.contains(&s.as_str())
        || n_prefixed(name).is_some_and(|u| N_UNITS.contains(&u.as_str()) || after_pointer(&u))
        || LENGTH_SUFFIXES
            .iter()
            .any(|x| s.strip_suffix(x).is_some_and(after_pointer))
}

/// Pointer names of arrays, not one value: `frames`, `outbuf`, `samples`, ….
const MANY: &[&str] = &[
    "buf", "frame", "data", "array", "list", "vec", "values", "samples", "items", "block", "table",
    "pixels", "image",
];

/// A pointer named like one value (`out`, `pnArg`, `pulCount`), not like
/// an array (`frames`, `outbuf`, `values`).
pub fn is_one(ptr: &str) -> bool {
    let p = squashed(ptr);
    let plural = p.ends_with('s') && !p.ends_with("ss") && !p.ends_with("status");
    !plural && !MANY.iter().any(|m| p.contains(m))
}

/// `argc`/`argv`, `nargs`/`args`, `xc`/`xv`: a count of strings and the
/// `char **` holding them.
pub fn is_argc(count: &str, strings: &str) -> bool {
    let c = squashed(count);
    ["argc", "nargs", "nargc"].contains(&c.as_str())
        || c.strip_suffix('c')
            .is_some_and(|x| !x.is_empty() && squashed(strings) == format!("{x}v"))
}

/// Whether `name` names an array of strings the host passes in: `argv`,
/// `envp`, sqlite's `az…` (array of zero-terminated strings), a plural
/// (`keys`, `names`, `labels`), a `list`/`table`; never an out-parameter
/// (`…Ptr`, `out…`, `pz…`).
pub fn is_string_list(name: &str) -> bool {
    let s = squashed(name);
    let az = name.starts_with("az") && name[2..].starts_with(|c: char| c.is_ascii_uppercase());
    let out = s.ends_with("ptr") || s.starts_with("out") || s.starts_with("pz");
    let plural = s.ends_with('s') && !s.ends_with("ss") && !s.ends_with("status");
    !out && (["argv", "envp", "env", "environ"].contains(&s.as_str())
        || az
        || plural
        || ["list", "table", "array", "vec"]
            .iter()
            .any(|w| s.contains(w)))
}

/// Whether integer `count` holds how many strings `list` holds: a generic
/// count (`n`, `count`, `items`, …), `argc`-like, or one named after the
/// list (`keys_num`, `nkeys`, `names_count`).
pub fn is_strings_count(count: &str, list: &str) -> bool {
    let (c, l) = (squashed(count), squashed(list));
    const GENERIC: &[&str] = &[
        "n", "count", "cnt", "num", "items", "nitems", "numitems", "nelem", "nelems",
    ];
    GENERIC.contains(&c.as_str())
        || is_argc(count, list)
        || ["num", "count", "cnt", "n"]
            .iter()
            .any(|x| c == format!("{l}{x}"))
        || ["n", "num"].iter().any(|x| c == format!("{x}{l}"))
}

/// An integer named like a count of something (`nParam`, `n_items`,
/// `size`, `len`): beside a list it does not count, the list's length is
/// unknown.
pub fn is_count_like(name: &str) -> bool {
    let s = squashed(name);
    let n = name.starts_with('n')
        && name[1..].starts_with(|c: char| c.is_ascii_uppercase() || c == '_');
    n || ["count", "cnt", "num", "len", "size", "items", "elem"]
        .iter()
        .any(|w| s.contains(w))
}

/// Typedef names of 16-bit characters (Windows, C11, Tcl, ICU, GLib, ODBC).
const WIDE_CHARS: &[&str] = &[
    "WCHAR",
    "char16_t",
    "char16",
    "wchar16_t",
    "Tcl_UniChar",
    "UChar",
    "UniChar",
    "unichar",
    "gunichar2",
    "SQLWCHAR",
    "UTF16",
    "utf16_t",
];

/// A typedef named like a 16-bit character (its width is checked apart).
pub fn is_wide_char(name: &str) -> bool {
    WIDE_CHARS.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capacities() {
        for n in [
            "maxlen",
            "size",
            "len",
            "cb",
            "bufsize",
            "buf_len",
            "BufferSize",
        ] {
            assert!(is_capacity(n), "{n}");
        }
        for n in ["flags", "mode", "n", "index", "offset"] {
            assert!(!is_capacity(n), "{n}");
        }
    }

    #[test]
    fn string_lists() {
        for n in ["argv", "envp", "azKeep", "keys", "labels", "lst_table"] {
            assert!(is_string_list(n), "{n}");
        }
        for n in [
            "user", "pzTail", "termPtr", "namesPtr", "outNames", "arg1", "zErr",
        ] {
            assert!(!is_string_list(n), "{n}");
        }
        for (c, l) in [
            ("keys_num", "keys"),
            ("items", "labels"),
            ("nkeys", "keys"),
            ("argc", "argv"),
        ] {
            assert!(is_strings_count(c, l), "{c} of {l}");
        }
        for (c, l) in [("nParam", "azParam"), ("flags", "symv"), ("type", "argv")] {
            assert!(!is_strings_count(c, l), "{c} of {l}");
        }
        assert!(is_count_like("nParam") && !is_count_like("flags") && !is_count_like("type"));
    }

    #[test]
    fn lengths() {
        for (n, p) in [
            ("n", "buf"),
            ("nByte", "zSql"),
            ("count", "values"),
            ("text_len", "text"),
            ("srcLen", "src"),
            ("slen", "s"),
            ("sz", "buff"),
            ("length", "bytes"),
        ] {
            assert!(is_length(n, p), "{n} of {p}");
        }
        for (n, p) in [
            ("flags", "buf"),
            ("N", "z"),
            ("nArg", "zFunctionName"),
            ("nParam", "zWal"),
            ("size", "path"),
            ("blocksize", "path"),
            ("count", "id"),
            ("offset", "buf"),
            ("nothing", "buf"),
        ] {
            assert!(!is_length(n, p), "{n} of {p}");
        }
    }
}
