//! "Did you mean …": the name nearest a misspelt one, by edit distance.

/// The name in `names` nearest `wanted` by `strsim::levenshtein` (ties: the
/// first in alphabetical order), when it is near enough to be a misspelling:
/// at most a third of the longer name's characters differ (at least one), or
/// only the case does.
pub fn closest<'n, S: AsRef<str>>(wanted: &str, names: &'n [S]) -> Option<&'n str> {
    let (distance, best) = names
        .iter()
        .map(AsRef::as_ref)
        .filter(|n| *n != wanted)
        .map(|n| (strsim::levenshtein(wanted, n), n))
        .min()?;
    let longer = wanted.chars().count().max(best.chars().count());
    let near = distance <= (longer / 3).max(1) || best.eq_ignore_ascii_case(wanted);
    near.then_some(best)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn nearest_first_far_ones_not_at_all() {
        let names = ["sum", "mean", "summary"];
        assert_eq!(closest("sumx", &names), Some("sum"));
        assert_eq!(closest("summray", &names), Some("summary"));
        assert_eq!(closest("SUM", &names), Some("sum"));
        assert_eq!(closest("average", &names), None);
        assert_eq!(closest("x", &[] as &[&str]), None);
    }
}
