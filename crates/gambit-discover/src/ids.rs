//! Stable element ids. A model id matches `[a-z0-9][a-z0-9._-]*`; discovered ids are
//! derived from what names the resource, so they do not change between runs:
//!
//! - Terraform: the resource address, lowercased, `_` → `-`, an index `[0]` or `["a"]`
//!   → `.0` / `.a` (`module.app.aws_db_instance.main` → `module.app.aws-db-instance.main`).
//! - Kubernetes: `NAMESPACE.KIND.NAME` with the kind lowercased
//!   (`shop.deployment.web`); cluster-scoped objects use `cluster` as the namespace.

/// The id of a Terraform resource address.
pub fn terraform(address: &str) -> String {
    let mut id = String::with_capacity(address.len());
    for c in address.chars() {
        match c {
            'a'..='z' | '0'..='9' | '.' | '-' => id.push(c),
            'A'..='Z' => id.push(c.to_ascii_lowercase()),
            '[' => id.push('.'),
            ']' | '"' => {}
            _ => id.push('-'),
        }
    }
    lead(id)
}

/// The id of a Kubernetes object.
pub fn kubernetes(namespace: Option<&str>, kind: &str, name: &str) -> String {
    let ns = namespace.unwrap_or("cluster");
    lead(format!(
        "{}.{}.{}",
        clean(ns),
        kind.to_ascii_lowercase(),
        clean(name)
    ))
}

/// A name made safe for an id (Kubernetes names already are, but input is hostile).
pub fn clean(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '.' | '-' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect()
}

/// The secret store of a namespace: `NAMESPACE.secrets`.
pub fn secret_store(namespace: &str) -> String {
    lead(format!("{}.secrets", clean(namespace)))
}

/// Ids must start with a letter or digit.
fn lead(id: String) -> String {
    if id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        id
    } else {
        format!("x{id}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn terraform_addresses_become_model_ids() {
        assert_eq!(
            super::terraform("aws_db_instance.main"),
            "aws-db-instance.main"
        );
        assert_eq!(
            super::terraform("module.app.aws_instance.web[0]"),
            "module.app.aws-instance.web.0"
        );
        assert_eq!(
            super::terraform("aws_s3_bucket.b[\"Logs\"]"),
            "aws-s3-bucket.b.logs"
        );
    }

    #[test]
    fn kubernetes_objects_become_model_ids() {
        assert_eq!(
            super::kubernetes(Some("shop"), "Deployment", "web"),
            "shop.deployment.web"
        );
        assert_eq!(
            super::kubernetes(None, "ClusterRole", "Admin"),
            "cluster.clusterrole.admin"
        );
        assert_eq!(super::kubernetes(Some("_x"), "Pod", "p"), "x-x.pod.p");
        assert_eq!(
            super::secret_store("~hop"),
            "x-hop.secrets",
            "found by fuzzing: a namespace that cleans to a leading `-`"
        );
    }
}
