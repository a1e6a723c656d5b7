//! Any custom-rule condition, compiled and run on every element of a real model within
//! the CEL budgets: it must give threats or diagnostics in bounded time and memory, never
//! panic or hang. Run: `cargo fuzz run -s none cel_eval`.
#![no_main]

use std::sync::OnceLock;

use gambit_model::vocab::RuleTarget;
use libfuzzer_sys::fuzz_target;

fn model() -> &'static gambit_model::Model {
    static MODEL: OnceLock<gambit_model::Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let text = include_str!("../../examples/acme-shop.yaml");
        gambit_model::load_str("acme-shop.yaml", text.to_owned(), None, Default::default())
            .model
            .expect("the example loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(when) = std::str::from_utf8(data) else {
        return;
    };
    let cx = gambit_rules::context::Context::new(model());
    for target in RuleTarget::ALL {
        let rule = gambit_model::CustomRule {
            id: "fuzz".to_owned(),
            span: Default::default(),
            title: "fuzz".to_owned(),
            description: None,
            applies_to: *target,
            when: when.to_owned(),
            when_span: Default::default(),
            stride: Vec::new(),
            likelihood: gambit_model::vocab::Likelihood::Likely,
            impact: gambit_model::vocab::Impact::Medium,
            mitigation: None,
            cwe: Vec::new(),
        };
        let (rules, _) = gambit_rules::CustomRules::compile(&[rule]);
        let _ = rules.evaluate(&cx);
    }
});
