//! Discovery: the infrastructure part of a threat model, read from what the team already
//! has (a Terraform plan, Kubernetes manifests), and drift between that and the
//! hand-written model.
//!
//! ```text
//! plan JSON ──terraform──┐
//!                        ├──► Fragment ──to_yaml──► discovered.yaml (include: it)
//! manifests ─kubernetes──┘        │
//!                                 └──drift(model)──► contradictions, unmodelled, gone
//! ```
//!
//! Readers never panic: input that is not a plan or not Kubernetes YAML is a
//! [`ReadError`] with file, line and column; resource types with no mapping are listed
//! once each in [`Fragment::unknown_types`]. Ids are derived from resource addresses and
//! object names (see [`ids`]), so the same input always gives the same fragment.

pub mod drift;
mod error;
pub mod fragment;
pub mod ids;
pub mod kubernetes;
mod ports;
pub mod terraform;

pub use drift::{Drift, Item, drift};
pub use error::ReadError;
pub use fragment::{Finding, Fragment};
