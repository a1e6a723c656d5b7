//! Reading the model a command names, and reporting why it cannot be used.

use gambit_model::{LoadOptions, Loaded, Model};

use crate::cli::{DiagFormat, ModelArg};
use crate::render;

/// Loads the model named on the command line (`-` is standard input).
pub(crate) fn load(arg: &ModelArg) -> Loaded {
    let options = LoadOptions {
        max_size: arg.max_size,
        include_root: arg.include_root.clone(),
    };
    if arg.model.as_os_str() == "-" {
        match gambit_model::read_limited(std::io::stdin().lock(), "<stdin>", arg.max_size) {
            Ok(text) => gambit_model::load_str("<stdin>", text, None, options),
            Err(d) => Loaded {
                sources: Default::default(),
                model: None,
                diagnostics: vec![d],
            },
        }
    } else {
        gambit_model::load_path(&arg.model, options)
    }
}

/// Whether the model named on the command line could not be read at all (missing,
/// unreadable, too large, not UTF-8): unusable input, exit code 2, rather than a model
/// with errors. Problems with an included file point at the `include:` entry instead.
pub(crate) fn unreadable(loaded: &Loaded) -> bool {
    loaded.diagnostics.iter().any(|d| {
        d.span.is_none()
            && matches!(
                d.code,
                "unreadable-file" | "file-too-large" | "invalid-utf8" | "not-a-file"
            )
    })
}

/// Prints a load's diagnostics to standard error (text) or returns them as JSON.
pub(crate) fn report(loaded: &Loaded, format: DiagFormat) -> Option<serde_json::Value> {
    match format {
        DiagFormat::Json => Some(render::diagnostics_json(
            &loaded.diagnostics,
            &loaded.sources,
        )),
        DiagFormat::Text => {
            render::print_diagnostics(&loaded.diagnostics, &loaded.sources);
            None
        }
    }
}

/// For analysis commands: the model, or exit code 2 after printing why not.
pub(crate) fn model_or_exit(arg: &ModelArg) -> Result<(Loaded, Model), u8> {
    let mut loaded = load(arg);
    render::print_errors(&loaded.diagnostics, &loaded.sources);
    match loaded.model.take() {
        Some(model) => Ok((loaded, model)),
        None => {
            eprintln!(
                "error: {} cannot be analyzed: fix the errors above first",
                arg.model.display()
            );
            Err(crate::exit::BAD_INPUT)
        }
    }
}
