//! Smaller views of a large diagram: zones collapsed into one box with counts
//! ([`Scene::collapse`], and [`Scene::collapse_to`] automatically above a size), and a
//! component's neighbourhood ([`neighbourhood`], drawn with [`super::Focus::Elements`]).

use std::collections::{BTreeSet, HashMap, VecDeque};

use gambit_model::{ElementId, Endpoint, Model};

use super::{Node, Scene, Shape};

/// The kind shown on a collapsed zone's box.
pub const COLLAPSED_KIND: &str = "collapsed zone";

impl Scene {
    /// Draws zone `zone` (with its sub-zones) as one box inside the zone's frame, with
    /// how many components and actors it holds; flows between its members disappear,
    /// flows across its border end at the box. Fails with a suggestion when no drawn
    /// zone has that id.
    pub fn collapse(&mut self, zone: &str) -> Result<(), String> {
        let Some(z) = self.zones.iter().position(|b| b.id == zone) else {
            let hint =
                gambit_model::suggest::did_you_mean(zone, self.zones.iter().map(|b| b.id.as_str()))
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
            return Err(format!("`{zone}` is not a zone of the diagram{hint}"));
        };
        let inside: Vec<bool> = (0..self.nodes.len())
            .map(|n| self.zone_path(self.nodes[n].zone).contains(&z))
            .collect();
        if !inside.iter().any(|&i| i) {
            return Ok(());
        }
        let summary = self.summary_node(z, &inside);
        let keep_zone: Vec<bool> = (0..self.zones.len())
            .map(|b| b == z || !self.zone_path(b).contains(&z))
            .collect();
        self.rebuild(summary, &inside, &keep_zone);
        Ok(())
    }

    /// Collapses zones, largest first, until at most `max_nodes` boxes are drawn (or no
    /// zone is left to collapse). Returns the ids of the zones it collapsed.
    pub fn collapse_to(&mut self, max_nodes: usize) -> Vec<String> {
        let mut collapsed = Vec::new();
        while self.nodes.len() > max_nodes {
            let Some(zone) = self.largest_open_zone() else {
                break;
            };
            let id = self.zones[zone].id.clone();
            // The zone exists: it was just found among the drawn ones.
            let _ = self.collapse(&id);
            collapsed.push(id);
        }
        collapsed
    }

    /// The zone with the most drawn boxes inside it (sub-zones included) that is not
    /// collapsed yet and holds more than one box; ties go to the deeper zone, then the
    /// smaller id, so the choice is deterministic.
    fn largest_open_zone(&self) -> Option<usize> {
        let mut count = vec![0usize; self.zones.len()];
        for node in &self.nodes {
            for z in self.zone_path(node.zone) {
                count[z] += 1;
            }
        }
        (0..self.zones.len())
            .filter(|&z| count[z] > 1)
            .max_by(|&a, &b| {
                count[a]
                    .cmp(&count[b])
                    .then(self.zone_path(a).len().cmp(&self.zone_path(b).len()))
                    .then(self.zones[b].id.cmp(&self.zones[a].id))
            })
    }

    fn summary_node(&self, z: usize, inside: &[bool]) -> Node {
        let members: Vec<&Node> = self
            .nodes
            .iter()
            .zip(inside)
            .filter_map(|(n, &i)| i.then_some(n))
            .collect();
        let actors = members.iter().filter(|n| n.is_actor).count();
        let components = members.len() - actors;
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut steps: Vec<usize> = members.iter().flat_map(|n| n.steps.clone()).collect();
        steps.sort_unstable();
        steps.dedup();
        let zone = &self.zones[z];
        let names: Vec<&str> = members.iter().map(|n| n.id.as_str()).collect();
        Node {
            id: zone.id.clone(),
            kind: COLLAPSED_KIND.to_owned(),
            is_actor: false,
            shape: Shape::Host,
            public: members.iter().any(|n| n.public),
            out_of_scope: members.iter().all(|n| n.out_of_scope),
            neighbour: members.iter().all(|n| n.neighbour),
            zone: z,
            highlighted: members.iter().any(|n| n.highlighted),
            steps,
            detail: format!(
                "zone {} collapsed: {}, {}: {}",
                zone.id,
                plural(components, "component"),
                plural(actors, "actor"),
                names.join(", ")
            ),
        }
    }

    /// Replaces the nodes marked `inside` by `summary`, drops the zones not kept, and
    /// renumbers everything, sorted by id as [`Scene::build`] sorts.
    fn rebuild(&mut self, summary: Node, inside: &[bool], keep_zone: &[bool]) {
        let mut zone_at = vec![usize::MAX; self.zones.len()];
        let mut zones = Vec::new();
        for (old, zone) in self.zones.iter().enumerate() {
            if keep_zone[old] {
                zone_at[old] = zones.len();
                let mut zone = zone.clone();
                zone.children.clear();
                zone.nodes.clear();
                zones.push(zone);
            }
        }
        for zone in &mut zones {
            zone.parent = zone.parent.map(|p| zone_at[p]);
        }
        let mut nodes: Vec<Node> = Vec::with_capacity(self.nodes.len());
        let summary_id = summary.id.clone();
        let mut old_ids: Vec<String> = Vec::with_capacity(self.nodes.len());
        for (node, &gone) in self.nodes.iter().zip(inside) {
            old_ids.push(if gone {
                summary_id.clone()
            } else {
                node.id.clone()
            });
            if !gone {
                nodes.push(node.clone());
            }
        }
        nodes.push(summary);
        for node in &mut nodes {
            node.zone = zone_at[node.zone];
        }
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        let at: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let mut edges = Vec::with_capacity(self.edges.len());
        for edge in &self.edges {
            if inside[edge.from] && inside[edge.to] {
                continue;
            }
            let mut edge = edge.clone();
            edge.from = at[old_ids[edge.from].as_str()];
            edge.to = at[old_ids[edge.to].as_str()];
            edges.push(edge);
        }
        for (i, node) in nodes.iter().enumerate() {
            zones[node.zone].nodes.push(i);
        }
        let mut roots = Vec::new();
        for i in 0..zones.len() {
            match zones[i].parent {
                Some(p) => zones[p].children.push(i),
                None => roots.push(i),
            }
        }
        self.nodes = nodes;
        self.edges = edges;
        self.zones = zones;
        self.roots = roots;
    }
}

/// The ids of the components and actors at most `depth` flows away from `id` (either
/// direction), `id` included. Fails with a suggestion when `id` is not a component or
/// an actor.
pub fn neighbourhood(model: &Model, id: &str, depth: usize) -> Result<BTreeSet<String>, String> {
    let start = match model.lookup(id) {
        Some(ElementId::Component(c)) => Endpoint::Component(c),
        Some(ElementId::Actor(a)) => Endpoint::Actor(a),
        Some(other) => {
            return Err(format!(
                "`{id}` is a {}, not a component or an actor",
                other.kind_name()
            ));
        }
        None => {
            let names = model
                .components
                .iter()
                .map(|c| c.id.as_str())
                .chain(model.actors.iter().map(|a| a.id.as_str()));
            let hint = gambit_model::suggest::did_you_mean(id, names)
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            return Err(format!(
                "`{id}` is not a component or an actor of the model{hint}"
            ));
        }
    };
    let mut partners: HashMap<Endpoint, Vec<Endpoint>> = HashMap::new();
    for flow in &model.flows {
        partners.entry(flow.from).or_default().push(flow.to);
        partners.entry(flow.to).or_default().push(flow.from);
    }
    let mut hops: HashMap<Endpoint, usize> = HashMap::from([(start, 0)]);
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        let next = hops[&at] + 1;
        if next > depth {
            continue;
        }
        for &p in partners.get(&at).into_iter().flatten() {
            hops.entry(p).or_insert_with(|| {
                queue.push_back(p);
                next
            });
        }
    }
    Ok(hops
        .into_keys()
        .map(|e| model.endpoint_name(e).to_owned())
        .collect())
}
