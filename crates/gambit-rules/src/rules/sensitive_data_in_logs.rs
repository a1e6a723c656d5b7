use gambit_model::vocab::Control;
use gambit_model::vocab::{AssetKind, Classification};

use crate::context::Context;
use crate::declare_rule;
use crate::finding::{Finding, Target};
use crate::rule::Check;

declare_rule! {
    /// ## What it finds
    /// A flow into a logging or monitoring component that carries confidential or
    /// restricted data or a credential, from a sender without `dlp`, `tokenization` or
    /// `data-minimization`.
    ///
    /// ## Why it matters
    /// Logs are copied widely, kept long and read by many (operators, vendors, support
    /// tools). Personal data and secrets in them escape the access controls of the
    /// system that produced them.
    ///
    /// ## Example
    /// ```yaml
    /// gambit: 1
    /// assets:
    ///   card-numbers: {classification: restricted}
    /// components:
    ///   payments: {kind: service, processes: [card-numbers]}
    ///   log-store: {kind: logging}
    /// flows:
    ///   - {from: payments, to: log-store, protocol: https, authentication: mtls, data: [card-numbers]}
    /// ```
    ///
    /// ## How to fix
    /// Redact or mask sensitive fields before logging (structured logging with
    /// allowlisted fields), never log secrets, and add `dlp` or `data-minimization`.
    pub struct SensitiveDataInLogs {
        id: "sensitive-data-in-logs",
        title: "Sensitive data written to logs",
        stride: [InformationDisclosure],
        cwe: ["CWE-532"],
        capec: ["CAPEC-215"],
        attack: ["T1005", "T1552"],
        controls: ["dlp", "tokenization", "data-minimization"],
        likelihood: Likely,
        impact: Medium,
        fix: "Redact sensitive fields and secrets before they are logged.",
    }
}

impl Check for SensitiveDataInLogs {
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Finding>) {
        for (id, f) in cx.flows() {
            let Some(to) = cx.component(f.to) else {
                continue;
            };
            if !cx.is_log_sink(to) {
                continue;
            }
            let guarded = cx.component(f.from).is_some_and(|s| {
                [
                    Control::Dlp,
                    Control::Tokenization,
                    Control::DataMinimization,
                ]
                .into_iter()
                .any(|g| s.has_control(g))
            });
            if guarded {
                continue;
            }
            let data: Vec<_> = f
                .data
                .iter()
                .copied()
                .filter(|&a| {
                    cx.model[a].classification >= Classification::Confidential
                        || cx.model[a].kind == AssetKind::Credential
                })
                .collect();
            if data.is_empty() {
                continue;
            }
            cx.finding(&Self::META, Target::Flow(id))
                .because(format!(
                    "{} logs {} to {}",
                    cx.name(f.from),
                    cx.list_assets(&data),
                    to.id
                ))
                .assets(data)
                .fixed_likelihood(Self::META.likelihood)
                .emit(out);
        }
    }
}
