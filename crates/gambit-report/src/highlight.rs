//! Which elements to draw in red: a plain list of ids (components, actors, flows), each
//! with the numbers of the attack-path steps that touch it, built from an attack path.

use std::collections::{BTreeMap, HashMap};

use gambit_graph::{AttackPath, Step};
use gambit_model::{ElementId, Flow, Model};

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

    /// The components, actors and flows an attack path goes through, numbered by step
    /// (see [`DrawableElements::of`]). A flow on the path puts both its ends on it.
    pub fn from_path(model: &Model, path: &AttackPath) -> Self {
        let elements = DrawableElements::new(model);
        let mut out = Highlight::default();
        for (i, step) in path.steps.iter().enumerate() {
            for id in elements.of(step) {
                out.add_step(id, i + 1);
                if let Some(flow) = elements.flows.get(id) {
                    for end in [flow.from, flow.to] {
                        out.steps
                            .entry(model.endpoint_name(end).to_owned())
                            .or_default();
                    }
                }
            }
        }
        out
    }
}

/// Written as `{"web": [1, 3], ...}`, for the HTML report's script.
impl serde::Serialize for Highlight {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.steps.serialize(serializer)
    }
}

/// Finds the drawable elements (components, actors, flows) attack-path steps use.
pub struct DrawableElements<'m> {
    model: &'m Model,
    flows: HashMap<&'m str, &'m Flow>,
}

impl<'m> DrawableElements<'m> {
    pub fn new(model: &'m Model) -> Self {
        let flows = model.flows.iter().map(|f| (f.id.as_str(), f)).collect();
        DrawableElements { model, flows }
    }

    /// The drawable elements one step uses: the element it gains something `on`, and
    /// the component, flow and actor ids the step carries (never its prose).
    pub fn of<'s>(&self, step: &'s Step) -> Vec<&'s str> {
        let drawable = |word: &str| {
            self.flows.contains_key(word)
                || matches!(
                    self.model.lookup(word),
                    Some(ElementId::Component(_) | ElementId::Actor(_))
                )
        };
        let used = &step.elements;
        let mut ids: Vec<&'s str> = [
            Some(step.on.as_str()),
            used.component.as_deref(),
            used.flow.as_deref(),
            used.actor.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|id| drawable(id))
        .collect();
        ids.dedup();
        ids
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

    /// A step gaining something on `on` that uses `used`: a flow id when it has an
    /// arrow, otherwise a component id.
    fn step(on: &str, used: &str) -> Step {
        let mut elements = gambit_graph::StepElements::default();
        if used.contains("->") {
            elements.flow = Some(used.into());
        } else if !used.is_empty() {
            elements.component = Some(used.into());
        }
        Step {
            gains: "exec",
            on: on.into(),
            technique: "-",
            via: format!("prose that is never parsed: {used}"),
            elements,
            likelihood: 1.0,
            effort: 1.0,
        }
    }

    fn path(steps: Vec<Step>) -> AttackPath {
        AttackPath {
            attacker: "internet".into(),
            goal: gambit_graph::GoalOut {
                access: "read",
                asset: "secret".into(),
                component: None,
            },
            likelihood: 1.0,
            effort: 1.0,
            steps,
            rank: 1,
        }
    }

    #[test]
    fn a_path_highlights_components_and_flows_with_step_numbers() {
        let p = path(vec![
            step("web", "web"),
            step("db", "web->db"),
            step("secret", "db"),
        ]);
        let hl = Highlight::from_path(&model(), &p);
        assert_eq!(hl.steps_of("web"), vec![1]);
        assert_eq!(hl.steps_of("web->db"), vec![2]);
        assert_eq!(hl.steps_of("db"), vec![2, 3]);
        let hl = Highlight::from_path(&model(), &path(vec![step("x", "web->db")]));
        assert!(
            hl.contains("web") && hl.contains("db"),
            "a flow brings its ends"
        );
        assert_eq!(hl.steps_of("web"), Vec::<usize>::new());
        assert!(!hl.contains("secret"));
        assert!(!hl.contains("public"));
    }

    #[test]
    fn a_path_of_unknown_words_highlights_nothing() {
        let p = path(vec![step("nowhere", "")]);
        assert!(Highlight::from_path(&model(), &p).is_empty());
        assert!(Highlight::from_path(&model(), &path(vec![])).is_empty());
    }
}
