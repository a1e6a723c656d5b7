//! `gambit init [DIR]`: a commented starter model that passes `validate`.

use std::path::Path;

use crate::exit;

/// The starter model. A test checks that it validates without warnings.
pub(crate) const STARTER: &str = include_str!("starter.yaml");

pub(crate) fn run(dir: &Path, force: bool) -> u8 {
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return exit::BAD_INPUT;
    }
    let path = dir.join("gambit.yaml");
    if path.exists() && !force {
        eprintln!(
            "error: {} already exists; pass --force to overwrite it",
            path.display()
        );
        return exit::BAD_INPUT;
    }
    match crate::output::write_atomic(&path, STARTER.as_bytes()) {
        Ok(()) => {
            anstream::println!(
                "wrote {}\nnext: gambit validate {}",
                path.display(),
                path.display()
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::BAD_INPUT
        }
    }
}
