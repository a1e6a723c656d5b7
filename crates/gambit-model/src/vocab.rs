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

vocab!(
    /// Component kinds the project documents. Others are accepted with a warning.
    ///
    /// An open vocabulary: a model may use other words, which analysis gives no meaning.
    ComponentKind("component kind") {
        WebApp = "web-app",
        Api = "api",
        Service = "service",
        Worker = "worker",
        Function = "function",
        Database = "database",
        Cache = "cache",
        ObjectStore = "object-store",
        Queue = "queue",
        FileShare = "file-share",
        SearchIndex = "search-index",
        VectorStore = "vector-store",
        SecretStore = "secret-store",
        IdentityProvider = "identity-provider",
        LoadBalancer = "load-balancer",
        ApiGateway = "api-gateway",
        Waf = "waf",
        Vm = "vm",
        Container = "container",
        K8sCluster = "k8s-cluster",
        CiCd = "ci-cd",
        Repository = "repository",
        ArtifactRegistry = "artifact-registry",
        Saas = "saas",
        Llm = "llm",
        LlmAgent = "llm-agent",
        Browser = "browser",
        MobileApp = "mobile-app",
        DesktopApp = "desktop-app",
        IotDevice = "iot-device",
        Monitoring = "monitoring",
        Logging = "logging",
        Backup = "backup",
        ReverseProxy = "reverse-proxy",
        Ingress = "ingress",
        McpServer = "mcp-server",
        MessageBroker = "message-broker",
        Dns = "dns",
        Cdn = "cdn",
        EmailServer = "email-server",
        Firewall = "firewall",
        Bastion = "bastion",
        Workstation = "workstation",
        DataWarehouse = "data-warehouse",
        Etl = "etl",
        Notebook = "notebook",
        ModelRegistry = "model-registry",
        FeatureStore = "feature-store",
    }
);

/// The words of [`ComponentKind`], for messages and "did you mean".
pub const COMPONENT_KINDS: &[&str] = ComponentKind::NAMES;

/// The component kinds that hold data at rest for others (the spec's "datastores").
pub const DATASTORE_KINDS: &[ComponentKind] = &[
    ComponentKind::Database,
    ComponentKind::Cache,
    ComponentKind::ObjectStore,
    ComponentKind::Queue,
    ComponentKind::FileShare,
    ComponentKind::SearchIndex,
    ComponentKind::VectorStore,
    ComponentKind::SecretStore,
    ComponentKind::Backup,
];

vocab!(
    /// The documented zone kinds. Others are accepted with a warning.
    ///
    /// An open vocabulary: a model may use other words, which analysis gives no meaning.
    ZoneKind("zone kind") {
        Network = "network",
        CloudAccount = "cloud-account",
        Vpc = "vpc",
        Subnet = "subnet",
        Cluster = "cluster",
        Namespace = "namespace",
        Host = "host",
        SaasTenant = "saas-tenant",
        Physical = "physical",
        Region = "region",
        Datacenter = "datacenter",
        Organization = "organization",
        Tenant = "tenant",
        Project = "project",
        ResourceGroup = "resource-group",
        SecurityGroup = "security-group",
        Environment = "environment",
        Internet = "internet",
    }
);

/// The words of [`ZoneKind`], for messages and "did you mean".
pub const ZONE_KINDS: &[&str] = ZoneKind::NAMES;

vocab!(
    /// The documented actor kinds. Others are accepted with a warning.
    ///
    /// An open vocabulary: a model may use other words, which analysis gives no meaning.
    ActorKind("actor kind") {
        User = "user",
        Admin = "admin",
        Developer = "developer",
        Operator = "operator",
        Partner = "partner",
        ExternalSystem = "external-system",
        Customer = "customer",
        Employee = "employee",
        Contractor = "contractor",
        Support = "support",
        Auditor = "auditor",
        Service = "service",
        Bot = "bot",
    }
);

/// The words of [`ActorKind`], for messages and "did you mean".
pub const ACTOR_KINDS: &[&str] = ActorKind::NAMES;

vocab!(
    /// The documented identity kinds. Others are accepted with a warning.
    ///
    /// An open vocabulary: a model may use other words, which analysis gives no meaning.
    IdentityKind("identity kind") {
        ServiceAccount = "service-account",
        IamRole = "iam-role",
        IamUser = "iam-user",
        DatabaseUser = "database-user",
        UserAccount = "user-account",
        AdminAccount = "admin-account",
        Group = "group",
        ApiClient = "api-client",
        OauthApp = "oauth-app",
        K8sServiceAccount = "k8s-service-account",
        ManagedIdentity = "managed-identity",
        SshUser = "ssh-user",
        WorkloadIdentity = "workload-identity",
        BotAccount = "bot-account",
        // Accounts the docs and examples use: a SaaS or local login, a cloud access key,
        // an API key's principal, a code host's user.
        SaasAccount = "saas-account",
        LocalAccount = "local-account",
        AccessKey = "access-key",
        ApiKey = "api-key",
        GithubUser = "github-user",
    }
);

/// The words of [`IdentityKind`], for messages and "did you mean".
pub const IDENTITY_KINDS: &[&str] = IdentityKind::NAMES;

vocab!(
    /// Controls the analysis understands. Teams may declare more under top-level `controls:`.
    ///
    /// An open vocabulary: a model may use other words, which analysis gives no meaning.
    Control("control") {
        Mfa = "mfa",
        Waf = "waf",
        InputValidation = "input-validation",
        ParameterizedQueries = "parameterized-queries",
        OutputEncoding = "output-encoding",
        RateLimiting = "rate-limiting",
        Logging = "logging",
        Monitoring = "monitoring",
        Edr = "edr",
        EgressFiltering = "egress-filtering",
        NetworkPolicy = "network-policy",
        SecretsManager = "secrets-manager",
        LeastPrivilege = "least-privilege",
        SignedArtifacts = "signed-artifacts",
        DependencyPinning = "dependency-pinning",
        PromptIsolation = "prompt-isolation",
        HumanApproval = "human-approval",
        EncryptionAtRest = "encryption-at-rest",
        Backup = "backup",
        MetadataProtection = "metadata-protection",
        AuditLogging = "audit-logging",
        Sast = "sast",
        Dast = "dast",
        Sbom = "sbom",
        VulnerabilityScanning = "vulnerability-scanning",
        OutputValidation = "output-validation",
        Sandboxing = "sandboxing",
        CodeReview = "code-review",
        BranchProtection = "branch-protection",
        DdosProtection = "ddos-protection",
        Redundancy = "redundancy",
        CsrfProtection = "csrf-protection",
        ContentSecurityPolicy = "content-security-policy",
        SessionManagement = "session-management",
        JitAccess = "jit-access",
        Pam = "pam",
        Dlp = "dlp",
        AnomalyDetection = "anomaly-detection",
        DataMinimization = "data-minimization",
        Tokenization = "tokenization",
        Allowlisting = "allowlisting",
    }
);

/// The words of [`Control`], for messages and "did you mean".
pub const CONTROLS: &[&str] = Control::NAMES;

/// Component kinds that pass requests on to the components they have flows to.
pub const FORWARDING_KINDS: &[ComponentKind] = &[
    ComponentKind::LoadBalancer,
    ComponentKind::ApiGateway,
    ComponentKind::Cdn,
    ComponentKind::Waf,
    ComponentKind::ReverseProxy,
    ComponentKind::Ingress,
];

/// Zone kinds that group things for ownership and trust: their members do not reach
/// each other by sharing one. Every other kind (and no kind) is a network zone.
pub const ADMINISTRATIVE_ZONE_KINDS: &[ZoneKind] = &[
    ZoneKind::CloudAccount,
    ZoneKind::SaasTenant,
    ZoneKind::Organization,
    ZoneKind::Tenant,
    ZoneKind::Project,
    ZoneKind::ResourceGroup,
    ZoneKind::Region,
    ZoneKind::Environment,
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
