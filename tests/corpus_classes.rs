//! What the corpus test counts: per header, the declarations, and each
//! export parameter or result whose Python type (as the stubs give it) is a
//! bare address (`int | None` for a pointer that is not an opaque `void *`
//! handle) or a copy the plugin cannot use, by the shape of its C type.
use epy_codegen::infer::names::{is_capacity, is_length};
use epy_codegen::model::{Function, Param, Type};
use epy_codegen::plan::Plan;

/// The classes, in table order: (column, what it counts).
const CLASSES: &[(&str, &str)] = &[
    (
        "outnum",
        "non-const pointer to a number (an output): an address",
    ),
    (
        "ptrptr",
        "pointer to pointer (`char **argv`, `T **out`): an address",
    ),
    (
        "structret",
        "result: pointer to a struct (a descriptor): an address",
    ),
    (
        "u16",
        "pointer to 16-bit integers (UTF-16 text?): an address",
    ),
    (
        "charbuf",
        "writable `char *` + capacity: a `str` copy it cannot write",
    ),
    (
        "data",
        "`const char *`/`const void *` + length: `str` (binary fails) or an address",
    ),
    ("array", "`const T *` numbers + count: an address"),
    (
        "fnptr",
        "function pointer without a type: `Callable[..., object]`",
    ),
    ("other", "any other pointer typed as an address"),
];

#[derive(Default)]
pub struct Counts {
    functions: usize,
    variadic: usize,
    structs: usize,
    callbacks: usize,
    warnings: usize,
    classes: [usize; CLASSES.len()],
    /// Each counted one: `class file:line function(param): C type`.
    pub items: Vec<String>,
}

impl Counts {
    pub fn of(plan: &Plan) -> Counts {
        let iface = &plan.iface;
        let mut c = Counts {
            functions: iface.functions.len(),
            variadic: iface.functions.iter().filter(|f| f.sig.variadic).count(),
            structs: iface.structs.len(),
            callbacks: iface.callbacks.len(),
            warnings: iface.warnings.len(),
            ..Default::default()
        };
        let sigs = epy_codegen::emit::python::signatures(plan);
        for f in iface.functions.iter().filter(|f| !f.sig.variadic) {
            let Some((_, params, ret)) = sigs.iter().find(|(n, _, _)| *n == f.name) else {
                continue;
            };
            let py = split_params(params);
            for (i, p) in f.sig.params.iter().enumerate() {
                // Output buffers are not parameters in Python: handled.
                let Some(ty) = py.iter().find(|(n, _)| n.trim_end_matches('_') == p.name) else {
                    continue;
                };
                if let Some(k) = param_class(f, i, p, &ty.1) {
                    c.count(k, f, &p.name, &p.ty);
                }
            }
            if let Some(k) = ret_class(&f.sig.ret, ret) {
                c.count(k, f, "result", &f.sig.ret);
            }
        }
        c
    }

    fn count(&mut self, class: usize, f: &Function, what: &str, ty: &Type) {
        self.classes[class] += 1;
        self.items.push(format!(
            "{:<9} {}: {}({what}): {ty:?}",
            CLASSES[class].0, f.loc, f.name
        ));
    }

    pub fn add(&mut self, o: &Counts) {
        self.functions += o.functions;
        self.variadic += o.variadic;
        self.structs += o.structs;
        self.callbacks += o.callbacks;
        self.warnings += o.warnings;
        for (a, b) in self.classes.iter_mut().zip(o.classes) {
            *a += b;
        }
        self.items.extend(o.items.iter().cloned());
    }

    /// The sum over the classes.
    pub fn unusable(&self) -> usize {
        self.classes.iter().sum()
    }

    pub fn header() -> String {
        let mut s = format!(
            "{:>5} {:>4} {:>5} {:>5} {:>5} |",
            "funcs", "var", "strct", "cbs", "warn"
        );
        for (name, _) in CLASSES {
            s += &format!(" {name:>9}");
        }
        s + " |    sum"
    }

    pub fn row(&self) -> String {
        let mut s = format!(
            "{:>5} {:>4} {:>5} {:>5} {:>5} |",
            self.functions, self.variadic, self.structs, self.callbacks, self.warnings
        );
        for n in self.classes {
            s += &format!(" {n:>9}");
        }
        s + &format!(" | {:>6}", self.unusable())
    }

    pub fn legend() -> String {
        let mut s = String::from(
            "funcs: functions (var: of them variadic), strct: structs, cbs: callback typedefs, warn: warnings\n",
        );
        for (name, what) in CLASSES {
            s += &format!("{name}: {what}\n");
        }
        s
    }
}

/// `a: int, b: Callable[[int], str] | None` → [(a, int), (b, …)].
fn split_params(params: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    let bytes = params.as_bytes();
    for i in 0..=bytes.len() {
        match bytes.get(i) {
            Some(b'[') => depth += 1,
            Some(b']') => depth -= 1,
            Some(b',') | None if depth == 0 => {
                let part = params[start..i].trim();
                if let Some((n, t)) = part.split_once(':') {
                    out.push((n.trim().to_owned(), t.trim().to_owned()));
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

fn index(name: &str) -> usize {
    CLASSES.iter().position(|(n, _)| *n == name).unwrap()
}

fn is_number(t: &Type) -> bool {
    matches!(
        t,
        Type::Bool | Type::Int { .. } | Type::Float | Type::Double | Type::Enum(_)
    )
}

/// The integer parameter right after `i`, if its name says it holds a
/// length (`capacity`: a buffer's capacity).
fn sized(f: &Function, i: usize, capacity: bool) -> bool {
    let ptr = &f.sig.params[i].name;
    f.sig.params.get(i + 1).is_some_and(|n| {
        matches!(n.ty, Type::Int { .. })
            && if capacity {
                is_capacity(&n.name)
            } else {
                is_length(&n.name, ptr)
            }
    })
}

fn param_class(f: &Function, i: usize, p: &Param, py: &str) -> Option<usize> {
    if py.contains("Callable[..., object]") {
        return Some(index("fnptr"));
    }
    let Type::Pointer { pointee, is_const } = &p.ty else {
        return None;
    };
    let address = py.contains("int | None");
    let class = match (&**pointee, *is_const) {
        (Type::Char, false) if py.starts_with("str") && sized(f, i, true) => "charbuf",
        (Type::Char, true) if py.starts_with("str") && sized(f, i, false) => "data",
        _ if !address => return None,
        (Type::Void, true) if sized(f, i, false) => "data",
        (Type::Void, _) => return None, // an opaque handle or context
        (Type::Pointer { .. }, _) => "ptrptr",
        (Type::Int { bits: 16, .. }, _) => "u16",
        (t, false) if is_number(t) => "outnum",
        (t, true) if is_number(t) && sized(f, i, false) => "array",
        _ => "other",
    };
    Some(index(class))
}

fn ret_class(ty: &Type, py: &str) -> Option<usize> {
    let Type::Pointer { pointee, .. } = ty else {
        return None;
    };
    if !py.contains("int | None") {
        return None;
    }
    Some(index(match &**pointee {
        Type::Void => return None,
        Type::Struct(_) => "structret",
        Type::Pointer { .. } => "ptrptr",
        Type::Int { bits: 16, .. } => "u16",
        _ => "other",
    }))
}
