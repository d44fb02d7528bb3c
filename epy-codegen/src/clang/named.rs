//! Parameter names a declaration does not spell itself: a function
//! declared through a function typedef (`OSSL_provider_init_fn
//! OSSL_provider_init;`) has unnamed parameters, the typedef has names.
use super::walk::param_decls;
use clang::{Entity, Type as CType, TypeKind};

/// The parameter declarations naming function `e`'s parameters: its own,
/// else (all unnamed) those of the function typedef its type is spelled with.
pub(super) fn param_decls_of<'tu>(e: Entity<'tu>, ty: CType<'tu>) -> Vec<Entity<'tu>> {
    let own = e.get_arguments().unwrap_or_default();
    if own
        .iter()
        .any(|p| p.get_name().is_some_and(|n| !n.is_empty()))
    {
        return own;
    }
    typedef_params(ty, 0).unwrap_or(own)
}

/// Through elaborated and typedef sugar (a typedef of a typedef keeps looking).
fn typedef_params<'tu>(ty: CType<'tu>, depth: usize) -> Option<Vec<Entity<'tu>>> {
    if depth > 16 {
        return None;
    }
    match ty.get_kind() {
        TypeKind::Elaborated => typedef_params(ty.get_elaborated_type()?, depth + 1),
        TypeKind::Typedef => {
            let decl = ty.get_declaration()?;
            let params = param_decls(decl);
            if params.is_empty() {
                typedef_params(decl.get_typedef_underlying_type()?, depth + 1)
            } else {
                Some(params)
            }
        }
        _ => None,
    }
}
