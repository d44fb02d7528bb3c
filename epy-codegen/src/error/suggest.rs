//! "Did you mean …": the name nearest a misspelt one, by edit distance.

/// The name in `names` nearest `wanted` by `strsim::osa_distance` (edits,
/// a swap of neighbours counting one; ties: the first alphabetically), when
/// it is near enough to be a misspelling: at most a third of the longer
/// name's characters differ (at least one), or only the case does.
pub fn closest<'n, S: AsRef<str>>(wanted: &str, names: &'n [S]) -> Option<&'n str> {
    let (distance, best) = names
        .iter()
        .map(AsRef::as_ref)
        .filter(|n| *n != wanted)
        .map(|n| (strsim::osa_distance(wanted, n), n))
        .min()?;
    let longer = wanted.chars().count().max(best.chars().count());
    let near = distance <= (longer / 3).max(1) || best.eq_ignore_ascii_case(wanted);
    near.then_some(best)
}

/// serde's "unknown field `x`, expected one of `a`, `b`" (or `unknown
/// variant`, or `expected `a` or `b``): the misspelt name and the names.
pub fn unknown_in(message: &str) -> Option<(&str, Vec<&str>)> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (wanted, rest) = rest.split_once('`')?;
    let names = rest.split_once("expected")?.1;
    let names = names.split('`').skip(1).step_by(2).collect();
    Some((wanted, names))
}

#[cfg(test)]
mod tests {
    use super::{closest, unknown_in};

    #[test]
    fn serde_names_the_names() {
        let m = "unknown field `lenght`, expected one of `length`, `encoding`";
        assert_eq!(unknown_in(m), Some(("lenght", vec!["length", "encoding"])));
        let m = "unknown variant `utf8`, expected `utf-8` or `utf-16`";
        assert_eq!(unknown_in(m), Some(("utf8", vec!["utf-8", "utf-16"])));
        assert_eq!(unknown_in("invalid type: boolean `true`"), None);
    }

    #[test]
    fn nearest_first_far_ones_not_at_all() {
        let names = ["sum", "mean", "summary"];
        assert_eq!(closest("sumx", &names), Some("sum"));
        assert_eq!(closest("summray", &names), Some("summary"));
        assert_eq!(closest("SUM", &names), Some("sum"));
        assert_eq!(closest("wxc", &["ladspa", "wcx"]), Some("wcx"));
        assert_eq!(closest("average", &names), None);
        assert_eq!(closest("x", &[] as &[&str]), None);
    }
}
