//! A spinner on standard error for long runs: drawn only when standard error is a
//! terminal and only once the run has taken a second, so quick runs, pipes and CI logs
//! never see it.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before the spinner appears.
const DELAY: Duration = Duration::from_secs(1);

pub(crate) struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// Starts timing a run whose first stage is `message`.
    pub fn start(message: &'static str) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message);
        if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            let later = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(DELAY);
                if !later.is_finished() {
                    later.set_draw_target(ProgressDrawTarget::stderr());
                    later.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Progress { bar }
    }

    /// The stage the run is in now.
    pub fn stage(&self, message: &'static str) {
        self.bar.set_message(message);
    }

    /// Runs `f` with the spinner out of the way, for printing to standard error.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
