//! The Gambit model an importer builds, and its YAML text.
//!
//! Importers fill a [`Draft`] with elements whose keys are Gambit's own; the writer turns
//! it into a commented YAML model: every element is preceded by a comment saying where it
//! came from, and by the facts of the source that Gambit has no place for.

use std::fmt::Write as _;

/// One value of a key, in the few shapes a model needs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

/// The keys of one element or list entry, in writing order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Fields(pub(crate) Vec<(&'static str, Val)>);

impl Fields {
    pub(crate) fn str(&mut self, key: &'static str, value: impl Into<String>) -> &mut Self {
        self.0.push((key, Val::Str(value.into())));
        self
    }

    /// A string key, left out when the value is missing or blank.
    pub(crate) fn opt_str(&mut self, key: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) {
            self.str(key, v);
        }
        self
    }

    pub(crate) fn bool(&mut self, key: &'static str, value: bool) -> &mut Self {
        self.0.push((key, Val::Bool(value)));
        self
    }

    /// A boolean key written only when true (false is every such key's default).
    pub(crate) fn flag(&mut self, key: &'static str, value: bool) -> &mut Self {
        if value {
            self.bool(key, true);
        }
        self
    }

    /// A list key, left out when empty.
    pub(crate) fn list(&mut self, key: &'static str, values: Vec<String>) -> &mut Self {
        if !values.is_empty() {
            self.0.push((key, Val::List(values)));
        }
        self
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Val> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// An element of a keyed section (assets, zones, actors, components).
#[derive(Clone, Debug, Default)]
pub(crate) struct Element {
    pub(crate) id: String,
    pub(crate) origin: String,
    /// Facts of the source with no place in Gambit, kept as comments.
    pub(crate) notes: Vec<String>,
    pub(crate) fields: Fields,
}

/// An entry of a list section (flows, risks, rules).
#[derive(Clone, Debug, Default)]
pub(crate) struct Entry {
    pub(crate) origin: String,
    pub(crate) notes: Vec<String>,
    pub(crate) fields: Fields,
}

/// A whole imported model.
#[derive(Clone, Debug, Default)]
pub(crate) struct Draft {
    /// Comment lines at the top: the tool and file it came from.
    pub(crate) header: Vec<String>,
    pub(crate) name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) assets: Vec<Element>,
    pub(crate) zones: Vec<Element>,
    pub(crate) actors: Vec<Element>,
    pub(crate) components: Vec<Element>,
    pub(crate) flows: Vec<Entry>,
    pub(crate) rules: Vec<Entry>,
    pub(crate) risks: Vec<Entry>,
    /// Facts of the source with no element to sit on, kept as a closing comment.
    pub(crate) trailer: Vec<String>,
}

impl Draft {
    /// Removes every zone parent that closes a cycle (a zone nested in itself, directly
    /// or not), which other tools do not forbid, and returns the ids of the zones freed.
    pub(crate) fn break_zone_cycles(&mut self) -> Vec<String> {
        let parent_of = |zones: &[Element], id: &str| -> Option<String> {
            zones
                .iter()
                .find(|z| z.id == id)
                .and_then(|z| match z.fields.get("parent") {
                    Some(Val::Str(p)) => Some(p.clone()),
                    _ => None,
                })
        };
        let mut freed = Vec::new();
        for i in 0..self.zones.len() {
            let start = self.zones[i].id.clone();
            let mut at = parent_of(&self.zones, &start);
            let mut steps = 0;
            while let Some(p) = at {
                if p == start || steps > self.zones.len() {
                    self.zones[i].fields.0.retain(|(k, _)| *k != "parent");
                    freed.push(start.clone());
                    break;
                }
                at = parent_of(&self.zones, &p);
                steps += 1;
            }
        }
        freed
    }

    /// The model as YAML text.
    pub(crate) fn to_yaml(&self) -> String {
        let mut out = String::new();
        for line in &self.header {
            comment(&mut out, "", line);
        }
        out.push_str("gambit: 1\n");
        if let Some(name) = &self.name {
            let _ = writeln!(out, "name: {}", scalar(name));
        }
        if let Some(description) = &self.description {
            let _ = writeln!(out, "description: {}", scalar(description));
        }
        keyed(&mut out, "assets", &self.assets);
        keyed(&mut out, "zones", &self.zones);
        keyed(&mut out, "actors", &self.actors);
        keyed(&mut out, "components", &self.components);
        listed(&mut out, "flows", &self.flows);
        listed(&mut out, "rules", &self.rules);
        listed(&mut out, "risks", &self.risks);
        if !self.trailer.is_empty() {
            out.push('\n');
            for line in &self.trailer {
                comment(&mut out, "", line);
            }
        }
        out
    }
}

fn keyed(out: &mut String, section: &str, elements: &[Element]) {
    if elements.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{section}:");
    for element in elements {
        comment(out, "  ", &element.origin);
        for note in &element.notes {
            comment(out, "  ", note);
        }
        if element.fields.0.is_empty() {
            let _ = writeln!(out, "  {}: {{}}", scalar(&element.id));
        } else {
            let _ = writeln!(out, "  {}:", scalar(&element.id));
            fields(out, "    ", &element.fields);
        }
    }
}

fn listed(out: &mut String, section: &str, entries: &[Entry]) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{section}:");
    for entry in entries {
        comment(out, "  ", &entry.origin);
        for note in &entry.notes {
            comment(out, "  ", note);
        }
        let mut text = String::new();
        fields(&mut text, "    ", &entry.fields);
        // The first key goes on the dash line.
        let _ = write!(out, "  - {}", text.trim_start());
    }
}

fn fields(out: &mut String, indent: &str, fields: &Fields) {
    for (key, value) in &fields.0 {
        let _ = write!(out, "{indent}{key}: ");
        match value {
            Val::Str(s) => out.push_str(&scalar(s)),
            Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Val::List(items) => {
                let items: Vec<String> = items.iter().map(|s| scalar(s)).collect();
                let _ = write!(out, "[{}]", items.join(", "));
            }
        }
        out.push('\n');
    }
}

/// A comment line; text from the source is flattened to one line.
fn comment(out: &mut String, indent: &str, text: &str) {
    let flat: String = text
        .chars()
        .map(|c| if printable(c) { c } else { ' ' })
        .collect();
    let flat = flat.trim();
    if flat.is_empty() {
        let _ = writeln!(out, "{indent}#");
    } else {
        let _ = writeln!(out, "{indent}# {flat}");
    }
}

/// A YAML scalar: plain when it can only be read back as this string, otherwise a
/// double-quoted string in which everything YAML does not print is escaped.
pub(crate) fn scalar(s: &str) -> String {
    let plain = s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/' | b' '))
        && !s.ends_with(' ')
        && !matches!(
            s,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if !printable(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// YAML's printable characters (c-printable), less the byte order mark.
fn printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_as_strings() {
        assert_eq!(scalar("web-app"), "web-app");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("1.0"), "\"1.0\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("line\nbreak \"q\""), "\"line\\nbreak \\\"q\\\"\"");
        assert_eq!(scalar("#x"), "\"#x\"");
        assert_eq!(scalar(""), "\"\"");
        assert_eq!(scalar("a\u{85}b\u{feff}"), "\"a\\u0085b\\ufeff\"");
        assert_eq!(scalar("tab\there"), "\"tab\\there\"");
    }
}
