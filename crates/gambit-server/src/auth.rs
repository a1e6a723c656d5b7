//! API tokens and roles. A token is 256 random bits shown once; the store keeps only
//! its SHA-256. A fast hash is enough here because a token is random, not a password
//! someone chose: there is no dictionary to try, and 2^256 guesses stay out of reach
//! however fast each one is. Looking a token up by its hash also means the secret is
//! never compared byte by byte, so response times say nothing about it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// What a token may do. Each role may do everything the roles before it may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads projects, models, analyses, diffs, trends; asks questions.
    Viewer,
    /// Also creates projects, pushes models and records risk decisions.
    Editor,
    /// Also reads the audit log.
    Admin,
}

impl Role {
    pub const NAMES: [&'static str; 3] = ["viewer", "editor", "admin"];

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Role::NAMES[self as usize]
    }
}

/// The prefix of every token, so secret scanners and people recognise one.
const PREFIX: &str = "gambit_";

/// A new random token: the prefix and 64 hex digits (256 bits from the OS).
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!("{PREFIX}{}", hex(&bytes)))
}

/// The SHA-256 of a token, as the store keeps it.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Who is calling: the token's name and role, and the one project it is limited to.
#[derive(Clone, Debug)]
pub struct Caller {
    pub name: String,
    pub role: Role,
    pub project: Option<String>,
}

impl Caller {
    /// Whether the caller has at least `role` on `project` (None: a request about no
    /// project, such as the audit log or the project list).
    pub fn may(&self, role: Role, project: Option<&str>) -> bool {
        let in_scope = match (&self.project, project) {
            (None, _) => true,
            (Some(own), Some(p)) => own == p,
            // A token limited to one project may list projects but not the audit log.
            (Some(_), None) => role == Role::Viewer,
        };
        self.role >= role && in_scope
    }
}

/// Requests per second per token, with a burst allowance: a token bucket per token
/// name. Memory is bounded by the number of tokens in the store, since a bucket is only
/// made for a token that authenticated.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    pub fn new(per_second: u32) -> Self {
        let per_second = f64::from(per_second.max(1));
        RateLimiter {
            per_second,
            burst: per_second * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `token`'s bucket; false when it is empty.
    pub fn allow(&self, token: &str) -> bool {
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(token.to_owned()).or_insert(Bucket {
            tokens: self.burst,
            last: now,
        });
        let refill = now.duration_since(bucket.last).as_secs_f64() * self.per_second;
        bucket.tokens = (bucket.tokens + refill).min(self.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed_to_hex() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 64);
        let h = hash_token(&a);
        assert_eq!(h.len(), 64);
        assert_ne!(h, hash_token(&b));
        assert_eq!(h, hash_token(&a));
    }

    #[test]
    fn roles_include_the_lesser_ones_and_stay_in_their_project() {
        let editor = Caller {
            name: "ci".into(),
            role: Role::Editor,
            project: Some("shop".into()),
        };
        assert!(editor.may(Role::Viewer, Some("shop")));
        assert!(editor.may(Role::Editor, Some("shop")));
        assert!(!editor.may(Role::Admin, Some("shop")));
        assert!(!editor.may(Role::Viewer, Some("other")));
        assert!(editor.may(Role::Viewer, None));
        let admin = Caller {
            name: "root".into(),
            role: Role::Admin,
            project: None,
        };
        assert!(admin.may(Role::Admin, None));
        assert!(admin.may(Role::Editor, Some("any")));
    }

    #[test]
    fn the_bucket_empties_and_refills() {
        let limiter = RateLimiter::new(1);
        assert!(limiter.allow("t"));
        assert!(limiter.allow("t"));
        assert!(!limiter.allow("t"), "the burst is twice the rate");
        assert!(limiter.allow("other"), "buckets are per token");
    }
}
