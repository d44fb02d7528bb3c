//! Python callables passed to the host's own functions (`host_fns.rs`) for
//! function-pointer parameters (`lua_pushcclosure(L, fn, 0)`): bound as an
//! invoker of a host function pointer binds them (`trampolines.rs`): through
//! the user data when the function has it, else from the prototype's pool.
use super::trampolines::{finish_binding, fnptr_arg, host_ud_name, is_user_data_param};
use super::types::Lookup;
use crate::emit::host_params::passed;
use crate::model::Function;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The Python argument of C parameter `i` (`host_fns::passed`).
fn src(f: &Function, i: usize) -> TokenStream {
    let j = (0..i).filter(|&q| passed(&f.sig, q)).count();
    let j = Literal::usize_unsuffixed(j);
    quote!(args[#j])
}

/// The conversion of parameter `i` of host function `k` when it may take a
/// Python callable; `None` when the plain conversion applies.
pub(super) fn fnptr(cx: &Lookup, k: usize, f: &Function, i: usize) -> Option<TokenStream> {
    fnptr_arg(cx, &f.sig, i, src(f, i), |j| host_ud_name(k, j))
}

/// Whether host function `k` binds callables (its invoker needs a `Binding`).
pub(super) fn binds(cx: &Lookup, k: usize, f: &Function) -> bool {
    (0..f.sig.params.len()).any(|i| fnptr(cx, k, f, i).is_some())
}

/// After the arguments: the user data gets the closure (`finish_binding`).
pub(super) fn finish(k: usize, f: &Function) -> TokenStream {
    let u = (0..f.sig.params.len()).find(|&i| is_user_data_param(&f.sig, i));
    let src = u.map(|u| src(f, u)).unwrap_or_default();
    finish_binding(&f.sig, src, |j| host_ud_name(k, j))
}
