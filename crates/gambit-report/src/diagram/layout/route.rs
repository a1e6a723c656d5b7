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
//! ends.
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

    /// Whether `p` lies strictly inside a rectangle other than those in `skip`.
    fn inside(&self, p: (f64, f64), skip: [usize; 2]) -> bool {
        let key = (
            (p.0 / Self::CELL).floor() as i64,
            (p.1 / Self::CELL).floor() as i64,
        );
        self.cells.get(&key).is_some_and(|ids| {
            ids.iter().any(|&i| {
                let r = &self.rects[i];
                !skip.contains(&i) && p.0 > r.x && p.0 < r.x + r.w && p.1 > r.y && p.1 < r.y + r.h
            })
        })
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

/// The routing grid: sorted, distinct coordinates of its vertical and horizontal lines.
pub struct Router {
    xs: Vec<i64>,
    ys: Vec<i64>,
    /// Node boxes grown by [`CLEARANCE`], numbered as the scene's nodes.
    blocked: Grid,
    /// Grid vertices that routed lines pass through: bit 0 horizontally, bit 1 vertically.
    used: HashMap<(u32, u32), u8>,
}

const RIGHT: u8 = 0;
const LEFT: u8 = 1;
const DOWN: u8 = 2;
const UP: u8 = 3;
/// The start of a search, before any move.
const NOWHERE: u8 = 4;

/// A search state: a grid vertex and the direction the route arrived in.
type State = ((u32, u32), u8);

/// How much the search trusts its distance estimate over the cost so far: above 1 it
/// heads for the goal and explores far less, for routes a few percent longer at worst.
const GREED: i64 = 1;

impl Router {
    pub fn new(nodes: &[Rect]) -> Router {
        let mut xs = Vec::with_capacity(nodes.len() * 3 + 2);
        let mut ys = Vec::with_capacity(nodes.len() * 3 + 2);
        let mut blocked = Grid::default();
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for r in nodes {
            let grown = Rect {
                x: r.x - CLEARANCE,
                y: r.y - CLEARANCE,
                w: r.w + 2.0 * CLEARANCE,
                h: r.h + 2.0 * CLEARANCE,
            };
            let (cx, cy) = r.center();
            xs.extend([grown.x, cx, grown.x + grown.w].map(tenths));
            ys.extend([grown.y, cy, grown.y + grown.h].map(tenths));
            min_x = min_x.min(grown.x);
            min_y = min_y.min(grown.y);
            max_x = max_x.max(grown.x + grown.w);
            max_y = max_y.max(grown.y + grown.h);
            blocked.insert(grown);
        }
        // A frame around everything, so a route can always go round.
        xs.extend([min_x - CLEARANCE, max_x + CLEARANCE].map(tenths));
        ys.extend([min_y - CLEARANCE, max_y + CLEARANCE].map(tenths));
        xs.sort_unstable();
        xs.dedup();
        ys.sort_unstable();
        ys.dedup();
        Router {
            xs,
            ys,
            blocked,
            used: HashMap::new(),
        }
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

    /// The cheapest grid route from the centre of node `from` to the centre of node
    /// `to` that stays inside `window`, as a list of corner points; `None` when there is
    /// none or the search gives up.
    fn search(
        &self,
        (from, to): (usize, usize),
        (a, b): (Rect, Rect),
        window: Rect,
    ) -> Option<Vec<(f64, f64)>> {
        let (x_lo, x_hi) = (tenths(window.x), tenths(window.x + window.w));
        let (y_lo, y_hi) = (tenths(window.y), tenths(window.y + window.h));
        let in_window = |v: (u32, u32)| {
            let (x, y) = (self.xs[v.0 as usize], self.ys[v.1 as usize]);
            x >= x_lo && x <= x_hi && y >= y_lo && y <= y_hi
        };
        let start = self.vertex_of(a.center());
        let goal = self.vertex_of(b.center());
        let goal_p = self.point(goal);
        let h = |v: (u32, u32)| {
            let p = self.point(v);
            tenths((p.0 - goal_p.0).abs() + (p.1 - goal_p.1).abs())
        };
        // Per state (vertex, direction of arrival): the cheapest cost found and the state
        // it came from.
        let mut best: HashMap<State, (i64, State)> = HashMap::new();
        let mut open = BinaryHeap::new();
        best.insert((start, NOWHERE), (0, (start, NOWHERE)));
        open.push(Reverse((GREED * h(start), 0i64, start, NOWHERE)));
        let skip = [from, to];
        let mut steps = 0;
        while let Some(Reverse((_, g, v, dir))) = open.pop() {
            if v == goal {
                return Some(self.corners(&best, (v, dir)));
            }
            if best.get(&(v, dir)).is_some_and(|&(b, _)| b < g) {
                continue;
            }
            steps += 1;
            if steps > STEP_BUDGET {
                return None;
            }
            for next_dir in [RIGHT, LEFT, DOWN, UP] {
                if dir != NOWHERE && next_dir == (dir ^ 1) {
                    continue; // never straight back
                }
                let Some(w) = self.step(v, next_dir).filter(|&w| in_window(w)) else {
                    continue;
                };
                let (p, q) = (self.point(v), self.point(w));
                let mid = ((p.0 + q.0) / 2.0, (p.1 + q.1) / 2.0);
                if self.blocked.inside(mid, skip) {
                    continue;
                }
                let mut cost = g + tenths((q.0 - p.0).abs() + (q.1 - p.1).abs());
                if dir != NOWHERE && next_dir != dir {
                    cost += BEND;
                }
                let across = if next_dir <= LEFT { 2 } else { 1 };
                if self.used.get(&w).is_some_and(|&bits| bits & across != 0) {
                    cost += CROSS;
                }
                let key = (w, next_dir);
                if best.get(&key).is_none_or(|&(b, _)| cost < b) {
                    best.insert(key, (cost, (v, dir)));
                    open.push(Reverse((cost + GREED * h(w), cost, w, next_dir)));
                }
            }
        }
        None
    }

    /// The corner points of a found route, from start to goal.
    fn corners(&self, best: &HashMap<State, (i64, State)>, end: State) -> Vec<(f64, f64)> {
        let mut states = vec![end];
        let mut at = end;
        while let Some(&(_, prev)) = best.get(&at).filter(|&&(_, prev)| prev != at) {
            states.push(prev);
            at = prev;
        }
        states.reverse();
        let mut points: Vec<(f64, f64)> = Vec::new();
        for (i, &(v, dir)) in states.iter().enumerate() {
            let turns_here = states.get(i + 1).is_none_or(|&(_, next)| next != dir);
            if i == 0 || turns_here {
                points.push(self.point(v));
            }
        }
        points
    }

    /// Marks the grid vertices a route passes through, so later routes pay to cross it.
    fn mark(&mut self, points: &[(f64, f64)]) {
        for pair in points.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            let (mut v, w) = (self.vertex_of(p), self.vertex_of(q));
            let (dir, bit) = match (v.0.cmp(&w.0), v.1.cmp(&w.1)) {
                (std::cmp::Ordering::Less, _) => (RIGHT, 1),
                (std::cmp::Ordering::Greater, _) => (LEFT, 1),
                (_, std::cmp::Ordering::Less) => (DOWN, 2),
                _ => (UP, 2),
            };
            loop {
                *self.used.entry(v).or_insert(0) |= bit;
                if v == w {
                    break;
                }
                match self.step(v, dir) {
                    Some(next) => v = next,
                    None => break,
                }
            }
        }
    }

    /// Routes one flow between two node boxes; returns its corner points from the
    /// border of `a` to the border of `b` (a straight line if the search gives up).
    pub fn route(&mut self, from: usize, to: usize, a: Rect, b: Rect) -> Vec<(f64, f64)> {
        // Most routes stay near their ends: search there first, which keeps the work
        // per flow small however large the diagram, and everywhere only if that fails.
        let x0 = a.x.min(b.x) - WINDOW;
        let y0 = a.y.min(b.y) - WINDOW;
        let near = Rect {
            x: x0,
            y: y0,
            w: (a.x + a.w).max(b.x + b.w) + WINDOW - x0,
            h: (a.y + a.h).max(b.y + b.h) + WINDOW - y0,
        };
        let everywhere = Rect {
            x: f64::MIN / 4.0,
            y: f64::MIN / 4.0,
            w: f64::MAX / 2.0,
            h: f64::MAX / 2.0,
        };
        let found = self
            .search((from, to), (a, b), near)
            .or_else(|| self.search((from, to), (a, b), everywhere));
        match found {
            Some(points) => {
                self.mark(&points);
                clip(&points, &a, &b)
            }
            None => {
                let (p, q) = (a.center(), b.center());
                vec![border(&a, q), border(&b, p)]
            }
        }
    }
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
