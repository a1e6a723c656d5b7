use crate::draft::Draft;
use crate::parse::Source;
use crate::{ImportError, Warning};

pub(crate) fn import(_src: &Source, _warnings: &mut Vec<Warning>) -> Result<Draft, ImportError> {
    todo!()
}

pub fn export_otm(_model: &gambit_model::Model) -> serde_json::Value {
    todo!()
}
