//! `gambit token create|revoke`: API tokens of the server, in its store.

use crate::cli::{RoleArg, TokenCommand};
use crate::error::{CommandResult, Failure, Outcome};

pub(crate) fn run(command: &TokenCommand) -> CommandResult {
    match command {
        TokenCommand::Create {
            database,
            name,
            role,
            project,
        } => {
            let role = match role {
                RoleArg::Viewer => gambit_server::Role::Viewer,
                RoleArg::Editor => gambit_server::Role::Editor,
                RoleArg::Admin => gambit_server::Role::Admin,
            };
            let token =
                gambit_server::create_token(&database.database, name, role, project.as_deref())
                    .map_err(|e| Failure::bad_input(format!("cannot create the token: {e}")))?;
            println!("{token}");
            eprintln!(
                "the token `{name}` ({}) is shown this once: keep it in a secret store",
                role.as_str()
            );
        }
        TokenCommand::Revoke { database, name } => {
            let revoked = gambit_server::revoke_token(&database.database, name)
                .map_err(|e| Failure::bad_input(format!("cannot revoke the token: {e}")))?;
            if !revoked {
                return Err(Failure::bad_input(format!(
                    "no live token is named `{name}`"
                )));
            }
            eprintln!("the token `{name}` is revoked");
        }
    }
    Ok(Outcome::Success)
}
