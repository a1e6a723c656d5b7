use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;
use gambit_model::vocab::ComponentKind;
use gambit_model::vocab::Control;

/// Kinds that hold what models learn from.
const TRAINING_KINDS: &[ComponentKind] =
    &[ComponentKind::ModelRegistry, ComponentKind::FeatureStore];
const TRAINING_TAGS: &[&str] = &["training", "training-data", "fine-tuning"];

declare_rule! {
    /// ## What it finds
    /// A model registry, feature store, or component tagged `training` /
    /// `training-data` / `fine-tuning` that receives or keeps content outsiders wrote
    /// (a tainted asset), without `input-validation`.
    ///
    /// ## Why it matters
    /// Models learn what they are fed. Poisoned samples plant backdoors (a trigger
    /// phrase that flips a decision), bias outputs or degrade accuracy, and the damage
    /// ships inside every model trained on them.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   feedback: {classification: internal}
    /// actors:
    ///   users: {kind: user}
    /// components:
    ///   features: {kind: feature-store, stores: [feedback]}
    /// flows:
    ///   - {from: users, to: features, protocol: https, authentication: session, data: [feedback]}
    /// ```
    ///
    /// ## How to fix
    /// Vet and provenance-track training data (signed datasets, outlier and duplicate
    /// detection, human review of samples from outsiders) before it reaches training,
    /// and add `input-validation`.
    pub struct TrainingDataPoisoning {
        id: "training-data-poisoning",
        title: "Training data can be poisoned",
        stride: [Tampering],
        cwe: ["CWE-1039"],
        capec: [],
        attack: ["AML.T0020"],
        controls: ["input-validation"],
        likelihood: Unlikely,
        impact: High,
        fix: "Vet, deduplicate and track the provenance of training data from outsiders before training.",
    }
}

impl Check for TrainingDataPoisoning {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if cx.third_party(id) {
                continue;
            }
            let training = c.kind.is_any(TRAINING_KINDS)
                || c.tags.iter().any(|t| TRAINING_TAGS.contains(&t.as_str()));
            if !training || c.has_control(Control::InputValidation) {
                continue;
            }
            let Some(tainted) = cx.facts(id).tainted_asset else {
                continue;
            };
            cx.finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {} takes in {}, written by outsiders; no input-validation",
                    c.kind.as_str(),
                    c.id,
                    cx.asset_name(tainted)
                ))
                .assets(cx.handled(c))
                .fixed_likelihood(Self::META.likelihood)
                .impact_at_least(Self::META.impact)
                .emit(out);
        }
    }
}
