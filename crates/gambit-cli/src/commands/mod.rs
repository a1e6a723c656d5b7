//! One module per command; [`run`] dispatches. Commands never import each other: what
//! they share lives in `crate::analysis`, `crate::cli` and `crate::sink`.

mod analyze;
mod blast_radius;
mod check;
mod chokepoints;
mod diagram;
mod diff;
mod discover;
mod drift;
mod export;
mod exposure;
mod findings;
mod import;
mod init;
mod paths;
mod push;
mod rules;
mod schema;
mod serve;
mod token;
mod tree;
mod validate;

use crate::cli::{Cli, Command};
use crate::error::CommandResult;

/// Runs a command to its outcome.
pub(crate) fn run(cli: Cli) -> CommandResult {
    match cli.command {
        Command::Init { dir, force } => init::run(&dir, force),
        Command::Validate {
            model,
            format,
            strict,
        } => validate::run(&model, format, strict),
        Command::Schema => schema::run(),
        Command::Analyze(args) => analyze::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Rules { command } => rules::run(command.as_ref()),
        Command::Paths(args) => paths::run(&args),
        Command::Exposure(args) => exposure::run(&args),
        Command::BlastRadius(args) => blast_radius::run(&args),
        Command::Chokepoints(args) => chokepoints::run(&args),
        Command::Tree(args) => tree::run(&args),
        Command::Diagram(args) => diagram::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Findings(args) => findings::run(&args),
        Command::Discover(args) => discover::run(&args),
        Command::Drift(args) => drift::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Token { command } => token::run(&command),
        Command::Push(args) => push::run(&args),
    }
}

#[cfg(test)]
mod tests {
    /// Every command's source, by file name.
    const SOURCES: &[(&str, &str)] = &[
        ("analyze.rs", include_str!("analyze.rs")),
        ("blast_radius.rs", include_str!("blast_radius.rs")),
        ("check.rs", include_str!("check.rs")),
        ("chokepoints.rs", include_str!("chokepoints.rs")),
        ("diagram.rs", include_str!("diagram.rs")),
        ("diff.rs", include_str!("diff.rs")),
        ("discover.rs", include_str!("discover.rs")),
        ("drift.rs", include_str!("drift.rs")),
        ("export.rs", include_str!("export.rs")),
        ("exposure.rs", include_str!("exposure.rs")),
        ("findings.rs", include_str!("findings.rs")),
        ("import.rs", include_str!("import.rs")),
        ("init.rs", include_str!("init.rs")),
        ("paths.rs", include_str!("paths.rs")),
        ("push.rs", include_str!("push.rs")),
        ("rules.rs", include_str!("rules.rs")),
        ("schema.rs", include_str!("schema.rs")),
        ("serve.rs", include_str!("serve.rs")),
        ("token.rs", include_str!("token.rs")),
        ("tree.rs", include_str!("tree.rs")),
        ("validate.rs", include_str!("validate.rs")),
    ];

    #[test]
    fn no_command_imports_another() {
        for (file, text) in SOURCES {
            for needle in ["commands::", "super::"] {
                assert!(
                    !text.contains(needle),
                    "{file} reaches into another command (`{needle}`): share through crate::analysis, crate::cli or crate::sink"
                );
            }
        }
    }

    #[test]
    fn every_command_file_is_checked() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("the commands folder")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".rs") && name != "mod.rs")
            .collect();
        files.sort();
        let listed: Vec<&str> = SOURCES.iter().map(|(name, _)| *name).collect();
        assert_eq!(files, listed);
    }
}
