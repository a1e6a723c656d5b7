//! The one list of built-in rules. A rule exists for Gambit when, and only when, it is
//! listed here; tests check that the list has no duplicate ids and that each rule has
//! fixtures, documentation and generated docs.

use crate::rule::{RuleMeta, ThreatRule};
use crate::rules::*;

pub static RULES: &[&'static dyn ThreatRule] = &[
    // --- rules: keep one per line, in any order; ids must be unique ---
    &AdminWithoutAuditTrail,
    &BackupNotIsolated,
    &CiHoldsProductionCredential,
    &CommandInjection,
    &CredentialInClientApp,
    &CredentialInRepository,
    &CredentialOnExposedComponent,
    &CredentialOverUnencryptedFlow,
    &CredentialSprawl,
    &CredentialStuffing,
    &CrossAccountAdmin,
    &CrossSiteRequestForgery,
    &CrossSiteScripting,
    &ExcessiveAgency,
    &ExploitableVulnerability,
    &ExposedComponentRunsPrivileged,
    &ExposedManagementInterface,
    &FlatNetworkLateralMovement,
    &GatewayBypass,
    &HiddenPrivilegedIdentity,
    &HumanWithoutMfa,
    &IndirectPromptInjection,
    &InsecureDeserialization,
    &LdapInjection,
    &LlmCodeExecution,
    &LlmOutputUnchecked,
    &LlmSensitiveDataDisclosure,
    &LocalOnlyLogs,
    &LogTampering,
    &MissingAuthentication,
    &MissingAuthorization,
    &MissingBackup,
    &MissingLogging,
    &MissingRateLimiting,
    &NoDdosProtection,
    &NosqlInjection,
    &PoisonedPipelineExecution,
    &PrivilegeEscalationViaAssume,
    &PrivilegedIdentityWithoutMfa,
    &PromptInjection,
    &PublicDatastore,
    &SecretOutsideVault,
    &SensitiveDataInLogs,
    &SensitiveDataToExternalLlm,
    &SensitiveDataToThirdParty,
    &SharedCredential,
    &SharedIdentity,
    &SinglePointOfFailure,
    &SqlInjection,
    &Ssrf,
    &StandingPrivilegedAccess,
    &ThirdPartyBroadOauthGrant,
    &TrainingDataPoisoning,
    &UnattributableExternalInput,
    &UnauthenticatedDatastore,
    &UnboundedModelConsumption,
    &UnencryptedAtRest,
    &UnencryptedCommunication,
    &UnpinnedDependencies,
    &UnprotectedRepository,
    &UnrestrictedEgress,
    &UnsignedCodeFlow,
    &UntrustedDirectDatastoreAccess,
    &UntrustedToolServer,
    &UnusedGrant,
    &WorkstationCredentialWithoutEdr,
    &XmlExternalEntity,
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static dyn ThreatRule> {
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
