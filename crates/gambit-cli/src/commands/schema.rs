//! `gambit schema`: the JSON Schema of the model, generated from the model's Rust types.

use crate::error::{CommandResult, Outcome};

pub(crate) fn run() -> CommandResult {
    crate::output::print_json(&gambit_model::json_schema());
    Ok(Outcome::Success)
}
