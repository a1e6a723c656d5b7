//! `gambit push MODEL --server URL --project P --token T [--revision SHA]`: uploads a
//! model version to a server; prints the server's answer (version, files and summary).
//! A model that includes other files goes with all of them, as one bundle.

use std::path::Path;

use gambit_model::LoadOptions;
use gambit_server::client::Upload;

use crate::cli::PushArgs;
use crate::error::{CommandResult, Failure, Outcome};

pub(crate) fn run(args: &PushArgs) -> CommandResult {
    let stdin = args.model.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".into()
    } else {
        args.model.display().to_string()
    };
    let upload = if stdin {
        // Standard input is one file: there is no folder to find its includes in.
        let text = gambit_model::read_limited(std::io::stdin().lock(), &name, args.max_size)
            .map_err(|d| Failure::bad_input(d.message))?;
        Upload::Text { text, json: false }
    } else {
        let options = LoadOptions {
            max_size: args.max_size,
            include_root: args.include_root.clone(),
        };
        gambit_server::client::collect(Path::new(&args.model), &options)
            .map_err(|why| Failure::bad_input(format!("gambit push: {why}")))?
    };
    match gambit_server::client::push_upload(
        &args.server,
        &args.project,
        &args.token,
        &upload,
        args.revision.as_deref(),
    ) {
        Ok(answer) => {
            print!("{answer}");
            Ok(Outcome::Success)
        }
        Err(gambit_server::PushError::Rejected { status: 422, body }) => {
            eprintln!("{}", body.trim_end());
            Err(Failure::bad_input(format!(
                "the server found {name} invalid (the diagnostics above are those of `gambit validate --format json`)"
            )))
        }
        Err(e) => Err(Failure::bad_input(format!("gambit push: {e}"))),
    }
}
