//! A fast reader for the YAML most models are written in, and for JSON.
//!
//! The full YAML parser reads about 14 MB/s here and was most of the time of a large load.
//! This module reads a strict subset of YAML straight into the same spanned tree, many
//! times faster: block mappings and sequences, plain scalars on one line, quoted scalars
//! without line breaks, flow collections (across lines too, so every JSON document that
//! uses common escapes), and comments. On anything else (anchors, aliases, tags, block
//! scalars, multi-line plain scalars, empty values, document markers, tabs, carriage
//! returns, control characters, and every error) it gives up with `None` and the full
//! parser reads the file, so every diagnostic still comes from the full parser and nothing
//! unusual is read two ways. Giving up is always safe; reading differently never is: the
//! tests hold this reader to the full parser's tree, spans included, on every file in the
//! repository and on generated documents.

use std::borrow::Cow;
use std::sync::Arc;

use super::{MAX_DEPTH, Node, NodeKind};
use crate::source::{FileId, Span};

/// The tree of `text` when it is in the subset this reader knows; `None` otherwise.
pub(super) fn parse(text: &str, file: FileId) -> Option<Node<'_>> {
    if !plain_characters(text) || has_document_markers(text) {
        return None;
    }
    Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        file,
    }
    .document()
}

/// Whether this reader takes `text` (`Ok(true)`) or leaves it to the full parser
/// (`Ok(false)`); `Err` names the first difference when it takes it and reads it otherwise
/// than the full parser. For the tests and the `load_model` fuzz target.
pub(super) fn compare_with_full(text: &str) -> Result<bool, String> {
    let Some(fast) = parse(text, FileId(0)) else {
        return Ok(false);
    };
    let fast = format!("{fast:?}");
    let full = match super::parse_range(text, 0, FileId(0), super::AliasBudget::FULL) {
        Ok(Some(node)) => format!("{node:?}"),
        _ => return Err(format!("took {text:?}, which the full parser refuses")),
    };
    if fast == full {
        return Ok(true);
    }
    let at = fast
        .bytes()
        .zip(full.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(fast.len().min(full.len()));
    let context = |tree: &str| {
        let (mut from, mut to) = (at.saturating_sub(150), (at + 60).min(tree.len()));
        while !tree.is_char_boundary(from) {
            from -= 1;
        }
        while !tree.is_char_boundary(to) {
            to += 1;
        }
        tree[from..to].to_owned()
    };
    Err(format!(
        "read {text:?} otherwise than the full parser:\n fast: ...{}\n full: ...{}",
        context(&fast),
        context(&full)
    ))
}

/// Longest implicit key YAML allows, in bytes (YAML counts 1024 characters; bytes are
/// stricter).
const MAX_KEY_BYTES: usize = 1024;

/// Whether every character is one this reader takes as it is: printable, with `\n` the
/// only line break and no tab (YAML gives tabs, carriage returns, NEL, the Unicode line
/// separators and the byte-order mark meanings this reader does not implement).
fn plain_characters(text: &str) -> bool {
    let printable_ascii = |b: u8| b == b'\n' || (0x20..0x7f).contains(&b);
    if text.bytes().all(printable_ascii) {
        return true;
    }
    text.chars().all(|c| {
        c == '\n'
            || (c >= ' '
                && c != '\u{7f}'
                && !('\u{80}'..='\u{9f}').contains(&c)
                && !matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ))
    })
}

/// Lines starting with `---` or `...` may be document markers: left to the full parser.
fn has_document_markers(text: &str) -> bool {
    text.starts_with("---")
        || text.starts_with("...")
        || text.contains("\n---")
        || text.contains("\n...")
}

/// Flow indicators: they end a plain scalar inside `[...]` and `{...}`.
fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

/// A space, a line break or the end of the text (0: the text holds no NUL, see
/// [`plain_characters`]).
fn is_blank_or_end(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | 0)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
}

impl<'a> Reader<'a> {
    /// The byte at `at`, or 0 past the end.
    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    fn here(&self) -> u8 {
        self.byte(self.pos)
    }

    /// Whether the byte before `at` is a space or line break (or `at` starts the text):
    /// only then does `#` start a comment.
    fn after_blank(&self, at: usize) -> bool {
        at == 0 || matches!(self.byte(at - 1), b' ' | b'\n')
    }

    fn scalar(&self, start: usize, end: usize, text: Cow<'a, str>, plain: bool) -> Node<'a> {
        Node {
            kind: NodeKind::Scalar { text, plain },
            span: Span::new(self.file, start, end),
        }
    }

    fn skip_spaces(&mut self) {
        while self.here() == b' ' {
            self.pos += 1;
        }
    }

    /// From the start of a line, skips blank and comment-only lines. Leaves `pos` at the
    /// start of the next line with content and returns its indentation; `None` at the end.
    fn next_content_line(&mut self) -> Option<usize> {
        loop {
            let mut i = self.pos;
            while self.byte(i) == b' ' {
                i += 1;
            }
            match self.byte(i) {
                0 => {
                    self.pos = i;
                    return None;
                }
                b'\n' => self.pos = i + 1,
                b'#' => self.pos = self.line_end(i) + 1,
                _ => return Some(i - self.pos),
            }
        }
    }

    /// The offset of the line break ending the line `at` is on (or the end of the text).
    fn line_end(&self, at: usize) -> usize {
        self.bytes[at.min(self.bytes.len())..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| at + p)
    }

    /// The column of `pos`.
    fn column(&self) -> usize {
        self.pos - self.text[..self.pos].rfind('\n').map_or(0, |p| p + 1)
    }

    /// Whether the rest of the line holds nothing but spaces and a comment.
    fn rest_is_blank(&self) -> bool {
        let mut i = self.pos;
        while self.byte(i) == b' ' {
            i += 1;
        }
        matches!(self.byte(i), b'\n' | 0) || (self.byte(i) == b'#' && self.after_blank(i))
    }

    /// Moves past the end of the line when nothing but spaces and a comment is left on it.
    fn end_of_line(&mut self) -> Option<()> {
        if !self.rest_is_blank() {
            return None;
        }
        self.pos = (self.line_end(self.pos) + 1).min(self.bytes.len());
        Some(())
    }

    fn is_seq_item(&self, at: usize) -> bool {
        self.byte(at) == b'-' && is_blank_or_end(self.byte(at + 1))
    }

    /// Whether a plain scalar may start at `pos`: not an indicator, and `-` only when
    /// glued to what follows (`-1`, not `- 1`). `?` and `:` are left to the full parser.
    fn plain_starts(&self, flow: bool) -> bool {
        match self.here() {
            b'-' => {
                let next = self.byte(self.pos + 1);
                !(is_blank_or_end(next) || (flow && is_flow_indicator(next)))
            }
            b' ' | b'\n' | 0 | b'?' | b':' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' => false,
            b => !is_flow_indicator(b),
        }
    }

    fn document(&mut self) -> Option<Node<'a>> {
        let indent = self.next_content_line()?;
        self.pos += indent;
        let root = match self.here() {
            b'{' | b'[' => {
                let node = self.flow_collection(0, 0)?;
                self.end_of_line()?;
                node
            }
            _ if self.is_seq_item(self.pos) => self.block_seq(indent, 0, false)?,
            _ => self.block_map(indent, 0)?,
        };
        // Anything left is less indented than the root: not this subset.
        match self.next_content_line() {
            None => Some(root),
            Some(_) => None,
        }
    }

    /// A block mapping whose keys are at column `indent`; `pos` is at its first key.
    fn block_map(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let mut entries = Vec::new();
        loop {
            let key = self.block_key()?;
            let value = self.block_value(indent, depth + 1)?;
            entries.push((key, value));
            match self.next_content_line() {
                Some(n) if n == indent => self.pos += n,
                Some(n) if n < indent => break,
                None => break,
                Some(_) => return None,
            }
        }
        let end = entries.last().map_or(start, |(_, v)| v.span.end as usize);
        Some(Node {
            kind: NodeKind::Map(Arc::new(entries)),
            span: Span::new(self.file, start, end),
        })
    }

    /// A block sequence whose `-` are at column `indent`; `pos` is at the first `-`.
    /// `indentless`: at the column of the key it is the value of.
    fn block_seq(&mut self, indent: usize, depth: usize, indentless: bool) -> Option<Node<'a>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let dash = self.pos;
        let mut items = Vec::new();
        loop {
            self.pos += 1; // the `-`
            items.push(self.seq_item(indent, depth + 1)?);
            match self.next_content_line() {
                Some(n) if n == indent && self.is_seq_item(self.pos + n) => self.pos += n,
                Some(n) if n <= indent => break,
                None => break,
                Some(_) => return None,
            }
        }
        // The full parser starts a sequence at the key's column at its first item when
        // that item is on the line of its `-`; other cases are left to it.
        let start = match items.first() {
            Some(first) if indentless => {
                let first = first.span.start as usize;
                if first > self.line_end(dash) {
                    return None;
                }
                first
            }
            _ => dash,
        };
        let end = items.last().map_or(0, |v| v.span.end as usize);
        Some(Node {
            kind: NodeKind::Seq(Arc::new(items)),
            span: Span::new(self.file, start, end),
        })
    }

    /// A key and its `:`, which must be followed by a space or the end of the line.
    fn block_key(&mut self) -> Option<Node<'a>> {
        let start = self.pos;
        let key = match self.here() {
            b'"' | b'\'' => self.quoted()?,
            _ => {
                if !self.plain_starts(false) {
                    return None;
                }
                let mut i = start;
                loop {
                    match self.byte(i) {
                        b':' if is_blank_or_end(self.byte(i + 1)) => break,
                        b'\n' | 0 => return None,
                        b'#' if self.after_blank(i) => return None,
                        _ => i += 1,
                    }
                }
                let end = self.trim_end(start, i);
                self.pos = i;
                self.scalar(start, end, Cow::Borrowed(&self.text[start..end]), true)
            }
        };
        if self.pos - start > MAX_KEY_BYTES || self.here() != b':' {
            return None;
        }
        self.pos += 1;
        is_blank_or_end(self.here()).then_some(key)
    }

    /// `end`, less the spaces before it (down to `start`).
    fn trim_end(&self, start: usize, mut end: usize) -> usize {
        while end > start && self.byte(end - 1) == b' ' {
            end -= 1;
        }
        end
    }

    /// The value after a key's `:` in a block mapping at column `indent`.
    fn block_value(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        self.skip_spaces();
        if !self.rest_is_blank() {
            return self.inline_value(indent, depth);
        }
        self.end_of_line()?;
        // A nested collection; a sequence may sit at the key's own column.
        let n = self.next_content_line()?;
        let seq = self.is_seq_item(self.pos + n);
        if n > indent || (n == indent && seq) {
            self.pos += n;
            return if seq {
                self.block_seq(n, depth, n == indent)
            } else {
                self.block_map(n, depth)
            };
        }
        None // an empty value
    }

    /// What follows the `-` of a sequence item whose `-` is at column `indent`.
    fn seq_item(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        self.skip_spaces();
        if self.rest_is_blank() {
            self.end_of_line()?;
            let n = self.next_content_line()?;
            if n <= indent {
                return None; // an empty item
            }
            self.pos += n;
            return if self.is_seq_item(self.pos) {
                self.block_seq(n, depth, false)
            } else {
                self.block_map(n, depth)
            };
        }
        if self.is_seq_item(self.pos) {
            return None; // `- - x`
        }
        if self.key_ahead() {
            let column = self.column();
            return self.block_map(column, depth);
        }
        self.inline_value(indent, depth)
    }

    /// Whether the line from `pos` is a `key: value` entry.
    fn key_ahead(&self) -> bool {
        let mut i = self.pos;
        match self.byte(i) {
            q @ (b'"' | b'\'') => {
                i += 1;
                loop {
                    match self.byte(i) {
                        b'\n' | 0 => return false,
                        b'\\' if q == b'"' => i += 2,
                        b if b == q && q == b'\'' && self.byte(i + 1) == b'\'' => i += 2,
                        b if b == q => break,
                        _ => i += 1,
                    }
                }
                self.byte(i + 1) == b':' && is_blank_or_end(self.byte(i + 2))
            }
            b'{' | b'[' => false,
            _ => loop {
                match self.byte(i) {
                    b':' if is_blank_or_end(self.byte(i + 1)) => return true,
                    b'\n' | 0 => return false,
                    b'#' if self.after_blank(i) => return false,
                    _ => i += 1,
                }
            },
        }
    }

    /// A value on the line of its key or `-`: a flow collection, a quoted or a plain
    /// scalar, then nothing but a comment.
    fn inline_value(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        let node = match self.here() {
            b'{' | b'[' => self.flow_collection(indent + 1, depth)?,
            b'"' | b'\'' => self.quoted()?,
            _ => self.block_plain()?,
        };
        self.end_of_line()?;
        Some(node)
    }

    /// A plain scalar in block context: to the end of the line or a comment.
    fn block_plain(&mut self) -> Option<Node<'a>> {
        if !self.plain_starts(false) {
            return None;
        }
        let start = self.pos;
        let mut i = start;
        loop {
            match self.byte(i) {
                b'\n' | 0 => break,
                b'#' if self.after_blank(i) => break,
                b':' if is_blank_or_end(self.byte(i + 1)) => return None,
                _ => i += 1,
            }
        }
        let end = self.trim_end(start, i);
        self.pos = end;
        Some(self.scalar(start, end, Cow::Borrowed(&self.text[start..end]), true))
    }

    /// A single- or double-quoted scalar that ends on its line.
    fn quoted(&mut self) -> Option<Node<'a>> {
        let start = self.pos;
        let quote = self.here();
        let mut i = start + 1;
        let mut segment = i;
        let mut owned: Option<String> = None;
        loop {
            match self.byte(i) {
                b'\n' | 0 => return None,
                b'\'' if quote == b'\'' && self.byte(i + 1) == b'\'' => {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&self.text[segment..=i]);
                    i += 2;
                    segment = i;
                }
                b if b == quote => break,
                b'\\' if quote == b'"' => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(&self.text[segment..i]);
                    i = self.escape(i + 1, out)?;
                    segment = i;
                }
                _ => i += 1,
            }
        }
        let text = match owned {
            None => Cow::Borrowed(&self.text[start + 1..i]),
            Some(mut out) => {
                out.push_str(&self.text[segment..i]);
                Cow::Owned(out)
            }
        };
        self.pos = i + 1;
        Some(self.scalar(start, i + 1, text, false))
    }

    /// Decodes the escape whose letter is at `at` (JSON's escapes, which YAML shares) into
    /// `out`; returns where the text goes on.
    fn escape(&self, at: usize, out: &mut String) -> Option<usize> {
        let c = match self.byte(at) {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'n' => '\n',
            b't' => '\t',
            b'r' => '\r',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'u' => {
                let hex = self.text.get(at + 1..at + 5)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let code = u32::from_str_radix(hex, 16).ok()?;
                // Surrogates and control characters are left to the full parser.
                let c = char::from_u32(code).filter(|&c| c >= ' ' && c != '\u{7f}')?;
                out.push(c);
                return Some(at + 5);
            }
            _ => return None,
        };
        out.push(c);
        Some(at + 1)
    }

    /// Spaces, line breaks and comments inside a flow collection. Lines with content must
    /// be indented at least `min_indent`.
    fn flow_space(&mut self, min_indent: usize) -> Option<()> {
        loop {
            match self.here() {
                b' ' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    let mut n = 0;
                    while self.byte(self.pos + n) == b' ' {
                        n += 1;
                    }
                    if !matches!(self.byte(self.pos + n), b'\n' | b'#' | 0) && n < min_indent {
                        return None;
                    }
                    self.pos += n;
                }
                b'#' if self.after_blank(self.pos) => self.pos = self.line_end(self.pos),
                _ => return Some(()),
            }
        }
    }

    /// `[...]` or `{...}` at `pos`.
    fn flow_collection(&mut self, min_indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        let map = self.here() == b'{';
        let close = if map { b'}' } else { b']' };
        self.pos += 1;
        let mut entries = Vec::new();
        let mut items = Vec::new();
        self.flow_space(min_indent)?;
        if self.here() == close {
            self.pos += 1;
        } else {
            loop {
                if map {
                    entries.push(self.flow_entry(min_indent, depth)?);
                } else {
                    items.push(self.flow_node(min_indent, depth + 1)?);
                }
                self.flow_space(min_indent)?;
                match self.here() {
                    b',' => {
                        self.pos += 1;
                        self.flow_space(min_indent)?;
                        // An empty entry or a trailing comma.
                        if matches!(self.here(), b',' | b']' | b'}') {
                            return None;
                        }
                    }
                    b if b == close => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        let kind = if map {
            NodeKind::Map(Arc::new(entries))
        } else {
            NodeKind::Seq(Arc::new(items))
        };
        Some(Node {
            kind,
            span: Span::new(self.file, start, self.pos),
        })
    }

    /// `key: value` inside `{...}`, the key a scalar on one line with its `:`.
    fn flow_entry(&mut self, min_indent: usize, depth: usize) -> Option<(Node<'a>, Node<'a>)> {
        let key = match self.here() {
            b'"' | b'\'' => self.quoted()?,
            b'{' | b'[' => return None,
            _ => self.flow_plain()?,
        };
        let plain_key = matches!(key.kind, NodeKind::Scalar { plain: true, .. });
        if self.here() != b':' {
            return None;
        }
        self.pos += 1;
        // JSON's `"key":value` is YAML too, but after a plain key `:` needs a space.
        if plain_key && !matches!(self.here(), b' ' | b'\n') {
            return None;
        }
        self.flow_space(min_indent)?;
        if matches!(self.here(), b',' | b']' | b'}' | 0) {
            return None; // an empty value
        }
        let value = self.flow_node(min_indent, depth + 1)?;
        Some((key, value))
    }

    fn flow_node(&mut self, min_indent: usize, depth: usize) -> Option<Node<'a>> {
        match self.here() {
            b'{' | b'[' => self.flow_collection(min_indent, depth),
            b'"' | b'\'' => self.quoted(),
            _ => self.flow_plain(),
        }
    }

    /// A plain scalar inside a flow collection, ended by a flow indicator, `: `, a comment
    /// or the end of the line.
    fn flow_plain(&mut self) -> Option<Node<'a>> {
        if !self.plain_starts(true) {
            return None;
        }
        let start = self.pos;
        let mut i = start;
        loop {
            match self.byte(i) {
                b'\n' | 0 => break,
                b if is_flow_indicator(b) => break,
                b':' if {
                    let next = self.byte(i + 1);
                    is_blank_or_end(next) || is_flow_indicator(next)
                } =>
                {
                    break;
                }
                b'#' if self.after_blank(i) => break,
                _ => i += 1,
            }
        }
        let end = self.trim_end(start, i);
        self.pos = end;
        Some(self.scalar(start, end, Cow::Borrowed(&self.text[start..end]), true))
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;

    use super::*;

    /// Whether the fast reader took `text`; when it did, its tree must be the full parser's.
    fn agrees(text: &str) -> bool {
        compare_with_full(text).unwrap_or_else(|difference| panic!("{difference}"))
    }

    fn model_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && name != "target" && name != ".git" && name != "node_modules" {
                model_files(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_yaml_and_json_file_of_the_repository_reads_the_same() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["examples", "crates", "fuzz", "schema", "tests"] {
            model_files(&root.join(dir), &mut files);
        }
        let mut read = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if agrees(&text) {
                read += 1;
            }
        }
        // Most files are ordinary models; if the fast reader took few, it is not doing its job.
        assert!(
            read * 2 > files.len(),
            "the fast reader took only {read} of {} files",
            files.len()
        );
    }

    #[test]
    fn the_bundled_examples_and_generated_models_take_the_fast_path() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        for name in ["acme-shop.yaml", "saas-aws.yaml", "k8s-platform.yaml"] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            assert!(agrees(&text), "{name} was left to the full parser");
        }
        for seed in 0..3 {
            assert!(agrees(&crate::synth::enterprise(200, seed)));
        }
    }

    #[test]
    fn the_fast_path_inputs_of_the_fuzz_corpus_take_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
        for name in [
            "fast-indentless-seq.yaml",
            "fast-json-escapes.json",
            "fast-flow-across-lines.yaml",
        ] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            assert!(agrees(&text), "{name} was left to the full parser");
        }
    }

    #[test]
    fn json_models_take_the_fast_path() {
        let text = r#"{"gambit": 1, "name": "J\u00e9 \"q\" \\ \/",
  "components": {"web": {"kind": "web-app", "public": true, "ports": [80, 443, -1.5e3]},
                 "db": {"kind": "database", "stores": []}},
  "flows": [{"from": "web", "to": "db", "protocol": "postgres"}], "x-n": null}"#;
        assert!(agrees(text));
    }

    #[test]
    fn what_the_subset_leaves_out_goes_to_the_full_parser() {
        for text in [
            "a: &x {b: c}\nd: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: one\n  two\n",
            "a:\nb: c\n",
            "---\na: b\n",
            "a: b\n...\n",
            "a:\tb\n",
            "a: b\r\nc: d\r\n",
            "a: \"x\n y\"\n",
            "a: [b,\n]\n",
            "a: {b}\n",
            "a: [b, ]\n",
            "? a\n: b\n",
            "- - a\n",
            "a: b: c\n",
            "a: \"\\x41\"\n",
            "a: \"\\ud83d\\ude00\"\n",
            "just a scalar\n",
            "",
            "a: b\n c: d\n",
            "a: {b: c,\nd: e}\n",
            "a:\n- \n    - x\n",
        ] {
            assert!(parse(text, FileId(0)).is_none(), "took {text:?}");
        }
    }

    #[test]
    fn nesting_beyond_the_limit_goes_to_the_full_parser() {
        let deep = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert!(parse(&deep, FileId(0)).is_none());
        let ok = format!("a: {}{}\n", "[".repeat(10), "]".repeat(10));
        assert!(agrees(&ok));
    }

    /// Pieces of YAML, glued at random: mostly nonsense, which the fast reader must either
    /// refuse or read exactly as the full parser does.
    fn token() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a",
            "b1",
            "-",
            "- ",
            ":",
            ": ",
            " ",
            "  ",
            "\n",
            "\n  ",
            "\n- ",
            "{",
            "}",
            "[",
            "]",
            ",",
            ", ",
            "#",
            " #c",
            "'",
            "''",
            "\"",
            "\\",
            "\\n",
            "\\u00e9",
            "x:",
            "k: v",
            "é",
            "-1",
            ".5",
            "?",
            "&a",
            "*a",
            "!",
            "|",
            ">",
            "%",
            "@",
            "~",
            "null",
            "\"q\"",
            "'s'",
            "http://h/p",
            "a b",
        ])
    }

    /// A random tree rendered in the styles the fast reader takes.
    #[derive(Clone, Debug)]
    enum Tree {
        Scalar(String),
        Seq(Vec<Tree>),
        Map(Vec<(String, Tree)>),
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z][a-z0-9._/-]{0,8}",
            "-?[0-9]{1,4}(\\.[0-9]{1,2})?",
            prop::sample::select(vec![
                "true",
                "null",
                "~",
                "a b",
                "a#b",
                "a:b",
                "x-y",
                "é ü",
                "it's",
                "say \"hi\"",
                "a, b",
                "[x]",
                "{y}",
                "- z",
                "#c",
                "k: v",
                "back\\slash",
                " lead",
                "trail ",
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn tree() -> impl Strategy<Value = Tree> {
        scalar()
            .prop_map(Tree::Scalar)
            .prop_recursive(5, 40, 5, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 1..5).prop_map(Tree::Seq),
                    prop::collection::vec(("[a-z][a-z0-9-]{0,6}", inner), 1..5).prop_map(Tree::Map),
                ]
            })
    }

    /// A scalar as plain text when that reads back as the same text, else quoted.
    fn render_scalar(s: &str, flow: bool, quote_style: u8) -> String {
        let plain_safe = !s.is_empty()
            && s.trim() == s
            && !s.contains(": ")
            && !s.contains(" #")
            && !s.ends_with(':')
            && !s.starts_with(['-', '#', '\'', '"', '[', '{', '?', ':', ',', ']', '}'])
            && !(flow && s.contains([',', '[', ']', '{', '}']))
            && !(flow && s.contains(':'));
        match quote_style {
            _ if plain_safe && quote_style < 2 => s.to_owned(),
            0 | 2 => format!("'{}'", s.replace('\'', "''")),
            _ => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        }
    }

    /// `indent`: the column continuation lines start at.
    fn render_flow(t: &Tree, indent: usize, style: u8, out: &mut String) {
        match t {
            Tree::Scalar(s) => out.push_str(&render_scalar(s, true, style % 4)),
            Tree::Seq(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        if style.is_multiple_of(3) {
                            out.push_str(",\n");
                            out.push_str(&" ".repeat(indent));
                        } else {
                            out.push_str(", ");
                        }
                    }
                    render_flow(item, indent, style.wrapping_mul(7).wrapping_add(1), out);
                }
                out.push(']');
            }
            Tree::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push_str(": ");
                    render_flow(v, indent, style.wrapping_mul(5).wrapping_add(3), out);
                }
                out.push('}');
            }
        }
    }

    /// Renders `t` as the value of a key (or item) at column `indent`.
    fn render_block(t: &Tree, indent: usize, style: u8, out: &mut String) {
        let pad = " ".repeat(indent);
        match t {
            Tree::Scalar(s) => {
                out.push(' ');
                out.push_str(&render_scalar(s, false, style % 4));
                out.push_str(if style.is_multiple_of(5) {
                    "  # note\n"
                } else {
                    "\n"
                });
            }
            _ if style.is_multiple_of(3) => {
                out.push(' ');
                render_flow(t, indent, style, out);
                out.push('\n');
            }
            Tree::Seq(items) => {
                out.push('\n');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad);
                    out.push('-');
                    render_block(item, indent + 2, style.wrapping_add(i as u8), out);
                }
            }
            Tree::Map(entries) => {
                out.push('\n');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if style % 7 == 1 {
                        out.push_str("\n# between\n");
                    }
                    out.push_str(&pad);
                    out.push_str(k);
                    out.push(':');
                    render_block(v, indent + 2, style.wrapping_add(i as u8 * 3), out);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn random_text_is_refused_or_read_as_the_full_parser_reads_it(
            pieces in prop::collection::vec(token(), 0..40)
        ) {
            agrees(&pieces.concat());
        }

        #[test]
        fn generated_models_are_read_as_the_full_parser_reads_them(
            entries in prop::collection::vec(("[a-z][a-z0-9-]{0,6}", tree()), 1..6),
            style in any::<u8>(),
        ) {
            let mut text = String::new();
            for (i, (k, v)) in entries.iter().enumerate() {
                text.push_str(k);
                text.push(':');
                render_block(v, 2, style.wrapping_add(i as u8), &mut text);
            }
            prop_assert!(agrees(&text), "refused {text:?}");
        }
    }
}
