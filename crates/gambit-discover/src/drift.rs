//! Drift (in progress)
pub struct Drift;
pub fn drift() {}
