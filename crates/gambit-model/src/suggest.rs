//! "Did you mean": the closest known word to a misspelt one.
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

/// Whether lengths `a` and `b` leave any chance of a match: an edit distance within
/// `limit`, or a Jaro-Winkler similarity of 0.88 (which needs the shorter to be at least a
/// tenth of the longer).
fn lengths_can_match(a: usize, b: usize, limit: usize) -> bool {
    let (short, long) = (a.min(b), a.max(b));
    long - short <= limit || short * 10 >= long
}

/// The candidate closest to `word`, if any is close enough to be a plausible typo.
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
        .filter(|c| *c != word && c.len() <= MAX_WORD * 4)
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
        .filter(|&(_, dist, jw)| dist <= limit || jw >= 0.88)
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
