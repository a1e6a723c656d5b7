//! Gambit ids from other tools' names: a slug that matches `[a-z0-9][a-z0-9._-]*`, made
//! unique in the model's one id namespace deterministically (first come keeps the plain
//! slug, later ones get `-2`, `-3`, ... in input order).

use std::collections::HashSet;

/// Longest id we derive; long titles make unreadable ids.
const MAX_ID_LEN: usize = 60;

/// The slug of a name: lowercase ASCII letters and digits, runs of anything else become
/// one `-`. Never empty (`element` for a name with no letter or digit).
pub(crate) fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len().min(MAX_ID_LEN));
    for c in name.chars() {
        if out.len() >= MAX_ID_LEN {
            break;
        }
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || (matches!(c, '.' | '_') && !out.is_empty())
        {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with(['-', '.', '_']) {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("element");
    }
    out
}

/// Whether `id` is already a valid Gambit id (kept as is when a tool has its own ids).
pub(crate) fn is_valid_id(id: &str) -> bool {
    let mut bytes = id.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && bytes.all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        })
        && id.len() <= MAX_ID_LEN
}

/// The ids handed out so far in one model.
#[derive(Default)]
pub(crate) struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// A namespace where the built-in zones' ids are already taken.
    pub(crate) fn new() -> Self {
        let mut ids = Ids::default();
        ids.taken.insert("internet".to_owned());
        ids.taken.insert("internal".to_owned());
        ids
    }

    /// A fresh id for `wanted` (a tool's id or a name): the id itself when valid, else its
    /// slug; with a numeric suffix when taken.
    pub(crate) fn allocate(&mut self, wanted: &str) -> String {
        let base = if is_valid_id(wanted) {
            wanted.to_owned()
        } else {
            slug(wanted)
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Unique flow ids: the default `from->to` stays implicit; a second flow between the same
/// endpoints gets an explicit id.
#[derive(Default)]
pub(crate) struct FlowIds {
    taken: HashSet<String>,
}

impl FlowIds {
    /// Takes `id` as written; false when it is already taken.
    pub(crate) fn claim(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_owned())
    }

    /// `None` when the default id `from->to` is free, else an explicit unique id.
    pub(crate) fn allocate(&mut self, from: &str, to: &str, name: &str) -> Option<String> {
        let default = format!("{from}->{to}");
        if self.taken.insert(default.clone()) {
            return None;
        }
        let base = format!("{default}:{}", slug(name));
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_the_id_pattern() {
        assert_eq!(slug("Customer Web Client"), "customer-web-client");
        assert_eq!(slug("  Server/DB  "), "server-db");
        assert_eq!(slug("Ünïcode!!"), "n-code");
        assert_eq!(slug("***"), "element");
        assert_eq!(slug("_hidden.file_"), "hidden.file");
        assert!(slug(&"x".repeat(500)).len() <= MAX_ID_LEN);
        for name in [
            "Customer Web Client",
            "Server/DB",
            "***",
            "-a-",
            "9lives",
            "a.b_c",
        ] {
            assert!(is_valid_id(&slug(name)), "{name}");
        }
    }

    #[test]
    fn duplicates_get_deterministic_suffixes() {
        let mut ids = Ids::new();
        assert_eq!(ids.allocate("Web Server"), "web-server");
        assert_eq!(ids.allocate("web server"), "web-server-2");
        assert_eq!(ids.allocate("web-server"), "web-server-3");
        assert_eq!(ids.allocate("Internet"), "internet-2");
    }

    #[test]
    fn flows_between_the_same_ends_get_ids() {
        let mut flows = FlowIds::default();
        assert_eq!(flows.allocate("a", "b", "Insert"), None);
        assert_eq!(
            flows.allocate("a", "b", "Select"),
            Some("a->b:select".to_owned())
        );
        assert_eq!(
            flows.allocate("a", "b", "Select"),
            Some("a->b:select-2".to_owned())
        );
    }
}
