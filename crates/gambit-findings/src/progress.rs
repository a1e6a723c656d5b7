//! The progress bar shown while a large findings file is read (only on a terminal: the
//! caller decides, the bar is hidden otherwise).

use indicatif::{ProgressBar, ProgressStyle};

pub(crate) fn bar(size: u64, name: &str) -> ProgressBar {
    let bar = ProgressBar::new(size);
    let style = ProgressStyle::with_template("{msg} {wide_bar} {bytes}/{total_bytes} ({eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(format!("reading {name}"));
    bar
}
