//! Custom rule conditions come from users: no condition may make the analysis panic.

mod common;

use gambit_model::vocab::RuleTarget;
use gambit_model::{CustomRule, Span};
use gambit_rules::CustomRules;
use gambit_rules::context::Context;
use proptest::prelude::*;

fn rule(when: &str, applies_to: RuleTarget) -> CustomRule {
    CustomRule {
        id: "fuzz".to_owned(),
        span: Span::default(),
        title: "fuzz".to_owned(),
        description: None,
        applies_to,
        when: when.to_owned(),
        when_span: Span::default(),
        stride: Vec::new(),
        likelihood: gambit_model::vocab::Likelihood::Likely,
        impact: gambit_model::vocab::Impact::Medium,
        mitigation: None,
        cwe: Vec::new(),
    }
}

fn exercise(when: &str) {
    let (_, model) = common::load_file(&common::repo_dir().join("examples/acme-shop.yaml"));
    let cx = Context::new(&model);
    for target in RuleTarget::ALL {
        let (rules, _) = CustomRules::compile(&[rule(when, *target)]);
        let _ = rules.evaluate(&cx);
    }
}

#[test]
fn awkward_conditions_are_diagnostics_not_panics() {
    for when in [
        "",
        " ",
        "(((",
        ")))",
        "flow.",
        ".",
        "flow.to.",
        "a.b.c[",
        "[1,2,",
        "{",
        "'unterminated",
        "\"",
        "1/0",
        "flow.data[99]",
        "component.controls[0] == 1",
        "size(component) > 1",
        "🙂 == 🙂",
        "flow.to.kind.kind",
        "component.vulnerabilities.all(v, v.score > 9.0 && v.nope)",
        "int('x') == 1",
        "[][0]",
        "component.public ? 1 : 'x'",
        "1 + 'a' == 2",
        "has(component.id)",
        "component.id.matches('[')",
    ] {
        exercise(when);
    }
    exercise(&"(".repeat(200));
    exercise(&format!("{}true{}", "(".repeat(64), ")".repeat(64)));
    exercise(&format!("{}1{} == 1", "[".repeat(60), "]".repeat(60)));
    exercise(&(vec!["1"; 1300].join("+") + " > 0"));
    exercise(&vec!["component.public"; 240].join(" && "));
    exercise(&"!".repeat(500));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_condition_text_is_handled(when in "[a-z._ ()!&|=<>\"'0-9\\[\\]{},?:+-]{0,40}") {
        exercise(&when);
    }
}

#[test]
fn positions_in_conditions_with_multibyte_text_stay_on_character_boundaries() {
    for when in [
        "'é' == 'é' &&",
        "ünknown.x == 1",
        "component.naïve == 'ü'",
        "'日本' == component.kind &&",
    ] {
        let text = format!(
            "gambit: 1\nrules:\n  - id: r\n    title: T\n    applies_to: component\n    when: {}\n",
            serde_json::to_string(when).unwrap()
        );
        let (loaded, model) = common::load_text("u.yaml", &text);
        let (_, diags) = CustomRules::compile_with(&model.rules, Some(&loaded.sources));
        assert!(!diags.is_empty(), "{when}");
        for d in diags {
            let span = d.span.expect("span");
            let file = loaded.sources.get(span.file);
            assert!(
                file.text.get(span.range()).is_some(),
                "{when}: {span:?} splits a character"
            );
        }
    }
}
