//! One module per rule; see [`crate::registry`] for the list the analysis runs.

mod credential_on_exposed_component;
mod missing_authentication;
mod public_datastore;
mod unencrypted_at_rest;
mod unencrypted_communication;

pub use credential_on_exposed_component::CredentialOnExposedComponent;
pub use missing_authentication::MissingAuthentication;
pub use public_datastore::PublicDatastore;
pub use unencrypted_at_rest::UnencryptedAtRest;
pub use unencrypted_communication::UnencryptedCommunication;
