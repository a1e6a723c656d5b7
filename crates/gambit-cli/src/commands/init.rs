//! `gambit init [DIR]`: a commented starter model that passes `validate`.

use std::path::Path;

use crate::error::{CommandResult, Failure, Outcome};

/// The starter model. A test checks that it validates without warnings.
pub(crate) const STARTER: &str = include_str!("starter.yaml");

pub(crate) fn run(dir: &Path, force: bool) -> CommandResult {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::bad_input(format!("cannot create {}: {e}", dir.display())))?;
    let path = dir.join("gambit.yaml");
    if path.exists() && !force {
        return Err(Failure::bad_input(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        )));
    }
    crate::output::write_atomic(&path, STARTER.as_bytes())
        .map_err(|e| Failure::bad_input(format!("cannot write {}: {e}", path.display())))?;
    anstream::println!(
        "wrote {}\nnext: gambit validate {}",
        path.display(),
        path.display()
    );
    Ok(Outcome::Success)
}
