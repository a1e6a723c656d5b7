//! Replays the CEL fuzz corpus (tests/cel-corpus/): conditions that once hung, blew up
//! memory or probe the budgets, each compiled and run on every element of an example as
//! the `cel_eval` fuzz target does (see fuzz/). New finds of
//! `cargo fuzz run -s none cel_eval` are added here as files.

mod common;

use gambit_model::vocab::RuleTarget;
use gambit_model::{CustomRule, Span};
use gambit_rules::CustomRules;
use gambit_rules::context::Context;

#[test]
fn every_corpus_condition_runs_within_its_budget() {
    let (_, model) = common::load_file(&common::repo_dir().join("examples/acme-shop.yaml"));
    let cx = Context::new(&model);
    let dir = common::crate_dir().join("tests/cel-corpus");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let when = std::fs::read_to_string(&path).unwrap();
        for target in RuleTarget::ALL {
            let rule = CustomRule {
                id: "corpus".to_owned(),
                span: Span::default(),
                title: "corpus".to_owned(),
                description: None,
                applies_to: *target,
                when: when.clone(),
                when_span: Span::default(),
                stride: Vec::new(),
                likelihood: gambit_model::vocab::Likelihood::Likely,
                impact: gambit_model::vocab::Impact::Medium,
                mitigation: None,
                cwe: Vec::new(),
            };
            let (rules, _) = CustomRules::compile(&[rule]);
            let _ = rules.evaluate(&cx);
        }
        count += 1;
    }
    assert!(count >= 8, "corpus has {count} conditions");
}
