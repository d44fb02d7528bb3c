//! The Python type of a typed pointer (`Role::Ptr`, the `pointer` rule in
//! `infer::typed_ptr`): `Ptr[int]`, `Ptr[Ptr[int] | None]`, … — in the model
//! because inference names it (`--explain`) as the stubs do.
use crate::model::Type;

/// The stub type of a typed pointer `ty`.
pub(crate) fn py_type(ty: &Type) -> String {
    let Type::Pointer { pointee, .. } = ty else {
        return "None".into();
    };
    let elem = match &**pointee {
        Type::Bool => "bool".into(),
        Type::Float | Type::Double => "float".into(),
        Type::Struct(s) => s.clone(),
        Type::Void => "None".into(),
        Type::Pointer { pointee: s, .. } if matches!(**s, Type::Struct(_)) => {
            let Type::Struct(s) = &**s else {
                unreachable!()
            };
            format!("{s} | None")
        }
        inner @ Type::Pointer { .. } => format!("{} | None", py_type(inner)),
        _ => "int".into(),
    };
    format!("Ptr[{elem}]")
}
