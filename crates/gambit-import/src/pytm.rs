use crate::draft::Draft;
use crate::parse::Source;
use crate::{ImportError, Warning};

pub(crate) fn import(_src: &Source, _warnings: &mut Vec<Warning>) -> Result<Draft, ImportError> {
    todo!()
}
