//! What `epy-codegen` says about a header beyond its warnings: a header
//! without functions gives a plugin without exports, which no host loads.
use std::path::Path;

/// The message for a header that declares no (exportable) functions.
pub fn no_functions(header: &Path) -> String {
    format!(
        "the header declares no functions: name a pack, or declare the exports in a header of your own — see `epy-codegen --help` (`#include \"{}\"`, then the prototypes of the functions the host looks up in the plugin)",
        header.display()
    )
}
