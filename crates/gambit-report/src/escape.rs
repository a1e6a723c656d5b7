//! Escaping for every output language, in one place so each is tested once.

use std::borrow::Cow;

/// Model text for a terminal or plain-text output: control characters (escape sequences
/// that could recolour or rewrite a terminal, bells, backspaces) are removed, and line
/// breaks and tabs become spaces so one field stays on its line. Borrowed when clean,
/// which model text almost always is.
pub fn plain(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .filter_map(|c| match c {
                '\n' | '\r' | '\t' => Some(' '),
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect(),
    )
}

/// Text for XML/HTML element content and attribute values (both quote kinds).
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t') => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// A DOT double-quoted string, quotes included. Newlines become the `\n` escape;
/// backslashes are doubled so user text never forms a Graphviz escape (`\N`, `\l`);
/// other control characters are dropped.
pub fn dot(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a Mermaid quoted label. Mermaid reads `#name;` entity codes, so the
/// characters its parser or its HTML labels would take as syntax are written that way.
pub fn mermaid(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '\n' => out.push_str("<br/>"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Markdown table cell: pipes escaped, line breaks flattened, other control
/// characters removed.
pub fn markdown_cell(text: &str) -> String {
    plain(text).replace('\\', "\\\\").replace('|', "\\|")
}

/// Inline Markdown text: characters that would start markup are backslash-escaped
/// (`<` too, so no HTML gets through; `>` only quotes at a line start, which this never is).
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in plain(text).chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// One CSV field per RFC 4180: quoted when it holds a comma, quote or line break, with
/// quotes doubled. A field starting with `=`, `+`, `-` or `@` gets a leading apostrophe
/// so spreadsheets do not run it as a formula (CSV injection).
pub fn csv_field(text: &str) -> String {
    let guarded = match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// Text for a `<script type="application/json">` block: `<` is escaped so the data can
/// never close the script element.
pub fn json_in_script<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".to_owned())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_quotes() {
        assert_eq!(xml(r#"a<b>&"c"'"#), "a&lt;b&gt;&amp;&quot;c&quot;&#39;");
        assert_eq!(xml("bell\u{7}"), "bell\u{fffd}");
    }

    #[test]
    fn dot_strings_cannot_break_out() {
        assert_eq!(dot(r#"say "hi"\N"#), r#""say \"hi\"\\N""#);
        assert_eq!(dot("two\nlines"), r#""two\nlines""#);
        assert_eq!(dot("a\u{1b}[1mb\r"), r#""a[1mb""#);
    }

    #[test]
    fn mermaid_labels_use_entity_codes() {
        assert_eq!(
            mermaid(r#"a "b" <c> #d |e"#),
            "a #quot;b#quot; #lt;c#gt; #35;d #124;e"
        );
        assert_eq!(mermaid("x->y\nz&\u{1b}"), "x-#gt;y<br/>z#amp;");
    }

    #[test]
    fn csv_quotes_per_rfc4180_and_defuses_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b c");
        assert_eq!(markdown_text("*x* [y]"), "\\*x\\* \\[y\\]");
    }

    #[test]
    fn plain_text_and_markdown_drop_control_characters() {
        let hostile = "db\u{1b}[31m red\u{7}\u{9b}2J\nnext\tcol";
        assert_eq!(plain(hostile), "db[31m red2J next col");
        assert!(matches!(plain("clean text"), Cow::Borrowed(_)));
        for out in [markdown_cell(hostile), markdown_text(hostile)] {
            assert!(!out.chars().any(char::is_control), "{out:?}");
        }
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = serde_json::json!({"x": "</script><b>"});
        assert!(!json_in_script(&v).contains("</script>"));
    }
}
