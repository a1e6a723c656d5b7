//! A layered layout for the data-flow diagram, in plain arithmetic so no Graphviz is
//! needed.
//!
//! 1. Rank: every node gets a column from the flows, so data reads left to right: the
//!    most flows on a path to it from the nodes nothing flows into (cycles broken), or
//!    the fewest ([`Ranking`]). A zone's rank is the mean rank inside it.
//! 2. Nest: each zone is a box whose content (sub-zones and member nodes) is laid out in
//!    columns by rank, a few items a column (a crowded rank wraps into more columns),
//!    columns wrapped into bands below past a width ([`Packing`]). Sizes are computed
//!    bottom-up, then positions top-down.
//! 3. Order: the placement is repeated, each column ordered by where its items' flow
//!    partners were in the pass before (barycentres); the pass whose straight lines
//!    cross least is kept.
//! 4. Route: flows are orthogonal lines found by a shortest-path search around the node
//!    boxes, searched again among each other (rip-up and reroute), and labels go where
//!    they overlap nothing (see [`route`]).
//! 5. Choose: small diagrams are placed with every [`PACKINGS`] entry and routed, and
//!    the one whose routed flows cross least is improved by swapping neighbours in its
//!    columns; the budgets keep the work linear in the flows for large diagrams.
//!
//! Everything is deterministic: ties break on the scene's sorted order.

use std::collections::{HashMap, VecDeque};

pub mod route;

use super::Scene;

pub const NODE_H: f64 = 54.0;
pub const COL_GAP: f64 = 120.0;
pub const ROW_GAP: f64 = 30.0;
pub const PAD: f64 = 18.0;
pub const HEADER: f64 = 28.0;
pub const MARGIN: f64 = 24.0;
pub const TITLE_H: f64 = 34.0;
pub const LEGEND_H: f64 = 40.0;
pub const MAX_ROWS: usize = 6;
/// Wide enough for the legend.
pub const MIN_WIDTH: f64 = 800.0;
/// Content wider than this wraps into another band of columns below.
pub const MAX_WIDTH: f64 = 1500.0;
/// Label font metrics: average advance per character at the sizes the SVG uses.
pub const ID_CHAR: f64 = 7.4;
pub const SMALL_CHAR: f64 = 5.9;
pub const LABEL_LINE: f64 = 12.0;
/// Longest edge-label line, in characters, before it is cut with an ellipsis.
pub const LABEL_CHARS: usize = 30;

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The rectangle with `by` added on every side.
    pub fn grown(&self, by: f64) -> Rect {
        Rect {
            x: self.x - by,
            y: self.y - by,
            w: self.w + 2.0 * by,
            h: self.h + 2.0 * by,
        }
    }

    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// Where a flow is drawn.
#[derive(Clone, Debug)]
pub struct EdgeGeom {
    /// SVG path data from the source border to the target border.
    pub path: String,
    /// The label's box (its text lines are centred in it); `None` when no place was
    /// free, and the label shows only in the flow's tooltip.
    pub label: Option<Rect>,
    pub lines: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub node_w: f64,
    pub nodes: Vec<Rect>,
    pub zones: Vec<Rect>,
    pub edges: Vec<EdgeGeom>,
    /// Top of the legend strip.
    pub legend_y: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Item {
    Zone(usize),
    Node(usize),
}

/// Cuts `text` to `max` characters with an ellipsis.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The text lines of a flow's label: transport first, then data (the SVG draws a lock
/// before an encrypted transport).
pub fn edge_lines(edge: &super::Edge) -> Vec<String> {
    let mut lines = vec![if edge.encrypted {
        edge.protocol_text().to_owned()
    } else {
        format!("{} · plaintext", edge.protocol_text())
    }];
    let data = edge.data_text(2);
    if !data.is_empty() {
        lines.push(cut(&data, LABEL_CHARS));
    }
    if !edge.steps.is_empty() {
        lines.push(format!("step {}", super::dot::join_steps(&edge.steps)));
    }
    lines
}

/// How items are packed into columns and bands: at most `rows` items a column, bands
/// at most `width` pixels wide, columns by `ranking`.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Packing {
    rows: usize,
    width: f64,
    ranking: Ranking,
}

/// What a node's column (rank) counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ranking {
    /// The fewest flows from a node nothing flows into: short flows.
    Shortest,
    /// The most flows from such a node (cycles broken): every flow points right, so
    /// tiers keep their order (the classic layering of layered layouts).
    Longest,
}

/// The packings tried, the default first: taller columns and wider bands keep flows
/// between tiers shorter in some models, shorter columns in others; which is best is
/// measured, not guessed.
const PACKINGS: [Packing; 16] = [
    Packing {
        rows: MAX_ROWS,
        width: MAX_WIDTH,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: 4,
        width: MAX_WIDTH,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: 8,
        width: MAX_WIDTH,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: MAX_ROWS,
        width: 2400.0,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: 4,
        width: 2400.0,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: 8,
        width: 2400.0,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: 12,
        width: MAX_WIDTH,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: 12,
        width: 2400.0,
        ranking: Ranking::Shortest,
    },
    Packing {
        rows: MAX_ROWS,
        width: MAX_WIDTH,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: 4,
        width: MAX_WIDTH,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: 8,
        width: MAX_WIDTH,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: MAX_ROWS,
        width: 2400.0,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: 4,
        width: 2400.0,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: 8,
        width: 2400.0,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: 12,
        width: MAX_WIDTH,
        ranking: Ranking::Longest,
    },
    Packing {
        rows: 12,
        width: 2400.0,
        ranking: Ranking::Longest,
    },
];

/// Flow routings the final routing may spend: up to [`REROUTE_ROUNDS`] rip-up rounds
/// while the flows times the rounds stay within it, so the largest diagrams route once
/// and the time stays linear in the flows.
const ROUTING_BUDGET: usize = 2400;

/// Rip-up-and-reroute rounds after the first routing (see [`route::Router::route_all`]).
const REROUTE_ROUNDS: usize = 3;

/// Flow routings spent choosing the placement by its routed crossings. Only diagrams
/// small enough to route every packing this way do; larger ones keep the default
/// packing, ordered by the crossings of straight lines.
const CHOICE_BUDGET: usize = 8000;

/// Places and routes the scene. Small diagrams are placed with every packing (each
/// ordered by barycentre sweeps, see [`ordered`]) and routed; the one whose flows cross
/// least is improved by swapping neighbours in its columns while that removes
/// crossings (see [`improve`]).
pub fn layout(scene: &Scene) -> Layout {
    layout_packed(scene, PACKINGS[0])
}

/// [`layout`] for a screen, where the drawing is panned and zoomed rather than printed:
/// a diagram too large to try every packing is packed at most `rows` items a column,
/// in bands up to `width` wide, instead of the default six a column in 1500 px bands,
/// which stacks the zones of a large model into one tall column.
pub fn layout_for_screen(scene: &Scene, rows: usize, width: f64) -> Layout {
    layout_packed(
        scene,
        Packing {
            rows: rows.max(1),
            width,
            ranking: Ranking::Shortest,
        },
    )
}

fn layout_packed(scene: &Scene, large: Packing) -> Layout {
    let flows = scene.edges.len().max(1);
    let rounds = (ROUTING_BUDGET / flows)
        .saturating_sub(1)
        .min(REROUTE_ROUNDS);
    let choices = CHOICE_BUDGET / (flows * (rounds + 1));
    if choices < PACKINGS.len() {
        let (placed, _) = ordered(scene, large);
        return routed(scene, placed, rounds).0;
    }
    let mut best: Option<(Layout, usize, Packing, Sequence)> = None;
    for &packing in &PACKINGS {
        let (placed, sequence) = ordered(scene, packing);
        let (placed, crossings) = routed(scene, placed, rounds);
        if best.as_ref().is_none_or(|b| crossings < b.1) {
            best = Some((placed, crossings, packing, sequence));
        }
    }
    let best = best.expect("packings are tried");
    improve(scene, best, choices - PACKINGS.len(), rounds)
}

/// The placement alone, with the default packing and no flow routed: what the
/// benchmark compares the whole layout with.
pub fn place(scene: &Scene) -> Layout {
    ordered(scene, PACKINGS[0]).0
}

/// The placement with its flows routed, and how many pairs of them cross.
fn routed(scene: &Scene, mut placed: Layout, rounds: usize) -> (Layout, usize) {
    let (edges, crossings) = route_flows(scene, &placed.nodes, &placed.zones, rounds);
    placed.edges = edges;
    (placed, crossings)
}

/// Swaps neighbours in the columns of a routed placement (first to last, zone by zone,
/// then again) and keeps each swap that lowers the crossings, until a round keeps none
/// or `tries` placements have been routed.
fn improve(
    scene: &Scene,
    (mut best, mut crossings, packing, mut sequence): (Layout, usize, Packing, Sequence),
    mut tries: usize,
    rounds: usize,
) -> Layout {
    loop {
        let mut kept = false;
        for group in 0..sequence.len() {
            for i in 1..sequence[group].len() {
                if tries == 0 || crossings == 0 {
                    return best;
                }
                let mut keys = keys_of(&sequence);
                let (a, b) = (sequence[group][i - 1], sequence[group][i]);
                keys.insert(a, i as f64);
                keys.insert(b, (i - 1) as f64);
                let (candidate, candidate_sequence) =
                    layout_pass(scene, Order::Keys(&keys), packing);
                if candidate.nodes == best.nodes {
                    continue; // items of different ranks: the swap changes nothing
                }
                tries -= 1;
                let (candidate, candidate_crossings) = routed(scene, candidate, rounds);
                if candidate_crossings < crossings {
                    (best, crossings, sequence) =
                        (candidate, candidate_crossings, candidate_sequence);
                    kept = true;
                }
            }
        }
        if !kept {
            return best;
        }
    }
}

/// Each item's place in its zone's sequence, as an ordering key.
fn keys_of(sequence: &Sequence) -> HashMap<Item, f64> {
    sequence
        .iter()
        .flat_map(|items| items.iter().enumerate().map(|(k, &it)| (it, k as f64)))
        .collect()
}

/// Places the scene, then again [`SWEEPS`] times, each pass ordering every column by
/// where the items' flow partners ended up in the pass before (the barycentre
/// heuristic); returns the placement with the fewest crossings of straight lines.
fn ordered(scene: &Scene, packing: Packing) -> (Layout, Sequence) {
    let mut placed = layout_pass(scene, Order::Ids, packing);
    let mut best_crossings = straight_crossings(scene, &placed.0.nodes);
    let mut best = placed.clone();
    for _ in 0..SWEEPS {
        let pull = neighbour_y(scene, &placed.0.nodes);
        placed = layout_pass(scene, Order::Pull(&pull), packing);
        let crossings = straight_crossings(scene, &placed.0.nodes);
        if crossings < best_crossings {
            best_crossings = crossings;
            best = placed.clone();
        }
    }
    best
}

/// Barycentre sweeps after the first placement.
const SWEEPS: usize = 4;

/// Pairs of flows that would cross if drawn as straight lines between node centres: a
/// cheap stand-in for the crossings of the routed diagram, to compare placements.
fn straight_crossings(scene: &Scene, nodes: &[Rect]) -> usize {
    let lines: Vec<((f64, f64), (f64, f64))> = scene
        .edges
        .iter()
        .filter(|e| e.from != e.to)
        .map(|e| (nodes[e.from].center(), nodes[e.to].center()))
        .collect();
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        ((b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)).signum()
    };
    let mut count = 0;
    for (i, &(p, q)) in lines.iter().enumerate() {
        for &(r, s) in &lines[i + 1..] {
            if orient(p, q, r) * orient(p, q, s) < 0.0 && orient(r, s, p) * orient(r, s, q) < 0.0 {
                count += 1;
            }
        }
    }
    count
}

/// For each node, the mean vertical centre of the nodes it exchanges flows with (its
/// own centre when it has none).
fn neighbour_y(scene: &Scene, nodes: &[Rect]) -> Vec<f64> {
    let mut sum: Vec<f64> = vec![0.0; nodes.len()];
    let mut count = vec![0usize; nodes.len()];
    for e in &scene.edges {
        if e.from == e.to {
            continue;
        }
        sum[e.from] += nodes[e.to].center().1;
        count[e.from] += 1;
        sum[e.to] += nodes[e.from].center().1;
        count[e.to] += 1;
    }
    (0..nodes.len())
        .map(|i| {
            if count[i] == 0 {
                nodes[i].center().1
            } else {
                sum[i] / count[i] as f64
            }
        })
        .collect()
}

/// How the items of a column are ordered.
#[derive(Clone, Copy)]
enum Order<'a> {
    /// By id (the first placement).
    Ids,
    /// By where each node's flow partners were (a barycentre sweep).
    Pull(&'a [f64]),
    /// By a key per item (a placement being improved by swaps).
    Keys(&'a HashMap<Item, f64>),
}

/// The items of each zone (and, last, of the top level) in the order they were placed:
/// column by column, top to bottom.
type Sequence = Vec<Vec<Item>>;

fn layout_pass(scene: &Scene, order: Order, packing: Packing) -> (Layout, Sequence) {
    let node_w = node_width(scene);
    let ranks = match packing.ranking {
        Ranking::Shortest => ranks(scene),
        Ranking::Longest => longest_ranks(scene),
    };
    let mut l = Builder {
        scene,
        node_w,
        ranks,
        order,
        packing,
        zone_rank: vec![None; scene.zones.len()],
        zone_size: vec![(0.0, 0.0); scene.zones.len()],
        offsets: Vec::new(),
    };
    for z in 0..scene.zones.len() {
        l.rank_of_zone(z, 0);
    }
    // Sizes bottom-up: children before parents (deeper zones first).
    let mut order: Vec<usize> = (0..scene.zones.len()).collect();
    order.sort_by_key(|&z| std::cmp::Reverse(scene.zone_path(z).len()));
    let mut content: Vec<Vec<(Item, f64, f64)>> = vec![Vec::new(); scene.zones.len()];
    for &z in &order {
        let items = l.items_of(z);
        let (mut placed, w, h) = l.arrange(&items);
        // Centre content in a box widened for its title.
        let title_w = zone_title_width(&scene.zones[z]);
        let extra = ((title_w - (w + 2.0 * PAD)) / 2.0).max(0.0);
        for p in &mut placed {
            p.1 += extra;
        }
        l.zone_size[z] = ((w + 2.0 * PAD).max(title_w), h + HEADER + PAD);
        content[z] = placed;
    }
    let root_items: Vec<Item> = scene.roots.iter().map(|&z| Item::Zone(z)).collect();
    let (root_placed, root_w, root_h) = l.arrange(&root_items);
    let sequence: Sequence = content
        .iter()
        .chain([&root_placed])
        .map(|placed| placed.iter().map(|&(it, _, _)| it).collect())
        .collect();
    l.offsets = content;

    // Positions top-down.
    let mut nodes = vec![Rect::default(); scene.nodes.len()];
    let mut zones = vec![Rect::default(); scene.zones.len()];
    let origin = (MARGIN, MARGIN + TITLE_H);
    let mut stack: Vec<(Item, f64, f64)> = root_placed
        .iter()
        .map(|&(it, x, y)| (it, x + origin.0, y + origin.1))
        .collect();
    while let Some((item, x, y)) = stack.pop() {
        match item {
            Item::Node(n) => {
                nodes[n] = Rect {
                    x,
                    y,
                    w: node_w,
                    h: NODE_H,
                }
            }
            Item::Zone(z) => {
                let (w, h) = l.zone_size[z];
                zones[z] = Rect { x, y, w, h };
                for &(child, cx, cy) in &l.offsets[z] {
                    stack.push((child, x + PAD + cx, y + HEADER + cy));
                }
            }
        }
    }
    let width = (root_w + 2.0 * MARGIN).max(MIN_WIDTH);
    let legend_y = origin.1 + root_h + MARGIN / 2.0;
    let height = legend_y + LEGEND_H;
    let layout = Layout {
        width,
        height,
        node_w,
        nodes,
        zones,
        edges: Vec::new(),
        legend_y,
    };
    (layout, sequence)
}

/// How wide a zone box must be for its title and badge.
fn zone_title_width(zone: &super::ZoneBox) -> f64 {
    zone.title().chars().count() as f64 * 6.8 + zone.badge().chars().count() as f64 * 5.6 + 36.0
}

/// One width for every node, so columns line up: wide enough for the longest id.
fn node_width(scene: &Scene) -> f64 {
    let widest = scene
        .nodes
        .iter()
        .map(|n| {
            let id = n.id.chars().count().min(28) as f64 * ID_CHAR;
            let kind = (n.kind.chars().count() + 2).min(32) as f64 * SMALL_CHAR;
            id.max(kind)
        })
        .fold(0.0, f64::max);
    (widest + 30.0).clamp(130.0, 240.0)
}

/// Hops from the nodes nothing flows into (breadth first; cycles with no entry start
/// at their first node in sorted order).
fn ranks(scene: &Scene) -> Vec<Option<usize>> {
    let n = scene.nodes.len();
    let mut out_edges = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for e in &scene.edges {
        if e.from != e.to {
            out_edges[e.from].push(e.to);
            indegree[e.to] += 1;
        }
    }
    let mut rank = vec![usize::MAX; n];
    let mut queue = VecDeque::new();
    for i in 0..n {
        if indegree[i] == 0 {
            rank[i] = 0;
            queue.push_back(i);
        }
    }
    loop {
        while let Some(i) = queue.pop_front() {
            for &j in &out_edges[i] {
                if rank[j] == usize::MAX {
                    rank[j] = rank[i] + 1;
                    queue.push_back(j);
                }
            }
        }
        match rank.iter().position(|&r| r == usize::MAX) {
            Some(i) => {
                rank[i] = 0;
                queue.push_back(i);
            }
            None => break,
        }
    }
    // A node with no flow says nothing about the data's direction.
    let mut linked = vec![false; n];
    for e in &scene.edges {
        linked[e.from] = true;
        linked[e.to] = true;
    }
    rank.into_iter()
        .zip(linked)
        .map(|(r, l)| l.then_some(r))
        .collect()
}

/// The most flows on a path to each node from the nodes nothing flows into, over the
/// flows left when those closing a cycle are set aside (found by a depth-first search
/// from the sources in sorted order, then from the rest); `None` for nodes with no flow.
fn longest_ranks(scene: &Scene) -> Vec<Option<usize>> {
    let n = scene.nodes.len();
    let mut out_edges = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    let mut linked = vec![false; n];
    for e in &scene.edges {
        linked[e.from] = true;
        linked[e.to] = true;
        if e.from != e.to {
            out_edges[e.from].push(e.to);
            indegree[e.to] += 1;
        }
    }
    // Depth-first, iteratively: 0 unseen, 1 on the stack, 2 done. Finishing order
    // reversed is a topological order of the flows that close no cycle.
    let mut state = vec![0u8; n];
    let mut finished = Vec::with_capacity(n);
    let starts = (0..n).filter(|&i| indegree[i] == 0).chain(0..n);
    for root in starts {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = out_edges[v].get(*next) {
                *next += 1;
                if state[w] == 0 {
                    state[w] = 1;
                    stack.push((w, 0));
                }
            } else {
                state[v] = 2;
                finished.push(v);
                stack.pop();
            }
        }
    }
    let position: Vec<usize> = {
        let mut p = vec![0; n];
        for (i, &v) in finished.iter().rev().enumerate() {
            p[v] = i;
        }
        p
    };
    let mut rank = vec![0usize; n];
    for &v in finished.iter().rev() {
        for &w in &out_edges[v] {
            if position[w] > position[v] {
                rank[w] = rank[w].max(rank[v] + 1);
            }
        }
    }
    rank.into_iter()
        .zip(linked)
        .map(|(r, l)| l.then_some(r))
        .collect()
}

struct Builder<'s> {
    scene: &'s Scene,
    node_w: f64,
    ranks: Vec<Option<usize>>,
    order: Order<'s>,
    packing: Packing,
    /// Mean rank of the linked nodes inside each zone (None: no linked node).
    zone_rank: Vec<Option<Option<f64>>>,
    zone_size: Vec<(f64, f64)>,
    offsets: Vec<Vec<(Item, f64, f64)>>,
}

impl Builder<'_> {
    fn rank_of_zone(&mut self, z: usize, depth: usize) -> Option<f64> {
        let (sum, count) = self.rank_sum(z, depth);
        let mean = (count > 0).then(|| sum / count as f64);
        self.zone_rank[z] = Some(mean);
        mean
    }

    /// Sum and count of the ranks of linked nodes in a zone and its sub-zones.
    fn rank_sum(&self, z: usize, depth: usize) -> (f64, usize) {
        let zone = &self.scene.zones[z];
        let mut sum = 0.0;
        let mut count = 0;
        for r in zone.nodes.iter().filter_map(|&n| self.ranks[n]) {
            sum += r as f64;
            count += 1;
        }
        if depth <= self.scene.zones.len() {
            for &child in &zone.children {
                let (s, c) = self.rank_sum(child, depth + 1);
                sum += s;
                count += c;
            }
        }
        (sum, count)
    }

    fn items_of(&self, z: usize) -> Vec<Item> {
        let zone = &self.scene.zones[z];
        zone.children
            .iter()
            .map(|&c| Item::Zone(c))
            .chain(zone.nodes.iter().map(|&n| Item::Node(n)))
            .collect()
    }

    /// Where an item would like to be in its column: its key, or its partners' mean
    /// position (a zone: the mean over its nodes); 0 in the first pass, so the id order
    /// stands.
    fn pull_of(&self, item: Item) -> f64 {
        let pull = match self.order {
            Order::Ids => return 0.0,
            Order::Keys(keys) => return keys.get(&item).copied().unwrap_or(0.0),
            Order::Pull(pull) => pull,
        };
        match item {
            Item::Node(n) => pull[n],
            Item::Zone(z) => {
                let mut nodes = Vec::new();
                self.collect_nodes(z, 0, &mut nodes);
                if nodes.is_empty() {
                    0.0
                } else {
                    nodes.iter().map(|&n| pull[n]).sum::<f64>() / nodes.len() as f64
                }
            }
        }
    }

    fn collect_nodes(&self, z: usize, depth: usize, out: &mut Vec<usize>) {
        let zone = &self.scene.zones[z];
        out.extend(&zone.nodes);
        if depth <= self.scene.zones.len() {
            for &c in &zone.children {
                self.collect_nodes(c, depth + 1, out);
            }
        }
    }

    /// Where an item goes, left to right: its (mean) rank; unlinked items go last.
    fn rank(&self, item: Item) -> f64 {
        let r = match item {
            Item::Node(n) => self.ranks[n].map(|r| r as f64),
            Item::Zone(z) => self.zone_rank[z].flatten(),
        };
        r.unwrap_or(f64::MAX)
    }

    fn size(&self, item: Item) -> (f64, f64) {
        match item {
            Item::Node(_) => (self.node_w, NODE_H),
            Item::Zone(z) => self.zone_size[z],
        }
    }

    /// Places items in columns by rank (at most [`MAX_ROWS`] a column), and wraps the
    /// columns into bands below each other past [`MAX_WIDTH`]; returns the items'
    /// offsets and the content size.
    fn arrange(&self, items: &[Item]) -> (Vec<(Item, f64, f64)>, f64, f64) {
        let mut sorted: Vec<Item> = items.to_vec();
        // Items arrive sorted by id (zones, then nodes); a stable sort keeps that order
        // within a rank.
        let keys: HashMap<Item, (f64, f64)> = items
            .iter()
            .map(|&it| (it, (self.rank(it).floor(), self.pull_of(it))))
            .collect();
        sorted.sort_by(|a, b| {
            let (ra, pa) = keys[a];
            let (rb, pb) = keys[b];
            ra.total_cmp(&rb).then(pa.total_cmp(&pb))
        });
        let mut columns: Vec<Vec<Item>> = Vec::new();
        let mut column_key = None;
        for it in sorted {
            let key = self.rank(it).floor();
            let fits = columns.last().is_some_and(|c| c.len() < self.packing.rows);
            if column_key != Some(key) || !fits {
                columns.push(Vec::new());
            }
            columns
                .last_mut()
                .expect("a column was just pushed")
                .push(it);
            column_key = Some(key);
        }
        let col_size = |col: &Vec<Item>| {
            let w = col.iter().map(|&it| self.size(it).0).fold(0.0, f64::max);
            let h = col.iter().map(|&it| self.size(it).1).sum::<f64>()
                + ROW_GAP * (col.len().saturating_sub(1)) as f64;
            (w, h)
        };
        // Bands: consecutive columns up to MAX_WIDTH wide.
        let mut bands: Vec<Vec<usize>> = vec![Vec::new()];
        let mut band_w = 0.0;
        for (i, col) in columns.iter().enumerate() {
            let (w, _) = col_size(col);
            let band = bands.last_mut().expect("bands start non-empty");
            if !band.is_empty() && band_w + COL_GAP + w > self.packing.width {
                bands.push(vec![i]);
                band_w = w;
            } else {
                band_w += if band.is_empty() { w } else { COL_GAP + w };
                band.push(i);
            }
        }
        let mut placed = Vec::new();
        let mut total_w: f64 = 0.0;
        let mut y0 = 0.0;
        for band in &bands {
            let band_h = band
                .iter()
                .map(|&c| col_size(&columns[c]).1)
                .fold(0.0, f64::max);
            let mut x = 0.0;
            for &c in band {
                let (col_w, col_h) = col_size(&columns[c]);
                let mut y = y0 + (band_h - col_h) / 2.0;
                for &it in &columns[c] {
                    let (w, ih) = self.size(it);
                    placed.push((it, x + (col_w - w) / 2.0, y));
                    y += ih + ROW_GAP;
                }
                x += col_w + COL_GAP;
            }
            total_w = total_w.max(x - COL_GAP);
            if !band.is_empty() {
                y0 += band_h + ROW_GAP * 2.0;
            }
        }
        let total_h = (y0 - ROW_GAP * 2.0).max(0.0);
        (placed, total_w.max(80.0), total_h.max(20.0))
    }
}

fn fmt(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// Routes every flow around the node boxes, then places its label (see [`route`]);
/// returns the flows and how many pairs of them cross.
fn route_flows(
    scene: &Scene,
    nodes: &[Rect],
    zones: &[Rect],
    rounds: usize,
) -> (Vec<EdgeGeom>, usize) {
    let mut router = route::Router::new(nodes);
    let flows: Vec<(usize, usize)> = scene
        .edges
        .iter()
        .filter(|e| e.from != e.to)
        .map(|e| (e.from, e.to))
        .collect();
    let (routes, crossings) = router.route_all(&flows, rounds);
    let mut routes = routes.into_iter();
    // Labels keep off nodes, zone titles and each other.
    let mut taken = route::Grid::default();
    for r in nodes {
        taken.insert(r.grown(4.0));
    }
    for z in zones {
        taken.insert(Rect {
            x: z.x,
            y: z.y,
            w: z.w,
            h: HEADER - 4.0,
        });
    }
    let mut out = Vec::with_capacity(scene.edges.len());
    for e in &scene.edges {
        let lines = edge_lines(e);
        let label_w = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64
            * SMALL_CHAR
            + if e.encrypted { 22.0 } else { 12.0 };
        let label_h = lines.len() as f64 * LABEL_LINE + 6.0;
        let (path, label) = if e.from == e.to {
            self_loop(nodes[e.from], label_w, label_h)
        } else {
            let points = routes.next().expect("one route per flow between two nodes");
            let label = route::place_label(&points, label_w, label_h, &taken);
            (polyline(&points), label)
        };
        if let Some(r) = label {
            taken.insert(r);
        }
        out.push(EdgeGeom { path, label, lines });
    }
    (out, crossings)
}

/// A flow from a node to itself: a loop off the node's right side.
fn self_loop(r: Rect, label_w: f64, label_h: f64) -> (String, Option<Rect>) {
    let (x, y) = (r.x + r.w, r.y);
    let path = format!(
        "M{} {} C{} {} {} {} {} {}",
        fmt(x),
        fmt(y + r.h * 0.3),
        fmt(x + 40.0),
        fmt(y + r.h * 0.1),
        fmt(x + 40.0),
        fmt(y + r.h * 0.9),
        fmt(x),
        fmt(y + r.h * 0.7)
    );
    let label = Rect {
        x: x + 34.0,
        y: y + r.h / 2.0 - label_h / 2.0,
        w: label_w,
        h: label_h,
    };
    (path, Some(label))
}

/// SVG path data for a route's corner points.
fn polyline(points: &[(f64, f64)]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&fmt(p.0));
        d.push(' ');
        d.push_str(&fmt(p.1));
    }
    d
}

pub(crate) fn num(v: f64) -> String {
    fmt(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::DiagramOptions;

    fn scene(yaml: &str) -> Scene {
        let model = gambit_model::load_str("t.yaml", yaml.to_owned(), None, Default::default())
            .model
            .expect("the model loads");
        Scene::build(&model, &DiagramOptions::default()).expect("builds")
    }

    fn rank_of(scene: &Scene, ranks: &[Option<usize>], id: &str) -> Option<usize> {
        ranks[scene.nodes.iter().position(|n| n.id == id).expect("a node")]
    }

    #[test]
    fn longest_ranking_puts_every_flow_rightwards_and_breaks_cycles() {
        let s = scene(
            "gambit: 1\nname: t\ncomponents:\n  a: {kind: api}\n  b: {kind: service}\n  c: {kind: database}\n  lone: {kind: worker}\nflows:\n  - {from: a, to: b, protocol: https}\n  - {from: b, to: c, protocol: https}\n  - {from: a, to: c, protocol: https}\n  - {from: c, to: a, protocol: https}\n",
        );
        let longest = longest_ranks(&s);
        assert_eq!(rank_of(&s, &longest, "a"), Some(0));
        assert_eq!(rank_of(&s, &longest, "b"), Some(1));
        assert_eq!(rank_of(&s, &longest, "c"), Some(2));
        assert_eq!(rank_of(&s, &longest, "lone"), None);
        // The fewest flows: c is one flow from a.
        assert_eq!(rank_of(&s, &ranks(&s), "c"), Some(1));
    }

    #[test]
    fn small_diagrams_get_the_placement_whose_routes_cross_least() {
        let s = scene(&gambit_model::synth::enterprise(12, 3));
        let chosen = layout(&s);
        let (default, _) = ordered(&s, PACKINGS[0]);
        let (_, default_crossings) = routed(&s, default, REROUTE_ROUNDS);
        let flows: Vec<Vec<(f64, f64)>> = chosen
            .edges
            .iter()
            .zip(&s.edges)
            .filter(|(_, e)| e.from != e.to)
            .map(|(g, _)| points_of(&g.path))
            .collect();
        assert!(route::crossing_pairs(&flows).len() <= default_crossings);
    }

    /// The corner points of a polyline's path data.
    fn points_of(d: &str) -> Vec<(f64, f64)> {
        let numbers: Vec<f64> = d
            .split([' ', 'M', 'L'])
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().expect("numbers"))
            .collect();
        numbers.chunks(2).map(|p| (p[0], p[1])).collect()
    }
}
