//! YAML (and JSON) text to a spanned node tree, within fixed budgets.
//!
//! We build our own small tree from the parser's events instead of deserializing with
//! serde because the loader must (a) report every error of a file in one run, not the
//! first, (b) accept `x-` extension keys while rejecting every other unknown key, and
//! (c) keep a span on every value, including inside lists and enums. Scalars are kept as
//! text and typed later by the field that reads them, which gives YAML 1.2 core-schema
//! semantics for free: `on`, `yes` and `no` are never booleans.
//!
//! Bounds: an alias shares its anchor's lists and mappings (an `Arc`, never a copy), and
//! what it would expand to is charged to two budgets, [`ALIAS_BUDGET`] nodes and
//! [`ALIAS_BYTES_BUDGET`] bytes of scalar text (the later stages do copy it), so an alias
//! bomb fails fast in small memory; nesting deeper than [`MAX_DEPTH`] is refused, aliases
//! included, so neither building, reading nor dropping the tree can exhaust the stack.

use std::borrow::Cow;
use std::sync::Arc;

use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

mod fast;

/// Deepest nesting of lists and mappings accepted. Models need about 6.
pub const MAX_DEPTH: usize = 64;
/// Nodes that alias expansion may add beyond the nodes written out in the text.
pub const ALIAS_BUDGET: usize = 1_000_000;
/// Bytes of scalar text that alias expansion may add beyond the text itself.
pub const ALIAS_BYTES_BUDGET: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug)]
pub enum NodeKind<'a> {
    /// A scalar's text; `plain` is false when quoted or a block scalar (then it is always a string).
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Arc<Vec<Node<'a>>>),
    Map(Arc<Vec<(Node<'a>, Node<'a>)>>),
}

#[derive(Clone, Debug)]
pub struct Node<'a> {
    pub kind: NodeKind<'a>,
    pub span: Span,
}

impl Node<'_> {
    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { text, plain: true } if matches!(text.as_ref(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn describe(&self) -> &'static str {
        match &self.kind {
            NodeKind::Scalar { .. } if self.is_null() => "null",
            NodeKind::Scalar { .. } => "a scalar",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }
}

/// What a node would cost if written out: its nodes, its scalar bytes and its height.
#[derive(Clone, Copy, Debug, Default)]
struct Weight {
    nodes: usize,
    bytes: usize,
    height: usize,
}

impl Weight {
    fn add(&mut self, child: Weight) {
        self.nodes = self.nodes.saturating_add(child.nodes);
        self.bytes = self.bytes.saturating_add(child.bytes);
        self.height = self.height.max(child.height + 1);
    }
}

/// The alias budget of one parse: nodes and scalar bytes aliases may still add.
#[derive(Clone, Copy, Debug)]
struct AliasBudget {
    nodes: usize,
    bytes: usize,
}

impl AliasBudget {
    const FULL: AliasBudget = AliasBudget {
        nodes: ALIAS_BUDGET,
        bytes: ALIAS_BYTES_BUDGET,
    };

    fn split(self, parts: usize) -> AliasBudget {
        AliasBudget {
            nodes: self.nodes / parts.max(1),
            bytes: self.bytes / parts.max(1),
        }
    }
}

/// A list or mapping being read: its items so far, where it starts, its anchor, whether it
/// is block style, and the weight of what it holds.
enum Open<'a> {
    Seq(Vec<Node<'a>>, Span, usize, bool, Weight),
    Map(
        Vec<(Node<'a>, Node<'a>)>,
        Option<Node<'a>>,
        Span,
        usize,
        bool,
        Weight,
    ),
}

/// Parses one YAML document. An empty document gives `Ok(None)`.
///
/// Most models are in the subset of YAML (and JSON) that [`fast`] reads many times faster
/// than the full parser, into the same tree; anything else goes to the full parser.
///
/// Large files whose top level is a block mapping are cut at top-level keys and the parts
/// parsed on separate threads (the YAML parser is most of the load time). The parts are
/// joined into the same tree a single parse gives, spans included; when a cut is not
/// clean (an alias crossing it, a multi-line construct, any error at all) the whole file
/// is parsed again in one piece, so results and errors never depend on the cut.
pub fn parse(text: &str, file: FileId) -> Result<Option<Node<'_>>, Diagnostic> {
    if let Some(node) = fast::parse(text, file) {
        return Ok(Some(node));
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(8);
    if threads >= 2
        && text.len() >= PARALLEL_MIN_BYTES
        && let Some(node) = parse_in_parts(text, file, threads)
    {
        return Ok(Some(node));
    }
    parse_range(text, 0, file, AliasBudget::FULL)
}

/// Whether the fast reader takes `text`, and an error when it reads it otherwise than the
/// full parser (for the fuzz target that holds the two together).
pub fn compare_fast_path(text: &str) -> Result<bool, String> {
    fast::compare_with_full(text)
}

/// Below this size one thread is faster than starting others.
const PARALLEL_MIN_BYTES: usize = 512 * 1024;

fn parse_in_parts(text: &str, file: FileId, threads: usize) -> Option<Node<'_>> {
    let parts = cut_into_parts(text, threads)?;
    let budget = AliasBudget::FULL.split(parts.len());
    let roots: Vec<Option<Node<'_>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .iter()
            .map(|part| {
                let (lo, hi) = (part.start, part.end);
                scope.spawn(move || parse_range(&text[lo..hi], lo, file, budget).ok().flatten())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok().flatten())
            .collect()
    });
    let mut entries: Vec<(Node<'_>, Node<'_>)> = Vec::new();
    for (part, root) in parts.iter().zip(roots) {
        let root = root?;
        match (part.continues, root.kind) {
            (false, NodeKind::Map(e)) => entries.extend(Arc::unwrap_or_clone(e)),
            // The rest of the section the previous part began: extend its value.
            (true, NodeKind::Seq(items)) => match entries.last_mut() {
                Some((
                    _,
                    Node {
                        kind: NodeKind::Seq(v),
                        span,
                    },
                )) => {
                    Arc::make_mut(v).extend(Arc::unwrap_or_clone(items));
                    span.end = root.span.end;
                }
                _ => return None,
            },
            (true, NodeKind::Map(more)) => match entries.last_mut() {
                Some((
                    _,
                    Node {
                        kind: NodeKind::Map(v),
                        span,
                    },
                )) => {
                    Arc::make_mut(v).extend(Arc::unwrap_or_clone(more));
                    span.end = root.span.end;
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(Node {
        kind: NodeKind::Map(Arc::new(entries)),
        span: Span::new(file, 0, text.len()),
    })
}

/// A piece of the text to parse on its own; `continues` when it starts inside a
/// top-level section (the items or entries of the section that the previous piece began).
#[derive(Debug, PartialEq)]
struct Part {
    start: usize,
    end: usize,
    continues: bool,
}

/// Where a piece may start: at a top-level key, or at an item or entry of a top-level
/// section (a line at the section's child indentation).
#[derive(Clone, Copy)]
struct Cut {
    at: usize,
    top: bool,
}

/// Cuts `text` into about `parts` pieces of similar size; `None` when there is no safe
/// way (document markers or directives, or too few places to cut).
fn cut_into_parts(text: &str, parts: usize) -> Option<Vec<Part>> {
    let cuts = candidate_cuts(text)?;
    let mut chosen: Vec<Cut> = vec![Cut { at: 0, top: true }];
    for i in 1..parts {
        let goal = text.len() * i / parts;
        let j = cuts.partition_point(|c| c.at < goal);
        let best = [j.checked_sub(1), Some(j)]
            .into_iter()
            .flatten()
            .filter_map(|j| cuts.get(j).copied())
            .min_by_key(|c| c.at.abs_diff(goal))?;
        if best.at > chosen.last().map_or(0, |c| c.at) {
            chosen.push(best);
        }
    }
    // A piece that starts inside a section must stop where the section does.
    let tops: Vec<usize> = cuts.iter().filter(|c| c.top).map(|c| c.at).collect();
    let mut out = Vec::new();
    for (k, c) in chosen.iter().enumerate() {
        let next = chosen.get(k + 1).map_or(text.len(), |n| n.at);
        if c.top {
            out.push(Part {
                start: c.at,
                end: next,
                continues: false,
            });
            continue;
        }
        let section_end = tops
            .iter()
            .copied()
            .find(|&t| t > c.at)
            .unwrap_or(text.len());
        if section_end < next {
            out.push(Part {
                start: c.at,
                end: section_end,
                continues: true,
            });
            out.push(Part {
                start: section_end,
                end: next,
                continues: false,
            });
        } else {
            out.push(Part {
                start: c.at,
                end: next,
                continues: true,
            });
        }
    }
    (out.len() > 1).then_some(out)
}

fn candidate_cuts(text: &str) -> Option<Vec<Cut>> {
    let mut cuts = Vec::new();
    let mut offset = 0;
    // The indentation and style of the current section's children, once seen.
    let mut child: Option<(usize, bool)> = None;
    let mut in_section = false;
    for line in text.split_inclusive('\n') {
        let bytes = line.as_bytes();
        let first = bytes.first().copied().unwrap_or(b' ');
        if line.starts_with("---") || line.starts_with("...") || first == b'%' {
            return None;
        }
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let rest = &bytes[indent..];
        let blank = rest.is_empty() || rest[0] == b'\n' || rest[0] == b'\r' || rest[0] == b'#';
        let is_top_key =
            indent == 0 && (first.is_ascii_alphanumeric() || matches!(first, b'_' | b'"' | b'\''));
        if is_top_key {
            if offset > 0 {
                cuts.push(Cut {
                    at: offset,
                    top: true,
                });
            }
            in_section = true;
            child = None;
        } else if in_section && !blank {
            let item = rest.starts_with(b"- ") || rest == b"-\n";
            match child {
                None => child = Some((indent, item)),
                Some((n, seq)) if n == indent && seq == item => {
                    let entry = seq || !matches!(rest[0], b'-' | b'}' | b']' | b',' | b'{' | b'[');
                    if entry {
                        cuts.push(Cut {
                            at: offset,
                            top: false,
                        });
                    }
                }
                _ => {}
            }
        }
        offset += line.len();
    }
    Some(cuts)
}

/// Parses `text`, which starts at byte `base` of the file.
fn parse_range(
    text: &str,
    base: usize,
    file: FileId,
    budget: AliasBudget,
) -> Result<Option<Node<'_>>, Diagnostic> {
    let mut builder = Builder {
        file,
        stack: Vec::new(),
        anchors: Vec::new(),
        root: None,
        budget,
        documents: 0,
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            let m = e.marker();
            let at = base + m.byte_offset().unwrap_or(0);
            Diagnostic::error("yaml-syntax", format!("invalid YAML: {}", e.info()))
                .at(Span::new(file, at, at + 1))
                .label("here")
        })?;
        let span = Span::new(
            file,
            base + span.start.byte_offset().unwrap_or(0),
            base + span.end.byte_offset().unwrap_or(0),
        );
        builder.event(event, span)?;
    }
    Ok(builder.root)
}

struct Builder<'a> {
    file: FileId,
    stack: Vec<Open<'a>>,
    /// Anchored nodes (sharing their lists and mappings with the tree) and their weights.
    anchors: Vec<Option<(Node<'a>, Weight)>>,
    root: Option<Node<'a>>,
    budget: AliasBudget,
    documents: usize,
}

impl<'a> Builder<'a> {
    fn event(&mut self, event: Event<'a>, span: Span) -> Result<(), Diagnostic> {
        match event {
            Event::DocumentStart(..) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::error(
                        "yaml-syntax",
                        "a model file holds one YAML document, this is a second one",
                    )
                    .at(span)
                    .help("split the documents into files and join them with `include:`"));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                // An explicit `!!str` tag, like quotes, makes the scalar a string.
                let tagged_str = tag
                    .as_deref()
                    .is_some_and(|t| t.to_string().ends_with("str"));
                let plain = style == ScalarStyle::Plain && !tagged_str;
                let weight = Weight {
                    nodes: 1,
                    bytes: text.len(),
                    height: 0,
                };
                let node = Node {
                    kind: NodeKind::Scalar { text, plain },
                    span,
                };
                self.remember(anchor, &node, weight);
                self.push(node, weight);
            }
            Event::SequenceStart(style, anchor, _) => {
                self.open_check(span, 0)?;
                let block = style == StructureStyle::Block;
                self.stack.push(Open::Seq(
                    Vec::new(),
                    span,
                    anchor,
                    block,
                    Weight::default(),
                ));
            }
            Event::MappingStart(style, anchor, _) => {
                self.open_check(span, 0)?;
                let block = style == StructureStyle::Block;
                self.stack.push(Open::Map(
                    Vec::new(),
                    None,
                    span,
                    anchor,
                    block,
                    Weight::default(),
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(open) = self.stack.pop() else {
                    return Ok(());
                };
                let (node, anchor, inner) = self.close(open, span);
                let weight = Weight {
                    nodes: inner.nodes.saturating_add(1),
                    bytes: inner.bytes,
                    height: inner.height,
                };
                self.remember(anchor, &node, weight);
                self.push(node, weight);
            }
            Event::Alias(id) => {
                let Some(Some((node, weight))) = self.anchors.get(id) else {
                    return Err(Diagnostic::error(
                        "yaml-syntax",
                        "alias refers to an anchor that is not defined before it",
                    )
                    .at(span));
                };
                let (mut copy, weight) = (node.clone(), *weight);
                self.open_check(span, weight.height)?;
                self.charge(weight, span)?;
                copy.span = span;
                self.push(copy, weight);
            }
            _ => {}
        }
        Ok(())
    }

    /// The finished list or mapping of `open`, its anchor, and the weight of its content.
    fn close(&self, open: Open<'a>, span: Span) -> (Node<'a>, usize, Weight) {
        match open {
            Open::Seq(items, start, anchor, block, weight) => {
                // A block collection ends with its last item, not with whatever blank
                // lines or comments follow it (the same wherever the file is cut for
                // parallel parsing).
                let end = match items.last() {
                    Some(last) if block => last.span.end,
                    _ => span.end,
                };
                let node = Node {
                    kind: NodeKind::Seq(Arc::new(items)),
                    span: Span::new(self.file, start.start as usize, end as usize),
                };
                (node, anchor, weight)
            }
            Open::Map(entries, _, start, anchor, block, weight) => {
                let end = match entries.last() {
                    Some((_, last)) if block => last.span.end,
                    _ => span.end,
                };
                let node = Node {
                    kind: NodeKind::Map(Arc::new(entries)),
                    span: Span::new(self.file, start.start as usize, end as usize),
                };
                (node, anchor, weight)
            }
        }
    }

    /// Charges an alias's expansion to the budget.
    fn charge(&mut self, weight: Weight, span: Span) -> Result<(), Diagnostic> {
        let nodes = self.budget.nodes.checked_sub(weight.nodes);
        let bytes = self.budget.bytes.checked_sub(weight.bytes);
        let (Some(nodes), Some(bytes)) = (nodes, bytes) else {
            return Err(Diagnostic::error(
                "alias-budget",
                format!(
                    "aliases expand to more than {ALIAS_BUDGET} nodes or {ALIAS_BYTES_BUDGET} bytes; this looks like an alias bomb"
                ),
            )
            .at(span)
            .label("expanding this alias goes over the budget")
            .help("write the repeated values out, or use fewer nested aliases"));
        };
        self.budget = AliasBudget { nodes, bytes };
        Ok(())
    }

    /// Refuses to open a list or mapping (or place an alias `height` levels deep) past
    /// [`MAX_DEPTH`].
    fn open_check(&self, span: Span, height: usize) -> Result<(), Diagnostic> {
        if self.stack.len() + height >= MAX_DEPTH {
            return Err(Diagnostic::error(
                "nesting-too-deep",
                format!("lists and mappings are nested more than {MAX_DEPTH} deep"),
            )
            .at(span)
            .help("a Gambit model needs only a few levels of nesting"));
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node<'a>, weight: Weight) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        // Cheap: lists and mappings are shared, not copied.
        self.anchors[anchor] = Some((node.clone(), weight));
    }

    fn push(&mut self, node: Node<'a>, weight: Weight) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq(items, .., total)) => {
                total.add(weight);
                items.push(node);
            }
            Some(Open::Map(entries, pending, .., total)) => {
                total.add(weight);
                match pending.take() {
                    None => *pending = Some(node),
                    Some(key) => entries.push((key, node)),
                }
            }
        }
    }
}

impl Node<'_> {
    /// The node as JSON, typing plain scalars by the YAML 1.2 core schema (null, booleans,
    /// integers, floats); everything else is a string. Map keys become strings.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Scalar { text, plain: false } => Value::String(text.to_string()),
            NodeKind::Scalar { .. } if self.is_null() => Value::Null,
            NodeKind::Scalar { text, .. } => core_scalar(text),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let key = match &k.kind {
                            NodeKind::Scalar { text, .. } => text.to_string(),
                            _ => k.to_json().to_string(),
                        };
                        (key, v.to_json())
                    })
                    .collect(),
            ),
        }
    }
}

fn core_scalar(text: &str) -> serde_json::Value {
    use serde_json::Value;
    match text {
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    let looks_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if looks_numeric && let Ok(f) = text.parse::<f64>() {
        return serde_json::Number::from_f64(f)
            .map_or_else(|| Value::String(text.to_owned()), Value::Number);
    }
    Value::String(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_in_parts_gives_the_tree_of_one_parse() {
        let text = crate::synth::enterprise(500, 3);
        let whole = parse_range(&text, 0, FileId(0), AliasBudget::FULL)
            .unwrap()
            .unwrap();
        for threads in [2, 3, 5, 16] {
            let parts = parse_in_parts(&text, FileId(0), threads)
                .expect("the synthetic model has clean cuts");
            let (NodeKind::Map(a), NodeKind::Map(b)) = (&whole.kind, &parts.kind) else {
                panic!("maps")
            };
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{threads} threads");
        }
    }

    #[test]
    fn hand_written_models_part_the_same_way_or_not_at_all() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
        let mut parted = 0;
        for name in [
            "acme-shop.yaml",
            "k8s-microservices.yaml",
            "llm-agent.yaml",
            "hardened.yaml",
        ] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                continue;
            };
            let whole = parse_range(&text, 0, FileId(0), AliasBudget::FULL)
                .unwrap()
                .unwrap();
            for threads in 2..6 {
                if let Some(parts) = parse_in_parts(&text, FileId(0), threads) {
                    let (NodeKind::Map(a), NodeKind::Map(b)) = (&whole.kind, &parts.kind) else {
                        panic!("maps")
                    };
                    let (x, y) = (format!("{a:?}"), format!("{b:?}"));
                    let at = x
                        .bytes()
                        .zip(y.bytes())
                        .position(|(p, q)| p != q)
                        .unwrap_or(x.len().min(y.len()));
                    assert!(
                        x == y,
                        "{name} in {threads} parts differs at {at}: {} | {}",
                        &x[at.saturating_sub(300)..(at + 80).min(x.len())],
                        &y[at.saturating_sub(0)..(at + 80).min(y.len())]
                    );
                    parted += 1;
                }
            }
        }
        assert!(
            parted > 0,
            "no example was cut into parts, so nothing was compared"
        );
    }

    #[test]
    fn unclean_cuts_are_refused() {
        // An alias whose anchor lands in another part fails there, so the caller re-parses whole.
        let text = format!("x-a: &a {{k: v}}\n{}x-b: *a\n", "x-pad: 1\n".repeat(1000));
        assert!(parse_in_parts(&text, FileId(0), 2).is_none());
        assert!(cut_into_parts("a: 1\n---\nb: 2\n", 2).is_none());
        let whole = parse(&text, FileId(0)).unwrap().unwrap();
        assert!(matches!(whole.kind, NodeKind::Map(ref e) if e.len() == 1002));
    }
}
