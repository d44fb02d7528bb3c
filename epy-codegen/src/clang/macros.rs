//! Object-like `#define`s whose body is a constant: integer, float or string
//! literals, earlier constants and enumerators, combined with C's unary and
//! binary operators and parentheses (casts are looked through). Anything
//! else (function-like macros, include guards, expressions of types) is
//! skipped without a word: a header is full of macros that are not ours.
use clang::token::TokenKind;
use std::collections::{HashMap, HashSet};

/// An evaluated value; integers are computed in 128 bits and narrowed at the end.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Val {
    Int(i128),
    Float(f64),
    Str(String),
}

/// Evaluates a macro body (the tokens after its name); `env` holds the
/// constants and enumerators defined so far, `types` the typedef names (for
/// casts).
#[cfg(test)]
pub(super) fn eval(
    tokens: &[(TokenKind, String)],
    env: &HashMap<String, Val>,
    types: &HashSet<String>,
) -> Option<Val> {
    eval_typed(tokens, env, types, &HashMap::new())
}

/// `eval`, with the widths of the unsigned typedefs (`super::unsigned`): a
/// negative result of an expression with an unsigned operand is unsigned.
pub(super) fn eval_typed(
    tokens: &[(TokenKind, String)],
    env: &HashMap<String, Val>,
    types: &HashSet<String>,
    unsigned: &HashMap<String, u32>,
) -> Option<Val> {
    if tokens.is_empty() {
        return None;
    }
    // Adjacent string literals concatenate: "a" "b".
    if tokens
        .iter()
        .all(|(k, s)| *k == TokenKind::Literal && s.ends_with('"'))
    {
        return tokens
            .iter()
            .map(|(_, s)| string(s))
            .collect::<Option<String>>()
            .map(Val::Str);
    }
    let mut p = Parser {
        toks: tokens,
        pos: 0,
        depth: 0,
        env,
        types,
        unsigned,
        uwidth: 0,
    };
    let v = p.binary(0)?;
    if p.pos != tokens.len() {
        return None;
    }
    Some(match v {
        Val::Int(i) if i < 0 && p.uwidth > 0 => Val::Int(super::unsigned::wrap(i, p.uwidth)),
        v => v,
    })
}

struct Parser<'a> {
    toks: &'a [(TokenKind, String)],
    pos: usize,
    /// Nesting of unary operators and parentheses so far.
    depth: usize,
    env: &'a HashMap<String, Val>,
    types: &'a HashSet<String>,
    /// Unsigned typedefs and their widths.
    unsigned: &'a HashMap<String, u32>,
    /// The widest unsigned operand so far (0: none).
    uwidth: u32,
}

/// Most nested unary operators and parentheses (a real header needs a few).
const MAX_DEPTH: usize = 64;

/// Binary operators by precedence level (higher binds tighter).
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(|(_, s)| s.as_str())
    }

    fn binary(&mut self, level: usize) -> Option<Val> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        while let Some(op) = self
            .peek()
            .filter(|op| LEVELS[level].contains(op))
            .map(str::to_owned)
        {
            self.pos += 1;
            let rhs = self.binary(level + 1)?;
            lhs = apply(&op, lhs, rhs)?;
        }
        Some(lhs)
    }

    /// A unary expression; deeper than `MAX_DEPTH` (`((((…1))))` in a
    /// hostile header) is not a constant, rather than a stack overflow.
    fn unary(&mut self) -> Option<Val> {
        if self.depth == MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let v = self.unary_inner();
        self.depth -= 1;
        v
    }

    fn unary_inner(&mut self) -> Option<Val> {
        let (kind, tok) = self.toks.get(self.pos)?.clone();
        self.pos += 1;
        match (kind, tok.as_str()) {
            (TokenKind::Punctuation, "-") => match self.unary()? {
                Val::Int(i) => Some(Val::Int(i.checked_neg()?)),
                Val::Float(f) => Some(Val::Float(-f)),
                Val::Str(_) => None,
            },
            (TokenKind::Punctuation, "+") => self.unary(),
            (TokenKind::Punctuation, "~") => Some(Val::Int(!int(self.unary()?)?)),
            (TokenKind::Punctuation, "!") => Some(Val::Int((int(self.unary()?)? == 0) as i128)),
            (TokenKind::Punctuation, "(") => {
                if let Some(len) = self.cast_len() {
                    let words: Vec<&str> = self.toks[self.pos..self.pos + len]
                        .iter()
                        .map(|(_, w)| w.as_str())
                        .collect();
                    let bits = super::unsigned::cast(&words, self.unsigned);
                    self.pos += len + 1; // the type and `)`
                    let v = self.unary()?;
                    return Some(match (bits, v) {
                        (Some(b), Val::Int(i)) => {
                            self.uwidth = self.uwidth.max(b);
                            Val::Int(super::unsigned::wrap(i, b))
                        }
                        (_, v) => v,
                    });
                }
                let v = self.binary(0)?;
                (self.peek()? == ")").then(|| self.pos += 1)?;
                Some(v)
            }
            (TokenKind::Literal, lit) => {
                if let Some(b) = super::unsigned::literal(lit) {
                    self.uwidth = self.uwidth.max(b);
                }
                number(lit)
            }
            (TokenKind::Identifier, name) => self.env.get(name).cloned(),
            _ => None,
        }
    }

    /// After `(`: the number of tokens of a cast's type name (`(DWORD)`,
    /// `(unsigned long)`), if the parenthesis holds only type words.
    fn cast_len(&self) -> Option<usize> {
        let rest = &self.toks[self.pos..];
        let len = rest.iter().position(|(_, s)| s == ")")?;
        let type_word = |(k, s): &(TokenKind, String)| {
            *k == TokenKind::Keyword || (*k == TokenKind::Identifier && self.types.contains(s))
        };
        (len > 0 && rest[..len].iter().all(type_word)).then_some(len)
    }
}

fn int(v: Val) -> Option<i128> {
    match v {
        Val::Int(i) => Some(i),
        _ => None,
    }
}

fn float(v: &Val) -> Option<f64> {
    match v {
        Val::Int(i) => Some(*i as f64),
        Val::Float(f) => Some(*f),
        Val::Str(_) => None,
    }
}

fn apply(op: &str, a: Val, b: Val) -> Option<Val> {
    if let (Val::Int(x), Val::Int(y)) = (&a, &b) {
        let (x, y) = (*x, *y);
        let shift = u32::try_from(y).ok().filter(|s| *s < 64);
        return Some(Val::Int(match op {
            "+" => x.checked_add(y)?,
            "-" => x.checked_sub(y)?,
            "*" => x.checked_mul(y)?,
            "/" => x.checked_div(y)?,
            "%" => x.checked_rem(y)?,
            "<<" => x.checked_shl(shift?)?,
            ">>" => x >> shift?,
            "&" => x & y,
            "|" => x | y,
            "^" => x ^ y,
            "&&" => (x != 0 && y != 0) as i128,
            "||" => (x != 0 || y != 0) as i128,
            _ => compare(op, x.cmp(&y))?,
        }));
    }
    let (x, y) = (float(&a)?, float(&b)?);
    Some(match op {
        "+" => Val::Float(x + y),
        "-" => Val::Float(x - y),
        "*" => Val::Float(x * y),
        "/" => Val::Float(x / y),
        _ => Val::Int(compare(op, x.partial_cmp(&y)?)?),
    })
}

fn compare(op: &str, ord: std::cmp::Ordering) -> Option<i128> {
    use std::cmp::Ordering::*;
    let r = match op {
        "==" => ord == Equal,
        "!=" => ord != Equal,
        "<" => ord == Less,
        ">" => ord == Greater,
        "<=" => ord != Greater,
        ">=" => ord != Less,
        _ => return None,
    };
    Some(r as i128)
}

/// An integer (`42`, `0x2Au`, `052`, `0b101`, `10ULL`), float (`0.25`,
/// `1e3f`) or character (`'a'`) literal.
fn number(lit: &str) -> Option<Val> {
    if lit.starts_with('\'') {
        let s = string(&format!(
            "\"{}\"",
            lit.strip_prefix('\'')?.strip_suffix('\'')?
        ))?;
        let mut chars = s.chars();
        let c = chars.next()?;
        return chars.next().is_none().then_some(Val::Int(c as i128));
    }
    let lower = lit.to_ascii_lowercase();
    let is_hex = lower.starts_with("0x");
    if !is_hex && (lower.contains('.') || lower.contains('e')) || is_hex && lower.contains('p') {
        let digits = lower.trim_end_matches(['f', 'l']);
        return digits.parse().ok().map(Val::Float);
    }
    let digits = lower.trim_end_matches(['u', 'l']);
    let (radix, digits) = if let Some(d) = digits.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = digits.strip_prefix("0b") {
        (2, d)
    } else if digits.len() > 1 && digits.starts_with('0') {
        (8, &digits[1..])
    } else {
        (10, digits)
    };
    u128::from_str_radix(digits, radix)
        .ok()
        .and_then(|v| i128::try_from(v).ok())
        .map(Val::Int)
}

/// A plain or `u8` string literal with C escapes, unquoted.
fn string(lit: &str) -> Option<String> {
    let body = lit
        .strip_prefix("u8")
        .unwrap_or(lit)
        .strip_prefix('"')?
        .strip_suffix('"')?;
    let mut out = Vec::new();
    let mut bytes = body.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let e = bytes.next()?;
        out.push(match e {
            b'n' => b'\n',
            b't' => b'\t',
            b'r' => b'\r',
            b'a' => 7,
            b'b' => 8,
            b'f' => 12,
            b'v' => 11,
            b'x' => {
                let mut v = 0u32;
                while let Some(d) = bytes.peek().and_then(|c| (*c as char).to_digit(16)) {
                    v = v * 16 + d;
                    bytes.next();
                }
                u8::try_from(v).ok()?
            }
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                for _ in 0..2 {
                    let Some(d) = bytes.peek().and_then(|c| (*c as char).to_digit(8)) else {
                        break;
                    };
                    v = v * 8 + d;
                    bytes.next();
                }
                u8::try_from(v).ok()?
            }
            other => other, // \\ \" \' \?
        });
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str, env: &[(&str, Val)]) -> Option<Val> {
        let env: HashMap<String, Val> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let types = HashSet::from(["DWORD".to_string()]);
        eval(&lex(src), &env, &types)
    }

    /// A toy lexer for the tests (libclang lexes the real thing).
    fn lex(src: &str) -> Vec<(TokenKind, String)> {
        src.split_whitespace()
            .map(|t| {
                let k = match t.chars().next().unwrap() {
                    '0'..='9' | '"' | '\'' => TokenKind::Literal,
                    c if c.is_alphabetic() && ["unsigned", "int", "long"].contains(&t) => {
                        TokenKind::Keyword
                    }
                    c if c.is_alphabetic() || c == '_' => TokenKind::Identifier,
                    _ => TokenKind::Punctuation,
                };
                (k, t.to_string())
            })
            .collect()
    }

    #[test]
    fn literals_and_expressions() {
        assert_eq!(run("1000", &[]), Some(Val::Int(1000)));
        assert_eq!(run("0x10u", &[]), Some(Val::Int(16)));
        assert_eq!(run("010", &[]), Some(Val::Int(8)));
        assert_eq!(run("- 5L", &[]), Some(Val::Int(-5)));
        assert_eq!(run("( 1 << 3 )", &[]), Some(Val::Int(8)));
        assert_eq!(
            run("A | B", &[("A", Val::Int(1)), ("B", Val::Int(4))]),
            Some(Val::Int(5))
        );
        assert_eq!(run("( DWORD ) 7", &[]), Some(Val::Int(7)));
        // Unsigned operands make the expression unsigned (LUA_MAXUNSIGNED).
        let unsigned = HashMap::from([("lua_Unsigned".to_string(), 64)]);
        let types = HashSet::from(["lua_Unsigned".to_string()]);
        let maxu = eval_typed(
            &lex("( ~ ( lua_Unsigned ) 0 )"),
            &HashMap::new(),
            &types,
            &unsigned,
        );
        assert_eq!(maxu, Some(Val::Int(u64::MAX as i128)));
        assert_eq!(run("~ 0u", &[]), Some(Val::Int(u32::MAX as i128)));
        assert_eq!(
            run("( unsigned ) - 1", &[]),
            Some(Val::Int(u32::MAX as i128))
        );
        assert_eq!(run("~ 0", &[]), Some(Val::Int(-1)));
        assert_eq!(
            run("( unsigned long ) 0xFFFFFFFFFFFFFFFFULL", &[]),
            Some(Val::Int(u64::MAX as i128))
        );
        assert_eq!(run("0.25", &[]), Some(Val::Float(0.25)));
        assert_eq!(run("1e3f", &[]), Some(Val::Float(1000.0)));
        assert_eq!(run("\"a\\tb\"", &[]), Some(Val::Str("a\tb".into())));
        assert_eq!(run("\"ab\" \"cd\"", &[]), Some(Val::Str("abcd".into())));
        assert_eq!(run("'A'", &[]), Some(Val::Int(65)));
        assert_eq!(run("2 + 3 * 4", &[]), Some(Val::Int(14)));
    }

    #[test]
    fn skips_non_constants() {
        assert_eq!(run("UNKNOWN + 1", &[]), None);
        assert_eq!(run("1 / 0", &[]), None);
        assert_eq!(run("( 1", &[]), None);
        assert_eq!(run("foo ( 1 )", &[]), None);
        assert_eq!(run("int", &[]), None);
        assert_eq!(run("( UNKNOWN ) - 1", &[]), None);
    }
}
