//! "Did you mean": what a wrong word most likely meant. First by meaning, from a table of
//! words people write for the model language's own (`trusted` means `internal`); then by
//! spelling, only when the candidate is a few edits away and is not the word's opposite
//! (`trusted` is two letters from `untrusted`, and means the reverse).
//!
//! Bounded for hostile models (thousands of unknown references, megabyte-long words):
//! words longer than [`MAX_WORD`] get no suggestion, candidates whose length rules out a
//! match are skipped before any distance is computed, and the comparisons of one load
//! share a budget of [`WORK_BUDGET`] character pairs, after which suggestions stop (the
//! errors themselves are still reported).

use std::cell::Cell;

/// The longest word, in characters, that a suggestion is looked for (and offered).
pub const MAX_WORD: usize = 64;
/// Character pairs compared per load (on one thread) before suggestions stop.
pub const WORK_BUDGET: u64 = 50_000_000;

thread_local! {
    static WORK_LEFT: Cell<u64> = const { Cell::new(WORK_BUDGET) };
}

/// Gives this thread a fresh comparison budget; the loader calls it once per load.
pub fn reset_budget() {
    WORK_LEFT.with(|left| left.set(WORK_BUDGET));
}

/// Charges `work` to this thread's budget; false when it is spent.
fn charge(work: u64) -> bool {
    WORK_LEFT.with(|left| match left.get().checked_sub(work) {
        Some(rest) => {
            left.set(rest);
            true
        }
        None => {
            left.set(0);
            false
        }
    })
}

/// Whether lengths `a` and `b` leave any chance of an edit distance within `limit`.
fn lengths_can_match(a: usize, b: usize, limit: usize) -> bool {
    a.abs_diff(b) <= limit
}

/// Words people write, and the model-language words they mean, in order of likelihood.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("trusted", &["internal"]),
    ("semi-trusted", &["partner"]),
    ("external", &["untrusted", "partner"]),
    ("private", &["internal", "confidential"]),
    ("secret", &["confidential", "restricted"]),
    ("sensitive", &["confidential"]),
    ("readwrite", &["admin", "write"]),
    ("read-write", &["admin", "write"]),
    ("rw", &["write", "admin"]),
    ("readonly", &["read"]),
    ("read-only", &["read"]),
    ("full", &["admin"]),
    ("owner", &["admin"]),
    ("mutual-tls", &["mtls"]),
    ("apikey", &["api-key"]),
    ("bearer", &["token", "jwt"]),
    ("cookie", &["session"]),
    ("cert", &["certificate"]),
];

/// Prefixes that turn a word into its opposite.
const NEGATIONS: &[&str] = &["un", "non-", "non", "in", "not-", "no-"];

/// Whether one word is the other with a negating prefix.
fn opposite(a: &str, b: &str) -> bool {
    NEGATIONS
        .iter()
        .any(|n| a.strip_prefix(n) == Some(b) || b.strip_prefix(n) == Some(a))
}

/// The candidate closest to `word`, if any is close enough to be a plausible typo: at
/// most a third of the word's letters changed (one for short words), never its opposite.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().take(MAX_WORD + 1).count();
    if length > MAX_WORD || WORK_LEFT.with(Cell::get) == 0 {
        return None;
    }
    let limit = (length.max(3) / 3).max(1);
    candidates
        .into_iter()
        // Stop taking candidates once the budget is spent, so a spent budget costs nothing.
        .take_while(|c| charge(1 + c.len().min(MAX_WORD * 4) as u64))
        .filter(|c| *c != word && c.len() <= MAX_WORD * 4 && !opposite(word, c))
        .filter_map(|c| {
            let other = c.chars().count();
            if other > MAX_WORD || !lengths_can_match(length, other, limit) {
                return None;
            }
            if !charge((length * other) as u64) {
                return None;
            }
            Some((
                c,
                strsim::levenshtein(word, c),
                strsim::jaro_winkler(word, c),
            ))
        })
        .filter(|&(_, dist, _)| dist <= limit)
        .min_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(b.0)))
        .map(|(c, ..)| c)
}

/// The candidates `word` means by the synonym table, in its order.
fn meant<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let lower = word.to_ascii_lowercase();
    SYNONYMS
        .iter()
        .filter(|(w, _)| *w == lower)
        .flat_map(|(_, means)| means.iter())
        .filter_map(|m| candidates.iter().copied().find(|c| c == m))
        .collect()
}

/// "did you mean `x`?" (or "`x` or `y`") when the word has a known meaning or a close
/// candidate.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let by_meaning = meant(word, &candidates);
    if !by_meaning.is_empty() {
        let list: Vec<String> = by_meaning.iter().map(|c| format!("`{c}`")).collect();
        return Some(format!("did you mean {}?", list.join(" or ")));
    }
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "a" or "an" before a word, by its first letter (good enough for the vocabulary's names).
pub fn article(word: &str) -> &'static str {
    match word.bytes().next() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    }
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

    #[test]
    fn suggests_by_meaning_never_the_opposite() {
        let trust = ["untrusted", "partner", "internal", "restricted"];
        assert_eq!(
            did_you_mean("trusted", trust).as_deref(),
            Some("did you mean `internal`?")
        );
        assert_eq!(closest("trusted", trust), None, "never the opposite");
        let access = ["read", "write", "admin", "assume"];
        assert_eq!(
            did_you_mean("readwrite", access).as_deref(),
            Some("did you mean `admin` or `write`?")
        );
        assert_eq!(closest("readwrite", access), None, "too far to be a typo");
        assert_eq!(closest("wrte", access), Some("write"));
        assert_eq!(article("authentication"), "an");
        assert_eq!(article("credential"), "a");
    }

    #[test]
    fn long_words_and_spent_budgets_give_no_suggestion() {
        reset_budget();
        let long = "a".repeat(MAX_WORD + 1);
        assert_eq!(closest(&long, [&long[1..]]), None);
        assert_eq!(closest("dbb", ["db"]), Some("db"));
        WORK_LEFT.with(|left| left.set(5));
        assert_eq!(
            closest("dbb", ["db"]),
            None,
            "the budget of 5 is less than 3 + 3x2"
        );
        reset_budget();
        assert_eq!(closest("dbb", ["db"]), Some("db"));
    }
}
