#![no_main]
//! Any question, asked of a realistic model: understanding it, and answering what was
//! understood, never panics; a question that is understood names only elements of the
//! model, and its answer is a plain sentence.

use std::sync::LazyLock;

use gambit_server::analysis::{Analyzed, Checked, check};
use gambit_server::ask;
use libfuzzer_sys::fuzz_target;

const MODEL: &str = include_str!("../../examples/saas-aws.yaml");

static ANALYZED: LazyLock<Analyzed> = LazyLock::new(|| {
    match check("saas-aws.yaml", MODEL.to_owned(), 1 << 24, &[]) {
        Checked::Valid(analyzed) => *analyzed,
        Checked::Invalid(doc) => panic!("the example is invalid: {doc}"),
    }
});

fuzz_target!(|data: &[u8]| {
    let Ok(question) = std::str::from_utf8(data) else { return };
    let analyzed = &*ANALYZED;
    let Ok(query) = ask::parse(question, &analyzed.model) else { return };
    assert!(ask::names_exist(&query, &analyzed.model), "{question:?} → {query:?}");
    if let Ok(answer) = ask::answer(&query, analyzed, Some(analyzed)) {
        assert!(!answer.answer.is_empty(), "{question:?}: an empty answer");
    }
});
