//! Parameter names that say what an integer next to a pointer holds: the
//! capacity of an output buffer, the length of input data, a count of
//! elements. Conservative: whole words, no guessing from types alone.

/// Lower case without `_`: `buf_size` and `BufSize` are both `bufsize`.
fn squashed(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `nByte`, `nArg`: `n` then an upper-case word (sqlite's style).
fn n_prefixed(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next() == Some('n') && chars.next().is_some_and(|c| c.is_ascii_uppercase())
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

const LENGTH: &[&str] = &[
    "n", "sz", "num", "nbytes", "nelem", "nelems", "nitems", "cb",
];

/// An integer naming how many characters (NUL included) an output buffer
/// holds: `maxlen`, `size`, `len`, `cb`, `bufsize`, `buf_len`, ….
pub fn is_capacity(name: &str) -> bool {
    let s = squashed(name);
    CAPACITY.contains(&s.as_str())
        || ["buf", "buffer", "max"]
            .iter()
            .any(|p| s.starts_with(p) && LENGTH_SUFFIXES.iter().any(|x| s.ends_with(x)))
}

/// An integer naming how many bytes or elements an input pointer holds:
/// `len`, `size`, `n`, `nByte`, `count`, `SampleCount`, `data_len`, ….
pub fn is_length(name: &str) -> bool {
    let s = squashed(name);
    n_prefixed(name)
        || LENGTH.contains(&s.as_str())
        || CAPACITY.contains(&s.as_str())
        || LENGTH_SUFFIXES.iter().any(|x| s.ends_with(x))
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
    fn lengths() {
        for n in [
            "n",
            "nByte",
            "count",
            "SampleCount",
            "data_len",
            "sz",
            "length",
        ] {
            assert!(is_length(n), "{n}");
        }
        for n in ["flags", "mode", "index", "offset", "name", "nothing"] {
            assert!(!is_length(n), "{n}");
        }
    }
}
