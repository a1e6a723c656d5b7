//! The one list of built-in rules. A rule exists for Gambit when, and only when, it is
//! listed here; tests check that the list has no duplicate ids and that each rule has
//! fixtures, documentation and generated docs.

use crate::rule::{Rule, RuleMeta};
use crate::rules::*;

pub static RULES: &[&'static dyn Rule] = &[
    // --- rules: keep one per line, in any order; ids must be unique ---
    &AdminWithoutAuditTrail,
    &BackupNotIsolated,
    &CiHoldsProductionCredential,
    &CommandInjection,
    &CredentialOnExposedComponent,
    &CredentialOverUnencryptedFlow,
    &CrossSiteRequestForgery,
    &CrossSiteScripting,
    &ExcessiveAgency,
    &ExploitableVulnerability,
    &FlatNetworkLateralMovement,
    &HumanWithoutMfa,
    &IndirectPromptInjection,
    &InsecureDeserialization,
    &LlmOutputUnchecked,
    &LlmSensitiveDataDisclosure,
    &LogTampering,
    &MissingAuthentication,
    &MissingAuthorization,
    &MissingBackup,
    &MissingLogging,
    &MissingRateLimiting,
    &NosqlInjection,
    &PrivilegedIdentityWithoutMfa,
    &PromptInjection,
    &PublicDatastore,
    &SensitiveDataToExternalLlm,
    &SharedCredential,
    &SharedIdentity,
    &SinglePointOfFailure,
    &SqlInjection,
    &Ssrf,
    &StandingPrivilegedAccess,
    &ThirdPartyBroadOauthGrant,
    &UnattributableExternalInput,
    &UnauthenticatedDatastore,
    &UnboundedModelConsumption,
    &UnencryptedAtRest,
    &UnencryptedCommunication,
    &UnpinnedDependencies,
    &UnsignedCodeFlow,
    &UnusedGrant,
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// Every rule's metadata, sorted by id.
pub fn metas() -> Vec<&'static RuleMeta> {
    let mut v: Vec<&'static RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    v.sort_by_key(|m| m.id);
    v
}

/// "did you mean `x`?" for an unknown rule id.
pub fn suggest(id: &str) -> Option<String> {
    gambit_model::suggest::did_you_mean(id, RULES.iter().map(|r| r.meta().id))
}
