use gambit_model::vocab::{Authentication, Classification};

use crate::context::{Context, ExposureLevel};
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A datastore (database, bucket, cache, queue, ...) that is reachable from the
    /// internet (`public: true` or placed in an untrusted zone) and keeps non-public data.
    ///
    /// ## Why it matters
    /// Internet-wide scanners find open buckets and databases within hours; most large
    /// data breaches of the last decade were a datastore left reachable. Even with a
    /// password, an exposed datastore invites brute force and exploits of the server.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   exports: {classification: confidential}
    /// components:
    ///   bucket: {kind: object-store, public: true, stores: [exports]}
    /// ```
    ///
    /// ## How to fix
    /// Take the datastore off the internet: block public access on the bucket, put the
    /// database in a private subnet and let only the application reach it. Share files
    /// with signed, expiring URLs rather than a public bucket.
    pub struct PublicDatastore {
        id: "public-datastore",
        title: "Datastore reachable from the internet",
        stride: [InformationDisclosure, Tampering],
        cwe: ["CWE-668", "CWE-284"],
        capec: ["CAPEC-1"],
        attack: ["T1530", "T1190"],
        controls: ["network-policy"],
        likelihood: VeryLikely,
        impact: Medium,
        fix: "Make the datastore private: no public access, reachable only from the application's network.",
    }
}

impl Check for PublicDatastore {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, c) in cx.components() {
            if !c.is_datastore() {
                continue;
            }
            let in_untrusted_zone = cx.zone_trust(c.zone) == gambit_model::vocab::Trust::Untrusted;
            if !(c.public || in_untrusted_zone) || cx.facts(id).exposure != ExposureLevel::Internet
            {
                continue;
            }
            let data = cx.at_least(c.stores.iter().copied(), Classification::Internal);
            if data.is_empty() {
                continue;
            }
            let why = if c.public {
                "public: true".to_owned()
            } else {
                format!("in zone {} (untrusted)", cx.model[c.zone].id)
            };
            let mut b = cx
                .finding(&Self::META, Target::Component(id))
                .because(format!(
                    "{} {why}; stores {}",
                    c.kind.as_str(),
                    cx.list_assets(&data)
                ))
                .assets(data)
                .fixed_likelihood(Self::META.likelihood);
            if c.effective_authentication != Authentication::None {
                b = b.shift(
                    -1,
                    format!("callers must authenticate ({})", c.effective_authentication),
                );
            }
            b.emit(out);
        }
    }
}
