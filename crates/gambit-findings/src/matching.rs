//! Which components a finding belongs to. A finding lands on every component that
//! declares its package (a `software` purl or name, or an `artifacts` package), or lists the
//! image or repository its scan looked at, or a path prefix of one of its locations.

use gambit_model::{Artifact, ComponentId, Model};

use crate::finding::{Finding, Scan};

/// A package URL cut into what matching compares. Type, namespace and name compare
/// without case, percent-escapes decoded; for PyPI `_` and `-` are the same.
#[derive(Debug, PartialEq, Eq)]
pub struct Purl {
    pub kind: String,
    /// `namespace/name`.
    pub name: String,
    pub version: Option<String>,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Purl {
    pub fn parse(text: &str) -> Option<Purl> {
        let rest = text.strip_prefix("pkg:")?.trim_start_matches('/');
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let (kind, path) = rest.split_once('/')?;
        // The version follows the last `@` of the last segment (`@scope/name@1.0`).
        let last_slash = path.rfind('/').map_or(0, |i| i + 1);
        let (name, version) = match path[last_slash..].rfind('@') {
            Some(at) if at > 0 => (
                &path[..last_slash + at],
                Some(percent_decode(&path[last_slash + at + 1..])),
            ),
            _ => (path, None),
        };
        let kind = kind.to_ascii_lowercase();
        let mut name = percent_decode(name).to_lowercase();
        if kind == "pypi" {
            name = name.replace('_', "-");
        }
        if name.is_empty() {
            return None;
        }
        Some(Purl {
            kind,
            name,
            version: version.filter(|v| !v.is_empty()),
        })
    }

    /// The last segment of the name: `express` of `pkg:npm/express`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }

    /// Whether a finding's package `found` is this declared one: same type and name, and
    /// the same version when this one names a version.
    pub fn covers(&self, found: &Purl) -> bool {
        self.kind == found.kind
            && self.name == found.name
            && match (&self.version, &found.version) {
                (Some(want), Some(got)) => want == got,
                (Some(_), None) | (None, _) => true,
            }
    }
}

/// An image reference: `registry/repository[:tag][@digest]`, with Docker Hub's short forms
/// made long (`nginx` is `docker.io/library/nginx`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRef {
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(text: &str) -> Option<ImageRef> {
        // Trivy names the OS target `image:tag (debian 12.5)`.
        let text = text.split_whitespace().next()?;
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) => (r, Some(d.to_ascii_lowercase())),
            None => (text, None),
        };
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match rest[last_slash..].rfind(':') {
            Some(colon) => (
                &rest[..last_slash + colon],
                Some(rest[last_slash + colon + 1..].to_owned()),
            ),
            None => (rest, None),
        };
        if repository.is_empty() {
            return None;
        }
        let repository = repository.to_ascii_lowercase();
        let first = repository.split('/').next().unwrap_or_default();
        let has_registry = first.contains(['.', ':']) || first == "localhost";
        let repository = match (has_registry, repository.contains('/')) {
            (true, _) => repository.replacen("index.docker.io/", "docker.io/", 1),
            (false, true) => format!("docker.io/{repository}"),
            (false, false) => format!("docker.io/library/{repository}"),
        };
        Some(ImageRef {
            repository,
            tag,
            digest,
        })
    }

    /// Whether the scanned image `found` is this declared one: same repository, and the
    /// same tag or digest where this one names them.
    pub fn covers(&self, found: &ImageRef) -> bool {
        self.repository == found.repository
            && self
                .tag
                .as_ref()
                .is_none_or(|t| found.tag.as_ref() == Some(t))
            && self
                .digest
                .as_ref()
                .is_none_or(|d| found.digest.as_ref() == Some(d))
    }
}

/// `https://github.com/acme/orders.git`, `git@github.com:acme/orders` and
/// `github.com/acme/orders` are one repository.
pub fn normalize_repository(text: &str) -> String {
    let t = text.trim().to_ascii_lowercase();
    let t = t.split_once("://").map_or(t.as_str(), |(_, rest)| rest);
    let t = t
        .strip_prefix("git@")
        .map_or(t.to_owned(), |r| r.replacen(':', "/", 1));
    let t = t.rsplit_once('@').map_or(t.as_str(), |(_, host)| host);
    t.trim_end_matches('/').trim_end_matches(".git").to_owned()
}

/// A source path with `file://`, `./` and backslashes taken away.
fn normalize_path(text: &str) -> String {
    let t = text
        .strip_prefix("file://")
        .unwrap_or(text)
        .replace('\\', "/");
    t.trim_start_matches("./").to_owned()
}

/// Whether the location `uri` lies under the path `prefix`: at its start, or after a `/`
/// (a checkout's absolute path).
pub fn path_under(prefix: &str, uri: &str) -> bool {
    let uri = normalize_path(uri);
    let bare = normalize_path(prefix);
    let bare = bare.trim_end_matches('/');
    if bare.is_empty() {
        return false;
    }
    let folder = format!("{bare}/");
    uri == bare
        || uri.starts_with(&folder)
        || uri.ends_with(&format!("/{bare}"))
        || uri.contains(&format!("/{folder}"))
}

/// How a declared package is written: a purl, or a name with an optional version.
enum Declared {
    Purl(Purl),
    Name(String, Option<String>),
}

impl Declared {
    fn covers(&self, purl: Option<&Purl>, name: Option<&str>, version: Option<&str>) -> bool {
        match self {
            Declared::Purl(want) => purl.is_some_and(|got| want.covers(got)),
            Declared::Name(want, want_version) => {
                let found = name.or(purl.map(Purl::short_name));
                found.is_some_and(|n| n.eq_ignore_ascii_case(want))
                    && match (want_version, version) {
                        (Some(want), Some(got)) => want == got,
                        _ => true,
                    }
            }
        }
    }
}

/// What each component declares, parsed once.
pub struct Matcher {
    per_component: Vec<Vec<(Declared, String)>>,
    images: Vec<Vec<(ImageRef, String)>>,
    repositories: Vec<Vec<String>>,
    paths: Vec<Vec<String>>,
}

/// A component a finding landed on, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Landing {
    pub component: ComponentId,
    /// `software pkg:npm/express@4.17.1`, `image ghcr.io/acme/orders`, `path services/orders/`.
    pub matched_by: String,
}

impl Matcher {
    pub fn new(model: &Model) -> Self {
        let n = model.components.len();
        let mut m = Matcher {
            per_component: Vec::with_capacity(n),
            images: vec![Vec::new(); n],
            repositories: vec![Vec::new(); n],
            paths: vec![Vec::new(); n],
        };
        for (i, c) in model.components.iter().enumerate() {
            let mut packages = Vec::new();
            for s in &c.software {
                let declared = match s.purl.as_deref().and_then(Purl::parse) {
                    Some(p) => (
                        Declared::Purl(p),
                        format!("software {}", s.purl.as_deref().unwrap_or_default()),
                    ),
                    None => (
                        Declared::Name(s.name.clone(), s.version.clone()),
                        format!("software {}", s.name),
                    ),
                };
                packages.push(declared);
            }
            for a in &c.artifacts {
                match a {
                    Artifact::Package(p) => {
                        let declared = match Purl::parse(p) {
                            Some(purl) => Declared::Purl(purl),
                            None => Declared::Name(p.clone(), None),
                        };
                        packages.push((declared, format!("package {p}")));
                    }
                    Artifact::Image(text) => {
                        if let Some(image) = ImageRef::parse(text) {
                            m.images[i].push((image, format!("image {text}")));
                        }
                    }
                    Artifact::Repository(r) => m.repositories[i].push(normalize_repository(r)),
                    Artifact::Path(p) => m.paths[i].push(p.clone()),
                }
            }
            m.per_component.push(packages);
        }
        m
    }

    /// The components of one scan's images and repository, computed once per scan.
    pub fn scan_landings(&self, scan: &Scan) -> Vec<Landing> {
        let found: Vec<ImageRef> = scan
            .images
            .iter()
            .filter_map(|i| ImageRef::parse(i))
            .collect();
        let repository = scan.repository.as_deref().map(normalize_repository);
        let mut out = Vec::new();
        for i in 0..self.per_component.len() {
            let component = ComponentId(i as u32);
            if let Some((_, how)) = self.images[i]
                .iter()
                .find(|(want, _)| found.iter().any(|got| want.covers(got)))
            {
                out.push(Landing {
                    component,
                    matched_by: how.clone(),
                });
            } else if let Some(r) = repository
                .as_ref()
                .filter(|r| self.repositories[i].contains(r))
            {
                out.push(Landing {
                    component,
                    matched_by: format!("repository {r}"),
                });
            }
        }
        out
    }

    /// Every component `f` lands on: those of its scan, plus package and path matches.
    pub fn land(&self, f: &Finding, scan_landings: &[Landing]) -> Vec<Landing> {
        let purl = f.purl.as_deref().and_then(Purl::parse);
        let name = f.package.as_deref();
        let version = f
            .version
            .as_deref()
            .or(purl.as_ref().and_then(|p| p.version.as_deref()));
        let mut out: Vec<Landing> = scan_landings.to_vec();
        for (i, packages) in self.per_component.iter().enumerate() {
            let component = ComponentId(i as u32);
            if out.iter().any(|l| l.component == component) {
                continue;
            }
            let by_package = packages
                .iter()
                .find(|(d, _)| d.covers(purl.as_ref(), name, version))
                .map(|(_, how)| how.clone());
            let by_path = || {
                self.paths[i]
                    .iter()
                    .find(|p| f.paths.iter().any(|uri| path_under(p, uri)))
                    .map(|p| format!("path {p}"))
            };
            if let Some(matched_by) = by_package.or_else(by_path) {
                out.push(Landing {
                    component,
                    matched_by,
                });
            }
        }
        out.sort_by_key(|l| l.component);
        out
    }
}

/// Why a finding landed nowhere, naming what was looked for.
pub fn unmatched_reason(f: &Finding, scan: &Scan) -> String {
    let mut tried = Vec::new();
    if let Some(p) = f.package_label() {
        tried.push(format!("package {p}"));
    }
    if let Some(image) = scan.images.first() {
        tried.push(format!("image {image}"));
    }
    if let Some(r) = &scan.repository {
        tried.push(format!("repository {r}"));
    }
    if let Some(path) = f.paths.first() {
        tried.push(format!("a path prefix of {path}"));
    }
    if tried.is_empty() {
        "the finding names no package, image, repository or path".to_owned()
    } else {
        format!("no component has {}", tried.join(", or "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn purl(s: &str) -> Purl {
        Purl::parse(s).unwrap()
    }

    #[test]
    fn purls_parse_with_scopes_qualifiers_and_escapes() {
        assert_eq!(
            purl("pkg:npm/%40angular/core@16.2.1?x=y#sub"),
            Purl {
                kind: "npm".into(),
                name: "@angular/core".into(),
                version: Some("16.2.1".into())
            }
        );
        assert_eq!(purl("pkg:npm/@angular/core@16.2.1").name, "@angular/core");
        assert_eq!(
            purl("pkg:deb/debian/openssl@3.0.11-1%7Edeb12u2?arch=amd64")
                .version
                .as_deref(),
            Some("3.0.11-1~deb12u2")
        );
        assert_eq!(purl("pkg:pypi/Django_Rest@1").name, "django-rest");
        assert_eq!(Purl::parse("npm/express"), None);
    }

    #[test]
    fn a_declared_purl_without_version_covers_every_version() {
        let any = purl("pkg:maven/org.apache.logging.log4j/log4j-core");
        let pinned = purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        let found = purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
        let other = purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1");
        assert!(any.covers(&found) && any.covers(&other));
        assert!(pinned.covers(&found));
        assert!(!pinned.covers(&other));
        assert!(!purl("pkg:npm/log4j-core").covers(&found));
    }

    #[test]
    fn images_match_by_repository_then_tag_or_digest() {
        let img = |s| ImageRef::parse(s).unwrap();
        assert_eq!(img("nginx").repository, "docker.io/library/nginx");
        assert_eq!(img("acme/web:1").repository, "docker.io/acme/web");
        assert_eq!(img("localhost:5000/web:1").repository, "localhost:5000/web");
        let scanned = img("ghcr.io/acme/orders:1.4.2 (debian 12.5)");
        assert!(img("ghcr.io/acme/orders").covers(&scanned));
        assert!(img("ghcr.io/acme/orders:1.4.2").covers(&scanned));
        assert!(!img("ghcr.io/acme/orders:1.5.0").covers(&scanned));
        assert!(!img("ghcr.io/acme/orders@sha256:ab").covers(&scanned));
        assert!(img("ghcr.io/acme/orders@sha256:AB").covers(&img("ghcr.io/acme/orders@sha256:ab")));
        assert!(!img("ghcr.io/acme/order").covers(&scanned));
    }

    #[test]
    fn repositories_and_paths_normalize() {
        for r in [
            "https://github.com/Acme/orders.git",
            "git@github.com:acme/orders",
            "github.com/acme/orders/",
        ] {
            assert_eq!(normalize_repository(r), "github.com/acme/orders");
        }
        assert!(path_under("services/orders/", "services/orders/src/db.js"));
        assert!(path_under(
            "services/orders",
            "file:///home/runner/work/shop/services/orders/db.js"
        ));
        assert!(path_under("./services/orders/", "services\\orders\\db.js"));
        assert!(!path_under("services/orders/", "services/orders-v2/db.js"));
        assert!(!path_under("services/order", "services/orders/db.js"));
        assert!(path_under("Dockerfile", "Dockerfile"));
    }
}
