//! A layered layout for the data-flow diagram, in plain arithmetic so no Graphviz is
//! needed.
//!
//! 1. Rank: every node gets its distance (in flows) from the nodes nothing flows into,
//!    so data reads left to right. A zone's rank is the smallest rank inside it.
//! 2. Nest: each zone is a box whose content (sub-zones and member nodes) is laid out in
//!    columns by rank, at most [`MAX_ROWS`] items a column (a crowded rank wraps into
//!    more columns), columns centred vertically. Sizes are computed bottom-up, then
//!    positions top-down.
//! 3. Route: a flow is a straight line between node borders, bent into a curve when a
//!    reverse flow exists or when it would run through a node in the same column;
//!    labels go at the middle, slid along the curve when they would overlap.
//!
//! Everything is deterministic: ties break on the scene's sorted order.

use std::collections::{HashSet, VecDeque};

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

    fn contains(&self, p: (f64, f64), margin: f64) -> bool {
        p.0 > self.x - margin
            && p.0 < self.x + self.w + margin
            && p.1 > self.y - margin
            && p.1 < self.y + self.h + margin
    }

    fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }
}

/// Where a flow is drawn.
#[derive(Clone, Debug)]
pub struct EdgeGeom {
    /// SVG path data from the source border to the target border.
    pub path: String,
    /// The label's box (its text lines are centred in it).
    pub label: Rect,
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

/// Lays the scene out twice: the second pass orders each column by where the items'
/// flow partners ended up in the first (the barycentre heuristic), which removes most
/// crossings that the id order left.
pub fn layout(scene: &Scene) -> Layout {
    let first = layout_pass(scene, None);
    let pull = neighbour_y(scene, &first.nodes);
    layout_pass(scene, Some(&pull))
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

fn layout_pass(scene: &Scene, pull: Option<&[f64]>) -> Layout {
    let node_w = node_width(scene);
    let ranks = ranks(scene);
    let mut l = Builder {
        scene,
        node_w,
        ranks,
        pull,
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
    let edges = route(scene, &nodes, &zones);
    Layout {
        width,
        height,
        node_w,
        nodes,
        zones,
        edges,
        legend_y,
    }
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

struct Builder<'s> {
    scene: &'s Scene,
    node_w: f64,
    ranks: Vec<Option<usize>>,
    /// Where each node's flow partners are (second pass only).
    pull: Option<&'s [f64]>,
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

    /// Where an item would like to be vertically: its partners' mean position (a zone:
    /// the mean over its nodes); 0 in the first pass, so the id order stands.
    fn pull_of(&self, item: Item) -> f64 {
        let Some(pull) = self.pull else {
            return 0.0;
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
        let keys: std::collections::HashMap<Item, (f64, f64)> = items
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
            let fits = columns.last().is_some_and(|c| c.len() < MAX_ROWS);
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
            if !band.is_empty() && band_w + COL_GAP + w > MAX_WIDTH {
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

/// Where a ray from the centre of `r` towards `p` leaves the rectangle.
fn border(r: &Rect, p: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = r.center();
    let (dx, dy) = (p.0 - cx, p.1 - cy);
    if dx.abs() < 1e-9 && dy.abs() < 1e-9 {
        return (cx, cy);
    }
    let tx = if dx.abs() < 1e-9 {
        f64::INFINITY
    } else {
        (r.w / 2.0) / dx.abs()
    };
    let ty = if dy.abs() < 1e-9 {
        f64::INFINITY
    } else {
        (r.h / 2.0) / dy.abs()
    };
    let t = tx.min(ty).min(1.0);
    (cx + dx * t, cy + dy * t)
}

fn quad(a: (f64, f64), c: (f64, f64), b: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    (
        u * u * a.0 + 2.0 * u * t * c.0 + t * t * b.0,
        u * u * a.1 + 2.0 * u * t * c.1 + t * t * b.1,
    )
}

/// Rectangles bucketed by grid cell, so routing asks only about nearby ones and stays
/// linear in the number of flows however large the model.
struct Grid {
    cell: f64,
    cells: std::collections::HashMap<(i64, i64), Vec<usize>>,
    rects: Vec<Rect>,
}

impl Grid {
    const CELL: f64 = 160.0;

    fn new() -> Self {
        Grid {
            cell: Self::CELL,
            cells: Default::default(),
            rects: Vec::new(),
        }
    }

    fn span(&self, r: &Rect, margin: f64) -> impl Iterator<Item = (i64, i64)> + use<> {
        let c = self.cell;
        let (x0, x1) = (
            ((r.x - margin) / c).floor() as i64,
            ((r.x + r.w + margin) / c).floor() as i64,
        );
        let (y0, y1) = (
            ((r.y - margin) / c).floor() as i64,
            ((r.y + r.h + margin) / c).floor() as i64,
        );
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn insert(&mut self, r: Rect) -> usize {
        let id = self.rects.len();
        for key in self.span(&r, 0.0).collect::<Vec<_>>() {
            self.cells.entry(key).or_default().push(id);
        }
        self.rects.push(r);
        id
    }

    /// Whether `p` lies within `margin` of a rectangle other than those in `skip`.
    fn hits(&self, p: (f64, f64), margin: f64, skip: &[usize]) -> bool {
        let probe = Rect {
            x: p.0,
            y: p.1,
            w: 0.0,
            h: 0.0,
        };
        self.span(&probe, margin).any(|key| {
            self.cells.get(&key).is_some_and(|ids| {
                ids.iter()
                    .any(|&i| !skip.contains(&i) && self.rects[i].contains(p, margin))
            })
        })
    }

    fn overlaps(&self, r: &Rect) -> bool {
        self.span(r, 0.0).any(|key| {
            self.cells
                .get(&key)
                .is_some_and(|ids| ids.iter().any(|&i| self.rects[i].overlaps(r)))
        })
    }
}

fn route(scene: &Scene, nodes: &[Rect], zones: &[Rect]) -> Vec<EdgeGeom> {
    let pairs: HashSet<(usize, usize)> = scene.edges.iter().map(|e| (e.from, e.to)).collect();
    // Node ids equal their grid ids: nodes go in first, in order.
    let mut obstacles = Grid::new();
    for r in nodes {
        obstacles.insert(*r);
    }
    // Labels keep off nodes and zone titles.
    let mut taken = Grid::new();
    for r in nodes {
        taken.insert(*r);
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
    // Several flows between the same two nodes fan out.
    let mut seen_pairs: std::collections::HashMap<(usize, usize), usize> = Default::default();
    for e in &scene.edges {
        let lines = edge_lines(e);
        let label_w = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64
            * SMALL_CHAR
            + if e.encrypted { 22.0 } else { 12.0 };
        let label_h = lines.len() as f64 * LABEL_LINE + 6.0;
        let (a_rect, b_rect) = (nodes[e.from], nodes[e.to]);
        if e.from == e.to {
            let r = a_rect;
            let (x, y) = (r.x + r.w, r.y);
            let path = format!(
                "M{} {} C{} {} {} {} {} {}",
                fmt(x),
                fmt(y + r.h * 0.3),
                fmt(x + 50.0),
                fmt(y - 20.0),
                fmt(x + 50.0),
                fmt(y + r.h + 20.0),
                fmt(x),
                fmt(y + r.h * 0.7)
            );
            let label = Rect {
                x: x + 40.0,
                y: y + r.h / 2.0 - label_h / 2.0,
                w: label_w,
                h: label_h,
            };
            taken.insert(label);
            out.push(EdgeGeom { path, label, lines });
            continue;
        }
        let a = a_rect.center();
        let b = b_rect.center();
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let normal = (-dy / len, dx / len);
        let nth = seen_pairs
            .entry((e.from.min(e.to), e.from.max(e.to)))
            .or_insert(0);
        let mut bend = 0.0;
        if pairs.contains(&(e.to, e.from)) || *nth > 0 {
            bend += 22.0 * (*nth as f64 + 1.0);
        }
        *nth += 1;
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let ctrl_for = |bend: f64| (mid.0 + normal.0 * bend * 2.0, mid.1 + normal.1 * bend * 2.0);
        // Bend away from nodes the line would cross: the least bend that clears them all.
        let ends = [e.from, e.to];
        let clear = |bend: f64| {
            let c = ctrl_for(bend);
            (1..24).all(|k| !obstacles.hits(quad(a, c, b, k as f64 / 24.0), 6.0, &ends))
        };
        if !clear(bend) {
            let found = [30.0, -30.0, 60.0, -60.0, 95.0, -95.0, 140.0, -140.0]
                .into_iter()
                .map(|extra| bend + extra)
                .find(|&b| clear(b));
            bend = found.unwrap_or(bend);
        }
        let ctrl = ctrl_for(bend);
        let start = border(&a_rect, ctrl);
        let end = border(&b_rect, ctrl);
        let path = if bend == 0.0 {
            format!(
                "M{} {} L{} {}",
                fmt(start.0),
                fmt(start.1),
                fmt(end.0),
                fmt(end.1)
            )
        } else {
            format!(
                "M{} {} Q{} {} {} {}",
                fmt(start.0),
                fmt(start.1),
                fmt(ctrl.0),
                fmt(ctrl.1),
                fmt(end.0),
                fmt(end.1)
            )
        };
        let mut label = None;
        for t in [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78] {
            let p = quad(start, ctrl, end, t);
            let r = Rect {
                x: p.0 - label_w / 2.0,
                y: p.1 - label_h / 2.0,
                w: label_w,
                h: label_h,
            };
            if !taken.overlaps(&r) {
                label = Some(r);
                break;
            }
        }
        let label = label.unwrap_or_else(|| {
            let p = quad(start, ctrl, end, 0.5);
            Rect {
                x: p.0 - label_w / 2.0,
                y: p.1 - label_h / 2.0,
                w: label_w,
                h: label_h,
            }
        });
        taken.insert(label);
        out.push(EdgeGeom { path, label, lines });
    }
    out
}

pub(crate) fn num(v: f64) -> String {
    fmt(v)
}
