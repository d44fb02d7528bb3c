//! The `.pyi` stub module for the script's author. The model is lowered into
//! view structs whose fields are final strings (`view.rs`); the askama
//! templates in `epy-codegen/templates/` only place them.
mod pytypes;
mod view;

use crate::plan::Plan;
use askama::Template;

/// Python run in every stub module after the pack's layer: what the stubs
/// declare beyond the header (`check_exports` only matters to mypy).
pub const RUNTIME_LAYER: &str = "
def check_exports(**exports):
    \"\"\"Type-checks the exports named (see the stubs); nothing at run time.\"\"\"
";

/// The text of `<module>.pyi`: every exportable function typed (the
/// script may define any of them), whatever the plan exports.
pub fn pyi(plan: &Plan) -> String {
    let mut text = view::lower(plan)
        .render()
        .unwrap_or_else(|e| format!("# epy-codegen: template error: {e}\n"));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Every export's Python signature as the stubs type it:
/// (name, parameters without `self`, return type).
pub fn signatures(plan: &Plan) -> Vec<(String, String, String)> {
    view::lower(plan)
        .exports
        .into_iter()
        .map(|f| (f.name, f.params, f.ret))
        .collect()
}
