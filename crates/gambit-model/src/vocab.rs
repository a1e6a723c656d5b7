//! The closed and open vocabularies of the model language.
//!
//! A closed vocabulary (classification, access, ...) rejects any other word with a
//! "did you mean" and the list of allowed values. An open vocabulary (component kinds,
//! controls, ...) accepts any word but knows the documented ones, so analysis can give
//! them meaning and `validate` can warn about likely typos.

use std::fmt;

/// A closed set of words, parsed and printed by name.
pub trait Vocab: Sized + Copy + 'static {
    /// What the vocabulary is called in messages ("classification").
    const WHAT: &'static str;
    const NAMES: &'static [&'static str];
    fn parse(s: &str) -> Option<Self>;
    fn as_str(self) -> &'static str;
}

macro_rules! vocab {
    ($(#[$meta:meta])* $name:ident ($what:literal) { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl Vocab for $name {
            const WHAT: &'static str = $what;
            const NAMES: &'static [&'static str] = &[$($text),+];
            fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({"type": "string", "enum": [$($text),+]})
            }
        }
    };
}

vocab!(
    /// How secret an asset is.
    Classification("classification") { Public = "public", Internal = "internal", Confidential = "confidential", Restricted = "restricted" }
);
vocab!(
    /// How much integrity or availability of an asset matters.
    Criticality("rating") { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
);
vocab!(
    AssetKind("asset kind") { Data = "data", Credential = "credential", Code = "code", Capability = "capability" }
);
vocab!(
    /// How far the members of a zone, or an actor, are trusted.
    Trust("trust") { Untrusted = "untrusted", Partner = "partner", Internal = "internal", Restricted = "restricted" }
);
vocab!(
    /// What exploiting a vulnerability gives the attacker.
    Effect("vulnerability effect") {
        CodeExecution = "code-execution", PrivilegeEscalation = "privilege-escalation",
        AuthBypass = "auth-bypass", InfoDisclosure = "info-disclosure", Ssrf = "ssrf",
        DenialOfService = "denial-of-service",
    }
);
vocab!(
    VulnStatus("vulnerability status") { Open = "open", Fixed = "fixed", Mitigated = "mitigated", NotAffected = "not-affected" }
);
vocab!(
    /// What an identity's grant allows on its target.
    Access("access") { Read = "read", Write = "write", Admin = "admin", Assume = "assume" }
);
vocab!(
    Authorization("authorization") { None = "none", User = "user", Role = "role", Attribute = "attribute" }
);
vocab!(
    /// How a caller proves who it is. `none` is the only value that lets anyone in.
    Authentication("authentication") {
        None = "none", Password = "password", Basic = "basic", Key = "key", Token = "token", Jwt = "jwt",
        ApiKey = "api-key", Session = "session", Oauth = "oauth", Oidc = "oidc", Saml = "saml",
        Mtls = "mtls", Certificate = "certificate", Kerberos = "kerberos", Ntlm = "ntlm", Iam = "iam",
        Scram = "scram", Hmac = "hmac", PresignedUrl = "presigned-url", Sso = "sso",
        Digest = "digest", Webauthn = "webauthn",
    }
);
vocab!(
    RiskStatus("risk status") {
        Open = "open", InProgress = "in-progress", Mitigated = "mitigated", Accepted = "accepted", FalsePositive = "false-positive",
    }
);
vocab!(
    Likelihood("likelihood") { Unlikely = "unlikely", Likely = "likely", VeryLikely = "very-likely", Frequent = "frequent" }
);
vocab!(
    Impact("impact") { Low = "low", Medium = "medium", High = "high", VeryHigh = "very-high" }
);
vocab!(
    Severity("severity") { Low = "low", Medium = "medium", Elevated = "elevated", High = "high", Critical = "critical" }
);
vocab!(
    Stride("STRIDE category") {
        Spoofing = "spoofing", Tampering = "tampering", Repudiation = "repudiation",
        InformationDisclosure = "information-disclosure", DenialOfService = "denial-of-service",
        ElevationOfPrivilege = "elevation-of-privilege",
    }
);
vocab!(
    /// What kind of element a custom rule is evaluated on.
    RuleTarget("rule target") {
        Asset = "asset", Zone = "zone", Actor = "actor", Component = "component", Identity = "identity", Flow = "flow",
    }
);

impl Authentication {
    /// Rough strength order, weakest first; used to derive what a component demands when
    /// its inbound flows disagree (the weakest one is what an attacker faces).
    pub fn strength(self) -> u8 {
        use Authentication as A;
        match self {
            A::None => 0,
            A::Basic | A::Password | A::Ntlm | A::Digest => 1,
            A::ApiKey | A::Key | A::Token | A::Jwt | A::Session | A::PresignedUrl => 2,
            A::Oauth | A::Oidc | A::Saml | A::Kerberos | A::Iam | A::Certificate => 3,
            A::Scram | A::Hmac | A::Sso | A::Webauthn => 3,
            A::Mtls => 4,
        }
    }
}

/// Component kinds the project documents. Others are accepted with a warning.
pub const COMPONENT_KINDS: &[&str] = &[
    "web-app",
    "api",
    "service",
    "worker",
    "function",
    "database",
    "cache",
    "object-store",
    "queue",
    "file-share",
    "search-index",
    "vector-store",
    "secret-store",
    "identity-provider",
    "load-balancer",
    "api-gateway",
    "waf",
    "vm",
    "container",
    "k8s-cluster",
    "ci-cd",
    "repository",
    "artifact-registry",
    "saas",
    "llm",
    "llm-agent",
    "browser",
    "mobile-app",
    "desktop-app",
    "iot-device",
    "monitoring",
    "logging",
    "backup",
    "reverse-proxy",
    "ingress",
    "mcp-server",
    "message-broker",
    "dns",
    "cdn",
    "email-server",
    "firewall",
    "bastion",
    "workstation",
    "data-warehouse",
    "etl",
    "notebook",
    "model-registry",
    "feature-store",
];

/// The component kinds that hold data at rest for others (the spec's "datastores").
pub const DATASTORE_KINDS: &[&str] = &[
    "database",
    "cache",
    "object-store",
    "queue",
    "file-share",
    "search-index",
    "vector-store",
    "secret-store",
    "backup",
];

pub const ZONE_KINDS: &[&str] = &[
    "network",
    "cloud-account",
    "vpc",
    "subnet",
    "cluster",
    "namespace",
    "host",
    "saas-tenant",
    "physical",
    "region",
    "datacenter",
    "organization",
    "tenant",
    "project",
    "resource-group",
    "security-group",
    "environment",
    "internet",
];

pub const ACTOR_KINDS: &[&str] = &[
    "user",
    "admin",
    "developer",
    "operator",
    "partner",
    "external-system",
    "customer",
    "employee",
    "contractor",
    "support",
    "auditor",
    "service",
    "bot",
];

pub const IDENTITY_KINDS: &[&str] = &[
    "service-account",
    "iam-role",
    "iam-user",
    "database-user",
    "user-account",
    "admin-account",
    "group",
    "api-client",
    "oauth-app",
    "k8s-service-account",
    "managed-identity",
    "ssh-user",
    "workload-identity",
    "bot-account",
    // Accounts the docs and examples use: a SaaS or local login, a cloud access key,
    // an API key's principal, a code host's user.
    "saas-account",
    "local-account",
    "access-key",
    "api-key",
    "github-user",
];

/// Controls the analysis understands. Teams may declare more under top-level `controls:`.
pub const CONTROLS: &[&str] = &[
    "mfa",
    "waf",
    "input-validation",
    "parameterized-queries",
    "output-encoding",
    "rate-limiting",
    "logging",
    "monitoring",
    "edr",
    "egress-filtering",
    "network-policy",
    "secrets-manager",
    "least-privilege",
    "signed-artifacts",
    "dependency-pinning",
    "prompt-isolation",
    "human-approval",
    "encryption-at-rest",
    "backup",
    "metadata-protection",
    "audit-logging",
    "sast",
    "dast",
    "sbom",
    "vulnerability-scanning",
    "output-validation",
    "sandboxing",
    "code-review",
    "branch-protection",
    "ddos-protection",
    "redundancy",
    "csrf-protection",
    "content-security-policy",
    "session-management",
    "jit-access",
    "pam",
    "dlp",
    "anomaly-detection",
    "data-minimization",
    "tokenization",
    "allowlisting",
];

/// Component kinds that pass requests on to the components they have flows to.
pub const FORWARDING_KINDS: &[&str] = &[
    "load-balancer",
    "api-gateway",
    "cdn",
    "waf",
    "reverse-proxy",
    "ingress",
];

/// Zone kinds that group things for ownership and trust: their members do not reach
/// each other by sharing one. Every other kind (and no kind) is a network zone.
pub const ADMINISTRATIVE_ZONE_KINDS: &[&str] = &[
    "cloud-account",
    "saas-tenant",
    "organization",
    "tenant",
    "project",
    "resource-group",
    "region",
    "environment",
];

/// Protocols encrypted by definition (the spec's list); any protocol whose name contains
/// `tls` or `ssl` is too.
const ENCRYPTED_PROTOCOLS: &[&str] = &[
    "https",
    "tls",
    "ssh",
    "sftp",
    "ftps",
    "ldaps",
    "smtps",
    "imaps",
    "pop3s",
    "wss",
    "grpcs",
    "amqps",
    "mqtts",
    "rediss",
    "kafka+ssl",
    "rdp",
    "kubernetes-api",
];

/// Protocols known to travel in clear text unless the model says `encrypted: true`:
/// web and mail protocols without TLS, and the plain database, cache and queue protocols.
/// A protocol in neither list is unknown: unencrypted, and `validate` warns.
const PLAINTEXT_PROTOCOLS: &[&str] = &[
    "http",
    "ftp",
    "telnet",
    "smtp",
    "imap",
    "pop3",
    "grpc",
    "ws",
    "ldap",
    "dns",
    "snmp",
    "syslog",
    "nfs",
    "smb",
    "tcp",
    "udp",
    "amqp",
    "mqtt",
    "kafka",
    "stomp",
    "nats",
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mssql",
    "tds",
    "oracle",
    "mongodb",
    "cassandra",
    "cql",
    "redis",
    "memcached",
    "elasticsearch",
    "jdbc",
    "odbc",
    "vnc",
    "x11",
];

/// What the model's protocol says about encryption when `encrypted:` is not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolEncryption {
    Encrypted,
    Plaintext,
    /// A protocol Gambit does not know: counted as unencrypted, with a warning.
    Unknown,
}

/// Classifies a flow's protocol; a flow whose own authentication is mTLS is encrypted
/// whatever its protocol, and a missing protocol is plaintext (nothing to warn about
/// beyond what the model already leaves unsaid).
pub fn protocol_encryption(
    protocol: Option<&str>,
    authentication: Option<Authentication>,
) -> ProtocolEncryption {
    if authentication == Some(Authentication::Mtls) {
        return ProtocolEncryption::Encrypted;
    }
    let Some(p) = protocol else {
        return ProtocolEncryption::Plaintext;
    };
    let p = p.to_ascii_lowercase();
    if ENCRYPTED_PROTOCOLS.contains(&p.as_str()) || p.contains("tls") || p.contains("ssl") {
        ProtocolEncryption::Encrypted
    } else if PLAINTEXT_PROTOCOLS.contains(&p.as_str()) {
        ProtocolEncryption::Plaintext
    } else {
        ProtocolEncryption::Unknown
    }
}

/// Whether a flow is encrypted when the model does not say.
pub fn encrypted_by_default(protocol: Option<&str>, authentication: Authentication) -> bool {
    protocol_encryption(protocol, Some(authentication)) == ProtocolEncryption::Encrypted
}
