//! `gambit schema`: the JSON Schema of the model, generated from the model's Rust types.

pub(crate) fn run() -> u8 {
    crate::output::print_json(&gambit_model::json_schema());
    crate::exit::OK
}
