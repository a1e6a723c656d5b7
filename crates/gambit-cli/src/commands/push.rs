//! `gambit push MODEL --server URL --project P --token T [--revision SHA]`: uploads a
//! model version to a server; prints the server's answer (version and summary).

use std::path::Path;

use crate::cli::PushArgs;
use crate::error::{CommandResult, Failure, Outcome};

pub(crate) fn run(args: &PushArgs) -> CommandResult {
    let stdin = args.model.as_os_str() == "-";
    let name = if stdin {
        "<stdin>".into()
    } else {
        args.model.display().to_string()
    };
    let text = if stdin {
        gambit_model::read_limited(std::io::stdin().lock(), &name, args.max_size)
    } else {
        std::fs::File::open(&args.model)
            .map_err(|e| {
                gambit_model::Diagnostic::error(
                    "unreadable-file",
                    format!("cannot read {name}: {e}"),
                )
            })
            .and_then(|f| gambit_model::read_limited(f, &name, args.max_size))
    }
    .map_err(|d| Failure::bad_input(d.message))?;
    let json = Path::new(&args.model)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    match gambit_server::push(
        &args.server,
        &args.project,
        &args.token,
        &text,
        args.revision.as_deref(),
        json,
    ) {
        Ok(answer) => {
            print!("{answer}");
            Ok(Outcome::Success)
        }
        Err(gambit_server::PushError::Rejected { status: 422, body }) => {
            eprint!("{body}");
            Err(Failure::bad_input(format!(
                "the server found {name} invalid (the diagnostics above are those of `gambit validate --format json`)"
            )))
        }
        Err(e) => Err(Failure::bad_input(format!("gambit push: {e}"))),
    }
}
