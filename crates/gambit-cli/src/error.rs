//! How a command ends, bubbled up to `main`: an [`Outcome`] (exit 0 or 1) or a
//! [`Failure`] (the input could not be used), each carrying its exit code.

/// Exit codes of the CLI contract.
pub(crate) mod exit {
    pub const OK: u8 = 0;
    /// `check` found a threat at or above the level; `validate` found errors.
    pub const FINDINGS: u8 = 1;
    /// The input could not be used.
    pub const BAD_INPUT: u8 = 2;
}

/// A command that ran to the end: it succeeded, or it found what it checks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    /// `check` failed, `validate` found errors: exit 1.
    Findings,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => exit::OK,
            Outcome::Findings => exit::FINDINGS,
        }
    }
}

/// A command that could not run: the exit code and, unless it is already on standard
/// error (diagnostics, for instance), the reason.
#[derive(Debug)]
pub(crate) struct Failure {
    pub code: u8,
    message: Option<String>,
}

impl Failure {
    /// Unusable input (exit 2), with the reason to print as `error: MESSAGE`.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Failure {
            code: exit::BAD_INPUT,
            message: Some(message.into()),
        }
    }

    /// A failure whose reason has already been printed.
    pub fn reported(code: u8) -> Self {
        Failure {
            code,
            message: None,
        }
    }

    /// Prints the reason, if not printed yet, to standard error.
    pub fn print(&self) {
        if let Some(message) = &self.message {
            eprintln!("error: {message}");
        }
    }
}

/// What every command returns.
pub(crate) type CommandResult = Result<Outcome, Failure>;
