//! `gambit serve [--listen ADDR] [--database URL]`: the team server (gambit-server).

use crate::cli::ServeArgs;
use crate::error::{CommandResult, Failure, Outcome};

pub(crate) fn run(args: &ServeArgs) -> CommandResult {
    let config = gambit_server::Config {
        max_model_size: args.max_size,
        rate_limit: args.rate_limit,
        llm: args.llm_url.as_ref().map(|url| gambit_server::LlmConfig {
            url: url.clone(),
            key: std::env::var("GAMBIT_LLM_KEY").ok(),
            model: args.llm_model.clone(),
        }),
        ..Default::default()
    };
    let database = &args.database.database;
    gambit_server::serve(args.listen, database, config, |addr| {
        eprintln!("gambit serve: listening on http://{addr} (store: {database}); Ctrl-C stops");
    })
    .map_err(|e| Failure::bad_input(format!("gambit serve: {e}")))?;
    Ok(Outcome::Success)
}
