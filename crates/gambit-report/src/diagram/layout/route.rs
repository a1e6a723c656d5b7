//! Orthogonal flow routing around boxes, and flow labels placed where they collide with
//! nothing.
//!
//! Routing is a shortest-path search (A*) on a sparse grid: its lines are the borders of
//! every node box pushed out by [`CLEARANCE`], plus the centre lines of every node, so a
//! route can always go around a box and leaves its ends from the middle of a side. A
//! step on the grid is allowed only when it does not enter a node other than the flow's
//! two ends, so no flow runs through a box. The cost is length, plus a price per bend
//! (fewer, straighter lines) and per crossing of a line already routed (fewer
//! crossings). Flows that share a stretch of grid line are drawn on top of each other:
//! parallel flows between the same zones merge into one bundle and fan out near their
//! ends. Once all are routed, each is taken away and searched again among the others
//! (rip-up and reroute), since the first were routed before the rest existed.
//!
//! The grid is kept in flat arrays (which node holds each stretch, how many routes pass
//! each vertex, the search's costs), so a search step is a few array reads; the
//! layout's bounded width keeps the grid linear in the number of nodes.
//!
//! Labels go on the longest straight stretch of their flow where they overlap no node,
//! zone title or other label; a flow with no such place keeps its label in the tooltip
//! only (the flow's `<title>` always carries the full text).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use foldhash::{HashMap, HashMapExt};

use super::Rect;

/// How far routes keep from node boxes.
pub const CLEARANCE: f64 = 12.0;
/// The price of a bend, in pixels of length.
const BEND: i64 = 400;
/// The price of crossing a line already routed, in pixels of length.
const CROSS: i64 = 1500;
/// How far around its two ends a route is first looked for.
const WINDOW: f64 = 160.0;
/// Search steps one flow may take before it falls back to a straight line: a bound on
/// the work per flow whatever the model (never reached on a connected grid).
const STEP_BUDGET: usize = 400_000;

/// Rectangles bucketed by grid cell, so a question about one place looks only at the
/// rectangles near it, however large the diagram.
#[derive(Default)]
pub struct Grid {
    cells: HashMap<(i64, i64), Vec<usize>>,
    rects: Vec<Rect>,
}

impl Grid {
    const CELL: f64 = 160.0;

    fn span(r: &Rect) -> impl Iterator<Item = (i64, i64)> + use<> {
        let c = Self::CELL;
        let (x0, x1) = ((r.x / c).floor() as i64, ((r.x + r.w) / c).floor() as i64);
        let (y0, y1) = ((r.y / c).floor() as i64, ((r.y + r.h) / c).floor() as i64);
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    /// Adds a rectangle; returns its number (rectangles are numbered from 0 in order).
    pub fn insert(&mut self, r: Rect) -> usize {
        let id = self.rects.len();
        for key in Self::span(&r) {
            self.cells.entry(key).or_default().push(id);
        }
        self.rects.push(r);
        id
    }

    /// Whether `r` overlaps any rectangle.
    pub fn overlaps(&self, r: &Rect) -> bool {
        Self::span(r).any(|key| {
            self.cells
                .get(&key)
                .is_some_and(|ids| ids.iter().any(|&i| self.rects[i].overlaps(r)))
        })
    }
}

/// Coordinates as integer tenths of a pixel, so grid lines compare exactly.
fn tenths(v: f64) -> i64 {
    (v * 10.0).round() as i64
}

/// A grid stretch no node box holds.
const FREE: u32 = u32::MAX;
/// A grid stretch held by two node boxes at once (never the case in the layout's own
/// placements, whose clearances keep apart): blocked for every flow.
const SHARED: u32 = u32::MAX - 1;
/// The most grid vertices the router keeps arrays for (about 72 bytes each). The
/// layout's width is bounded, so its grid grows with the number of rows; a grid past
/// this falls back to straight lines rather than use unbounded memory. (Its states,
/// [`DIRS`] a vertex, must number under 2^[`STATE_BITS`].)
const MAX_VERTICES: usize = 2_000_000;

const RIGHT: u8 = 0;
const LEFT: u8 = 1;
const DOWN: u8 = 2;
const UP: u8 = 3;
/// The start of a search, before any move.
const NOWHERE: u8 = 4;
/// Search states per vertex: one per direction of arrival, and the start.
const DIRS: usize = 5;

/// A route as the grid vertices where it starts, turns and ends.
type Corners = Vec<(u32, u32)>;

/// The routing grid: sorted, distinct coordinates of its vertical and horizontal lines,
/// which node box (if any) holds each stretch between neighbouring vertices, and how
/// many routes pass through each vertex.
pub struct Router {
    nodes: Vec<Rect>,
    xs: Vec<i64>,
    ys: Vec<i64>,
    /// Per vertex (`y * xs.len() + x`): the node whose clearance box holds the stretch to
    /// the right of the vertex, [`FREE`] or [`SHARED`].
    right_owner: Vec<u32>,
    /// The same for the stretch below the vertex.
    down_owner: Vec<u32>,
    /// Per vertex: routes passing through it horizontally, vertically.
    used: Vec<[u16; 2]>,
    /// Search bookkeeping per state (vertex and direction of arrival), kept between
    /// searches: the cheapest cost found, the state it came from, and the states the
    /// last search touched.
    cost: Vec<i64>,
    prev: Vec<u32>,
    touched: Vec<u32>,
}

/// A search window: inclusive index ranges of grid columns and rows.
#[derive(Clone, Copy)]
struct Window {
    x0: u32,
    x1: u32,
    y0: u32,
    y1: u32,
}

impl Window {
    fn contains(&self, v: (u32, u32)) -> bool {
        v.0 >= self.x0 && v.0 <= self.x1 && v.1 >= self.y0 && v.1 <= self.y1
    }
}

/// A search's open list holds one `u64` per entry: the estimated total cost above
/// [`STATE_BITS`] bits of state number, so entries compare as plain integers.
const STATE_BITS: u32 = 24;
const STATE_MASK: u64 = (1 << STATE_BITS) - 1;

fn entry(estimate: i64, state: usize) -> u64 {
    ((estimate as u64) << STATE_BITS) | state as u64
}

impl Router {
    pub fn new(nodes: &[Rect]) -> Router {
        let mut xs = Vec::with_capacity(nodes.len() * 3 + 2);
        let mut ys = Vec::with_capacity(nodes.len() * 3 + 2);
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for r in nodes {
            let grown = r.grown(CLEARANCE);
            let (cx, cy) = r.center();
            xs.extend([grown.x, cx, grown.x + grown.w].map(tenths));
            ys.extend([grown.y, cy, grown.y + grown.h].map(tenths));
            min_x = min_x.min(grown.x);
            min_y = min_y.min(grown.y);
            max_x = max_x.max(grown.x + grown.w);
            max_y = max_y.max(grown.y + grown.h);
        }
        // A frame around everything, so a route can always go round.
        xs.extend([min_x - CLEARANCE, max_x + CLEARANCE].map(tenths));
        ys.extend([min_y - CLEARANCE, max_y + CLEARANCE].map(tenths));
        xs.sort_unstable();
        xs.dedup();
        ys.sort_unstable();
        ys.dedup();
        let vertices = xs.len() * ys.len();
        let mut router = Router {
            nodes: nodes.to_vec(),
            xs,
            ys,
            right_owner: Vec::new(),
            down_owner: Vec::new(),
            used: Vec::new(),
            cost: Vec::new(),
            prev: Vec::new(),
            touched: Vec::new(),
        };
        if vertices <= MAX_VERTICES {
            router.right_owner = vec![FREE; vertices];
            router.down_owner = vec![FREE; vertices];
            router.used = vec![[0; 2]; vertices];
            router.cost = vec![i64::MAX; vertices * DIRS];
            router.prev = vec![u32::MAX; vertices * DIRS];
            for (n, r) in nodes.iter().enumerate() {
                router.block(n as u32, &r.grown(CLEARANCE));
            }
        }
        router
    }

    /// Records node `n` as holding the grid stretches strictly inside `r`.
    fn block(&mut self, n: u32, r: &Rect) {
        let (left, right) = (tenths(r.x), tenths(r.x + r.w));
        let (top, bottom) = (tenths(r.y), tenths(r.y + r.h));
        let cols = self.xs.partition_point(|&x| x < left)..self.xs.partition_point(|&x| x <= right);
        let rows = self.ys.partition_point(|&y| y < top)..self.ys.partition_point(|&y| y <= bottom);
        let nx = self.xs.len();
        let claim = |slot: &mut u32| *slot = if *slot == FREE { n } else { SHARED };
        for y in rows.clone() {
            for x in cols.clone() {
                let v = y * nx + x;
                // The stretch right of (x, y) lies inside when both its ends are within
                // the box's columns and its row is strictly inside.
                let row_inside = self.ys[y] > top && self.ys[y] < bottom;
                let col_inside = self.xs[x] > left && self.xs[x] < right;
                if row_inside && x + 1 < cols.end {
                    claim(&mut self.right_owner[v]);
                }
                if col_inside && y + 1 < rows.end {
                    claim(&mut self.down_owner[v]);
                }
            }
        }
    }

    fn index(&self, v: (u32, u32)) -> usize {
        v.1 as usize * self.xs.len() + v.0 as usize
    }

    fn point(&self, v: (u32, u32)) -> (f64, f64) {
        (
            self.xs[v.0 as usize] as f64 / 10.0,
            self.ys[v.1 as usize] as f64 / 10.0,
        )
    }

    fn vertex_of(&self, p: (f64, f64)) -> (u32, u32) {
        let find = |coords: &[i64], v: f64| match coords.binary_search(&tenths(v)) {
            Ok(i) | Err(i) => i.min(coords.len() - 1) as u32,
        };
        (find(&self.xs, p.0), find(&self.ys, p.1))
    }

    fn step(&self, v: (u32, u32), dir: u8) -> Option<(u32, u32)> {
        let (x, y) = v;
        match dir {
            RIGHT if (x as usize) + 1 < self.xs.len() => Some((x + 1, y)),
            LEFT if x > 0 => Some((x - 1, y)),
            DOWN if (y as usize) + 1 < self.ys.len() => Some((x, y + 1)),
            UP if y > 0 => Some((x, y - 1)),
            _ => None,
        }
    }

    /// The node box holding the stretch from `v` to its neighbour `w` in direction `dir`.
    fn owner(&self, v: (u32, u32), w: (u32, u32), dir: u8) -> u32 {
        match dir {
            RIGHT => self.right_owner[self.index(v)],
            LEFT => self.right_owner[self.index(w)],
            DOWN => self.down_owner[self.index(v)],
            _ => self.down_owner[self.index(w)],
        }
    }

    /// The window of grid lines within `margin` pixels of the two boxes (`None` for
    /// margin: the whole grid).
    fn window(&self, a: &Rect, b: &Rect, margin: Option<f64>) -> Window {
        let Some(m) = margin else {
            return Window {
                x0: 0,
                x1: (self.xs.len() - 1) as u32,
                y0: 0,
                y1: (self.ys.len() - 1) as u32,
            };
        };
        let lo = |coords: &[i64], v: f64| coords.partition_point(|&c| c < tenths(v)) as u32;
        let hi = |coords: &[i64], v: f64| {
            (coords.partition_point(|&c| c <= tenths(v)).max(1) - 1) as u32
        };
        Window {
            x0: lo(&self.xs, a.x.min(b.x) - m),
            x1: hi(&self.xs, (a.x + a.w).max(b.x + b.w) + m),
            y0: lo(&self.ys, a.y.min(b.y) - m),
            y1: hi(&self.ys, (a.y + a.h).max(b.y + b.h) + m),
        }
    }

    /// The cheapest grid route from the centre of node `from` to the centre of node
    /// `to` that stays inside `window`, as its corner vertices; `None` when there is
    /// none or the search gives up.
    fn search(&mut self, from: usize, to: usize, window: Window) -> Option<Corners> {
        let start = self.vertex_of(self.nodes[from].center());
        let goal = self.vertex_of(self.nodes[to].center());
        if !window.contains(start) || !window.contains(goal) {
            return None;
        }
        let (gx, gy) = (self.xs[goal.0 as usize], self.ys[goal.1 as usize]);
        let h = |r: &Router, v: (u32, u32)| {
            (r.xs[v.0 as usize] - gx).abs() + (r.ys[v.1 as usize] - gy).abs()
        };
        // Only the states this search touches are reset afterwards, so a search costs
        // what it explores, not the size of the grid.
        for &s in &self.touched {
            self.cost[s as usize] = i64::MAX;
            self.prev[s as usize] = u32::MAX;
        }
        self.touched.clear();
        let mut open = BinaryHeap::new();
        let first = self.state(start, NOWHERE);
        self.cost[first] = 0;
        self.touched.push(first as u32);
        open.push(Reverse(entry(h(self, start), first)));
        let (from_id, to_id) = (from as u32, to as u32);
        let mut steps = 0;
        while let Some(Reverse(top)) = open.pop() {
            let state = (top & STATE_MASK) as usize;
            let (v, dir) = self.vertex(state);
            let g = (top >> STATE_BITS) as i64 - h(self, v);
            if g > self.cost[state] {
                continue; // a stale entry: the state was reached cheaper since
            }
            if v == goal {
                return Some(self.corners(state));
            }
            steps += 1;
            if steps > STEP_BUDGET {
                return None;
            }
            for next_dir in [RIGHT, LEFT, DOWN, UP] {
                if dir != NOWHERE && next_dir == (dir ^ 1) {
                    continue; // never straight back
                }
                let Some(w) = self.step(v, next_dir).filter(|&w| window.contains(w)) else {
                    continue;
                };
                let owner = self.owner(v, w, next_dir);
                if owner != FREE && owner != from_id && owner != to_id {
                    continue;
                }
                let mut cost = g
                    + (self.xs[w.0 as usize] - self.xs[v.0 as usize]).abs()
                    + (self.ys[w.1 as usize] - self.ys[v.1 as usize]).abs();
                if dir != NOWHERE && next_dir != dir {
                    cost += BEND;
                }
                // Passing a vertex that a route crosses the other way is a crossing.
                let across = if next_dir <= LEFT { 1 } else { 0 };
                if self.used[self.index(w)][across] > 0 {
                    cost += CROSS;
                }
                let next = self.state(w, next_dir);
                if cost < self.cost[next] {
                    if self.cost[next] == i64::MAX {
                        self.touched.push(next as u32);
                    }
                    self.cost[next] = cost;
                    self.prev[next] = state as u32;
                    open.push(Reverse(entry(cost + h(self, w), next)));
                }
            }
        }
        None
    }

    fn state(&self, v: (u32, u32), dir: u8) -> usize {
        self.index(v) * DIRS + dir as usize
    }

    fn vertex(&self, state: usize) -> ((u32, u32), u8) {
        let cell = state / DIRS;
        let nx = self.xs.len();
        (
            ((cell % nx) as u32, (cell / nx) as u32),
            (state % DIRS) as u8,
        )
    }

    /// The corner vertices of a found route, from start to goal.
    fn corners(&self, end: usize) -> Corners {
        let mut states = vec![end];
        let mut at = end;
        while self.prev[at] != u32::MAX {
            at = self.prev[at] as usize;
            states.push(at);
        }
        states.reverse();
        let decoded: Vec<((u32, u32), u8)> = states.iter().map(|&s| self.vertex(s)).collect();
        let mut corners = Vec::new();
        for (i, &(v, dir)) in decoded.iter().enumerate() {
            let turns_here = decoded.get(i + 1).is_none_or(|&(_, next)| next != dir);
            if i == 0 || turns_here {
                corners.push(v);
            }
        }
        corners
    }

    /// Adds `by` to the passes of every vertex on a route, so later routes pay to cross
    /// it (or, with -1, takes the route away again).
    fn mark(&mut self, corners: &[(u32, u32)], by: i32) {
        for pair in corners.windows(2) {
            let (v, w) = (pair[0], pair[1]);
            let axis = usize::from(v.0 == w.0);
            let (xa, xb) = (v.0.min(w.0), v.0.max(w.0));
            let (ya, yb) = (v.1.min(w.1), v.1.max(w.1));
            for y in ya..=yb {
                for x in xa..=xb {
                    let i = self.index((x, y));
                    let slot = &mut self.used[i][axis];
                    *slot = (i32::from(*slot) + by).clamp(0, i32::from(u16::MAX)) as u16;
                }
            }
        }
    }

    /// One flow's route on the grid as it stands: near its ends first, which keeps the
    /// work per flow small however large the diagram, and everywhere only if that fails.
    fn find(&mut self, from: usize, to: usize) -> Option<Corners> {
        if self.used.is_empty() {
            return None; // a grid too large to keep: straight lines
        }
        let (a, b) = (self.nodes[from], self.nodes[to]);
        let near = self.window(&a, &b, Some(WINDOW));
        self.search(from, to, near).or_else(|| {
            let everywhere = self.window(&a, &b, None);
            self.search(from, to, everywhere)
        })
    }

    /// Routes every flow (pairs of distinct node numbers), then `rounds` more times takes
    /// each route away and searches it again among all the others (rip-up and reroute:
    /// the first flows were routed before the later ones existed to be avoided); keeps
    /// the round with the fewest crossing pairs. Returns each flow's corner points from
    /// the border of its source box to the border of its target box, and how many pairs
    /// of them cross.
    pub fn route_all(
        &mut self,
        flows: &[(usize, usize)],
        rounds: usize,
    ) -> (Vec<Vec<(f64, f64)>>, usize) {
        let mut routes: Vec<Option<Corners>> = Vec::with_capacity(flows.len());
        for &(from, to) in flows {
            let found = self.find(from, to);
            if let Some(c) = &found {
                self.mark(c, 1);
            }
            routes.push(found);
        }
        let mut best = self.drawn(flows, &routes);
        let mut crossing = crossing_pairs(&best);
        for _ in 0..rounds {
            if crossing.is_empty() {
                break;
            }
            // Every route is searched again, not only those that cross: moving one
            // that crosses nothing can clear the way for others.
            for (i, &(from, to)) in flows.iter().enumerate() {
                if let Some(old) = routes[i].take() {
                    self.mark(&old, -1);
                    let found = self.find(from, to).unwrap_or(old);
                    self.mark(&found, 1);
                    routes[i] = Some(found);
                }
            }
            let drawn = self.drawn(flows, &routes);
            let now = crossing_pairs(&drawn);
            if now.len() >= crossing.len() {
                break;
            }
            best = drawn;
            crossing = now;
        }
        let count = crossing.len();
        (best, count)
    }

    /// The routes as drawn: clipped at the boxes of their ends (a straight line where
    /// the search gave up).
    fn drawn(&self, flows: &[(usize, usize)], routes: &[Option<Corners>]) -> Vec<Vec<(f64, f64)>> {
        flows
            .iter()
            .zip(routes)
            .map(|(&(from, to), route)| {
                let (a, b) = (self.nodes[from], self.nodes[to]);
                match route {
                    Some(corners) => {
                        let points: Vec<(f64, f64)> =
                            corners.iter().map(|&v| self.point(v)).collect();
                        clip(&points, &a, &b)
                    }
                    None => {
                        let (p, q) = (a.center(), b.center());
                        vec![border(&a, q), border(&b, p)]
                    }
                }
            })
            .collect()
    }
}

/// The pairs of routes that cross (touching or running along each other does not
/// count), sorted: their number is the figure the diagram-quality test reads back from
/// the SVG. Vertical stretches are
/// bucketed by rows of [`Grid::CELL`], so each horizontal stretch meets only those near it.
pub fn crossing_pairs(routes: &[Vec<(f64, f64)>]) -> Vec<(usize, usize)> {
    let cell = |y: f64| (y / Grid::CELL).floor() as i64;
    let mut verticals: HashMap<i64, Vec<(usize, f64, f64, f64)>> = HashMap::new();
    let mut horizontals = Vec::new();
    for (i, route) in routes.iter().enumerate() {
        for s in route.windows(2) {
            let (p, q) = (s[0], s[1]);
            if p.0 == q.0 {
                let (y0, y1) = (p.1.min(q.1), p.1.max(q.1));
                for c in cell(y0)..=cell(y1) {
                    verticals.entry(c).or_default().push((i, p.0, y0, y1));
                }
            } else if p.1 == q.1 {
                horizontals.push((i, p.1, p.0.min(q.0), p.0.max(q.0)));
            }
        }
    }
    let eps = 1e-6;
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for &(i, y, x0, x1) in &horizontals {
        for &(j, x, y0, y1) in verticals.get(&cell(y)).into_iter().flatten() {
            let crosses = x > x0 + eps && x < x1 - eps && y > y0 + eps && y < y1 - eps;
            if i != j && crosses {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}

/// Cuts a centre-to-centre route at the border where it last leaves `a` and the border
/// where it first enters `b`.
fn clip(points: &[(f64, f64)], a: &Rect, b: &Rect) -> Vec<(f64, f64)> {
    let inside =
        |r: &Rect, p: (f64, f64)| p.0 >= r.x && p.0 <= r.x + r.w && p.1 >= r.y && p.1 <= r.y + r.h;
    let last_in_a = points.iter().rposition(|&p| inside(a, p)).unwrap_or(0);
    let first_in_b = points[last_in_a..]
        .iter()
        .position(|&p| inside(b, p))
        .map_or(points.len() - 1, |i| i + last_in_a);
    if first_in_b <= last_in_a {
        return vec![a.center(), b.center()];
    }
    let mut out = Vec::with_capacity(first_in_b - last_in_a + 1);
    out.push(leave(a, points[last_in_a], points[last_in_a + 1]));
    out.extend_from_slice(&points[last_in_a + 1..first_in_b]);
    out.push(leave(b, points[first_in_b], points[first_in_b - 1]));
    out
}

/// Where the axis-parallel segment from `inner` (inside `r`) to `outer` crosses `r`'s
/// border.
fn leave(r: &Rect, inner: (f64, f64), outer: (f64, f64)) -> (f64, f64) {
    if (inner.1 - outer.1).abs() < 1e-9 {
        let x = if outer.0 > inner.0 { r.x + r.w } else { r.x };
        (x.clamp(inner.0.min(outer.0), inner.0.max(outer.0)), inner.1)
    } else {
        let y = if outer.1 > inner.1 { r.y + r.h } else { r.y };
        (inner.0, y.clamp(inner.1.min(outer.1), inner.1.max(outer.1)))
    }
}

/// Where a ray from the centre of `r` towards `p` leaves the rectangle.
pub fn border(r: &Rect, p: (f64, f64)) -> (f64, f64) {
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

/// Where a label of size `w` × `h` goes on a route: centred on a straight stretch,
/// longest stretch first, its middle first, the first place that overlaps nothing in
/// `taken`.
pub fn place_label(points: &[(f64, f64)], w: f64, h: f64, taken: &Grid) -> Option<Rect> {
    let mut stretches: Vec<((f64, f64), (f64, f64))> =
        points.windows(2).map(|p| (p[0], p[1])).collect();
    let length = |s: &((f64, f64), (f64, f64))| (s.1.0 - s.0.0).abs() + (s.1.1 - s.0.1).abs();
    // Longest first; ties keep route order (a stable sort), so the result is deterministic.
    stretches.sort_by(|a, b| length(b).total_cmp(&length(a)));
    for (p, q) in stretches {
        for t in [0.5, 0.35, 0.65, 0.2, 0.8] {
            let c = (p.0 + (q.0 - p.0) * t, p.1 + (q.1 - p.1) * t);
            let r = Rect {
                x: c.0 - w / 2.0,
                y: c.1 - h / 2.0,
                w,
                h,
            };
            if r.x >= 0.0 && r.y >= 0.0 && !taken.overlaps(&r) {
                return Some(r);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(x: f64, y: f64) -> Rect {
        Rect {
            x,
            y,
            w: 100.0,
            h: 40.0,
        }
    }

    #[test]
    fn crossing_pairs_count_proper_crossings_only() {
        let plus = vec![
            vec![(0.0, 50.0), (100.0, 50.0)],
            vec![(50.0, 0.0), (50.0, 100.0)],
        ];
        assert_eq!(crossing_pairs(&plus), vec![(0, 1)]);
        // Touching at an end, or running along each other, is no crossing.
        let touching = vec![
            vec![(0.0, 50.0), (50.0, 50.0)],
            vec![(50.0, 0.0), (50.0, 100.0)],
            vec![(50.0, 20.0), (50.0, 80.0)],
        ];
        assert!(crossing_pairs(&touching).is_empty());
        // Two routes crossing twice are one pair.
        let twice = vec![
            vec![(0.0, 50.0), (300.0, 50.0)],
            vec![(50.0, 0.0), (50.0, 100.0), (250.0, 100.0), (250.0, 0.0)],
        ];
        assert_eq!(crossing_pairs(&twice).len(), 1);
    }

    #[test]
    fn routes_avoid_boxes_that_are_not_their_ends() {
        // a and b on one row with c between them: the route must go around c.
        let nodes = [boxed(0.0, 0.0), boxed(200.0, 0.0), boxed(400.0, 0.0)];
        let mut router = Router::new(&nodes);
        let (routes, _) = router.route_all(&[(0, 2)], 0);
        let inside = |p: (f64, f64)| {
            p.0 > nodes[1].x
                && p.0 < nodes[1].x + nodes[1].w
                && p.1 >= nodes[1].y
                && p.1 <= nodes[1].y + nodes[1].h
        };
        for s in routes[0].windows(2) {
            let mid = ((s[0].0 + s[1].0) / 2.0, (s[0].1 + s[1].1) / 2.0);
            assert!(
                !inside(s[0]) && !inside(mid),
                "{:?} runs through c",
                routes[0]
            );
        }
        assert!(routes[0].len() > 2, "a straight line would cross c");
    }

    #[test]
    fn rerouting_removes_crossings_the_first_routing_left() {
        // Four boxes in a square, flows routed in an order that makes the first one
        // take the middle that a later one needs.
        let nodes = [
            boxed(0.0, 0.0),
            boxed(0.0, 300.0),
            boxed(300.0, 0.0),
            boxed(300.0, 300.0),
            boxed(150.0, 150.0),
        ];
        let flows = [(0, 3), (1, 2), (4, 0), (4, 3)];
        let (_, first) = Router::new(&nodes).route_all(&flows, 0);
        let (_, rerouted) = Router::new(&nodes).route_all(&flows, 3);
        assert!(
            rerouted < first,
            "{rerouted} crossing pairs after rerouting, {first} before"
        );
    }
}
