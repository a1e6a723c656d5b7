//! Helpers several rules share, so each idea is written once: which identity kinds
//! people sign in as, what running an attacker's code on a component puts at stake, and
//! how a protocol name is compared (case-folded, one way).

use std::borrow::Cow;

use gambit_model::vocab::{IdentityKind, Impact, Stride};
use gambit_model::{Component, Flow, Kind};

use crate::context::Context;

/// Identity kinds that people sign in as.
pub(crate) const HUMAN_IDENTITY_KINDS: &[IdentityKind] = &[
    IdentityKind::IamUser,
    IdentityKind::UserAccount,
    IdentityKind::AdminAccount,
    IdentityKind::SshUser,
];

/// Whether an identity kind is one people sign in as.
pub(crate) fn is_human_identity_kind(kind: &Kind<IdentityKind>) -> bool {
    kind.is_any(HUMAN_IDENTITY_KINDS)
}

/// Running an attacker's code on a component exposes everything it handles, both ways.
pub(crate) fn runs_code_impact(cx: &Context<'_>, c: &Component) -> Impact {
    let stride = [Stride::ElevationOfPrivilege];
    crate::scoring::assets_impact(cx.model, &cx.handled(c), &stride)
        .unwrap_or(Impact::Medium)
        .max(Impact::Medium)
}

/// A protocol name in lower case, allocating only when it has capitals.
pub(crate) fn fold_protocol(p: &str) -> Cow<'_, str> {
    if p.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(p.to_ascii_lowercase())
    } else {
        Cow::Borrowed(p)
    }
}

/// A flow's protocol in lower case (see [`fold_protocol`]).
pub(crate) fn flow_protocol(f: &Flow) -> Option<Cow<'_, str>> {
    f.protocol.as_deref().map(fold_protocol)
}
