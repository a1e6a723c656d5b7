//! Which elements to draw in red: a plain list of ids (components, actors, flows), each
//! with the numbers of the attack-path steps that touch it. Built from an attack path's
//! JSON (the shape `analyze` and `paths` print), so diagrams do not depend on the attack
//! graph's internals.

use std::collections::BTreeMap;

use gambit_model::{ElementId, Model};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Highlight {
    /// Element id to the step numbers (1-based) that touch it; may be empty.
    steps: BTreeMap<String, Vec<usize>>,
}

impl Highlight {
    /// Highlights these ids without step numbers.
    pub fn ids<I, S>(ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Highlight {
            steps: ids.into_iter().map(|id| (id.into(), Vec::new())).collect(),
        }
    }

    /// Adds step number `step` to `id`.
    pub fn add_step(&mut self, id: &str, step: usize) {
        let list = self.steps.entry(id.to_owned()).or_default();
        if !list.contains(&step) {
            list.push(step);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.steps.contains_key(id)
    }

    pub fn steps_of(&self, id: &str) -> Vec<usize> {
        self.steps.get(id).cloned().unwrap_or_default()
    }

    /// Every highlighted id, sorted.
    pub fn elements(&self) -> impl Iterator<Item = &str> {
        self.steps.keys().map(String::as_str)
    }

    /// The components, actors and flows an attack path (`{"steps": [{"on", "via"}...]}`)
    /// goes through, numbered by step. A step names the element it gains something `on`
    /// and `via` what: a flow id, a vulnerability, or a phrase such as "db is public" or
    /// "stored on db"; every word of it that is a component, actor or flow id counts.
    pub fn from_path(model: &Model, path: &serde_json::Value) -> Self {
        let mut out = Highlight::default();
        let flow_ids: std::collections::HashSet<&str> =
            model.flows.iter().map(|f| f.id.as_str()).collect();
        let drawable = |word: &str| {
            flow_ids.contains(word)
                || matches!(
                    model.lookup(word),
                    Some(ElementId::Component(_) | ElementId::Actor(_))
                )
        };
        let steps = path.get("steps").and_then(serde_json::Value::as_array);
        for (i, step) in steps.into_iter().flatten().enumerate() {
            let text = |key: &str| {
                step.get(key)
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("")
            };
            let via = text("via");
            let mut words: Vec<&str> = vec![text("on"), via];
            words.extend(
                via.split_whitespace()
                    .map(|w| w.trim_matches(|c: char| c == ',' || c == '(' || c == ')')),
            );
            for word in words {
                if !word.is_empty() && drawable(word) {
                    out.add_step(word, i + 1);
                    // A flow on the path puts both its ends on it.
                    if let Some(flow) = model.flows.iter().find(|f| f.id == word) {
                        for end in [flow.from, flow.to] {
                            out.steps
                                .entry(model.endpoint_name(end).to_owned())
                                .or_default();
                        }
                    }
                }
            }
        }
        out
    }

    /// As JSON `{"web": [1, 3], ...}`, for the HTML report's script.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(&self.steps).unwrap_or(serde_json::Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        let text = "gambit: 1\nname: t\ncomponents:\n  web: {kind: web-app, public: true}\n  db: {kind: database}\nflows:\n  - {from: web, to: db, protocol: https}\n".to_owned();
        gambit_model::load_str("t.yaml", text, None, Default::default())
            .model
            .expect("valid model")
    }

    #[test]
    fn a_path_highlights_components_and_flows_with_step_numbers() {
        let path = serde_json::json!({"steps": [
            {"gains": "exec", "on": "web", "via": "web is public"},
            {"gains": "reach", "on": "db", "via": "web->db"},
            {"gains": "read", "on": "secret", "via": "stored on db"},
        ]});
        let hl = Highlight::from_path(&model(), &path);
        assert_eq!(hl.steps_of("web"), vec![1]);
        assert_eq!(hl.steps_of("web->db"), vec![2]);
        assert_eq!(hl.steps_of("db"), vec![2, 3]);
        let via_flow =
            serde_json::json!({"steps": [{"gains": "taint", "on": "x", "via": "web->db"}]});
        let hl = Highlight::from_path(&model(), &via_flow);
        assert!(
            hl.contains("web") && hl.contains("db"),
            "a flow brings its ends"
        );
        assert_eq!(hl.steps_of("web"), Vec::<usize>::new());
        assert!(!hl.contains("secret"));
        assert!(!hl.contains("public"));
    }

    #[test]
    fn malformed_paths_highlight_nothing() {
        assert!(Highlight::from_path(&model(), &serde_json::json!({"steps": 3})).is_empty());
        assert!(Highlight::from_path(&model(), &serde_json::json!(null)).is_empty());
    }
}
