//! Reads a diagram's geometry back from its SVG (node boxes from `data-x/y/w/h`, flow
//! lines from the `flow-line` paths, labels from the `flow-label` boxes) and computes the
//! four readability figures of issue 15. Also reads Graphviz's `-Tjson` output into the
//! same shape, so `dot` is measured by the same code.
#![allow(dead_code)]

use std::collections::HashMap;

use quick_xml::events::Event;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Box2 {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Box2 {
    /// The box shrunk by `by` on every side (a line grazing a border does not pass through).
    fn inset(&self, by: f64) -> Box2 {
        Box2 {
            x: self.x + by,
            y: self.y + by,
            w: (self.w - 2.0 * by).max(0.0),
            h: (self.h - 2.0 * by).max(0.0),
        }
    }

    fn overlaps(&self, o: &Box2) -> bool {
        let eps = 0.5;
        self.x + eps < o.x + o.w
            && o.x + eps < self.x + self.w
            && self.y + eps < o.y + o.h
            && o.y + eps < self.y + self.h
    }

    fn contains(&self, p: (f64, f64)) -> bool {
        p.0 > self.x && p.0 < self.x + self.w && p.1 > self.y && p.1 < self.y + self.h
    }
}

pub type Point = (f64, f64);

#[derive(Clone, Debug)]
pub struct Flow {
    pub from: String,
    pub to: String,
    /// The drawn line, curves flattened.
    pub line: Vec<Point>,
    pub label: Option<Box2>,
}

#[derive(Clone, Debug, Default)]
pub struct Geometry {
    pub nodes: HashMap<String, Box2>,
    pub flows: Vec<Flow>,
}

/// The four figures the goal is stated in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// (flow, node) pairs where the flow's line enters a node that is not its end.
    pub through_box: usize,
    /// Pairs of flows whose lines cross.
    pub crossings: usize,
    /// Pairs of flow labels that overlap.
    pub label_overlaps: usize,
    /// (label, node) pairs that overlap.
    pub labels_on_boxes: usize,
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "through a box {}, crossing pairs {}, label overlaps {}, labels on boxes {}",
            self.through_box, self.crossings, self.label_overlaps, self.labels_on_boxes
        )
    }
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .expect("attributes parse")
        .map(|a| {
            a.unescape_value()
                .expect("attribute unescapes")
                .into_owned()
        })
}

fn num_attr(e: &quick_xml::events::BytesStart, name: &str) -> f64 {
    attr(e, name)
        .unwrap_or_else(|| panic!("missing {name}"))
        .parse()
        .unwrap_or_else(|_| panic!("{name} is a number"))
}

/// Reads Gambit's SVG.
pub fn from_svg(svg: &str) -> Geometry {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut geo = Geometry::default();
    // The classes of the open `<g>` elements, innermost last: the legend draws a
    // `flow-line` too, outside any flow.
    let mut groups: Vec<String> = Vec::new();
    loop {
        let event = reader.read_event().expect("well-formed SVG");
        let (e, is_start) = match &event {
            Event::Eof => break,
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                if e.name().as_ref() == b"g" {
                    groups.pop();
                }
                continue;
            }
            _ => continue,
        };
        let class = attr(e, "class").unwrap_or_default();
        let classes: Vec<&str> = class.split_whitespace().collect();
        let in_flow = groups
            .iter()
            .any(|g| g.split_whitespace().any(|c| c == "flow"));
        let in_label = groups.last().is_some_and(|g| g == "flow-label");
        if is_start && e.name().as_ref() == b"g" {
            groups.push(class.clone());
        }
        match e.name().as_ref() {
            b"g" if classes.contains(&"node") => {
                geo.nodes.insert(
                    attr(e, "data-id").expect("nodes have ids"),
                    Box2 {
                        x: num_attr(e, "data-x"),
                        y: num_attr(e, "data-y"),
                        w: num_attr(e, "data-w"),
                        h: num_attr(e, "data-h"),
                    },
                );
            }
            b"g" if classes.contains(&"flow") => geo.flows.push(Flow {
                from: attr(e, "data-from").expect("flows have ends"),
                to: attr(e, "data-to").expect("flows have ends"),
                line: Vec::new(),
                label: None,
            }),
            b"path" if in_flow && classes.contains(&"flow-line") => {
                if let Some(flow) = geo.flows.last_mut() {
                    flow.line = flatten(&attr(e, "d").expect("paths have data"));
                }
            }
            b"rect" if in_label => {
                if let Some(flow) = geo.flows.last_mut() {
                    flow.label = Some(Box2 {
                        x: num_attr(e, "x"),
                        y: num_attr(e, "y"),
                        w: num_attr(e, "width"),
                        h: num_attr(e, "height"),
                    });
                }
            }
            _ => {}
        }
    }
    geo
}

/// SVG path data (absolute M, L, H, V, Q, C, A as a line) as a polyline.
pub fn flatten(d: &str) -> Vec<Point> {
    let mut tokens: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in d.chars() {
        if c.is_ascii_alphabetic() {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
            tokens.push(c.to_string());
        } else if c == ' ' || c == ',' {
            if !current.is_empty() {
                tokens.push(std::mem::take(&mut current));
            }
        } else if c == '-' && !current.is_empty() && !current.ends_with('e') {
            tokens.push(std::mem::take(&mut current));
            current.push(c);
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        tokens.push(current);
    }
    let mut points: Vec<Point> = Vec::new();
    let mut at: Point = (0.0, 0.0);
    let mut i = 0;
    let mut command = 'M';
    let take = |i: &mut usize| -> f64 {
        let v = tokens[*i].parse().expect("path numbers parse");
        *i += 1;
        v
    };
    while i < tokens.len() {
        if let Some(c) = tokens[i].chars().next().filter(char::is_ascii_alphabetic) {
            command = c;
            i += 1;
            continue;
        }
        match command {
            'M' | 'L' => {
                at = (take(&mut i), take(&mut i));
                points.push(at);
            }
            'H' => {
                at.0 = take(&mut i);
                points.push(at);
            }
            'V' => {
                at.1 = take(&mut i);
                points.push(at);
            }
            'Q' => {
                let c = (take(&mut i), take(&mut i));
                let b = (take(&mut i), take(&mut i));
                for k in 1..=16 {
                    let t = k as f64 / 16.0;
                    let u = 1.0 - t;
                    points.push((
                        u * u * at.0 + 2.0 * u * t * c.0 + t * t * b.0,
                        u * u * at.1 + 2.0 * u * t * c.1 + t * t * b.1,
                    ));
                }
                at = b;
            }
            'C' => {
                let c1 = (take(&mut i), take(&mut i));
                let c2 = (take(&mut i), take(&mut i));
                let b = (take(&mut i), take(&mut i));
                points.extend(cubic(at, c1, c2, b));
                at = b;
            }
            other => panic!("path command {other} is not read by this helper"),
        }
    }
    points
}

fn cubic(a: Point, c1: Point, c2: Point, b: Point) -> Vec<Point> {
    (1..=16)
        .map(|k| {
            let t = k as f64 / 16.0;
            let u = 1.0 - t;
            (
                u * u * u * a.0 + 3.0 * u * u * t * c1.0 + 3.0 * u * t * t * c2.0 + t * t * t * b.0,
                u * u * u * a.1 + 3.0 * u * u * t * c1.1 + 3.0 * u * t * t * c2.1 + t * t * t * b.1,
            )
        })
        .collect()
}

fn orient(a: Point, b: Point, c: Point) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Whether two segments cross at a point inside both (touching or running along each
/// other does not count).
fn segments_cross(p: Point, q: Point, r: Point, s: Point) -> bool {
    let eps = 1e-6;
    let d1 = orient(r, s, p);
    let d2 = orient(r, s, q);
    let d3 = orient(p, q, r);
    let d4 = orient(p, q, s);
    ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
        && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
}

fn segment_enters(b: &Box2, p: Point, q: Point) -> bool {
    if b.contains(p) || b.contains(q) {
        return true;
    }
    let corners = [
        (b.x, b.y),
        (b.x + b.w, b.y),
        (b.x + b.w, b.y + b.h),
        (b.x, b.y + b.h),
    ];
    (0..4).any(|i| segments_cross(p, q, corners[i], corners[(i + 1) % 4]))
}

fn lines_cross(a: &[Point], b: &[Point]) -> bool {
    a.windows(2)
        .any(|s| b.windows(2).any(|t| segments_cross(s[0], s[1], t[0], t[1])))
}

impl Geometry {
    pub fn figures(&self) -> Figures {
        let mut f = Figures::default();
        for flow in &self.flows {
            for (id, node) in &self.nodes {
                if *id == flow.from || *id == flow.to {
                    continue;
                }
                let inner = node.inset(1.0);
                if flow
                    .line
                    .windows(2)
                    .any(|s| segment_enters(&inner, s[0], s[1]))
                {
                    f.through_box += 1;
                }
            }
            if let Some(label) = flow.label {
                f.labels_on_boxes += self.nodes.values().filter(|n| label.overlaps(n)).count();
            }
        }
        for (i, a) in self.flows.iter().enumerate() {
            for b in &self.flows[i + 1..] {
                if lines_cross(&a.line, &b.line) {
                    f.crossings += 1;
                }
                if let (Some(la), Some(lb)) = (a.label, b.label)
                    && la.overlaps(&lb)
                {
                    f.label_overlaps += 1;
                }
            }
        }
        f
    }
}

/// Lays `dot` (DOT text) out with Graphviz `dot -Tjson`, which must be on the PATH, and
/// reads the result; also returns how long Graphviz took, in seconds.
pub fn graphviz(dot: &str) -> (Geometry, f64) {
    use std::io::Write;
    let start = std::time::Instant::now();
    let mut child = std::process::Command::new("dot")
        .arg("-Tjson")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dot.as_bytes())
        .expect("dot reads");
    let out = child.wait_with_output().expect("dot runs");
    let secs = start.elapsed().as_secs_f64();
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    (from_graphviz_json(&text), secs)
}

/// Reads Graphviz's `dot -Tjson` output: nodes from `pos`/`width`/`height` (inches),
/// edges from their B-spline draw operations, labels from the text they draw (y is
/// flipped, as Graphviz's origin is at the bottom).
pub fn from_graphviz_json(text: &str) -> Geometry {
    let doc: serde_json::Value = serde_json::from_str(text).expect("Graphviz JSON parses");
    let height = doc["bb"]
        .as_str()
        .and_then(|bb| bb.split(',').nth(3))
        .and_then(|v| v.parse::<f64>().ok())
        .expect("a bounding box");
    let flip = |x: f64, y: f64| (x, height - y);
    let mut geo = Geometry::default();
    let mut names: HashMap<i64, String> = HashMap::new();
    for object in doc["objects"].as_array().into_iter().flatten() {
        let Some(pos) = object["pos"].as_str() else {
            continue; // a cluster
        };
        let mut xy = pos
            .split(',')
            .map(|v| v.parse::<f64>().expect("positions parse"));
        let (cx, cy) = flip(xy.next().expect("x"), xy.next().expect("y"));
        let inches = |key: &str| {
            object[key]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
                .expect("node sizes")
                * 72.0
        };
        let (w, h) = (inches("width"), inches("height"));
        let name = object["name"].as_str().expect("names").to_owned();
        names.insert(object["_gvid"].as_i64().expect("ids"), name.clone());
        geo.nodes.insert(
            name,
            Box2 {
                x: cx - w / 2.0,
                y: cy - h / 2.0,
                w,
                h,
            },
        );
    }
    for edge in doc["edges"].as_array().into_iter().flatten() {
        let mut line = Vec::new();
        for op in edge["_draw_"].as_array().into_iter().flatten() {
            if op["op"].as_str() == Some("b") {
                let pts: Vec<Point> = op["points"]
                    .as_array()
                    .expect("points")
                    .iter()
                    .map(|p| flip(p[0].as_f64().expect("x"), p[1].as_f64().expect("y")))
                    .collect();
                line.push(pts[0]);
                for seg in pts[1..].chunks(3) {
                    if seg.len() == 3 {
                        line.extend(cubic(
                            *line.last().expect("a start"),
                            seg[0],
                            seg[1],
                            seg[2],
                        ));
                    }
                }
            }
        }
        let mut label: Option<Box2> = None;
        for op in edge["_ldraw_"].as_array().into_iter().flatten() {
            if op["op"].as_str() == Some("T") {
                let p = &op["pt"];
                let (x, y) = flip(p[0].as_f64().expect("x"), p[1].as_f64().expect("y"));
                let w = op["width"].as_f64().expect("text width");
                let line_box = Box2 {
                    x: x - w / 2.0,
                    y: y - 9.0,
                    w,
                    h: 11.0,
                };
                label = Some(match label {
                    None => line_box,
                    Some(b) => {
                        let (x0, y0) = (b.x.min(line_box.x), b.y.min(line_box.y));
                        let x1 = (b.x + b.w).max(line_box.x + line_box.w);
                        let y1 = (b.y + b.h).max(line_box.y + line_box.h);
                        Box2 {
                            x: x0,
                            y: y0,
                            w: x1 - x0,
                            h: y1 - y0,
                        }
                    }
                });
            }
        }
        let end = |key: &str| names[&edge[key].as_i64().expect("edge ends")].clone();
        geo.flows.push(Flow {
            from: end("tail"),
            to: end("head"),
            line,
            label,
        });
    }
    geo
}
