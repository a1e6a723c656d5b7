//! "Did you mean": the closest known word to a misspelt one.

/// The candidate closest to `word`, if any is close enough to be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = word.chars().count().max(3) / 3;
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| {
            (
                c,
                strsim::levenshtein(word, c),
                strsim::jaro_winkler(word, c),
            )
        })
        .filter(|&(_, dist, jw)| dist <= limit.max(1) || jw >= 0.88)
        .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(b.0)))
        .map(|(c, ..)| c)
}

/// "did you mean `x`?" when there is a close candidate.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "expected one of `a`, `b`, `c`" for a closed list.
pub fn one_of(names: &[&str]) -> String {
    let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("expected one of {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        assert_eq!(closest("dbb", ["db", "web", "cache"]), Some("db"));
        assert_eq!(
            closest("clasification", ["classification", "integrity"]),
            Some("classification")
        );
        assert_eq!(closest("zzzzzz", ["db", "web"]), None);
    }
}
